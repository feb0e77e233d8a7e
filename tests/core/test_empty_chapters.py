"""A chapter with no real content is a chapter never written (issue 11 item 4): whole records
built inline, published as a user would, with and without --draft."""

from __future__ import annotations

import pytest

from publisher.model import Document, inline_text
from publisher.pipeline import BuildOptions, build_document
from tests.core.test_assemble import record, texts

OUTLINE = "# 测试标题\n## 1. 引言\n## 2. 方法\n## 3. 结论\n"
INTRO = "### 1 引言\n\n引言句[^1]。\n\n<think>\n</think>\n\n"
END = "\n\n<think>\n</think>\n\n### 3 结论\n\n结论句[^2]。\n"


def _titles(doc: Document) -> list[str]:
    return [s.title for s in doc.sections]


def _warned(doc: Document, title: str) -> bool:
    return any(m.severity == "warning" and title in m.message for m in doc.report)


@pytest.mark.parametrize("body", [
    "（本章内容待补充）",
    "此处内容待完善。",
    "TBD",
    "To be completed.",
    "#### 2.1 甲\n\n#### 2.2 乙",
    "很抱歉，我无法就这一部分给出可靠的综述，建议您查阅原始论文后自行补充。",
    "抱歉，由于缺少资料，我不便对这一章节展开论述。",
    "好的，接下来我将为您撰写这一章，请稍候。",
    "如需补充本章内容，请告诉我。\n\n---",
    "<|im_end|>",
    "",
    "_Section pending — to be filled in later._",
    "*Content forthcoming.*",
    "此节待撰写",
    "【本节内容待后续补写】",
    "This part of the review will be written once you send the remaining sources. In the meantime, let me know "
    "whether you want it to cover privacy law in detail or only summarise the main principles.",
    "待您提供剩余的参考资料后，我再撰写这一节。",
    "（本章正文尚未生成，此处仅保留章节标题，后续补全。）",
    "<p><em>This section intentionally left blank pending data.</em></p>",
    "下面这一节我打算先列出要点、再逐条展开。",
    "In this section I will first sketch the main points and then expand on each of them.",
], ids=["placeholder", "placeholder-2", "TBD", "to-be-completed", "headings-only", "refusal", "refusal-2",
        "chatter", "chatter-and-rule", "token-only", "nothing", "pending-in-emphasis", "forthcoming", "zh-pending",
        "zh-pending-bracket", "waiting-for-input", "zh-waiting-for-input", "zh-not-generated-heading-kept",
        "left-blank-in-html", "zh-writers-note", "writers-note"])
def test_a_chapter_without_real_content_is_left_out_and_reported(body: str) -> None:
    rec = record(OUTLINE, f"{INTRO}### 2 方法\n\n{body}{END}")
    doc = build_document(rec, name="t.txt")
    assert _titles(doc) == ["引言", "结论"]
    assert _warned(doc, "方法")
    assert "未生成" not in texts(doc)  # no placeholder label without --draft
    draft = build_document(rec, name="t.txt", options=BuildOptions(draft=True))
    assert _titles(draft) == ["引言", "方法", "结论"]
    assert "未生成" in inline_text(draft.sections[1].blocks[0].inlines)  # type: ignore[union-attr]


@pytest.mark.parametrize("body", [
    "很抱歉，我无法完成这一部分的撰写，建议您自行查阅相关文献。",
    "_Section pending — to be filled in later._",
    "This part of the review will be written once you send the remaining sources. In the meantime, let me know "
    "whether you want it to cover privacy law in detail.",
], ids=["refusal", "placeholder", "waiting-for-input"])
def test_the_decision_holds_with_the_chatter_rule_switched_off(body: str) -> None:
    rec = record(OUTLINE, f"{INTRO}### 2 方法\n\n{body}{END}")
    doc = build_document(rec, name="t.txt", options=BuildOptions(skip_rules=frozenset({"assistant-chatter"})))
    assert _titles(doc) == ["引言", "结论"] and _warned(doc, "方法")


@pytest.mark.parametrize(("body", "held"), [
    ("（本章正文尚未生成，此处仅保留章节标题，后续补全。）", "only a placeholder note"),
    ("This section intentionally left blank pending data.", "only a placeholder note"),
    ("下面这一节我打算先列出要点、再逐条展开。", "only a writer's note"),
])
def test_the_decision_holds_with_the_placeholder_and_chatter_rules_switched_off(body: str, held: str) -> None:
    rec = record(OUTLINE, f"{INTRO}### 2 方法\n\n{body}{END}")
    off = frozenset({"assistant-chatter", "placeholder"})
    doc = build_document(rec, name="t.txt", options=BuildOptions(skip_rules=off))
    assert _titles(doc) == ["引言", "结论"]
    assert any(m.rule == "empty-chapter" and held in (m.message_en or m.message) for m in doc.report)


@pytest.mark.parametrize("body", [
    "In this section I compare three cooling systems, which cut milk losses by 30% [4].",
    "下面这一节我将比较三类工艺，其中UV/H₂O₂的速率常数约为3.1×10⁹ M⁻¹·s⁻¹［9］。",
    "我国在这一领域的研究起步较晚，但发展迅速。",
    "此处的研究尚未完成大田验证，但盆栽试验中产甲烷菌活性明显受到抑制。",
], ids=["writer-i-with-citation", "zh-writer-i-with-figures", "zh-our-country", "note-word-in-content"])
def test_a_writer_speaking_of_the_topic_keeps_the_chapter(body: str) -> None:
    """Near-misses: the writer as I with citations or figures, 我国, a status word inside content."""
    rec = record(OUTLINE, f"{INTRO}### 2 方法\n\n{body}{END}")
    doc = build_document(rec, name="t.txt")
    assert _titles(doc) == ["引言", "方法", "结论"]
    assert not any(m.rule in ("empty-chapter", "placeholder") for m in doc.report)


def test_a_real_version_wins_over_an_empty_one() -> None:
    rec = record(OUTLINE, f"{INTRO}### 2 方法\n\n（待补充）\n\n<think>\n</think>\n\n### 2 方法\n\n方法句[^3]。{END}")
    doc = build_document(rec, name="t.txt")
    assert _titles(doc) == ["引言", "方法", "结论"] and "方法句" in texts(doc)
    assert not any(m.rule == "empty-chapter" for m in doc.report)


def test_a_sentence_that_may_be_chatter_keeps_its_chapter() -> None:
    """When unsure, keep: one possibly-chatter sentence is content enough (with a warning)."""
    rec = record(OUTLINE, f"{INTRO}### 2 方法\n\n本节内容主要依据检索结果中的三篇综述整理。{END}")
    doc = build_document(rec, name="t.txt")
    assert _titles(doc) == ["引言", "方法", "结论"]
    assert any(m.rule == "assistant-chatter" and m.severity == "warning" for m in doc.report)


def test_a_real_table_or_code_block_is_content() -> None:
    rec = record(OUTLINE, f"{INTRO}### 2 方法\n\n| 参数 | 取值 |\n|---|---|\n| 温度 | 25 ℃ |{END}")
    assert _titles(build_document(rec, name="t.txt")) == ["引言", "方法", "结论"]


def test_without_an_outline_an_empty_chapter_is_left_out_too() -> None:
    doc = build_document(record("", "### 1 引言\n\n引言句。\n\n### 2 方法\n\nTBD — to be completed.\n\n### 3 结论\n\n结论句。\n"),
                         name="t.txt")
    assert _titles(doc) == ["引言", "结论"] and _warned(doc, "方法")
