"""Where a report line lands in the published document, for the review draft (review.py)
and the draft page's margin notes (the HTML writer): the anchoring rule is documented in
review.py. Published headings and blocks carry their first source line ("spots"); a report
line goes to the spot that holds its line, or (whole lines that went) between the spots
before and after it in the source.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from publisher.model import Block, Document, Message, Section
from publisher.render.review_nodes import descend

# rule -> how it shows: "delete" (tracked deletion), "debris" (one comment quoting it),
# "comment" (a comment where it acts). Rules not listed are comments.
TREATMENT: dict[str, str] = {
    **dict.fromkeys(("assistant-chatter", "placeholder", "repetition", "invented-references", "junk-heading", "stray-rule",
                     "truncated-ending", "empty-section", "orphan-caption", "placeholder-table",
                     "dropped-citation", "orphan-text"), "delete"),
    **dict.fromkeys(("reasoning-tags", "machinery"), "debris"),
}


@dataclass
class Spot:
    """A published heading (block None) or block, with the list that holds its top-level block."""

    line: int
    section: Section | None
    block: Block | None
    top: list[Any]
    top_block: Block | None


class Places:
    """The published spots of a document, searched by source line."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.spots = spots(doc)
        self.by_line = sorted(self.spots, key=lambda s: s.line)  # stable: reading order among equals
        self.lines = [s.line for s in self.by_line]
        self.sections = {s.line: s for s in reversed(doc.walk_sections()) if s.line}  # the first of a line

    def holding(self, line: int | None) -> Spot | None:
        """The published spot whose source starts last at or before `line`."""
        k = bisect.bisect_right(self.lines, line or 0) - 1
        return self.by_line[k] if line and k >= 0 else None

    def between(self, m: Message) -> tuple[str, Spot | None]:
        """Where whole removed lines sit: ("before_heading" | "start" | "after" | "front", spot)."""
        first, last = m.line or 0, m.end_line or m.line or 0
        k = bisect.bisect_left(self.lines, first) - 1
        prev = self.by_line[bisect.bisect_left(self.lines, self.lines[k])] if k >= 0 else None
        k = bisect.bisect_right(self.lines, last)
        nxt = self.by_line[k] if k < len(self.lines) else None
        if not first or (prev is None and nxt is None):
            return "front", None
        if prev is None or (nxt is not None and nxt.block is None and nxt.line - last <= first - prev.line):
            assert nxt is not None
            return ("before_heading", nxt) if nxt.block is None else ("front", None)
        return ("start", prev) if prev.block is None else ("after", prev)

    def section_at(self, line: int | None) -> Section | None:
        return self.sections.get(line) if line else None


def spots(doc: Document) -> list[Spot]:
    out: list[Spot] = []

    def blocks(container: list[Any], section: Section | None) -> None:
        for top in container:
            for block in descend(top):
                line = getattr(block, "line", None)
                if line:
                    out.append(Spot(line, section, block, container, top))

    blocks(doc.abstract, None)
    for section in doc.walk_sections():
        if section.line:
            out.append(Spot(section.line, section, None, section.blocks, None))
        blocks(section.blocks, section)
    return out




def margin_places(doc: Document) -> list[Any]:
    """For each report line, in order, the published object it concerns: a section (its
    heading) or a top-level block; None when it concerns no place in the text."""
    places = Places(doc)
    out: list[Any] = []
    for m in doc.report:
        target: Any = places.section_at(m.anchor_line)
        if target is None and m.line:
            whole = m.removed is not None and m.kept_before is None and TREATMENT.get(m.rule) != "comment"
            if whole:
                kind, spot = places.between(m)
                if spot is not None:
                    target = spot.section if kind in ("before_heading", "start") else spot.top_block
            else:
                spot = places.holding(m.line)
                if spot is not None:
                    target = spot.top_block if spot.top_block is not None else spot.section
        out.append(target)
    return out
