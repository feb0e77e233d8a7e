"""The review draft: the report laid onto the published document as tracked deletions and
comments, so that an author can accept or reject each change in Word's Review pane.

`plan_review(doc)` works on the model alone (the JSON a CMS stored is enough): it returns a
copy of the document with review nodes in place (`Deleted`, `Noted`, `DeletedBlock`) and the
comments that go on headings, captions and reference entries. `pandoc_ast` turns the nodes
into pandoc's `deletion` and `comment-start`/`comment-end` spans; `docx_review` finishes what
pandoc cannot say (a deleted paragraph's mark).

What becomes what (TREATMENT): text the cleaning took out of a published chapter (chatter,
a truncated sentence, repeated copies, junk headings, a dropped citation…) is a tracked
deletion with a comment naming the rule; the model's reasoning, machinery tokens and leaked
prompt blocks of several lines are one comment each, quoting their first words; everything
else is a comment where it acts. Every report line ends up in exactly one comment (a line
about text inside dropped material is listed in that material's comment).

Where it goes (the anchoring rule). Published headings and blocks carry their first source
line; the report lines carry theirs.
- A removal inside a line that stays (`Message.kept_before` is set) goes inside the published
  block that holds that line, right after the kept text: the kept text is found at the end
  of the block's plain text up to a match (its longest tail found there; the block's end when
  none is).
- Whole lines that went sit between the published spot before them in the source and the
  one after: before the next heading when they are nearer to it than to the block before
  (what opens a generation belongs to its chapter), else after the block before.
- A chapter-level line goes on the heading of `Message.anchor_line` (the copy kept of a
  duplicate, the chapter after one never written), a merged reference on its entry, other
  reference lines on the reference heading, the rest on the block that holds their line.
- Material dropped whole (off-outline, an empty chapter, a duplicate copy) is one comment
  with its first words; report lines inside it are listed in that comment.
- A citation renumbered into Vancouver order gets a comment at its first occurrence naming
  the supplied entry it stands for.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from publisher.model import (
    Cite,
    Document,
    Message,
    Paragraph,
    Table,
)
from publisher.render.anchors import TREATMENT, Places, Spot
from publisher.render.cite_groups import attach_citations
from publisher.render.review_nodes import (
    Deleted,
    DeletedBlock,
    Note,
    Noted,
    ReviewPlan,
    descend,
    inline_lists,
    insert_at,
    offset_after,
)
from publisher.render.review_text import note_text, renumbered_text

AUTHOR = "publisher"


# material dropped whole: one comment, listing the report lines inside it
REGIONS = frozenset({"off-outline", "duplicate-chapter", "empty-chapter", "orphan-text"})
# rules whose excerpt is all they removed (they do not fill `removed`)
EXCERPT_IS_TEXT = frozenset({"dropped-citation", "orphan-caption", "placeholder-table", "empty-section"})
REFERENCE_RULES = frozenset({"uncited-reference", "reference-entry", "reference-heading"})
# comments that would only quote what they already name or stand on
UNQUOTED = frozenset({"missing-chapter", "merged-reference", "chapter-order", "chapter-match"})


# --------------------------------------------------------------------------- plan
def plan_review(doc: Document) -> ReviewPlan:
    """The document with its report laid on as review nodes (the document given is unchanged)."""
    plan = ReviewPlan(copy.deepcopy(doc), _date(doc.metadata.received))
    _Planner(plan).run()
    return plan


def _date(received: str | None) -> str | None:
    try:
        return datetime.fromisoformat(received or "").strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


class _Planner:
    def __init__(self, plan: ReviewPlan):
        self.plan = plan
        self.doc = plan.document
        self.lang = self.doc.language
        for inlines in inline_lists(self.doc):
            inlines[:] = attach_citations(inlines)  # as the writer will: then nodes go in between
        self.places = Places(self.doc)
        self.spots = self.places.spots
        self.holding, self.between = self.places.holding, self.places.between
        self.after: dict[int, list[DeletedBlock]] = {}  # id(top-level block) -> blocks after it
        self.start: dict[int, list[DeletedBlock]] = {}  # id(section) -> blocks opening it
        self.range_notes: list[tuple[list[Any], Note]] = []  # notes over a whole paragraph, last

    def count(self, what: str) -> None:
        self.plan.placed[what] = self.plan.placed.get(what, 0) + 1

    def run(self) -> None:
        report = self.doc.report
        regions = [m for m in report if m.rule in REGIONS and m.removed]
        inside: dict[int, list[Message]] = {id(r): [] for r in regions}
        # dropped material reaches up to the next published spot: cleaning had already taken
        # the debris at its end, which the region's own lines no longer cover
        starts = [s.line for s in self.spots] + [r.line or 0 for r in regions]
        reach = {id(r): min((n - 1 for n in starts if n > (r.end_line or 0)), default=10**9) for r in regions}
        for m in report:
            if id(m) in reach:
                continue  # material dropped whole: placed below
            region = next((r for r in regions if _within(m, r, reach[id(r)])), None)
            if region is not None:
                inside[id(region)].append(m)
                self.count("listed")
            else:
                self.place(m)
        for r in regions:
            note = Note(note_text(r, self.lang, also=inside[id(r)]))
            self.count("commented")
            if r.rule == "duplicate-chapter" and self.heading_note(r.anchor_line, note):
                continue
            self.note_at(self.between(r), note)
        self.renumbered_citations()
        for inlines, note in self.range_notes:
            inlines[:] = [Noted(note, inlines[:])]
        self.insert_blocks()

    # ---------------------------------------------------------------- one report line
    def place(self, m: Message) -> None:
        treatment = TREATMENT.get(m.rule, "comment")
        if m.rule == "prompt-leakage":  # a sentence glued to author text is deleted; a block is debris
            treatment = "delete" if m.line == m.end_line else "debris"
        text = m.removed or (m.excerpt if m.rule in EXCERPT_IS_TEXT else None)
        if treatment == "delete" and text and text.strip():
            self.count("deleted")
            note = Note(note_text(m, self.lang, quoted=False))
            inline = m.kept_before is not None or m.rule == "dropped-citation"
            if not (inline and self.delete_inline(m, text, note)):
                self.delete_lines(m, text, note)
            return
        self.count("commented")
        key = f"{m.rule}:kept" if m.rule == "assistant-chatter" else None
        if m.rule == "missing-chapter" and m.anchor_line is None:
            key = "missing-chapter:end"
        note = Note(note_text(m, self.lang, key=key, quoted=m.rule not in UNQUOTED))
        if m.anchor_line is not None and self.heading_note(m.anchor_line, note):
            return
        if m.rule == "merged-reference":
            ref = next((r for r in self.doc.references if r.cited and r.title[:80] == m.excerpt), None)
            if ref is not None:
                self.plan.reference_notes.setdefault(ref.number, []).append(note)
                return
        if (m.rule in REFERENCE_RULES or m.rule == "missing-chapter") and any(r.cited for r in self.doc.references):
            self.plan.references_notes.append(note)
            return
        if treatment == "debris":
            self.note_at(self.between(m), note)
        else:
            self.note_on(self.holding(m.line), note)

    def delete_inline(self, m: Message, text: str, note: Note) -> bool:
        """Inside the paragraph holding the line, after the kept text (its end when unsure)."""
        spot = self.holding(m.line)
        if spot is None or not isinstance(spot.block, Paragraph):
            return False
        inlines = spot.block.inlines
        kept = m.kept_before
        at_start = kept == "" and m.line == spot.line
        offset = 0 if at_start else offset_after(inlines, kept or "")
        insert_at(inlines, offset, Deleted(text, note))
        return True

    def delete_lines(self, m: Message, text: str, note: Note) -> None:
        block = DeletedBlock(text, note, m.line)
        kind, spot = self.between(m)
        if kind == "front" or spot is None:
            self.plan.front_blocks.append(block)
        elif kind == "before_heading":
            assert spot.section is not None
            self.plan.before_heading.setdefault(id(spot.section), []).append(block)
        elif kind == "start" and spot.section is not None:
            self.start.setdefault(id(spot.section), []).append(block)
        elif spot.top_block is not None:
            self.after.setdefault(id(spot.top_block), []).append(block)
        else:
            self.plan.front_blocks.append(block)

    # ---------------------------------------------------------------- comments
    def heading_note(self, line: int | None, note: Note) -> bool:
        section = self.places.section_at(line)
        if section is None:
            return False
        self.plan.heading_notes.setdefault(id(section), []).append(note)
        return True

    def note_at(self, where: tuple[str, Spot | None], note: Note) -> None:
        """A point comment where `between` put removed lines."""
        kind, spot = where
        if spot is None:
            self.note_on(None, note)
        elif kind in ("before_heading", "start") or spot.block is None:
            assert spot.section is not None
            self.plan.heading_notes.setdefault(id(spot.section), []).append(note)
        else:
            para = _first_paragraph(spot.block, last=True)
            if para is None:
                self.note_on(spot, note)
            else:
                inlines: list[Any] = para.inlines  # the copy holds review nodes among its inlines
                inlines.append(Noted(note))

    def note_on(self, spot: Spot | None, note: Note) -> None:
        """A comment over the paragraph (or on the heading, the caption) of a spot; None: the front."""
        spot = spot or (self.spots[0] if self.spots else None)
        if spot is None:
            self.plan.references_notes.append(note)
            return
        if isinstance(spot.block, Table):
            self.plan.caption_notes.setdefault(id(spot.block), []).append(note)
            return
        para = _first_paragraph(spot.block) if spot.block is not None else None
        if para is not None:
            self.range_notes.append((para.inlines, note))
        elif spot.section is not None:
            self.plan.heading_notes.setdefault(id(spot.section), []).append(note)
        else:
            self.plan.references_notes.append(note)

    def renumbered_citations(self) -> None:
        supplied = {r.number: r.supplied for r in self.doc.references}
        seen: set[int] = set()
        for inlines in inline_lists(self.doc):
            for k, item in enumerate(inlines):
                if not isinstance(item, Cite):
                    continue
                moved = [n for n in item.numbers if n not in seen and supplied.get(n, [n]) != [n]]
                seen.update(item.numbers)
                if moved:
                    lines = [t for n in moved for t in renumbered_text(self.lang, n, supplied[n])]
                    inlines[k] = Noted(Note(list(dict.fromkeys(lines))), [item])

    def insert_blocks(self) -> None:
        for section in self.doc.walk_sections():
            blocks: list[Any] = section.blocks  # the copy holds review nodes among its blocks
            blocks[:0] = self.start.get(id(section), [])
        for container in [self.doc.abstract] + [s.blocks for s in self.doc.walk_sections()]:
            out: list[Any] = []
            for block in container:
                out.append(block)
                out.extend(self.after.get(id(block), []))
            container[:] = out


# --------------------------------------------------------------------------- helpers
def _within(m: Message, region: Message, last: int) -> bool:
    first = region.line or 0
    return bool(m.line) and first <= (m.line or 0) and (m.end_line or m.line or 0) <= last


def _first_paragraph(block: Any, last: bool = False) -> Paragraph | None:
    paras = [b for b in descend(block) if isinstance(b, Paragraph)]
    return (paras[-1] if last else paras[0]) if paras else None
