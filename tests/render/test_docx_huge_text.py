"""A DOCX whose one paragraph has more than 10 MB of text without a break (libxml2's default
limit for one text node) is written, not aborted with "Text node too long"."""

from __future__ import annotations

import io
import zipfile

from publisher.model import Document, Metadata, Paragraph, Section, Text
from publisher.render import RenderOptions, docx

LONG = 10_500_000  # characters: past libxml2's 10 MB limit for one text node


def test_a_docx_with_a_ten_megabyte_paragraph_is_written() -> None:
    # issue 13: "Text node too long" aborted the DOCX of a record with a 10 MB paragraph
    text = "数据模型图像识别" * (LONG // 24 + 1)  # no break, no punctuation: one run in Word
    doc = Document(title="长段落", language="zh", metadata=Metadata(source="long.txt"),
                   sections=[Section(title="引言", level=1, number="1", blocks=[Paragraph([Text(text)])])])
    data = docx.render(doc, RenderOptions()).value
    assert isinstance(data, bytes)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert xml.count("数据模型图像识别") == text.count("数据模型图像识别")
