"""Never crashes, for the inputs of the attack run (issue 12 items 3 and 8) drawn by
hypothesis: XML-illegal characters (U+FFFE, U+FFFF, C0 controls) in the title, the topic
and the keywords, through the whole pipeline into every XML writer; and records read from a
FIFO rather than a regular file, with the same contract as a file: published, or one line."""

from __future__ import annotations

import contextlib
import io
import os
import threading
import zipfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from publisher import cli
from publisher.errors import PublishError
from publisher.pipeline import build_document
from publisher.render import render
from tests.hardening.profile import examples
from tests.hardening.records import mutated_bytes

ILLEGAL = ["\uffff", "\ufffe", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\ufdd0"]
WORDS = st.text(st.sampled_from([*ILLEGAL, "深", "度", "a", "b", " "]), min_size=1, max_size=12)


def record(title: str, topic: str, keyword: str) -> str:
    return (f"回调数据记录\n==============================\n主题: {topic}\nUUID: u1\n\n大纲:\n# {title}\n## 1 引言\n"
            f"内容:\n# {title}\n**摘要**：摘要句。\n**关键词**：{keyword}；深度学习\n\n## 1 引言\n正文句[1]。\n\n"
            "# 参考文献:\n[1] A. 2024.\n对话结束\n")


@examples(25)
@given(WORDS, WORDS, WORDS)
def test_xml_illegal_characters_in_the_metadata_never_break_a_writer(title: str, topic: str, keyword: str) -> None:
    try:
        doc = build_document(record(title, topic, keyword), name="odd.txt")
    except PublishError:
        return
    result = render(doc, "docx")
    docx = result.value
    assert isinstance(docx, bytes)
    if any(c in title + topic + keyword for c in ("\uffff", "\ufffe")):  # the reader keeps these two
        assert any(m.rule == "illegal-character" for m in result.messages)
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        for part in ("docProps/core.xml", "word/document.xml"):
            etree.fromstring(z.read(part))  # well-formed XML
    for fmt in ("jats", "html"):
        out = render(doc, fmt).value
        assert not any(c.encode() in (out if isinstance(out, bytes) else out.encode()) for c in ("\uffff", "\ufffe"))


@examples(30)
@given(mutated_bytes())
def test_records_from_a_fifo_publish_or_say_one_line(tmp_path_factory, data: bytes) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("fifo")
    fifo = folder / "mutated.txt"
    os.mkfifo(fifo)

    def writer() -> None:
        with contextlib.suppress(BrokenPipeError), open(fifo, "wb") as out:
            out.write(data)

    thread = threading.Thread(target=writer)
    thread.start()
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            status = cli.main([str(fifo), "--to", "json", "-o", str(folder / "out"), "-q"])
    finally:
        with contextlib.suppress(OSError):  # a refusal before reading: let the writer go
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        thread.join(30)
    lines = err.getvalue().strip().splitlines()
    if status == 1:
        assert len(lines) == 1 and "mutated.txt" in lines[0] and "internal error" not in lines[0], lines
    else:
        assert status == 0 and (folder / "out" / "mutated.json").exists(), lines


def test_a_fifo_holds_what_a_file_holds(tmp_path: Path) -> None:
    """The same bytes from a FIFO and from a file publish the same JSON."""
    data = record("深度学习综述", "深度学习", "神经网络").encode("utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "r.txt").write_bytes(data)
    fifo_dir = tmp_path / "b"
    fifo_dir.mkdir()
    os.mkfifo(fifo_dir / "r.txt")
    thread = threading.Thread(target=lambda: (fifo_dir / "r.txt").write_bytes(data))
    thread.start()
    assert cli.main([str(fifo_dir / "r.txt"), "--to", "json", "-o", str(tmp_path / "out-b"), "-q"]) == 0
    thread.join(30)
    assert cli.main([str(tmp_path / "a" / "r.txt"), "--to", "json", "-o", str(tmp_path / "out-a"), "-q"]) == 0
    assert (tmp_path / "out-a" / "r.json").read_bytes() == (tmp_path / "out-b" / "r.json").read_bytes()
