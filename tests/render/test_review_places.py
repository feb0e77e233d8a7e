"""Where the review draft puts each change (issue 15 item 1): a tracked deletion stands at the
place the text was taken from, between the author sentences around it; a comment is anchored
where its change acts (the kept copy of a duplicate chapter, the moved chapter's heading, the
heading of the chapter after one never written); off-outline material is quoted by its first
words. The corpus tests (test_review.py) prove that every change is there; these prove where."""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache

from lxml import etree

from publisher.pipeline import build_document
from publisher.render import RenderOptions, render
from tests.render.corpus import ROOT
from tests.render.review_xml import paragraphs

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

RECORD = """回调数据记录
==============================
接收时间: 2025-11-21 19:18:36
主题: 城市雨水管理
UUID: review-places

大纲:
# 城市雨水管理综述
## 1 引言
## 2 低影响开发
## 3 监测方法
## 4 结论

内容:
好的，以下是“1 引言”一章的内容：

# 城市雨水管理综述

## 1 引言

城市化使不透水面积迅速增加，径流峰值显著提高[1]。
如需进一步修改，请告诉我。

海绵城市建设为雨水就地消纳提供了新思路[2]。

## 4 结论

低影响开发设施能够削减径流总量并改善水质[3]。

## 2 低影响开发

生物滞留池与透水铺装是最常见的低影响开发设施[3]。研究表明其对总悬浮物的去除率可达80%以上[4]。

## 2 低影响开发

生物滞留池与透水铺装是最常见的低影响开发设施[3]。

# 参考文献:
[1] 城市化对径流的影响. 2019.
[2] 海绵城市建设技术指南. 2015.
[3] 低影响开发设施效果评估. 2021.
[4] 生物滞留池污染物去除. 2020.

对话结束
"""


def squeeze(text: str) -> str:
    return re.sub(r"[\s\u2060]+", "", text)


def anchors(docx: bytes) -> list[tuple[str, str]]:
    """(rule named in the comment, text of the paragraph its range starts in), in document order."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        notes = etree.fromstring(z.read("word/comments.xml"))
    rule_of = {c.get(f"{{{W}}}id"): "".join(c.xpath(".//w:t/text()", namespaces=NS)).split(" · ")[1]
               for c in notes.iter(f"{{{W}}}comment")}
    found = []
    for p in body.iter(f"{{{W}}}p"):
        text = "".join(p.xpath(".//w:t/text() | .//w:delText/text()", namespaces=NS))
        found += [(rule_of[i], squeeze(text)) for i in p.xpath(".//w:commentRangeStart/@w:id", namespaces=NS)]
    return found


@cache
def review() -> bytes:
    doc = build_document(RECORD, name="places.txt")
    assert {m.rule for m in doc.report} >= {"assistant-chatter", "chapter-order", "duplicate-chapter",
                                            "missing-chapter"}
    data = render(doc, "docx", RenderOptions(review=True)).value
    assert isinstance(data, bytes)
    return data


def test_deletions_stand_where_the_text_was() -> None:
    rejected = [squeeze(p) for p in paragraphs(review(), "reject")]
    chatter = rejected.index("如需进一步修改，请告诉我。")
    assert rejected[chatter - 1].startswith("城市化使不透水面积迅速增加")
    assert rejected[chatter + 1].startswith("海绵城市建设为雨水就地消纳")
    opening = rejected.index("好的，以下是“1引言”一章的内容：")
    assert rejected[opening + 1] == "1引言"


def test_comments_are_anchored_where_their_change_acts() -> None:
    placed = dict(reversed(anchors(review())))  # the first anchor of each rule
    assert placed["duplicate-chapter"] == "2低影响开发"  # the copy that was kept
    assert placed["chapter-order"] == "3结论"  # the chapter moved into outline order
    assert placed["missing-chapter"] == "3结论"  # the chapter after 监测方法, never written
    assert placed["assistant-chatter"].startswith("好的")


def test_off_outline_comments_quote_the_first_words_of_what_was_dropped() -> None:
    doc = build_document(ROOT / "samples/000_0a9243bf99b5b6c4.txt")
    data = render(doc, "docx", RenderOptions(review=True)).value
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        notes = etree.fromstring(z.read("word/comments.xml"))
    texts = [squeeze("".join(c.xpath(".//w:t/text()", namespaces=NS))) for c in notes.iter(f"{{{W}}}comment")]
    dropped = [m for m in doc.report if m.rule == "off-outline" and m.removed]
    assert dropped
    for m in dropped:
        first_words = squeeze(m.removed or "")[:20]
        assert any("off-outline" in t and first_words in t for t in texts), first_words
