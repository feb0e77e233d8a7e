"""A JATS article whose one paragraph has more than 10 MB of text without a break (libxml2's
default limit for one text node) is written, not aborted with "text node too long"."""

from __future__ import annotations

from lxml import etree

from publisher.model import Document, Metadata, Paragraph, Section, Text
from publisher.render import RenderOptions, jats

LONG = 10_500_000  # characters: past libxml2's 10 MB limit for one text node
WORD = "数据模型图像识别"


def test_a_jats_article_with_a_ten_megabyte_paragraph_is_written() -> None:
    # issue 13: pandoc wrote it, then lxml refused to parse it back (huge_tree=False)
    text = WORD * (LONG // len(WORD) + 1)
    doc = Document(title="长段落", language="zh", metadata=Metadata(source="long.txt"),
                   sections=[Section(title="引言", level=1, number="1", blocks=[Paragraph([Text(text)])])])
    data = jats.render(doc, RenderOptions()).value
    assert isinstance(data, bytes)
    body = etree.fromstring(data, etree.XMLParser(huge_tree=True)).find("body")
    assert body is not None
    assert "".join(body.itertext()).count(WORD) == text.count(WORD)
