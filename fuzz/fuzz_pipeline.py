"""atheris target: any bytes through reader -> cleaner -> assembler -> tables -> citations.

The contract under test: `build_document` either returns a Document or raises a
PublishError subclass. Anything else (IndexError, RecursionError, a JSON that cannot be
encoded, a cleaned text that cleaning changes again) is a finding. See fuzz/README.md.

    .venv/bin/python fuzz/fuzz_pipeline.py -dict=fuzz/record.dict fuzz/corpus
"""

from __future__ import annotations

import hashlib
import os
import sys
import traceback
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["publisher"]):
    from publisher.assemble.inlines import MAX_DEPTH
    from publisher.clean import clean_content, join_generations
    from publisher.errors import InputError, PublishError
    from publisher.model import Emph, Inline, Link, Strong, iter_blocks
    from publisher.pipeline import build_document
    from publisher.read import read_record
    from publisher.read.files import read_file
    from publisher.render import RenderOptions, json_writer
    from publisher.render.notes import clean_text

from lxml import etree  # noqa: E402 - not instrumented: only the cleaned text is under test

# PUBLISHER_FUZZ_CHECKS=crash,idempotent (default: both)
CHECKS = set(os.environ.get("PUBLISHER_FUZZ_CHECKS", "crash,idempotent").split(","))
# PUBLISHER_FUZZ_KEEP_GOING=DIR: write each distinct finding (exception type + the frame
# that raised it) once into DIR and go on, so that one long run collects them all.
KEEP_GOING = os.environ.get("PUBLISHER_FUZZ_KEEP_GOING")
_seen: set[str] = set()


def _record_finding(data: bytes, exc: BaseException) -> None:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    key = f"{type(exc).__name__}-{Path(frame.filename).stem}-{frame.lineno}"
    if key in _seen:
        return
    _seen.add(key)
    folder = Path(KEEP_GOING or ".")
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{key}-{hashlib.sha1(data).hexdigest()[:12]}"
    if not any(p.name.startswith(key + "-") for p in folder.iterdir()):
        (folder / name).write_bytes(data)
        (folder / (name + ".txt")).write_text("".join(traceback.format_exception(exc)), encoding="utf-8")


def _check_idempotent(data: bytes | str) -> None:
    try:
        record = read_record(data, "fuzz").value
    except PublishError:
        return
    first = clean_content(record.content)
    second = clean_content(join_generations(first.value))
    # the separators we put in are line 0: a note about them alone is no change to author text
    notes = [m for m in second.messages if m.line is not None]  # Result is frozen: filter a copy
    texts = [[ln.text for ln in g] for g in first.value]
    again = [[ln.text for ln in g] for g in second.value]
    if again != texts or notes:
        raise AssertionError(f"cleaning is not idempotent: {notes[:3]}")


def TestOneInput(data: bytes) -> None:
    if not KEEP_GOING:
        check_one(data)
        return
    try:
        check_one(data)
    except Exception as exc:  # the finding is kept on disk; the run goes on
        _record_finding(data, exc)


def check_one(data: bytes) -> None:
    # Odd lengths go in as text decoded with surrogateescape (lone surrogates, the API's
    # str path); even lengths as bytes (the CLI's path).
    source: bytes | str = data.decode("utf-8", "surrogateescape") if len(data) % 2 else _through_a_pipe(data)
    try:
        doc = build_document(source, name="fuzz")
    except PublishError:
        return
    json_writer.render(doc, RenderOptions())  # must encode: no lone surrogates survive
    depth = max((_depth(b.inlines) for blocks in doc.block_lists() for b in iter_blocks(blocks)
                 if hasattr(b, "inlines")), default=0)
    if depth > MAX_DEPTH:  # nothing later may recurse on the input's depth
        raise AssertionError(f"inlines nested {depth} deep")
    for value in (doc.title, doc.metadata.topic or "", *doc.keywords):  # DOCX core properties, JATS front
        etree.Element("value").text = clean_text(value)  # ValueError on a character XML cannot hold
    if "idempotent" in CHECKS:
        _check_idempotent(source)


def _through_a_pipe(data: bytes) -> bytes:
    """The CLI's bytes read from a pipe (size 0 to `stat`, like a FIFO or a device): exactly
    the bytes, and refused at a limit one byte short of them (issue 12 item 3)."""
    if not data or len(data) > 60_000:  # more would fill the pipe before it is read
        return data
    for limit in (len(data), len(data) - 1):
        read, write = os.pipe()
        try:
            os.write(write, data)
            os.close(write)
            try:
                got = read_file(f"/dev/fd/{read}", "fuzz", limit)
            except InputError:
                if limit == len(data):
                    raise
                continue
            if limit < len(data) or got != data:
                raise AssertionError(f"a pipe of {len(data)} bytes read as {len(got)} at limit {limit}")
        finally:
            os.close(read)
    return data


def _depth(inlines: list[Inline]) -> int:
    deepest, stack = 0, [(inlines, 0)]
    while stack:
        items, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((i.inlines, level + 1) for i in items if isinstance(i, Strong | Emph | Link))
    return deepest


def main() -> None:
    sys.setrecursionlimit(2000)
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
