"""Copying the document for a stage that changes it: the stages never change what another
stage returned, and copy what they change (cheaply: a deepcopy cost a sixth of the pipeline).

Below every stage: imports only the model.
"""

from __future__ import annotations

from typing import Any

from publisher.model import (
    Block,
    Cite,
    Document,
    Emph,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Section,
    Strong,
    Table,
)


def copy_tree(doc: Document) -> Document:
    """A copy a later stage may change in place: every node that holds others (the document,
    sections, blocks, table rows, inline containers) and every citation is new; text leaves,
    references, metadata and report lines are shared (no stage changes those in place). Nodes
    are copied without being validated again: they were valid when made. A deepcopy cost a
    sixth of the whole pipeline."""

    def node(x: Any, **changes: Any) -> Any:
        out = object.__new__(type(x))  # what copy.copy does for these plain classes, without its protocol lookups
        out.__dict__.update(x.__dict__, **changes)
        return out

    def inlines(items: list[Inline]) -> list[Inline]:
        return [node(i, inlines=inlines(i.inlines)) if isinstance(i, Strong | Emph | Link)
                else node(i, numbers=list(i.numbers)) if isinstance(i, Cite) else i for i in items]

    def blocks(items: list[Block]) -> list[Block]:
        out: list[Block] = []
        for b in items:
            if isinstance(b, Paragraph):
                out.append(node(b, inlines=inlines(b.inlines)))
            elif isinstance(b, Table):
                out.append(node(b, header=[inlines(c) for c in b.header],
                                rows=[[inlines(c) for c in row] for row in b.rows]))
            elif isinstance(b, ListBlock):
                out.append(node(b, items=[blocks(item) for item in b.items]))
            elif isinstance(b, Quote):
                out.append(node(b, blocks=blocks(b.blocks)))
            else:
                out.append(node(b))
        return out

    def section(s: Section) -> Section:
        return node(s, blocks=blocks(s.blocks), sections=[section(x) for x in s.sections])

    return node(doc, keywords=list(doc.keywords), abstract=blocks(doc.abstract),
                sections=[section(s) for s in doc.sections], references=list(doc.references), report=list(doc.report))
