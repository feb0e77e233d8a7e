"""The OOXML layer: parts of the package parse whatever size their text has."""

from __future__ import annotations

from publisher.model import Document, Metadata, Paragraph, Section, Text
from publisher.render import RenderOptions, docx
from publisher.render.ooxml import Package, parse, qn

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LONG = 10_500_000  # characters: past libxml2's 10 MB limit for one text node


def test_a_text_node_over_ten_megabytes_parses() -> None:
    # issue 13: "Text node too long" aborted the DOCX of a record with a 10 MB paragraph
    xml = f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode() + b"x" * LONG + \
        b"</w:t></w:r></w:p></w:body></w:document>"
    assert len(parse(xml).findtext(f".//{qn('w:t')}") or "") == LONG


def test_a_docx_with_a_ten_megabyte_paragraph_is_written() -> None:
    text = "数据模型图像识别" * (LONG // 24 + 1)  # no break, no punctuation: one run in Word
    doc = Document(title="长段落", language="zh", metadata=Metadata(source="long.txt"),
                   sections=[Section(title="引言", level=1, number="1", blocks=[Paragraph([Text(text)])])])
    data = docx.render(doc, RenderOptions()).value
    assert isinstance(data, bytes)
    runs = Package.open(data).body.iter(qn("w:t"))
    assert max(len(t.text or "") for t in runs) >= len(text) // 2
