"""Tables in the published order: captions attached, placeholders dropped, numbers 1..k,
and the sentences that point at a table rewritten to its final number.

The pipeline was told not to number tables, so a caption arrives as `表X 标题`,
`表X 表格：标题` or with a wrong number; its text is kept and its number is ours.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from publisher.markdown.lexer import CAPTION_LINE_RE
from publisher.model import Block, Document, Message, Paragraph, Table, Text, inline_text, table_label
from publisher.result import Result

_SENTENCE_END = "。！？!?；;."
_PLACEHOLDER_CELL_RE = re.compile(
    r"^\s*+([.…\-—–_~·/]*|n/?a|tbd|待定|待补充|待填写?|无|空|数值|[xX]+\s*+%?|[?？]+|value|\.\.\.)\s*+$", re.I
)
# a reference to a table in running text: 表1, 表 X, 如表2所示, Table 3
TABLE_REF_RE = re.compile(r"(表\s*)(\d+|[xXＸ])(?![0-9A-Za-z_])|(\bTable\s+)(\d+|[xX])\b")
_INTRO_START_RE = re.compile(r"^\s*+(如|见|由)?\s*+(表\s*+(\d+|[xXＸ])|Table\s++(\d+|[xX]))", re.I)
MAX_CAPTION = 80
MAX_INTRO = 160


@dataclass
class _Attached:
    table: Table
    caption: Paragraph | None
    intro: Paragraph | None
    original: str | None  # the number the caption or intro carried ("1", "X")
    lead_in: Paragraph | None = None  # a paragraph whose last sentence points at the table


def is_caption(block: Block) -> bool:
    if not isinstance(block, Paragraph):
        return False
    text = inline_text(block.inlines).strip()
    return bool(CAPTION_LINE_RE.match(text)) and len(text) <= MAX_CAPTION and text[-1:] not in _SENTENCE_END


def is_intro(block: Block) -> bool:
    if not isinstance(block, Paragraph):
        return False
    text = inline_text(block.inlines).strip()
    return bool(_INTRO_START_RE.match(text)) and len(text) <= MAX_INTRO and not is_caption(block)


def is_placeholder(table: Table) -> bool:
    """Counting sequences, empty cells, ellipses only, or a header with no body."""
    if not table.rows:
        return True
    cells = [inline_text(c).strip() for row in table.rows for c in row]
    if all(_PLACEHOLDER_CELL_RE.match(c) for c in cells):
        return True
    numbers = [c for c in cells if c]
    if numbers and all(c.isdigit() for c in numbers):
        seq = [int(c) for c in numbers]
        if seq == list(range(seq[0], seq[0] + len(seq))):
            return True
        rows = [[int(c) for r in [row] for c in map(inline_text, r) if c.strip()] for row in table.rows]
        return all(r and r == list(range(r[0], r[0] + len(r))) for r in rows)
    return False


def resolve_tables(document: Document) -> Result[Document]:
    """Attach captions, drop placeholders and orphan captions, number, rewrite references.
    The document given is left as it is; the result is a new one."""
    doc = copy.deepcopy(document)
    messages: list[Message] = []
    attached: list[_Attached] = []
    for blocks in doc.block_lists():
        attached.extend(_attach(blocks, messages))
    for number, a in enumerate((a for a in attached if a.table.number != -1), start=1):
        a.table.number = number
        if not a.table.caption:
            messages.append(Message("table-caption", "warning", a.table.line, a.table.line, "",
                                    f"{table_label(doc.language, number)} has no title"))
    by_section = _tables_by_section(doc)
    for blocks, tables in by_section:
        messages.extend(_rewrite_references(blocks, tables, attached, doc.language))
    return Result(doc, messages)


def _attach(blocks: list[Block], messages: list[Message]) -> list[_Attached]:
    out: list[_Attached] = []
    used: set[int] = set()
    for i, b in enumerate(blocks):
        if not isinstance(b, Table):
            continue
        caption: Paragraph | None = None
        intro: Paragraph | None = None
        for k in (i - 1, i - 2):
            prev = blocks[k] if k >= 0 and k not in used else None
            if not isinstance(prev, Paragraph):
                break
            if caption is None and is_caption(prev):
                caption = prev
            elif intro is None and is_intro(prev) and (k == i - 1 or caption is not None):
                intro = prev
            else:
                break
            used.add(k)
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        if caption is None and isinstance(after, Paragraph) and is_caption(after):
            caption = after
            used.add(i + 1)
        first = i - (caption is not None and blocks[i - 1] is caption) - (intro is not None)
        lead_in = None
        if intro is None and first - 1 >= 0 and isinstance(blocks[first - 1], Paragraph):
            prev = blocks[first - 1]
            assert isinstance(prev, Paragraph)
            if _last_sentence_ref(prev) is not None:
                lead_in = prev
        original = _number_of(caption) or _number_of(intro) or _number_of(lead_in)
        if caption is not None:
            m = CAPTION_LINE_RE.match(inline_text(caption.inlines).strip())
            b.caption = m.group("title").strip() if m else ""
        out.append(_Attached(b, caption, intro, original, lead_in))
    drop: set[int] = {id(a.caption) for a in out if a.caption is not None}  # now the table's caption
    for a in out:
        if is_placeholder(a.table):
            a.table.number = -1
            parts = [x for x in (a.caption, a.table, a.intro) if x is not None]
            drop.update(id(x) for x in parts)
            messages.append(Message("placeholder-table", "warning", a.table.line, a.table.line,
                                    a.table.caption or _cells_excerpt(a.table),
                                    "placeholder table dropped with its caption and introducing sentence"))
            if a.lead_in is not None:
                gone = _drop_last_sentence(a.lead_in)
                if not a.lead_in.inlines:
                    drop.add(id(a.lead_in))
                messages.append(Message("placeholder-table", "warning", a.lead_in.line, a.lead_in.line, gone,
                                        "sentence introducing a dropped placeholder table removed"))
    for i, b in enumerate(blocks):
        if i in used or not is_caption(b):
            continue
        assert isinstance(b, Paragraph)
        drop.add(id(b))
        text = inline_text(b.inlines).strip()
        messages.append(Message("orphan-caption", "warning", b.line, b.line, text, "table caption with no table dropped"))
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if nxt is not None and is_intro(nxt) and not any(isinstance(x, Table) for x in blocks[i + 1 : i + 3]):
            assert isinstance(nxt, Paragraph)
            drop.add(id(nxt))
            messages.append(Message("orphan-caption", "warning", nxt.line, nxt.line, inline_text(nxt.inlines)[:80],
                                    "sentence introducing a missing table dropped"))
    blocks[:] = [b for b in blocks if id(b) not in drop]
    return [a for a in out if a.table.number != -1] + [a for a in out if a.table.number == -1]


# a pointer phrase that can go without breaking its sentence: 如表X所示， / （见表2） / as shown in Table 2,
_POINTER_RE = re.compile(
    r"如\s*表\s*(\d+|[xXＸ])\s*(所示|所列|中所示)\s*[，,]?|[（(]\s*(见|参见)\s*表\s*(\d+|[xXＸ])\s*[)）]|"
    r"\b[Aa]s (shown|listed|summari[sz]ed) in Table\s+(\d+|[xX])\s*,?\s*|(?<!\s)\s*+\((see )?Table\s+(\d+|[xX])\)"  # starts only where a space run starts: linear
)


def _drop_dangling(text: str, p: Paragraph, messages: list[Message]) -> str:
    """In a chapter with no table left, a phrase pointing at a table goes; other pointers stay
    and are reported."""
    for m in list(_POINTER_RE.finditer(text)):
        messages.append(Message("table-reference", "warning", p.line, p.line, m.group(0).strip(),
                                "phrase pointing at a table that is not published removed"))
    text = _POINTER_RE.sub("", text)
    for m in TABLE_REF_RE.finditer(text):
        messages.append(Message("table-reference", "warning", p.line, p.line, m.group(0),
                                f"“{m.group(0)}” refers to no published table; left as written"))
    return text


def _last_sentence_ref(p: Paragraph) -> re.Match[str] | None:
    """The table reference in the paragraph's last sentence, if there is one."""
    last = p.inlines[-1] if p.inlines else None
    if not isinstance(last, Text):
        return None
    body = last.text.rstrip()
    start = max(body.rfind(c, 0, len(body) - 1) for c in "。！？!?") + 1
    return TABLE_REF_RE.search(body, start)


def _drop_last_sentence(p: Paragraph) -> str:
    last = p.inlines[-1]
    assert isinstance(last, Text)
    body = last.text.rstrip()
    start = max(body.rfind(c, 0, len(body) - 1) for c in "。！？!?") + 1
    gone = body[start:]
    p.inlines[-1] = Text(body[:start])
    if not p.inlines[-1].text:  # type: ignore[union-attr]
        p.inlines.pop()
    return gone


def _cells_excerpt(table: Table) -> str:
    return " | ".join(inline_text(c) for c in table.header)[:80]


def _number_of(p: Paragraph | None) -> str | None:
    if p is None:
        return None
    m = TABLE_REF_RE.search(inline_text(p.inlines))
    return (m.group(2) or m.group(4)) if m else None


def _tables_by_section(doc: Document) -> list[tuple[list[Block], list[Table]]]:
    """Each block list with the tables of its chapter (references resolve within a chapter)."""
    out: list[tuple[list[Block], list[Table]]] = [(doc.abstract, [])]
    for chapter in doc.sections:
        sections = [chapter]
        stack = list(chapter.sections)
        while stack:
            s = stack.pop(0)
            sections.append(s)
            stack[0:0] = s.sections
        tables = [b for s in sections for b in s.blocks if isinstance(b, Table)]
        out.extend((s.blocks, tables) for s in sections)
    return out


def _rewrite_references(
    blocks: list[Block], tables: list[Table], attached: list[_Attached], language: str
) -> list[Message]:
    messages: list[Message] = []
    intro_of = {id(a.intro): a.table for a in attached if a.intro is not None}
    intro_of.update({id(a.lead_in): a.table for a in attached if a.lead_in is not None})
    by_original = {a.original: a.table for a in attached if a.original and a.original.isdigit() and a.table in tables}
    for b in blocks:
        if not isinstance(b, Paragraph):
            continue
        target_for_intro = intro_of.get(id(b))
        for idx, item in enumerate(b.inlines):
            if not isinstance(item, Text) or not TABLE_REF_RE.search(item.text):
                continue

            def replace(m: re.Match[str], b: Paragraph = b, target_for_intro: Table | None = target_for_intro) -> str:
                original = m.group(2) or m.group(4)
                target = target_for_intro or by_original.get(original) or (tables[0] if len(tables) == 1 else None)
                if target is None or target.number in (None, -1):
                    return m.group(0)
                return table_label(language, target.number)

            text = TABLE_REF_RE.sub(replace, item.text)
            if target_for_intro is None and not tables:
                text = _drop_dangling(text, b, messages)
            b.inlines[idx] = Text(text)
    return messages
