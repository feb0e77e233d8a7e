"""assistant-chatter beyond the generic rule cases: the middle band kept with a warning, the
near-misses that get no report line at all, the whole removed text in the report, and the
author sentence that shares a line or a paragraph with chatter (issue 12 item 7)."""

from __future__ import annotations

import json
import re

import pytest

from publisher.api import render
from publisher.clean.chatter import strip_chatter, unsure_chatter
from publisher.clean.chatter_features import CONTENT, PATTERNS, PLACE, WORDING, Sentence, score
from publisher.model import SCHEMA_VERSION, Document, Paragraph, inline_text, iter_blocks
from publisher.pipeline import build_document
from publisher.schema import document_from_dict
from publisher.source import SourceLine
from tests.casefile import Case, cases_in
from tests.hardening.cost import assert_linear
from tests.hardening.test_regex_cost import PREFIXES, UNITS, N

CASES = cases_in("clean", "assistant-chatter.txt")
UNSURE = [c for c in CASES if c.name.startswith("UNSURE")]
NEGATIVE = [c for c in CASES if c.name.startswith("NEGATIVE")]


def lines_of(text: str) -> list[SourceLine]:
    return [SourceLine(i + 1, t) for i, t in enumerate(text.split("\n"))]


def test_the_fixture_has_many_variants_and_near_misses() -> None:
    assert len(CASES) >= 60 and len(NEGATIVE) >= 12 and len(UNSURE) >= 2


@pytest.mark.parametrize("case", UNSURE, ids=str)
def test_middle_band_is_kept_and_reported_as_a_warning(case: Case) -> None:
    lines = lines_of(case.text("input"))
    kept, removed = strip_chatter(lines)
    assert [ln.text for ln in kept] == [ln.text for ln in lines] and not removed
    warnings = unsure_chatter(kept)
    assert warnings and all(m.severity == "warning" and m.rule == "assistant-chatter" for m in warnings)
    assert all("kept" in m.message for m in warnings)


@pytest.mark.parametrize("case", NEGATIVE, ids=str)
def test_near_misses_get_no_report_line(case: Case) -> None:
    assert unsure_chatter(lines_of(case.text("input"))) == []


def test_every_feature_is_named_weighted_and_documented() -> None:
    names = [f.name for f in WORDING + PLACE + CONTENT]
    assert len(names) == len(set(names))
    assert all(f.weight > 0 and len(f.doc) > 20 for f in WORDING + PLACE + CONTENT)


@pytest.mark.parametrize(("text", "verdict"), [
    ("如需进一步修改，请告诉我。", "remove"),
    ("Let me know if you would like me to expand any subsection.", "remove"),
    ("以下从数据、模型与评估三个方面展开讨论。", "keep"),
    ("你必须佩戴安全帽并系好安全带。", "keep"),
    ("模型应回答“抱歉，我无法提供这类信息”。", "keep"),
    ("如需了解各模型的超参数设置，可告诉我，我将补充相应表格[^3]。", "unsure"),  # it cites: never removed
])
def test_verdicts(text: str, verdict: str) -> None:
    s = score(Sentence(text, alone=True, edge=True))
    assert ("remove" if s.remove else "unsure" if s.unsure else "keep") == verdict


def test_place_alone_never_makes_chatter() -> None:
    """A sentence with nothing chatter-like in its wording scores nothing for where it stands."""
    s = score(Sentence("（注：样品均在4 ℃下保存。）", alone=True, edge=True))
    assert s.total <= 1 and not s.unsure


def test_the_report_keeps_the_whole_removed_sentence() -> None:
    long = ("如果您希望我把这一章扩展到三千字左右，或者补充国内外监管政策、行业标准与典型事故案例的背景分析，"
            "我可以在下一轮回答中继续完善并调整各小节的篇幅与结构。")
    kept, messages = strip_chatter(lines_of(f"作业许可制度是受限空间安全管理的核心[1]。\n{long}"))
    assert [ln.text for ln in kept] == ["作业许可制度是受限空间安全管理的核心[1]。"]
    (m,) = messages
    assert m.removed == long and len(m.excerpt) <= 80 and (m.line, m.end_line) == (2, 2)


# --------------------------------------------------------------------------- whole records
def _record(content: str, outline: str = "# 标题\n## 1 引言\n## 2 方法\n") -> str:
    return (f"回调数据记录\n==============================\n主题: 测试\nUUID: u1\n\n大纲:\n{outline}\n内容:\n{content}\n\n"
            "# 参考文献:\n[1] 甲. 2024.\n[2] 乙. 2023.\n\n对话结束\n")


def _paragraphs(doc: Document) -> list[str]:
    return [inline_text(b.inlines) for blocks in doc.block_lists() for b in iter_blocks(blocks)
            if isinstance(b, Paragraph)]


def test_chatter_line_under_an_author_line_takes_only_itself() -> None:
    """Issue 12 item 7: no blank line between the author's sentence and the chatter."""
    doc = build_document(_record("## 1 引言\n\n人工智能生成内容技术近年来发展迅速[1]。\n如需进一步修改，请告诉我。\n\n"
                                 "## 2 方法\n\n方法句[2]。\n"), name="r.txt")
    assert _paragraphs(doc)[0] == "人工智能生成内容技术近年来发展迅速。"
    gone = [m for m in doc.report if m.rule == "assistant-chatter"]
    assert [m.removed for m in gone] == ["如需进一步修改，请告诉我。"]


def test_certainly_before_an_author_sentence_keeps_the_sentence() -> None:
    doc = build_document(_record("## 1 Introduction\n\nCertainly! Lithium plating accelerates capacity fade [1].\n\n"
                                 "## 2 Methods\n\nImpedance spectra were fitted [2].\n",
                                 "# Title\n## 1 Introduction\n## 2 Methods\n"), name="r.txt")
    assert _paragraphs(doc)[0].startswith("Lithium plating accelerates capacity fade")
    assert [m.removed for m in doc.report if m.rule == "assistant-chatter"] == ["Certainly!"]


def test_the_json_report_carries_the_whole_removed_text() -> None:
    chatter = ("Let me know if you would like me to expand the impedance part, add a comparison with Coulomb counting, "
               "or shorten the whole chapter for a conference version.")
    doc = build_document(_record(f"## 1 Introduction\n\nCapacity fade is nonlinear [1].\n{chatter}\n\n"
                                 "## 2 Methods\n\nImpedance spectra were fitted [2].\n",
                                 "# Title\n## 1 Introduction\n## 2 Methods\n"), name="r.txt")
    report = json.loads(render(doc, "json").value)["report"]
    (item,) = [m for m in report if m["rule"] == "assistant-chatter"]
    assert item["removed"] == chatter and item["excerpt"].endswith("…")


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:40])
def test_feature_patterns_are_linear_on_hostile_strings(pattern: re.Pattern[str]) -> None:
    """The feature patterns live in closures, out of sight of tests/hardening/test_regex_cost.py."""
    for prefix in PREFIXES + ["如需", "以下是", "本章", "我", "here is ", "i "]:
        for unit in UNITS + ["您", "1", "字", "请", "you "]:
            def make(size: int, prefix: str = prefix, unit: str = unit):
                text = prefix + unit * (size // len(unit)) + "\x01"
                return lambda: (pattern.search(text), pattern.findall(text))

            assert_linear(make, N, f"{pattern.pattern[:60]} on {prefix!r} + {unit!r}*n", floor=0.002, repeat=1)


def test_a_version_1_0_document_without_removed_still_loads() -> None:
    """Drafts stored before the field existed (schema 1.0) load with `removed` null."""
    doc = build_document(_record("## 1 引言\n\n引言句[1]。\n如需修改，请告诉我。\n\n## 2 方法\n\n方法句[2]。\n"), name="r.txt")
    data = json.loads(render(doc, "json").value)
    data["schema"] = "1.0"
    for m in data["report"]:
        del m["removed"]
    again = document_from_dict(data)
    assert again.schema == SCHEMA_VERSION and all(m.removed is None for m in again.report)
