"""The draft page's report: plain words, grouped by what happened, every rule covered."""

from __future__ import annotations

import re
from pathlib import Path

from publisher.model import Message
from publisher.pipeline import build_document
from publisher.service.report import GROUPS, RULES, group_report, lines_label

ROOT = Path(__file__).resolve().parents[2]


def msg(rule: str, line: int | None, severity: str = "info", end: int | None = None) -> Message:
    return Message(rule, severity, line, end, "excerpt", f"{rule} message")  # type: ignore[arg-type]


def test_groups_come_in_page_order_with_rules_in_table_order() -> None:
    report = [
        msg("dropped-citation", 90),
        msg("stray-rule", 40),
        msg("missing-chapter", 12),
        msg("assistant-chatter", 30),
        msg("stray-rule", 20),
        msg("chapter-order", 50),
        msg("truncated-ending", 60, "warning"),
    ]
    groups = group_report(report)
    assert [g.key for g in groups] == ["missing", "removed", "moved", "repaired", "citations"]
    removed = groups[1]
    assert [r.rule for r in removed.rules] == ["assistant-chatter", "stray-rule"]
    assert [m.line for m in removed.rules[1].items] == [20, 40]
    assert removed.count == 3
    assert groups[3].rules[0].worst == "warning"


def test_an_unknown_rule_still_shows_under_other_changes() -> None:
    groups = group_report([msg("brand-new-rule", None)])
    assert [(g.key, g.heading) for g in groups] == [("other", GROUPS["other"])]
    assert groups[0].rules[0].explanation == "Brand new rule"


def test_no_messages_no_groups() -> None:
    assert group_report([]) == []


def test_lines_label() -> None:
    assert lines_label(msg("x", None)) == ""
    assert lines_label(msg("x", 7)) == "line 7"
    assert lines_label(msg("x", 7, end=7)) == "line 7"
    assert lines_label(msg("x", 7, end=12)) == "lines 7–12"


def test_every_rule_the_pipeline_emits_has_plain_words() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "publisher").rglob("*.py")
                       if "service" not in p.parts)
    emitted = set(re.findall(r'RULE = "([a-z-]+)"', source))
    emitted |= set(re.findall(r'Message\(\s*"([a-z-]+)"', source))
    emitted |= {m.rule for s in sorted((ROOT / "samples").glob("*.txt")) for m in build_document(s).report}
    assert emitted, "found no rule names: the scan is broken"
    assert emitted <= set(RULES), f"rules without plain words in publisher/service/report.py: {emitted - set(RULES)}"


def test_the_groups_speak_the_readers_language() -> None:
    report = [msg("missing-chapter", 12), msg("truncated-ending", 60, "warning"), msg("x-new-rule", 70)]
    zh = group_report(report, "zh")
    assert [g.heading for g in zh] == ["正文中缺失的章节", "已修复", "其他改动"]
    assert zh[0].rules[0].explanation == "大纲中有但从未生成；未收入文章"
    assert zh[-1].rules[0].explanation == "X new rule"  # a rule without words keeps its code's
    en = group_report(report, "en")
    assert [g.heading for g in en] == ["Chapters missing from the text", "Repaired", "Other changes"]
    assert zh[0].rules[0].items[0] is report[0]  # the report's own objects: a page may key on them


def test_every_group_and_explanation_has_its_chinese() -> None:
    for key in GROUPS:
        assert re.search(r"[\u4e00-\u9fff]", group_report([msg(next(r for r, (g, _) in RULES.items() if g == key)
                                                                if key != "other" else "encoding", 1)], "zh")[0].heading)
    for rule in RULES:
        assert re.search(r"[\u4e00-\u9fff]", group_report([msg(rule, 1)], "zh")[0].rules[0].explanation), rule


def test_the_items_are_said_in_the_groups_language_with_their_place() -> None:
    doc = build_document(ROOT / "samples" / "000_0a9243bf99b5b6c4.txt")
    placed = next(m for m in doc.report if m.chapter is not None and m.paragraph is not None)
    for lang, start in (("zh", f"第 {placed.chapter} 章“{placed.chapter_title}”第 {placed.paragraph} 段处："),
                        ("en", f"Chapter {placed.chapter} “{placed.chapter_title}”, paragraph {placed.paragraph}: ")):
        group = next(g for g in group_report(doc.report, lang) for r in g.rules if placed in r.items)  # type: ignore[arg-type]
        rule = next(r for r in group.rules if placed in r.items)
        assert rule.said(placed).startswith(start)


def test_lines_label_in_chinese() -> None:
    assert lines_label(msg("stray-rule", 12), "zh") == "第 12 行"
    assert lines_label(msg("stray-rule", 12, end=40), "zh") == "第 12–40 行"
    assert lines_label(msg("stray-rule", None), "zh") == ""
