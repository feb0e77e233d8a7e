"""Tables in the published order: captions attached, placeholders dropped, numbers 1..k.

The pipeline was told not to number tables, so a caption arrives as `表X 标题`, `表3-1 标题`,
`Table 2. Title`, `**表2**：标题` … (the caption grammar is `publisher.markdown.numbering`),
above or below its table, with a wrong number or none; its text is kept and its number is ours.

Which table a caption belongs to, decided by adjacency and shape:
1. A caption belongs to a table next to it: the block right after it (or after one short
   pointer paragraph such as `如表1所示：`), or the block right before it.
2. A caption that ends with a colon points forward: only the table after it.
3. A caption with a table on both sides goes to the side the document uses: the side most
   of its unambiguous captions are on (above when they are even: the house style).
4. A table takes one caption; a second caption-shaped line next to it is its own thing
   (a caption of the neighbouring table, or a caption with no table, dropped and reported).
A caption with a title never loses it; a label with no title gives a table with no title
(reported).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from publisher.markdown.lexer import split_sentences
from publisher.markdown.numbering import (
    TABLE_REF_RE,
    is_caption_line,
    parse_caption,
    ref_numbers,
)
from publisher.model import (
    Block,
    Document,
    Emph,
    Inline,
    ListBlock,
    Message,
    Paragraph,
    Quote,
    Section,
    Strong,
    Table,
    Text,
    inline_text,
    table_label,
)
from publisher.result import Result, excerpt, message_at, said
from publisher.tables.pointers import rewrite_pointers

_PLACEHOLDER_CELL_RE = re.compile(
    r"^\s*+([.…\-—–_~·/]*|n/?a|tbd|待定|待补充|待填写?|无|空|数值|[xX]+\s*+%?|[?？]+|value|\.\.\.)\s*+$", re.I
)
_INTRO_START_RE = re.compile(r"^\s*+(如|见|由)?\s*+" + TABLE_REF_RE.pattern)
# a sentence that points at the table that follows without naming its number (见下表 / 结果如下：/
# summarised in the table below / as follows:): a lead-in only for a placeholder table, dropped with it
_POINTS_BELOW_RE = re.compile(
    r"(?:见|如|列于|列在|汇总于|总结于|整理于|归纳于|参见)下表|下表(?:列出|列举|汇总|给出|总结|比较|对比|展示|显示|归纳|概括|所示)"
    r"|(?:结果|数据|情况)如下|如下所示|[:：]\s*+$"
    r"|\b(?:the )?(?:following table|table below)\b|\bas follows\s*+[.:]?\s*+$"
    r"|\b(?:shown|listed|summari[sz]ed|given|compared|presented|reported|tabulated) below\b",
    re.I,
)
MAX_INTRO = 160


@dataclass
class Attached:
    table: Table
    caption: Paragraph | None
    intro: Paragraph | None
    original: str | None  # the number the caption or a pointer gave it ("3-1", "X")
    lead_in: Paragraph | None = None  # a paragraph whose last sentence points at the table
    below: bool = False  # the caption stood below the table


def is_caption(block: Block) -> bool:
    """A short paragraph in the caption grammar; a final stop only after a marked label
    (`Table 2. Title.`): `Table 2 shows … .` is a sentence."""
    if not isinstance(block, Paragraph):
        return False
    return is_caption_line(inline_text(block.inlines))


def is_intro(block: Block) -> bool:
    """A short paragraph that starts by pointing at a table (`如表1所示：`, `Table 2 lists …`)."""
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
    if numbers and all(c.isdecimal() for c in numbers):  # isdigit() takes `²`, which int() refuses
        seq = [int(c) for c in numbers]
        if seq == list(range(seq[0], seq[0] + len(seq))):
            return True
        rows = [[int(c) for r in [row] for c in map(inline_text, r) if c.strip()] for row in table.rows]
        return all(r and r == list(range(r[0], r[0] + len(r))) for r in rows)
    return False


def resolve_tables(document: Document) -> Result[Document]:
    """Attach captions, drop placeholders and orphan captions, number, rewrite pointers.
    The document given is left as it is; the result is a new one."""
    doc = _writable_copy(document)
    messages: list[Message] = []
    below = _captions_below(doc.block_lists())
    attached: list[Attached] = []
    for blocks in doc.block_lists():
        attached.extend(_attach(blocks, below, messages))
    for number, a in enumerate((a for a in attached if a.table.number != -1), start=1):
        a.table.number = number
        if a.below:
            messages.append(message_at("table-caption", "info", a.table.line, a.table.line, a.table.caption,
                                       said("caption below the table moved above {table}",
                                            table=table_label(doc.language, number))))
        if not a.table.caption:
            messages.append(message_at("table-caption", "warning", a.table.line, a.table.line, "",
                                       said("{table} has no title", table=table_label(doc.language, number))))
    messages.extend(rewrite_pointers(doc, attached))
    return Result(doc, messages)


def _writable_copy(doc: Document) -> Document:
    """A copy of the document in which this stage may change what it changes (block lists,
    tables, paragraphs and the inline lists it rewrites), sharing everything it never
    changes (text and citation inlines, table cells, references). A full deepcopy cost a
    sixth of the whole pipeline."""

    def inlines(items: list[Inline]) -> list[Inline]:
        return [replace(x, inlines=inlines(x.inlines)) if isinstance(x, Strong | Emph) else x for x in items]

    def blocks(items: list[Block]) -> list[Block]:
        return [block(b) for b in items]

    def block(b: Block) -> Block:
        if isinstance(b, Paragraph):
            return replace(b, inlines=inlines(b.inlines))
        if isinstance(b, ListBlock):
            return replace(b, items=[blocks(item) for item in b.items])
        if isinstance(b, Quote):
            return replace(b, blocks=blocks(b.blocks))
        return replace(b) if isinstance(b, Table) else b

    def section(s: Section) -> Section:
        return replace(s, blocks=blocks(s.blocks), sections=[section(x) for x in s.sections])

    return replace(doc, abstract=blocks(doc.abstract), sections=[section(s) for s in doc.sections])


# --------------------------------------------------------------------------- captions
def _sides(blocks: list[Block], k: int) -> tuple[int | None, int | None]:
    """(the table a caption at k stands above, the table it stands below), None for none."""
    after = None
    if k + 1 < len(blocks) and isinstance(blocks[k + 1], Table):
        after = k + 1
    elif k + 2 < len(blocks) and is_intro(blocks[k + 1]) and isinstance(blocks[k + 2], Table):
        after = k + 2
    before = k - 1 if k >= 1 and isinstance(blocks[k - 1], Table) else None
    return after, before


def _points_forward(block: Block) -> bool:
    return inline_text(block.inlines).rstrip().endswith((":", "："))  # type: ignore[union-attr]


def _captions_below(block_lists: list[list[Block]]) -> bool:
    """Whether the document's unambiguous captions stand below their tables (rule 3)."""
    above = below = 0
    for blocks in block_lists:
        for k, b in enumerate(blocks):
            if is_caption(b):
                after, before = _sides(blocks, k)
                above += after is not None and before is None
                below += before is not None and after is None
    return below > above


def _assign(blocks: list[Block], below_first: bool) -> dict[int, tuple[int, bool]]:
    """table index -> (caption index, whether the caption is below it)."""
    wishes: list[tuple[int, int, list[tuple[int, bool]]]] = []
    for k, b in enumerate(blocks):
        if not is_caption(b):
            continue
        after, before = _sides(blocks, k)
        sides = [(after, False)] if _points_forward(b) else [(before, True), (after, False)] if below_first \
            else [(after, False), (before, True)]
        options = [(t, is_below) for t, is_below in sides if t is not None]
        if options:
            wishes.append((len(options), k, options))
    owner: dict[int, tuple[int, bool]] = {}
    for _, k, options in sorted(wishes):  # captions with one possible table choose first
        for t, is_below in options:
            if t not in owner:
                owner[t] = (k, is_below)
                break
    return owner


def _attach(blocks: list[Block], below_first: bool, messages: list[Message]) -> list[Attached]:
    owner = _assign(blocks, below_first)
    out: list[Attached] = []
    used = {k for k, _ in owner.values()}
    for i, b in enumerate(blocks):
        if not isinstance(b, Table):
            continue
        k, is_below = owner.get(i, (None, False))
        caption = _paragraph(blocks, k)
        first = k if k is not None and not is_below else i  # the first block of the table's group
        intro_at = None
        if k is not None and not is_below and k + 2 == i:
            intro_at = k + 1  # caption, pointer, table
        elif first >= 1 and first - 1 not in used and is_intro(blocks[first - 1]):
            intro_at = first = first - 1
        if intro_at is not None:
            used.add(intro_at)
        intro = _paragraph(blocks, intro_at)
        prev = _paragraph(blocks, first - 1) if first - 1 not in used else None
        lead_in = prev if intro is None and prev is not None and _leads_in(prev, b) else None
        if caption is not None:
            c = parse_caption(inline_text(caption.inlines))
            b.caption = c.title if c else ""
        original = _label_of(caption) or _number_of(intro) or _last_label(lead_in)
        out.append(Attached(b, caption, intro, original, lead_in, is_below))
    drop: set[int] = {id(a.caption) for a in out if a.caption is not None}  # now the table's caption
    for a in out:
        if is_placeholder(a.table):
            _drop_placeholder(a, drop, messages)
    for i, b in enumerate(blocks):
        if i in used or not is_caption(b):
            continue
        _drop_orphan_caption(blocks, i, drop, messages)
    blocks[:] = [b for b in blocks if id(b) not in drop]
    return [a for a in out if a.table.number != -1] + [a for a in out if a.table.number == -1]


def _paragraph(blocks: list[Block], k: int | None) -> Paragraph | None:
    b = blocks[k] if k is not None and 0 <= k < len(blocks) else None
    return b if isinstance(b, Paragraph) else None


def _drop_placeholder(a: Attached, drop: set[int], messages: list[Message]) -> None:
    a.table.number = -1
    drop.update(id(x) for x in (a.caption, a.table, a.intro) if x is not None)
    messages.append(message_at("placeholder-table", "warning", a.table.line, a.table.line,
                               a.table.caption or _cells_excerpt(a.table),
                               said("placeholder table dropped with its caption and introducing sentence")))
    if a.lead_in is not None:
        gone = _drop_last_sentence(a.lead_in)
        if not a.lead_in.inlines:
            drop.add(id(a.lead_in))
        messages.append(message_at("placeholder-table", "warning", a.lead_in.line, a.lead_in.line, gone,
                                   said("the sentence “{text}” introducing a dropped placeholder table removed",
                                        text=gone)))


def _drop_orphan_caption(blocks: list[Block], i: int, drop: set[int], messages: list[Message]) -> None:
    b = blocks[i]
    assert isinstance(b, Paragraph)
    drop.add(id(b))
    caption = inline_text(b.inlines).strip()
    messages.append(message_at("orphan-caption", "warning", b.line, b.line, caption,
                               said("the table caption “{text}” has no table; removed", text=excerpt(caption))))
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if nxt is not None and is_intro(nxt) and not any(isinstance(x, Table) for x in blocks[i + 1 : i + 3]):
        assert isinstance(nxt, Paragraph)
        drop.add(id(nxt))
        sentence = inline_text(nxt.inlines)
        messages.append(message_at("orphan-caption", "warning", nxt.line, nxt.line, sentence,
                                   said("the sentence “{text}” introduces a table that is missing; removed",
                                        text=excerpt(sentence))))


def _leads_in(p: Paragraph, table: Table) -> bool:
    """Whether the paragraph's last sentence points at the table after it: by its number, or,
    for a placeholder table, with no number at all ("各地田间试验的结果见下表。")."""
    if _last_sentence_ref(p) is not None:
        return True
    last = p.inlines[-1] if p.inlines else None
    if not isinstance(last, Text) or not is_placeholder(table):
        return False
    body = last.text.rstrip()
    return bool(_POINTS_BELOW_RE.search(body[_sentence_start(body):]))


def _sentence_start(body: str) -> int:
    """Where the last sentence of `body` starts (the one sentence splitter: `1.5 m`, `et al.`)."""
    sentences = split_sentences(body)
    return len(body) - len(sentences[-1]) if sentences else 0


def _last_sentence_ref(p: Paragraph) -> re.Match[str] | None:
    """The table pointer in the paragraph's last sentence, if there is one."""
    last = p.inlines[-1] if p.inlines else None
    if not isinstance(last, Text):
        return None
    body = last.text.rstrip()
    return TABLE_REF_RE.search(body, _sentence_start(body))


def _drop_last_sentence(p: Paragraph) -> str:
    last = p.inlines[-1]
    assert isinstance(last, Text)
    body = last.text.rstrip()
    start = _sentence_start(body)
    gone = body[start:]
    p.inlines[-1] = Text(body[:start])
    if not p.inlines[-1].text:  # type: ignore[union-attr]
        p.inlines.pop()
    return gone


def _cells_excerpt(table: Table) -> str:
    return " | ".join(inline_text(c) for c in table.header)[:80]


def _label_of(caption: Paragraph | None) -> str | None:
    c = parse_caption(inline_text(caption.inlines)) if caption is not None else None
    return c.label if c else None


def _number_of(p: Paragraph | None) -> str | None:
    m = TABLE_REF_RE.search(inline_text(p.inlines)) if p is not None else None
    return ref_numbers(m)[0] if m else None


def _last_label(p: Paragraph | None) -> str | None:
    m = _last_sentence_ref(p) if p is not None else None
    return ref_numbers(m)[0] if m else None
