"""Placing a content chapter that no outline title names: by its number, then by its place.

A chapter written under another wording than its outline title is still that chapter when
- it carries the number of an outline chapter that has no written version and its title is
  at least loosely similar (`by_number`); or
- it carries that number, exactly one unwritten outline chapter has it, and it stands between
  the chapters placed before and after it in content order (`by_number_and_place`: the
  titles may differ entirely; this placement is reported as a warning to check).
Anything else is off-outline material (dropped and reported by the caller).
"""

from __future__ import annotations

from bisect import bisect_left

from publisher.assemble.outline import Outline, number_label, similarity

NUMBER_MATCH_THRESHOLD = 0.3


def by_number(title: str, outline: Outline, filled: set[int]) -> int:
    """An unwritten outline chapter with the same number and a loosely similar title, or -1."""
    label = number_label(title)
    if not label:
        return -1
    free = [k for k, e in enumerate(outline.chapters) if e.label == label and k not in filled]
    scored = [(similarity(title, outline.chapters[k].title), k) for k in free]
    best = max(scored, default=(0.0, -1))
    return best[1] if best[0] >= NUMBER_MATCH_THRESHOLD else -1


def by_number_and_place(title: str, position: int, outline: Outline, filled: set[int],
                        placed: list[tuple[int, int]]) -> int:
    """The one unwritten outline chapter with this number, when the chapter's content position
    lies between the placed chapters around it; else -1. `placed`: (content position, outline
    index) of the chapters already placed, sorted by position."""
    label = number_label(title)
    free = [k for k, e in enumerate(outline.chapters) if label and e.label == label and k not in filled]
    if len(free) != 1:
        return -1
    k = free[0]
    at = bisect_left(placed, (position, -1))
    before = placed[at - 1][1] if at > 0 else -1
    after = placed[at][1] if at < len(placed) else len(outline.chapters)
    return k if before < k < after else -1
