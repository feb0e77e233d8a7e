"""Table repair and placeholders, reference-entry cleaning and duplicate detection,
against the fixture files in tests/fixtures/tables and tests/fixtures/references."""

from __future__ import annotations

import json

import pytest

from publisher.assemble.blocks import table_block
from publisher.cite.references import clean_entry, parse_supplied
from publisher.markdown.pipe_tables import parse_table
from publisher.model import Message
from publisher.pipeline import build_document
from publisher.source import SourceLine
from publisher.tables.captions import is_placeholder
from tests.casefile import Case, cases_in
from tests.core.test_assemble import record, texts

BROKEN = cases_in("tables", "broken.txt")
PLACEHOLDERS = cases_in("tables", "placeholders.txt")
ENTRIES = cases_in("references", "entries.txt")
DUPLICATES = cases_in("references", "duplicates.txt")


def lines_of(case: Case) -> list[SourceLine]:
    return [SourceLine(i + 1, t) for i, t in enumerate(case.text("input").strip("\n").split("\n"))]


def test_fixture_files_have_many_cases() -> None:
    assert len(BROKEN) >= 10 and len(PLACEHOLDERS) >= 10 and len(ENTRIES) >= 15 and len(DUPLICATES) >= 8


@pytest.mark.parametrize("case", BROKEN, ids=[str(c) for c in BROKEN])
def test_table_repair(case: Case) -> None:
    want = json.loads(case.text("expect"))
    table, messages = parse_table(lines_of(case))
    assert table.header == want["header"]
    assert table.rows == want["rows"]
    assert bool(messages) == want["repaired"]


@pytest.mark.parametrize("case", PLACEHOLDERS, ids=[str(c) for c in PLACEHOLDERS])
def test_placeholder_tables(case: Case) -> None:
    want = json.loads(case.text("expect"))
    table = table_block(parse_table(lines_of(case))[0])
    assert is_placeholder(table) == want["placeholder"]


@pytest.mark.parametrize("case", ENTRIES, ids=[str(c) for c in ENTRIES])
def test_reference_entry_cleaning(case: Case) -> None:
    want = json.loads(case.text("expect"))
    entries = parse_supplied(lines_of(case)).value
    assert len(entries) == 1
    entry = next(iter(entries.values()))
    assert (entry.title, entry.date, entry.text) == (want["title"], want["date"], want["text"])


@pytest.mark.parametrize("case", DUPLICATES, ids=[str(c) for c in DUPLICATES])
def test_duplicate_sources_merge(case: Case) -> None:
    entries = parse_supplied(lines_of(case)).value
    groups: dict[str, list[int]] = {}
    for n, e in sorted(entries.items()):
        groups.setdefault(e.key, []).append(n)
    got = sorted(" ".join(map(str, g)) for g in groups.values() if len(g) > 1)
    lines = [ln.strip() for ln in case.sections["merge"] if ln.strip()]
    want = [] if lines == ["NONE"] else sorted(lines)
    assert got == want


def test_nothing_is_invented_for_an_entry_without_a_year() -> None:
    e = clean_entry(16, "下一代人工智能领域优先探索深度学习、脑机接口、图像识别等场景.")
    assert e.date is None and e.text == "下一代人工智能领域优先探索深度学习、脑机接口、图像识别等场景."


# --------------------------------------------------------------------------- a placeholder's lead-in
HEADER_ONLY = "表X 各地试验结果（待填）\n\n| 地点 | 处理 | 减排幅度 |\n|---|---|---|"
REAL = "表X 两种灌溉方式的比较\n\n| 指标 | 淹灌 | 干湿交替 |\n|---|---|---|\n| 排放 | 226 | 118 |"


def _published(lead: str, table: str = HEADER_ONLY) -> tuple[str, list[Message]]:
    content = f"### 1 引言\n\n引言句[^1]。\n\n### 2 方法\n\n{lead}\n\n{table}\n\n### 3 结论\n\n结论句[^2]。\n"
    doc = build_document(record("# 测试标题\n## 1. 引言\n## 2. 方法\n## 3. 结论\n", content), name="t.txt")
    return texts(doc), [m for m in doc.report if m.rule == "placeholder-table"]


@pytest.mark.parametrize(("lead", "kept", "gone"), [
    ("中期烤田同样具有明显的减排作用[^3]。各地田间试验的结果见下表。", "中期烤田同样具有明显的减排作用", "见下表"),
    ("干湿交替灌溉可降低排放[^3]。主要试验结果如下：", "干湿交替灌溉可降低排放", "结果如下"),
    ("Drainage lowers emissions by 3.5 t per ha [^3]. Field results are summarised in the table below.",
     "Drainage lowers emissions by 3.5 t per ha", "table below"),
    ("Drainage lowers emissions [^3]. The trials compared three regimes, as follows:", "Drainage lowers emissions",
     "as follows"),
], ids=["zh-see-below", "zh-colon", "en-table-below", "en-as-follows"])
def test_a_placeholder_table_takes_the_sentence_that_points_at_it_without_a_number(
        lead: str, kept: str, gone: str) -> None:
    """Issue 11 set 4/10: '各地田间试验的结果见下表。' introduces a placeholder table: both go,
    each reported; the sentences before it in the paragraph stay."""
    text, report = _published(lead)
    assert kept in text and gone not in text and "各地试验结果" not in text
    assert len(report) == 2 and any(gone in m.excerpt for m in report)


@pytest.mark.parametrize(("lead", "table"), [
    ("下表汇总了两种灌溉方式的排放。", REAL),
    ("中期烤田同样具有明显的减排作用[^3]。", HEADER_ONLY),
    ("The mechanisms are discussed in Section 3 [^3].", HEADER_ONLY),
], ids=["real-table-keeps-its-lead-in", "no-pointer", "en-no-pointer"])
def test_a_sentence_that_does_not_introduce_a_dropped_table_stays(lead: str, table: str) -> None:
    text, report = _published(lead, table)
    assert lead.split("[")[0].strip().rstrip("。.") in text
    assert not any(m.message.startswith("sentence introducing") for m in report)
