"""The review draft's own nodes, and finding a place inside a paragraph's inlines.

The nodes live only in the copy of the document that `review.plan_review` makes for the
DOCX writer; they are never part of the model a CMS sees. `pandoc_ast`'s builder dispatches
on them by type like on the model's own nodes (review_ast.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from publisher.assemble.inlines import parse_inlines
from publisher.model import (
    Code,
    Document,
    Emph,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
    inline_text,
)


@dataclass
class Note:
    """One comment: its lines of text."""

    lines: list[str]


@dataclass
class Deleted:
    """Inline: text the publisher took out, as a tracked deletion (with its comment)."""

    type: ClassVar[str] = "deleted"
    text: str
    note: Note | None = None


@dataclass
class Noted:
    """Inline: a comment over `inlines` (a point in the text when they are empty)."""

    type: ClassVar[str] = "noted"
    note: Note
    inlines: list[Any] = field(default_factory=list)


@dataclass
class DeletedBlock:
    """Block: whole lines the publisher took out, as deleted paragraphs (with its comment)."""

    type: ClassVar[str] = "deleted_block"
    text: str
    note: Note | None = None
    line: int | None = None


@dataclass
class ReviewPlan:
    document: Document  # a copy holding the review nodes
    date: str | None  # the record's date, for every revision and comment
    heading_notes: dict[int, list[Note]] = field(default_factory=dict)  # id(section) -> comments
    before_heading: dict[int, list[DeletedBlock]] = field(default_factory=dict)  # id(section)
    caption_notes: dict[int, list[Note]] = field(default_factory=dict)  # id(table)
    reference_notes: dict[int, list[Note]] = field(default_factory=dict)  # reference number
    references_notes: list[Note] = field(default_factory=list)  # on the reference list's heading
    front_blocks: list[DeletedBlock] = field(default_factory=list)  # before everything
    placed: dict[str, int] = field(default_factory=dict)  # how many report lines became what



def descend(block: Any) -> Iterator[Any]:
    """A block and every block inside it (list items, quotes), in reading order."""
    yield block
    children: list[list[Any]] = block.items if isinstance(block, ListBlock) else (
        [block.blocks] if isinstance(block, Quote) else [])
    for item in children:
        for child in item:
            yield from descend(child)


def inline_lists(doc: Document) -> Iterator[list[Any]]:
    """Every inline list of the document, nested ones included, in reading order."""
    def nested(inlines: list[Any]) -> Iterator[list[Any]]:
        yield inlines
        for item in inlines:
            if isinstance(item, Strong | Emph | Link | Noted):
                yield from nested(item.inlines)

    for container in doc.block_lists():
        for top in container:
            for block in descend(top):
                if isinstance(block, Paragraph):
                    yield from nested(block.inlines)
                elif isinstance(block, Table):
                    for cell in [*block.header, *(c for row in block.rows for c in row)]:
                        yield from nested(cell)


def plain(inlines: list[Any]) -> str:
    return "".join(plain(i.inlines) if isinstance(i, Strong | Emph | Link | Noted) else
                   i.text if isinstance(i, Text | Code) else "" for i in inlines)


def offset_after(inlines: list[Any], kept: str) -> int:
    """The plain-text offset right after `kept` (markdown, as the record had it) in the
    paragraph: its longest tail found there, last occurrence; the end when none is."""
    text = plain(inlines)
    target = inline_text(parse_inlines(kept)) if kept.strip() else ""
    for start in range(len(target)):
        tail = target[start:]
        at = text.rfind(tail)
        if at >= 0:
            return at + len(tail)
    return len(text)


def insert_at(inlines: list[Any], offset: int, node: Any) -> bool:
    """Put `node` at a plain-text offset, splitting the Text there; True when placed."""
    pos = 0
    for k, item in enumerate(inlines):
        if isinstance(item, Strong | Emph | Link | Noted):
            size = len(plain(item.inlines))
            if pos < offset < pos + size:
                return insert_at(item.inlines, offset - pos, node)
            pos += size
        elif isinstance(item, Text | Code):
            size = len(item.text)
            if pos < offset < pos + size and isinstance(item, Text):
                cut = offset - pos
                inlines[k : k + 1] = [Text(item.text[:cut]), node, Text(item.text[cut:])]
                return True
            pos += size
        if pos >= offset and (offset > 0 or k == 0):
            inlines.insert(k + 1 if offset > 0 else 0, node)
            return True
    inlines.append(node)
    return True

