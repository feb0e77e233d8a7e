"""Vancouver numbering: citations renumbered in order of first citation in the published
document (abstract first, then chapters in order, table cells in reading order), the
reference list built from the supplied entries that are cited, in that order.
"""

from __future__ import annotations

from collections.abc import Iterator

from publisher.cite.fields import csl_item
from publisher.cite.references import SuppliedEntry
from publisher.markdown.citation_groups import normalise_cites
from publisher.model import Block, Cite, Document, Inline, Message, Reference, Table, inline_text, iter_blocks
from publisher.model_copy import copy_tree
from publisher.result import EXCERPT_CHARS, Result, message_at, said


def _inline_lists(block: Block) -> Iterator[list[Inline]]:
    """The inline lists of one block, in reading order (a table: header, then rows)."""
    if isinstance(block, Table):
        yield from block.header
        for row in block.rows:
            yield from row
    elif hasattr(block, "inlines"):
        yield block.inlines


def _nested(inlines: list[Inline]) -> Iterator[list[Inline]]:
    yield inlines
    for item in inlines:
        children = getattr(item, "inlines", None)
        if isinstance(children, list):
            yield from _nested(children)


def number_citations(
    document: Document, supplied: dict[int, SuppliedEntry], include_uncited: bool = False
) -> Result[Document]:
    """A new document with citations renumbered and the reference list built; the document
    given is left as it is."""
    doc = copy_tree(document)
    messages: list[Message] = []
    order: dict[str, int] = {}  # source key -> final number
    keys = {n: entry.key for n, entry in supplied.items()}  # supplied number -> source key, folded once
    for blocks in doc.block_lists():
        for block in iter_blocks(blocks):
            for top in _inline_lists(block):
                for inlines in _nested(top):
                    _renumber_list(inlines, keys, order, messages, getattr(block, "line", None))
    doc.references = _reference_list(supplied, order, messages, include_uncited)
    return Result(doc, messages)


def _renumber_list(
    inlines: list[Inline],
    keys: dict[int, str],
    order: dict[str, int],
    messages: list[Message],
    line: int | None,
) -> None:
    changed = False
    for idx, item in enumerate(inlines):
        if not isinstance(item, Cite):
            continue
        finals: list[int] = []
        for n in item.numbers:
            key = keys.get(n)
            if key is None:
                messages.append(message_at("dropped-citation", "warning", line, line, f"[{n}]",
                                           said("citation [{number}] has no entry in the supplied reference list; "
                                                "removed", number=str(n)),
                                        kept_before=inline_text(inlines[:idx])[-EXCERPT_CHARS:]))
                continue
            finals.append(order.setdefault(key, len(order) + 1))
        item.numbers = sorted(set(finals))
        changed = changed or not finals
        inlines[idx] = item
    if changed:
        inlines[:] = normalise_cites([i for i in inlines if not (isinstance(i, Cite) and not i.numbers)])


def _reference_list(
    supplied: dict[int, SuppliedEntry], order: dict[str, int], messages: list[Message], include_uncited: bool
) -> list[Reference]:
    groups: dict[str, list[SuppliedEntry]] = {}
    for n in sorted(supplied):
        groups.setdefault(supplied[n].key, []).append(supplied[n])
    refs: list[Reference] = []
    for key, number in sorted(order.items(), key=lambda kv: kv[1]):
        refs.append(_reference(number, groups[key], True))
    uncited = [g for key, g in groups.items() if key not in order]
    for group in uncited:
        nums = ", ".join(f"[{e.number}]" for e in group)
        messages.append(message_at("uncited-reference", "info", group[0].line, group[-1].line, group[0].title[:80],
                                   said("supplied entry {numbers} is never cited; listed after the cited ones",
                                        numbers=nums) if include_uncited else
                                   said("supplied entry {numbers} is never cited; left out", numbers=nums)))
        if include_uncited:
            refs.append(_reference(len(refs) + 1, group, False))
    for group in groups.values():
        if len(group) > 1:
            nums = "".join(f"[{e.number}]" for e in group)
            messages.append(message_at("merged-reference", "info", group[0].line, group[-1].line, group[0].title[:80],
                                       said("supplied entries {numbers} are the same source; merged into one entry",
                                            numbers=nums)))
    return refs


def _reference(number: int, group: list[SuppliedEntry], cited: bool) -> Reference:
    first = group[0]
    return Reference(number=number, title=first.title, date=first.date, text=first.text,
                     supplied=[e.number for e in group], cited=cited, raw=first.raw,
                     csl=csl_item(f"ref-{number}", first.title, first.date))
