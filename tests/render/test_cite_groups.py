"""cite_groups re-reads model.format_cite_numbers, so every writer groups citations alike."""

from __future__ import annotations

import pytest

from publisher.model import format_cite_numbers
from publisher.render.cite_groups import cite_groups


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
