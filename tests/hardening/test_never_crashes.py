"""Never crashes: any bytes or text given to build_document / publish either publishes or
raises a PublishError subclass; the model that comes out keeps its own invariants."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publisher import cli
from publisher.assemble.inlines import MAX_DEPTH
from publisher.errors import PublishError
from publisher.model import Cite, Document, inline_text, iter_blocks
from publisher.pipeline import build_document
from publisher.render import RenderOptions, json_writer, render
from tests.hardening.profile import examples
from tests.hardening.records import (
    HOSTILE_UNITS,
    ROOT,
    all_records,
    mutated_bytes,
    mutated_text,
    record_text,
    regression_inputs,
    regressions,
)


def build_or_refuse(source: bytes | str) -> Document | None:
    """The contract: a Document, or a PublishError (returned as None). Anything else fails."""
    try:
        doc = build_document(source, name="mutated.txt")
    except PublishError as exc:
        assert "\n" not in str(exc), "error messages are one line"
        assert str(exc).startswith("mutated.txt"), "error messages name the file"
        return None
    check_model(doc)
    return doc


def _cites(doc: Document) -> list[Cite]:
    found: list[Cite] = []

    def walk(inlines: list) -> None:
        for i in inlines:
            if isinstance(i, Cite):
                found.append(i)
            walk(getattr(i, "inlines", []))

    for blocks in doc.block_lists():
        for b in iter_blocks(blocks):
            for inl in [getattr(b, "inlines", [])] + list(getattr(b, "header", [])) + [
                c for row in getattr(b, "rows", []) for c in row
            ]:
                walk(inl)
    return found


def check_model(doc: Document) -> None:
    """What every writer relies on, whatever the input was."""
    text = json_writer.render(doc, RenderOptions()).value  # encodable: no lone surrogate survives
    json.loads(text)
    assert "\x00" not in text.decode("utf-8")
    numbers = [r.number for r in doc.references]
    assert numbers == list(range(1, len(numbers) + 1))
    for cite in _cites(doc):
        assert cite.numbers and set(cite.numbers) <= set(numbers), cite
        assert cite.numbers == sorted(set(cite.numbers))
    assert [t.number for t in doc.tables()] == list(range(1, len(doc.tables()) + 1))
    for s in doc.walk_sections():
        assert s.number.count(".") == s.level - 1
    assert doc.language in ("zh", "en")
    for blocks in doc.block_lists():  # no later stage may recurse as deep as the input nests
        for b in iter_blocks(blocks):
            assert _depth(getattr(b, "inlines", [])) <= MAX_DEPTH


@pytest.mark.parametrize("path", all_records(), ids=lambda p: p.name)
def test_real_records_publish(path):
    doc = build_or_refuse(path.read_bytes())
    assert doc is not None and doc.sections


@examples(500)
@given(mutated_bytes())
def test_mutated_bytes_never_crash(data):
    build_or_refuse(data)


@examples(500)
@given(mutated_text())
def test_mutated_text_never_crashes(text):
    build_or_refuse(text)


@examples(300)
@given(st.data())
def test_truncation_at_any_byte(data):
    raw = record_text(data.draw(st.sampled_from(all_records()))).encode("utf-8")
    cut = data.draw(st.integers(0, len(raw)))
    build_or_refuse(raw[:cut])


@examples(300)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data):
    build_or_refuse(data)


@examples(300)
@given(st.text(st.characters(codec=None, exclude_categories=()), max_size=2000))
def test_arbitrary_text_with_surrogates(text):
    build_or_refuse("大纲:\n# T\n内容:\n" + text)


def test_lone_surrogates_and_controls_are_replaced_not_fatal():
    text = "大纲:\n# T\n## 1 引言\n内容:\n## 1 引言\n正文\ud800包含\udfff代理\x07和\u2028分行。\n"
    doc = build_or_refuse(text)
    assert doc is not None
    body = json_writer.render(doc, RenderOptions()).value.decode("utf-8")
    assert "正文" in body and "\ufffd" in body and "代理" in body and "分行" in body and "\x07" not in body


def test_nul_is_refused_as_binary():
    with pytest.raises(PublishError, match="binary"):
        build_document("大纲:\n# T\n内容:\n## 1 引言\n正文\x00。\n", name="x.txt")


@pytest.mark.parametrize("path", regressions(), ids=lambda p: p.name)
def test_regressions_never_crash(path):
    """Inputs that once broke a property (tests/hardening/regressions/README.md)."""
    for source in regression_inputs(path):
        build_or_refuse(source)


# --------------------------------------------------------------------------- the CLI
BAD_INPUTS: dict[str, bytes | None] = {
    "empty.txt": b"",
    "blank.txt": b"\n\n  \r\n",
    "binary.txt": bytes(range(256)) * 4,
    "nul.txt": "大纲:\n# T\n内容:\n## 1 引言\n正文\x00。\n".encode(),
    "bad-utf16.txt": b"\xff\xfe" + "大纲:\n# T\n".encode("utf-16-le") + b"\x00\xd8\x41",
    "undecodable.txt": bytes(range(128, 256)) * 8,
    "not-a-record.txt": b"just a short note, no outline, no content\n",
    "folder.txt": None,  # a directory with a record's name
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_cli_refuses_bad_input_in_one_line_without_output(tmp_path, name):
    path = tmp_path / name
    data = BAD_INPUTS[name]
    if data is None:
        path.mkdir()
    else:
        path.write_bytes(data)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "publisher", str(path), "--to", "json,md,html", "-o", str(out)],
                          cwd=ROOT, capture_output=True, timeout=120)
    err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    assert proc.returncode == 1, err
    assert len(err) == 1 and name in err[0] and "Traceback" not in err[0], err
    assert not out.exists() or not any(out.iterdir()), "partial output left behind"
    if data is not None:
        assert path.read_bytes() == data


def test_cli_names_a_missing_file(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "publisher", str(tmp_path / "gone.txt"), "--to", "json"],
                          cwd=ROOT, capture_output=True, timeout=120)
    err = proc.stderr.decode().strip().splitlines()
    assert proc.returncode == 1 and len(err) == 1 and "gone.txt" in err[0]


@examples(80)
@given(mutated_bytes())
def test_cli_on_mutated_records_publishes_or_says_one_line(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("cli")
    record = folder / "mutated.txt"
    record.write_bytes(data)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = cli.main([str(record), "--to", "json", "-o", str(folder / "out"), "-q"])
    lines = err.getvalue().strip().splitlines()
    if status == 1:
        assert len(lines) == 1 and "mutated.txt" in lines[0] and "internal error" not in lines[0], lines
        assert not (folder / "out").exists() or not any((folder / "out").iterdir())
    else:
        assert status == 0 and (folder / "out" / "mutated.json").exists(), lines


# --------------------------------------------------------------------------- hostile inline runs
INLINE_HEAD = "大纲:\n# T\n## 1 引言\n内容:\n## 1 引言\n"
INLINE_TAIL = "\n# 参考文献:\n[1] A. 2024.\n[2] B. 2023.\n对话结束\n"


@examples(150)
@given(st.lists(st.tuples(st.sampled_from(HOSTILE_UNITS), st.integers(1, 400)), min_size=1, max_size=6),
       st.sampled_from(["", "正文", "text [1] ", "**x**"]))
def test_hostile_inline_runs_never_crash(runs, filler):
    """Runs of brackets, emphasis marks, backticks and notation pieces, mixed on one line."""
    line = filler.join(unit * n for unit, n in runs)
    build_or_refuse(INLINE_HEAD + line + "\n" + INLINE_TAIL)


@pytest.mark.parametrize(("line", "nested"), [
    ("*" * 700 + "深层强调文本x" + "*" * 700, True),
    ("**" * 400 + "deep emphasis x" + "**" * 400, True),
    ("[" * 300 + "深层强调文本x" + "](http://a.example)" * 300, False),
    ("_" * 700 + "深层强调文本x" + "_" * 700, True),
])
def test_deep_emphasis_publishes_flattened_with_a_warning(line, nested):
    """Issue 12 item 4: `'*' * 700 + 'x' + '*' * 700` made inline_text recurse past Python's
    limit (exit 1, a 500 in the service). The nesting is flattened below MAX_DEPTH, the text
    kept, a warning given, and no writer recurses on the input's depth."""
    doc = build_or_refuse(INLINE_HEAD + line + "\n" + INLINE_TAIL)
    assert doc is not None
    inlines = doc.sections[0].blocks[0].inlines  # type: ignore[union-attr]
    assert "深层强调文本x" in inline_text(inlines) or "deep emphasis x" in inline_text(inlines)
    assert _depth(inlines) <= MAX_DEPTH
    assert any(m.rule == "deep-nesting" and m.severity == "warning" for m in doc.report) == nested
    for fmt in ("json", "md", "html", "jats"):
        assert render(doc, fmt).value


def _depth(inlines: list) -> int:
    return max((1 + _depth(i.inlines) for i in inlines if hasattr(i, "inlines")), default=0)
