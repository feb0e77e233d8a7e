"""Report messages made from catalogue ids (issue 17): said/said_n, the place of each line
(chapter and paragraph), the report in the document's language with the English beside it,
and the JSON that carries all of it (schema 1.3; 1.2 still loads)."""

from __future__ import annotations

import json

from publisher.clean.chatter_words import FEATURE_WORDS
from publisher.model import Document, Message
from publisher.pipeline import build_document
from publisher.result import localised, localised_message, localised_report, message_at, said, said_n
from publisher.schema import document_from_dict
from tests.core.test_assemble import OUTLINE, record


def test_said_fills_its_fields_numbers_for_the_locale() -> None:
    s = said("sentence repeated {times} times; {copies} copies removed", times=1234, copies=1233)
    assert str(s) == "sentence repeated 1,234 times; 1,233 copies removed"
    assert s.say("zh") == "一句话重复了 1,234 次；删除了 1,233 处重复"


def test_said_n_chooses_the_plural_form_of_each_language() -> None:
    def one_or_many(n: int) -> tuple[str, str]:
        s = said_n("reference list written by the model removed ({n} entry)",
                   "reference list written by the model removed ({n} entries)", n)
        return s.say("en"), s.say("zh")

    assert one_or_many(1) == ("reference list written by the model removed (1 entry)", "删除了模型自行编写的参考文献列表（1 条）")
    assert one_or_many(4) == ("reference list written by the model removed (4 entries)", "删除了模型自行编写的参考文献列表（4 条）")


def test_terms_are_translated_and_joined_as_a_list_of_the_language() -> None:
    why = [FEATURE_WORDS["offers-more"], FEATURE_WORDS["wishes-well"], FEATURE_WORDS["alone-on-line"]]
    s = said("a remark from the assistant, not part of the article, removed ({why})", why=why)
    assert str(s).endswith("(offers more help, wishes the reader well, and stands alone on its line)")
    assert s.say("zh").endswith("（主动提出进一步帮助、客套祝愿和独占一行）")


def _msg(**place: object) -> Message:
    return message_at("truncated-ending", "warning", 24, 24, "停在了",
                      said("the chapter stops in the middle of a sentence; the unfinished sentence “{text}” was cut",
                           text="这一句写到一半就停在了"), **place)  # type: ignore[arg-type]


def test_a_message_at_a_place_says_the_chapter_and_paragraph_first() -> None:
    m = _msg(chapter="3", chapter_title="结论", paragraph=2)
    assert localised(m, "zh") == "第 3 章“结论”第 2 段处：本章在一句话中间中断；未写完的句子“这一句写到一半就停在了”已删去"
    assert localised(m, "en").startswith("Chapter 3 “结论”, paragraph 2: the chapter stops in the middle")
    assert localised(_msg(chapter="3", chapter_title="结论"), "zh").startswith("第 3 章“结论”：本章")
    assert localised(_msg(), "zh").startswith("本章在一句话中间中断")  # no place: the message alone


def test_a_message_without_an_id_is_shown_as_it_was_stored() -> None:
    m = message_at("x-rule", "info", None, None, "", "written by hand")
    assert m.msgid is None and localised(m, "zh") == "written by hand"
    stored = Message("x-rule", "info", None, None, "", "已删除", message_en="removed")  # a document from elsewhere
    assert (localised(stored, "zh"), localised(stored, "en")) == ("已删除", "removed")


def test_the_english_stands_beside_a_message_only_when_it_differs() -> None:
    m = _msg(chapter="3", chapter_title="结论", paragraph=2)
    zh = localised_message(m, "zh")
    assert zh.message.startswith("第 3 章") and zh.message_en is not None and zh.message_en.startswith("Chapter 3")
    en = localised_message(m, "en")
    assert en.message.startswith("Chapter 3") and en.message_en is None


CONTENT = ("## 1 引言\n\n引言句[^1]。\n\n以下是第二章的完整内容：\n\n## 2 研究背景与现状\n\n背景第一段[^3]。\n\n"
           "背景第二段写得很完整[^2]。这一句写到一半就停在了")


def test_the_pipeline_places_each_change_in_its_chapter_and_paragraph() -> None:
    doc = build_document(record(OUTLINE, CONTENT), name="t.txt")
    by_rule = {m.rule: m for m in doc.report}
    cut = by_rule["truncated-ending"]
    assert (cut.chapter, cut.chapter_title, cut.paragraph) == ("2", "研究背景与现状", 2)
    assert cut.message == "第 2 章“研究背景与现状”第 2 段处：本章在一句话中间中断；未写完的句子“这一句写到一半就停在了”已删去"
    assert cut.message_en is not None and "the unfinished sentence “这一句写到一半就停在了” was cut" in cut.message_en
    chatter = by_rule["assistant-chatter"]  # its own line after chapter 1's first paragraph
    assert (chatter.chapter, chatter.paragraph) == ("1", 1)
    missing = by_rule["missing-chapter"]  # about a whole chapter, from the outline: no place
    assert missing.chapter is None and missing.message == "大纲中的“结论”一章从未生成，已略去"


def test_text_left_out_of_every_chapter_is_placed_in_none() -> None:
    content = CONTENT.replace("## 2 研究背景", "## 无关的综述\n\n无关的正文一段[^1]。\n\n希望以上内容对您有帮助！\n\n## 2 研究背景")
    doc = build_document(record(OUTLINE, content), name="t.txt")
    off = [m for m in doc.report if m.rule == "off-outline"]
    assert off and off[0].chapter is None
    inside = [m for m in doc.report if m.line and off[0].line <= m.line <= (off[0].end_line or 0)]
    assert inside and all(m.chapter is None for m in inside)  # not said to be in chapter 1, which stops before


def test_a_summary_over_several_chapters_is_placed_in_none() -> None:
    sep = "\n\n<think>\n</think>\n\n"
    content = sep.join(["## 1 引言\n\n引言句[^1]。", "## 2 研究背景与现状\n\n背景句[^2]。", "## 3 结论\n\n结论句[^3]。"])
    doc = build_document(record(OUTLINE, content), name="t.txt")
    (pairs,) = [m for m in doc.report if m.rule == "reasoning-tags"]
    assert pairs.message.startswith("删除了各段生成之间的 2 对空推理标签") and pairs.chapter is None


def test_an_english_record_speaks_english_only() -> None:
    outline = "# Title\n## 1. Introduction\n## 2. Background\n"
    content = ("## 1 Introduction\n\nThe first paragraph cites a source [^1].\n\n## 2 Background\n\n"
               "A complete sentence here [^2]. And this one stops in the middle of")
    doc = build_document(record(outline, content, "[1] A. 2024.\n[2] B. 2023."), name="t.txt")
    cut = next(m for m in doc.report if m.rule == "truncated-ending")
    assert cut.message.startswith("Chapter 2 “Background”, paragraph 1: the chapter stops")
    assert cut.message_en is None
    assert localised_report(doc, "zh")[doc.report.index(cut)].message.startswith("第 2 章“Background”第 1 段处：")


def test_the_json_carries_the_rule_the_message_and_its_english_and_loads_back() -> None:
    doc = build_document(record(OUTLINE, CONTENT), name="t.txt")
    data = json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))
    assert data["schema"] == "1.3"
    cut = next(m for m in data["report"] if m["rule"] == "truncated-ending")
    assert cut["message"].startswith("第 2 章") and cut["message_en"].startswith("Chapter 2")
    assert cut["args"] == [{"name": "text", "text": "这一句写到一半就停在了"}]
    back = document_from_dict(data)
    assert back.report == doc.report
    assert localised_report(back, "en")[0].message == localised(doc.report[0], "en")


def test_a_1_2_document_still_loads() -> None:
    doc = build_document(record(OUTLINE, CONTENT), name="t.txt")
    data = doc.to_dict()
    data["schema"] = "1.2"
    for m in data["report"]:
        for key in ("message_en", "msgid", "msgid_plural", "args", "chapter", "chapter_title", "paragraph"):
            m.pop(key, None)
    back: Document = document_from_dict(data)
    assert back.schema == "1.3" and back.report[0].msgid is None
    assert localised(back.report[0], "en") == back.report[0].message  # shown as stored


def test_every_feature_that_tells_chatter_has_words_for_the_report() -> None:
    """A new chatter feature must say in the report, in words, why a remark went (issue 17):
    without an entry its code name would reach the author untranslated."""
    from publisher.clean.chatter_features import WORDING

    content = {"authorial-we", "figures", "long", "technical-terms"}  # they speak against chatter
    missing = {f.name for f in WORDING} - set(FEATURE_WORDS) - content
    assert not missing, f"no report words for {sorted(missing)} in publisher/clean/chatter_words.py"
