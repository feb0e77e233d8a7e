"""Pointers to tables in running text (`如表3-1所示`, `见表 2`, `Table 2.1 shows`, `Tables 2 and
3`), rewritten to the tables' final numbers.

A pointer names a table by the number the author gave it, which only means something inside
its chapter (the pipeline numbers, or fails to number, chapter by chapter). Within the
chapter (the abstract is a chapter of its own), a pointer with number n goes to:
1. the table its paragraph introduces (`如表X所示：` right above a table, or a paragraph whose
   last sentence points at the table below it), when n is that table's number or a
   placeholder (`X`);
2. the table whose caption (or introducing pointer) carried the same number (`3-1` = `3.1`);
3. for a placeholder number, the nearest table after the paragraph, else the nearest before;
4. the chapter's only table;
otherwise it is left as written and reported. In a chapter with no table left at all, a
pointer phrase that can go without breaking its sentence (`如表X所示，`, `（见表2）`) is
removed and reported; other pointers stay and are reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from publisher.markdown.numbering import TABLE_NUMBER, TABLE_REF_RE, same_table_number
from publisher.model import (
    Block,
    Document,
    Emph,
    Inline,
    Message,
    Paragraph,
    Strong,
    Table,
    Text,
    iter_blocks,
)
from publisher.result import message_at, said

if TYPE_CHECKING:
    from publisher.tables.captions import Attached

_NUMBER_RE = re.compile(TABLE_NUMBER)
_PLACEHOLDER = {"x", "X", "Ｘ"}
# a pointer phrase that can go without breaking its sentence: 如表X所示， / （见表2） / as shown in Table 2,
_POINTER_RE = re.compile(
    rf"如\s*+表\s*+{TABLE_NUMBER}\s*+(?:所示|所列|中所示)\s*+[，,]?|[（(]\s*+(?:见|参见)\s*+表\s*+{TABLE_NUMBER}\s*+[)）]|"
    rf"\b[Aa]s (?:shown|listed|summari[sz]ed) in Tables?\s++{TABLE_NUMBER}\s*+,?\s*+"
    rf"|(?<!\s)\s*+\((?:see )?Tables?\s++{TABLE_NUMBER}\)"  # starts only where a space run starts: linear
)


def rewrite_pointers(doc: Document, attached: list[Attached]) -> list[Message]:
    messages: list[Message] = []
    introduces = {id(a.intro): a for a in attached if a.intro is not None}
    introduces.update({id(a.lead_in): a for a in attached if a.lead_in is not None})
    original = {id(a.table): a.original for a in attached}
    for blocks in _chapters(doc):
        tables = [(pos, b) for pos, b in enumerate(blocks) if isinstance(b, Table) and b.number not in (None, -1)]
        for pos, b in enumerate(blocks):
            if not isinstance(b, Paragraph):
                continue
            own = introduces.get(id(b))

            def resolve(
                label: str, pos: int = pos, own: Attached | None = own, tables: list[tuple[int, Table]] = tables
            ) -> Table | None:
                return _target(label, pos, own, tables, original)

            if not tables and own is None:
                _drop_dangling(b, messages)
            _rewrite(b, b.inlines, resolve, messages)
    return messages


def _chapters(doc: Document) -> list[list[Block]]:
    """The blocks of each chapter in reading order (the abstract first, as a chapter)."""
    out = [iter_blocks(doc.abstract)]
    for chapter in doc.sections:
        blocks: list[Block] = []
        stack = [chapter]
        while stack:
            s = stack.pop(0)
            blocks.extend(iter_blocks(s.blocks))
            stack[0:0] = s.sections
        out.append(blocks)
    return out


def _target(
    label: str, pos: int, own: Attached | None, tables: list[tuple[int, Table]], original: dict[int, str | None]
) -> Table | None:
    placeholder = label in _PLACEHOLDER
    if own is not None and own.table.number not in (None, -1) and (
        placeholder or own.original is None or same_table_number(label, own.original)
    ):
        return own.table
    if not placeholder:
        same = [t for _, t in tables if same_table_number(label, original.get(id(t)) or "")]
        if same:
            return same[0]
    else:
        after = [t for p, t in tables if p > pos]
        before = [t for p, t in tables if p < pos]
        if after or before:
            return after[0] if after else before[-1]
    return tables[0][1] if len(tables) == 1 else None


Resolve = Callable[[str], Table | None]


def _may_point(text: str) -> bool:
    """Every pointer names its table (表, Table, TABLE, Tab.): a cheap test before the patterns,
    which must try every position of the text."""
    return "表" in text or "able" in text or "ABLE" in text or "ab." in text


def _rewrite(p: Paragraph, inlines: list[Inline], resolve: Resolve, messages: list[Message]) -> None:
    """Each pointer in the text of these inlines gets its table's final number(s)."""
    for idx, item in enumerate(inlines):
        if isinstance(item, Strong | Emph):
            _rewrite(p, item.inlines, resolve, messages)
        if not isinstance(item, Text) or not _may_point(item.text) or not TABLE_REF_RE.search(item.text):
            continue

        def renumber(m: re.Match[str]) -> str:
            head = m.group("zh_pre") or m.group("en_pre")
            word = "表" if m.group("zh_pre") else head.rstrip() + " "
            body = m.group(0)[len(head):]
            unresolved: list[str] = []

            def one(n: re.Match[str]) -> str:
                table = resolve(n.group(0))
                if table is None:
                    unresolved.append(n.group(0))
                    return n.group(0)
                return str(table.number)

            new = word + _NUMBER_RE.sub(one, body)
            if unresolved:
                messages.append(message_at("table-reference", "warning", p.line, p.line, m.group(0),
                                           said("“{pointer}” refers to no published table; left as written",
                                                pointer=m.group(0))))
                return m.group(0)
            if new != m.group(0):
                messages.append(message_at("table-reference", "info", p.line, p.line, m.group(0),
                                           said("“{pointer}” renumbered to “{new}”", pointer=m.group(0),
                                                new=new.strip())))
            return new

        inlines[idx] = Text(TABLE_REF_RE.sub(renumber, item.text))


def _drop_dangling(p: Paragraph, messages: list[Message]) -> None:
    """In a chapter with no table left, a phrase pointing at a table goes."""
    for idx, item in enumerate(p.inlines):
        if isinstance(item, Text) and _may_point(item.text) and _POINTER_RE.search(item.text):
            for m in _POINTER_RE.finditer(item.text):
                messages.append(message_at("table-reference", "warning", p.line, p.line, m.group(0).strip(),
                                           said("“{text}” points at a table that is not published; removed",
                                                text=m.group(0).strip())))
            p.inlines[idx] = Text(_POINTER_RE.sub("", item.text))
