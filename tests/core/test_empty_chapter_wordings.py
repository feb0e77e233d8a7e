"""Chapters never written, in wordings and wrappers set 5 brought (issue 11): a placeholder in a
blockquote, a placeholder waiting for the author's data, a refusal that says it will not
provide the text; and the author's chapters that look alike and must stay."""

from __future__ import annotations

import pytest

from publisher.pipeline import build_document
from tests.core.test_assemble import record, texts

OUTLINE = "# 测试标题\n## 1. 引言\n## 2. 方法\n## 3. 结论\n"
INTRO = "### 1 引言\n\n引言句[^1]。\n\n<think>\n</think>\n\n"
END = "\n\n<think>\n</think>\n\n### 3 结论\n\n结论句[^2]。\n"


@pytest.mark.parametrize("body", [
    "> 待作者补充田间数据后撰写。",
    "（待笔者提供实测资料后补写本节）",
    "I'm unable to write this section. Describing ways to reduce refusals could help people bypass safety "
    "systems, so I will not provide it.",
    "这一部分我不会为您撰写。",
], ids=["quoted-placeholder", "waits-for-author", "refusal-will-not", "zh-refusal-will-not"])
def test_a_chapter_without_real_content_is_left_out_and_reported(body: str) -> None:
    doc = build_document(record(OUTLINE, f"{INTRO}### 2 方法\n\n{body}{END}"), name="t.txt")
    assert [s.title for s in doc.sections] == ["引言", "结论"]
    assert any(m.severity == "warning" and "方法" in m.message for m in doc.report)


@pytest.mark.parametrize(("body", "kept"), [
    ("> 《城市通风廊道规划技术指南》要求主通风廊道宽度不小于50米。", "主通风廊道宽度不小于50米"),
    ("该参数仍有待作者补充长期观测后确认。", "有待作者补充长期观测"),
    ('Asked to help, one model replied: "I will not provide it." Such refusals erode trust [3].', "erode trust"),
    ("In this review I will not discuss proprietary systems, whose internals are unpublished.", "proprietary systems"),
], ids=["quoted-standard", "work-left-to-authors", "quoted-refusal", "scope-statement"])
def test_a_chapter_that_only_looks_unwritten_is_kept(body: str, kept: str) -> None:
    doc = build_document(record(OUTLINE, f"{INTRO}### 2 方法\n\n{body}{END}"), name="t.txt")
    assert [s.title for s in doc.sections] == ["引言", "方法", "结论"]
    assert kept in texts(doc)
