"""The review draft's pandoc AST: the shared AST (pandoc_ast) plus the review nodes of a
`ReviewPlan` (review.py), as the spans pandoc's DOCX writer makes revisions and comments of:
- a `Span` of class `deletion` (attributes author, date) becomes `w:del`;
- `Span`s of class `comment-start` (id, author, date; its content is the comment's text) and
  `comment-end` (id) become a Word comment over what lies between them.
A deleted block is a paragraph whose content is one deletion span; docx_review deletes its
paragraph mark as well, which pandoc cannot say.
"""

from __future__ import annotations

from typing import Any

from publisher.model import Reference, Section, Table
from publisher.render import RenderOptions
from publisher.render.notes import Notes
from publisher.render.pandoc_ast import TARGETS, AstBuilder, Node, attr, node, words
from publisher.render.review import AUTHOR
from publisher.render.review_nodes import Deleted, DeletedBlock, Note, Noted, ReviewPlan


class ReviewBuilder(AstBuilder):
    def __init__(self, plan: ReviewPlan, options: RenderOptions, notes: Notes):
        super().__init__(plan.document, options, TARGETS["docx"], notes)
        self.plan = plan
        self.next_id = 0
        self.inline_rules[Deleted] = self.deleted
        self.inline_rules[Noted] = lambda i: self.noted(i.note, self.inlines(i.inlines))
        self.block_rules[DeletedBlock] = self.deleted_block

    def stamp(self) -> tuple[tuple[str, str], ...]:
        return (("author", AUTHOR),) + ((("date", self.plan.date),) if self.plan.date else ())

    # ---------------------------------------------------------------- review nodes
    def noted(self, note: Note, inlines: list[Node]) -> list[Node]:
        """A comment over `inlines`: start (holding the comment's text), the inlines, end."""
        self.next_id += 1
        ident = str(self.next_id)
        text: list[Node] = []
        for k, line in enumerate(note.lines):
            text += ([node("LineBreak")] if k else []) + words(line)
        start = node("Span", [attr("", ("comment-start",), (("id", ident), *self.stamp())), text])
        end = node("Span", [attr("", ("comment-end",), (("id", ident),)), []])
        return [start, *inlines, end]

    def deletion(self, text: str) -> Node:
        inside: list[Node] = []
        for k, line in enumerate(text.split("\n")):
            inside += ([node("LineBreak")] if k else []) + words(line)
        return node("Span", [attr("", ("deletion",), self.stamp()), inside])

    def deleted(self, item: Deleted) -> list[Node]:
        span = [self.deletion(item.text)]
        return self.noted(item.note, span) if item.note else span

    def deleted_block(self, block: DeletedBlock) -> list[Node]:
        """One deleted paragraph per source line (blank ones left out); the comment spans them."""
        paras = [[self.deletion(line)] for line in block.text.split("\n") if line.strip()]
        paras = paras or [[self.deletion(block.text)]]
        if block.note is not None:
            first, *_, last = self.noted(block.note, [])
            paras[0].insert(0, first)
            paras[-1].append(last)
        return [node("Para", p) for p in paras]

    def with_notes(self, notes: list[Note], inlines: list[Node]) -> list[Node]:
        for note in notes:
            inlines = self.noted(note, inlines)
        return inlines

    # ---------------------------------------------------------------- shared AST, with notes
    def section(self, s: Section) -> list[Node]:
        before = [n for b in self.plan.before_heading.get(id(s), []) for n in self.deleted_block(b)]
        heading = self.heading(s.level, s.anchor(), s.number, s.title)
        level, ident, inlines = heading["c"]
        heading["c"] = [level, ident, self.with_notes(self.plan.heading_notes.get(id(s), []), inlines)]
        return [*before, heading, *self.blocks(s.blocks)]

    def caption(self, table: Table) -> list[Node]:
        return self.with_notes(self.plan.caption_notes.get(id(table), []), super().caption(table))

    def references_heading(self) -> Node:
        heading = super().references_heading()
        level, ident, inlines = heading["c"]
        heading["c"] = [level, ident, self.with_notes(self.plan.references_notes, inlines)]
        return heading

    def reference_entry(self, r: Reference) -> list[Node]:
        return self.with_notes(self.plan.reference_notes.get(r.number, []), super().reference_entry(r))

    def body(self) -> list[Node]:
        front = [n for b in self.plan.front_blocks for n in self.deleted_block(b)]
        return [*front, *super().body()]


def to_pandoc_review(plan: ReviewPlan, options: RenderOptions, notes: Notes) -> dict[str, Any]:
    """The review draft of a planned document as a pandoc JSON AST for the docx writer."""
    return ReviewBuilder(plan, options, notes).document()
