"""Citation notations: every form in tests/fixtures/citations/notations.txt, and what is not one."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publisher.assemble.inlines import parse_inlines
from publisher.markdown.notation import split_citations
from publisher.model import Cite, Code, Inline, Text, format_cite_numbers
from tests.casefile import Case, cases_in

CASES = cases_in("citations", "notations.txt")


def cite_groups(inlines: list[Inline]) -> list[list[int]]:
    out: list[list[int]] = []
    for item in inlines:
        if isinstance(item, Cite):
            out.append(item.numbers)
        elif hasattr(item, "inlines"):
            out.extend(cite_groups(item.inlines))  # type: ignore[attr-defined]
    return out


def supplied_numbers(case: Case) -> frozenset[int] | None:
    """The `### supplied` section: `1-12`, `1-9, 1203`; None when the case has none."""
    spec = case.text("supplied").strip()
    if not spec:
        return None
    numbers: set[int] = set()
    for part in spec.split(","):
        a, _, b = part.strip().partition("-")
        numbers.update(range(int(a), int(b or a) + 1))
    return frozenset(numbers)


def test_there_are_many_cases() -> None:
    assert len(CASES) >= 150
    assert sum(c.name.startswith("NEGATIVE") for c in CASES) >= 60


@pytest.mark.parametrize("case", CASES, ids=[str(c) for c in CASES])
def test_notation_case(case: Case) -> None:
    want_lines = [ln.strip() for ln in case.sections["cites"] if ln.strip()]
    want = [] if want_lines == ["NONE"] else [[int(n) for n in ln.split()] for ln in want_lines]
    got = [sorted(set(g)) for g in cite_groups(parse_inlines(case.text("input").strip(), supplied_numbers(case)))]
    want = [sorted(set(g)) for g in want]
    assert got == want


@pytest.mark.parametrize("case", [c for c in CASES if c.name.startswith("NEGATIVE")],
                         ids=[str(c) for c in CASES if c.name.startswith("NEGATIVE")])
def test_near_misses_keep_their_text(case: Case) -> None:
    """A near-miss comes out as the author wrote it (inline code and emphasis aside)."""
    text = case.text("input").strip()
    inlines = parse_inlines(text, supplied_numbers(case))
    plain = "".join(_plain(i) for i in inlines)
    assert plain.replace(" ", "") == _unmarked(text).replace(" ", "")


def _plain(item: Inline) -> str:
    if isinstance(item, Text | Code):
        return item.text
    return "".join(_plain(i) for i in getattr(item, "inlines", []))


def _unmarked(text: str) -> str:
    """The text a reader sees: markdown markers and HTML superscripts rendered."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", re.sub(r"^#+\s*|`|\*\*", "", text))
    return text.replace("m<sup>2</sup>", "m²").replace("10<sup>6</sup>", "10⁶").replace("m^2^", "m²") \
        .replace("10^3^", "10³")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("方法。[3]", [Text("方法"), Cite([3]), Text("。")]),
        ("method.[^2][^4] Next", [Text("method"), Cite([2, 4]), Text(". Next")]),
        ("结果[1] [2]。", [Text("结果"), Cite([1, 2]), Text("。")]),
    ],
)
def test_marker_moves_before_punctuation_and_groups_merge(text: str, expected: list[Inline]) -> None:
    assert split_citations(text) == expected


@pytest.mark.parametrize(
    ("numbers", "shown"),
    [([1], "1"), ([1, 2], "1,2"), ([1, 3, 4, 5], "1,3-5"), ([5, 4, 3, 1], "1,3-5"), ([2, 3, 4, 7, 8, 9, 10], "2-4,7-10")],
)
def test_groups_collapse_ranges_of_three_or_more(numbers: list[int], shown: str) -> None:
    assert format_cite_numbers(numbers) == shown


@given(st.text(alphabet=st.sampled_from(list("[]^【】0123456789,-–。. 方法abc")), max_size=60))
def test_text_is_never_lost(text: str) -> None:
    """Whatever the input, the pieces hold all non-citation characters of it."""
    pieces = split_citations(text)
    kept = "".join(p.text for p in pieces if isinstance(p, Text))
    assert len(kept) <= len(text)
    assert all(n >= 1 for p in pieces if isinstance(p, Cite) for n in p.numbers)
