"""cite_groups re-reads model.format_cite_numbers, so every writer groups citations alike."""

from __future__ import annotations

import pytest

from publisher.model import Cite, Emph, Inline, Text, format_cite_numbers
from publisher.render.cite_groups import attach_citations, cite_groups


@pytest.mark.parametrize(
    ("numbers", "groups"),
    [
        ([3], [(3, 3)]),
        ([1, 3, 4, 5], [(1, 1), (3, 5)]),
        ([5, 4, 3, 3], [(3, 5)]),
        ([1, 2], [(1, 1), (2, 2)]),  # two in a row stay a list, as format_cite_numbers says
        ([10, 11, 12, 20, 7], [(7, 7), (10, 12), (20, 20)]),
        ([], []),
    ],
)
def test_groups(numbers: list[int], groups: list[tuple[int, int]]) -> None:
    assert cite_groups(numbers) == groups
    written = ",".join(str(a) if a == b else f"{a}-{b}" for a, b in groups)
    assert written == format_cite_numbers(numbers)


@pytest.mark.parametrize(
    ("inlines", "expected"),
    [
        ([Text("living cells "), Cite([2])], ["living cells", "[2]"]),  # an English source's space goes
        ([Text("演变过程\u3000"), Cite([5])], ["演变过程", "[5]"]),  # so does an ideographic one
        ([Text("a  \n"), Cite([1, 2])], ["a", "[1,2]"]),
        # near-misses: blanks not right before a citation stay
        ([Text("cells "), Text("grow")], ["cells ", "grow"]),
        ([Cite([2]), Text(" and more")], ["[2]", " and more"]),
        ([Text("two  spaces inside "), Emph([Text("x ")]), Cite([3])], ["two  spaces inside ", "*", "[3]"]),
    ],
)
def test_the_blank_before_a_citation_goes_and_no_other(inlines: list[Inline], expected: list[str]) -> None:
    def shown(i: Inline) -> str:
        return i.text if isinstance(i, Text) else f"[{format_cite_numbers(i.numbers)}]" if isinstance(i, Cite) else "*"

    assert [shown(i) for i in attach_citations(inlines)] == expected
