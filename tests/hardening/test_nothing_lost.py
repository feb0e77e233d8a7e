"""Nothing lost: outputs replace old files atomically, the input is never written, a
conversion killed midway leaves the old file or none (and no temp file), and every line
of author text that cleaning removes or changes is accounted for in the report."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given

from publisher import cli
from publisher.clean import clean_content
from publisher.errors import PublishError, RenderError
from publisher.model import Message
from publisher.read import read_record
from publisher.render.outputs import output_path, write_output
from tests.hardening.profile import examples
from tests.hardening.records import ROOT, SAMPLES, all_records, mutated_lines, regressions

SAMPLE = SAMPLES[0]


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --------------------------------------------------------------------------- atomic writes
def test_failed_rename_keeps_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "article.json"
    target.write_bytes(b"old complete file")

    def refuse(*args: object) -> None:
        raise OSError("disk went away")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_output(target, b"new" * 1000)
    assert target.read_bytes() == b"old complete file"
    assert _listing(tmp_path) == ["article.json"]


def test_failed_write_of_a_new_file_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError("I/O error")))
    with pytest.raises(OSError):
        write_output(tmp_path / "article.html", b"<p>x</p>")
    assert _listing(tmp_path) == []


# a failed or killed folder swap: tests/render/test_folders.py


def test_folder_output_refuses_paths_outside_it(tmp_path):
    with pytest.raises(PublishError):
        write_output(tmp_path / "site", {"../escaped.txt": b"x"})
    assert not (tmp_path / "escaped.txt").exists()
    assert _listing(tmp_path) == []


_KILLED_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from publisher.render.outputs import write_output
    marker = Path(sys.argv[2])
    real_fsync = os.fsync
    def slow_fsync(fd):
        marker.write_text("writing")
        time.sleep(60)
    os.fsync = slow_fsync
    write_output(Path(sys.argv[1]), b"new, never finished " * 100000)
    """
)


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="unnamed temporary files are Linux-only")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_midway_keeps_the_old_file_and_leaves_no_temp(tmp_path, sig):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "article.docx"
    target.write_bytes(b"old complete file")
    marker = tmp_path / "marker"
    script = tmp_path / "writer.py"
    script.write_text(_KILLED_WRITER.format(root=str(ROOT)))
    proc = subprocess.Popen([sys.executable, str(script), str(target), str(marker)])
    try:
        for _ in range(600):
            if marker.exists():
                break
            time.sleep(0.05)
        assert marker.exists(), "the writer never got to writing"
        proc.send_signal(sig)
        proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.wait()
    assert target.read_bytes() == b"old complete file"
    assert _listing(out) == ["article.docx"]


# --------------------------------------------------------------------------- the input is sacred
def test_cli_never_opens_the_input_for_writing(tmp_path, monkeypatch, capsys):
    record = tmp_path / "record.txt"
    record.write_bytes(SAMPLE.read_bytes())
    before = (record.read_bytes(), record.stat().st_mtime_ns)
    opened: list[tuple[str, object]] = []

    def audit(event: str, args: tuple) -> None:
        if event == "open" and args and str(args[0]) == str(record):
            opened.append((str(args[1]), args[2]))

    sys.addaudithook(audit)  # hooks cannot be removed; this one only records
    assert cli.main([str(record), "--to", "json,md", "-o", str(tmp_path / "out")]) == 0
    writes = [(mode, flags) for mode, flags in opened
              if any(c in mode for c in "wax+") or (isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR))]
    opened_for_reading = bool(opened)
    hooks_worked, opened[:] = opened_for_reading, []
    assert hooks_worked and not writes
    assert (record.read_bytes(), record.stat().st_mtime_ns) == before
    capsys.readouterr()


@pytest.mark.parametrize("how", ["the input file as -o", "an output named like the input"])
def test_output_onto_the_input_is_refused(tmp_path, how, capsys):
    if how == "the input file as -o":
        record = tmp_path / "record.txt"
        argv = [str(record), "--to", "json", "-o", str(record)]
    else:
        record = tmp_path / "record.json"  # --to json would write record.json over it
        argv = [str(record), "--to", "json"]
    record.write_bytes(SAMPLE.read_bytes())
    assert cli.main(argv) == 2
    assert record.read_bytes() == SAMPLE.read_bytes()
    assert _listing(tmp_path) == [record.name]
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and record.name in err[0]


def test_output_path_refuses_the_input_itself(tmp_path):
    record = tmp_path / "a.md"
    record.write_text("x")
    with pytest.raises(PublishError, match="overwrite the input"):
        output_path(str(record), "md", None)


def test_a_failing_writer_costs_only_its_own_format(tmp_path, monkeypatch, capsys):
    """json renders fine, html fails: json is written, html is named, the old html stays, exit 1."""
    import publisher.api as api

    out = tmp_path / "out"
    out.mkdir()
    (out / "record.html").write_bytes(b"old")
    record = tmp_path / "record.txt"
    record.write_bytes(SAMPLE.read_bytes())
    real_render = api.render

    def render(doc, fmt, options=None):
        if fmt == "html":
            raise RenderError("pandoc crashed", "record.txt")
        return real_render(doc, fmt, options)

    monkeypatch.setattr(api, "render", render)
    assert cli.main([str(record), "--to", "json,html", "-o", str(out), "-q"]) == 1
    assert _listing(out) == ["record.html", "record.json"] and (out / "record.html").read_bytes() == b"old"
    assert (out / "record.json").read_bytes().startswith(b"{")
    assert capsys.readouterr().err.strip().splitlines() == [f"publish: error: {record}: html: pandoc crashed"]


# --------------------------------------------------------------------------- the report accounts
def unaccounted(lines: list[str]) -> list[tuple[int, str]]:
    """Content lines that cleaning removed or changed without a report message covering them."""
    record = read_record("\n".join(lines), "r.txt").value
    cleaned = clean_content(record.content)
    kept = {ln.no: ln.text for gen in cleaned.value for ln in gen}
    return [(ln.no, ln.text) for ln in record.content
            if ln.text.strip() and kept.get(ln.no) != ln.text and not _covered(ln.no, ln.text, cleaned.messages)]


_TAGS_ONLY_RE = re.compile(r"^(\s|<\s*/?\s*[A-Za-z]+[^<>]*>)*$")


def _covered(no: int, text: str, messages: list[Message]) -> bool:
    """A message's line range covers the line. The one summary of empty tag pairs spans
    the whole content, so it accounts for tag-only lines and nothing else."""
    for m in messages:
        if m.line is None or not m.line <= no <= (m.end_line or m.line):
            continue
        if "empty reasoning tag pair" in m.message and not _TAGS_ONLY_RE.match(text):
            continue
        return True
    return False


@pytest.mark.parametrize("path", all_records() + regressions(), ids=lambda p: p.name)
def test_every_removed_line_of_a_real_record_is_reported(path):
    text = path.read_bytes().decode("utf-8-sig", "replace").replace("\r\n", "\n")
    assert unaccounted(text.split("\n")) == []


@examples(300)
@given(mutated_lines())
def test_every_removed_line_of_a_mutated_record_is_reported(lines):
    with contextlib.suppress(PublishError):  # a mutation may make it no record at all
        assert unaccounted(lines) == []


def test_the_accounting_sees_a_silent_drop(monkeypatch):
    """The check itself can fail: a rule that drops a line without a message is caught."""
    import publisher.clean as clean

    def silent(lines):
        return [ln for ln in lines if "SECRET" not in ln.text], []

    monkeypatch.setattr(clean, "RULES", clean.RULES + [("silent", silent)])
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    at = lines.index("内容:") + 5
    lines.insert(at, "一段 SECRET 正文。")
    assert [t for _, t in unaccounted(lines)] == ["一段 SECRET 正文。"]
