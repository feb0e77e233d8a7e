"""Citation groups as (first, last) pairs, shared by the writers that link each number.

`model.format_cite_numbers` decides how a group reads (`1,3-5`); the writers here only
re-read its output, so every format collapses ranges exactly the same way.
"""

from __future__ import annotations

from publisher.model import format_cite_numbers


def cite_groups(numbers: list[int]) -> list[tuple[int, int]]:
    """`[1, 3, 4, 5]` -> `[(1, 1), (3, 5)]`: a single number is a pair of equals."""
    groups: list[tuple[int, int]] = []
    for part in format_cite_numbers(numbers).split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        groups.append((int(first), int(last or first)))
    return groups
