"""Citation groups as (first, last) pairs, shared by the writers that link each number, and
the placing of a citation against its word.

`model.format_cite_numbers` decides how a group reads (`1,3-5`); the writers here only
re-read its output, so every format collapses ranges exactly the same way.
"""

from __future__ import annotations

from publisher.model import Cite, Inline, Text, format_cite_numbers


def cite_groups(numbers: list[int]) -> list[tuple[int, int]]:
    """`[1, 3, 4, 5]` -> `[(1, 1), (3, 5)]`: a single number is a pair of equals."""
    groups: list[tuple[int, int]] = []
    for part in format_cite_numbers(numbers).split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        groups.append((int(first), int(last or first)))
    return groups


def attach_citations(inlines: list[Inline]) -> list[Inline]:
    """The blanks an author left before a citation go: "cells [2]" reads "cells[2]", so
    the marker sits against its word like a superscript should (and never starts a line)."""
    out = list(inlines)
    for k in range(len(out) - 1):
        current = out[k]
        if isinstance(out[k + 1], Cite) and isinstance(current, Text) and current.text[-1:].isspace():
            out[k] = Text(current.text.rstrip())
    return out
