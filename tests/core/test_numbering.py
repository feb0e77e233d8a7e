"""Numbering and normalisation families against their fixture files: heading number prefixes,
caption lines, table pointers, captions attached above or below and pointers renumbered,
keywords split on the list's separator, outline/content title matching."""

from __future__ import annotations

import re

import pytest

from publisher.assemble.blocks import parse_blocks
from publisher.assemble.outline import MATCH_THRESHOLD, similarity, split_keywords
from publisher.markdown.lexer import heading
from publisher.markdown.numbering import (
    TABLE_REF_RE,
    is_caption_line,
    numbering_label,
    parse_caption,
    ref_numbers,
    strip_numbering,
)
from publisher.model import Document, Paragraph, Section, Table, inline_text
from publisher.source import SourceLine
from publisher.tables import resolve_tables
from tests.casefile import Case, cases_in

PREFIXES = cases_in("numbering", "prefixes.txt")
CAPTIONS = cases_in("numbering", "captions.txt")
POINTERS = cases_in("numbering", "pointers.txt")
KEYWORDS = cases_in("normalisation", "keywords.txt")
TITLES = cases_in("normalisation", "titles.txt")
TABLES = cases_in("tables", "captions.txt")


def lines(case: Case, section: str = "input") -> list[str]:
    return [t for t in case.sections.get(section, []) if t.strip()]


def test_fixture_files_have_many_cases_and_near_misses() -> None:
    for cases in (PREFIXES, CAPTIONS, POINTERS, KEYWORDS, TITLES, TABLES):
        assert len(cases) >= 3
        assert any(c.name.startswith("NEGATIVE") for c in cases)
    assert sum(len(lines(c)) for c in PREFIXES) >= 60


@pytest.mark.parametrize("case", PREFIXES, ids=str)
def test_numbering_prefix(case: Case) -> None:
    assert [strip_numbering(t) for t in lines(case)] == lines(case, "expect")


@pytest.mark.parametrize("case", CAPTIONS, ids=str)
def test_caption_line(case: Case) -> None:
    got = []
    for text in lines(case):
        c = parse_caption(text)
        got.append(f"{c.label} | {c.title}".strip() if c and is_caption_line(text) else "NONE")
    assert got == [t.strip() for t in lines(case, "expect")]


@pytest.mark.parametrize("case", POINTERS, ids=str)
def test_table_pointer(case: Case) -> None:
    got = []
    for text in lines(case):
        found = [f"{m.group(0)} | {' '.join(ref_numbers(m))}" for m in TABLE_REF_RE.finditer(text)]
        got.extend(found or ["NONE"])
    assert got == lines(case, "expect")


@pytest.mark.parametrize("case", KEYWORDS, ids=str)
def test_keywords_split_on_the_lists_separator(case: Case) -> None:
    assert split_keywords(case.text("input").strip()) == lines(case, "expect")


@pytest.mark.parametrize("case", TITLES, ids=str)
def test_outline_and_content_titles_match_as_the_same_text(case: Case) -> None:
    outline, content = (heading(t)[1] for t in lines(case))  # type: ignore[index]
    got = "MATCH" if similarity(outline, content) >= MATCH_THRESHOLD else "NO MATCH"
    assert got == case.text("expect").strip()


def _published(case: Case) -> tuple[list[str], Document, Document]:
    source = [SourceLine(i + 1, t) for i, t in enumerate(case.sections["input"])]
    blocks, _ = parse_blocks(source)
    language = "zh" if re.search(r"[\u4e00-\u9fff]", case.text("input")) else "en"
    given = Document("t", language, sections=[Section("1", "章", 1, blocks)])  # type: ignore[arg-type]
    doc = resolve_tables(given).value
    out = []
    for b in doc.sections[0].blocks:
        if isinstance(b, Table):
            out.append(f"TABLE {b.number}: {b.caption} | {len(b.rows)} rows")
        elif isinstance(b, Paragraph):
            out.append(inline_text(b.inlines))
    return out, given, doc


@pytest.mark.parametrize("case", TABLES, ids=str)
def test_captions_attach_and_pointers_renumber(case: Case) -> None:
    out, _, _ = _published(case)
    assert [re.sub(r"\s+$", "", t) for t in out] == [re.sub(r"\s+$", "", t) for t in lines(case, "expect")]


@pytest.mark.parametrize("case", TABLES, ids=str)
def test_the_tables_stage_leaves_its_input_as_it_was(case: Case) -> None:
    source = [SourceLine(i + 1, t) for i, t in enumerate(case.sections["input"])]
    blocks, _ = parse_blocks(source)
    given = Document("t", "zh", sections=[Section("1", "章", 1, blocks)])
    before = given.to_dict()
    resolve_tables(given)
    assert given.to_dict() == before


def test_numbering_label_reads_every_style() -> None:
    labels = {"3. 方法": "3", "第三章 方法": "3", "Chapter 3 Methods": "3", "III. Methods": "3", "（三）方法": "3",
              "三、方法": "3", "3.2 小节": "3", "第12章 结论": "12", "5G网络": "", "2024年进展": ""}
    assert {t: numbering_label(t) for t in labels} == labels
