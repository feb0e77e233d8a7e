"""Table repair and placeholders, reference-entry cleaning and duplicate detection,
against the fixture files in tests/fixtures/tables and tests/fixtures/references."""

from __future__ import annotations

import json

import pytest

from publisher.assemble.blocks import table_block
from publisher.cite.references import clean_entry, parse_supplied
from publisher.markdown.pipe_tables import parse_table
from publisher.source import SourceLine
from publisher.tables.captions import is_placeholder
from tests.casefile import Case, cases_in

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
