"""Markdown lines of one section -> model blocks (paragraphs, lists, quotes, code, tables).

Pipe tables are cut out first (the lexer's table rows, outside code fences) and parsed by
`publisher.markdown.pipe_tables`, which repairs the broken ones markdown-it would not
recognise; the rest goes through markdown-it-py with raw HTML,
link reference definitions, setext headings and indented code switched off, so text stays
text. Inline citations of every notation become Cite inlines here.
"""

from __future__ import annotations

from markdown_it.token import Token

from publisher.assemble.inlines import MD, InlineParser
from publisher.markdown.lexer import CAPTION_LINE_RE, fenced, is_table_row
from publisher.markdown.notation import Supplied
from publisher.markdown.pipe_tables import PipeTable, parse_table
from publisher.model import Block, Cell, CodeBlock, ListBlock, Message, Paragraph, Quote, Strong, Table, Text
from publisher.result import message_at, said
from publisher.source import SourceLine


# --------------------------------------------------------------------------- blocks
def parse_blocks(lines: list[SourceLine], supplied: Supplied = None) -> tuple[list[Block], list[Message]]:
    """The body lines of one section -> blocks, in order. `supplied`: the numbers of the
    supplied reference list, which decide ambiguous citation notations."""
    blocks: list[Block] = []
    inline = InlineParser(supplied)
    messages = inline.messages
    in_fence = fenced(lines)
    i = 0
    chunk: list[SourceLine] = []
    while i < len(lines):
        if in_fence[i]:
            chunk.append(lines[i])
            i += 1
            continue
        if is_table_row(lines[i].text) and _table_starts(lines, i, in_fence):
            blocks.extend(_markdown_blocks(chunk, inline))
            chunk = []
            j = i
            while j < len(lines) and is_table_row(lines[j].text) and not in_fence[j]:
                j += 1
            table, msgs = parse_table(lines[i:j])
            blocks.append(table_block(table, inline))
            messages.extend(msgs)
            i = j
            continue
        if CAPTION_LINE_RE.match(lines[i].text.strip()):
            # a caption is always a paragraph of its own, even with no blank line around it
            blocks.extend(_markdown_blocks(chunk, inline))
            blocks.extend(_markdown_blocks([lines[i]], inline))
            chunk = []
        else:
            chunk.append(lines[i])
        i += 1
    blocks.extend(_markdown_blocks(chunk, inline))
    return blocks, messages


def _table_starts(lines: list[SourceLine], i: int, in_fence: list[bool]) -> bool:
    """A table is two or more table lines in a row (a lone `a | b` line is prose)."""
    return i + 1 < len(lines) and is_table_row(lines[i + 1].text) and not in_fence[i + 1]


def table_block(table: PipeTable, inline: InlineParser | None = None) -> Table:
    """Number and caption are set later, by the tables stage."""
    parser = inline or InlineParser()
    return Table(None, "", [_cell(c, parser, table.line) for c in table.header],
                 [[_cell(c, parser, table.line) for c in r] for r in table.rows], table.line)


def _cell(text: str, inline: InlineParser, line: int | None) -> Cell:
    return (inline.parse(text, line) or [Text(text)]) if text else []


def _markdown_blocks(lines: list[SourceLine], inline: InlineParser) -> list[Block]:
    if not any(ln.text.strip() for ln in lines):
        return []
    # blank lines keep markdown's paragraph boundaries; line numbers map tokens back
    text = "\n".join(ln.text for ln in lines)
    numbers = [ln.no for ln in lines]
    tokens = MD.parse(text)
    if any(tok.level >= MD.options["maxNesting"] - 2 for tok in tokens):
        return _flattened(lines, inline)
    blocks, _ = _block_tokens(tokens, 0, numbers, None, inline)
    return blocks


def _flattened(lines: list[SourceLine], inline: InlineParser) -> list[Block]:
    """Lists or quotes nested deeper than markdown-it goes: past its nesting limit it drops
    the rest of the block silently, so every line becomes a paragraph of its own instead."""
    blocks: list[Block] = []
    for ln in lines:
        text = ln.text.strip()
        if text:
            blocks.append(Paragraph(inline.parse(text, ln.no) or [Text(text)], ln.no))
    kept = [ln for ln in lines if ln.text.strip()]
    inline.messages.append(message_at("deep-nesting", "warning", kept[0].no, kept[-1].no, kept[0].text.strip()[:80],
                                      said("lists or quotes nested too deeply; flattened into paragraphs")))
    return blocks


def _line(tok: Token, numbers: list[int]) -> int | None:
    return numbers[tok.map[0]] if tok.map and tok.map[0] < len(numbers) else None


def _block_tokens(
    tokens: list[Token], i: int, numbers: list[int], closing: str | None, inline: InlineParser
) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    while i < len(tokens):
        tok = tokens[i]
        if closing is not None and tok.type == closing:
            return blocks, i + 1
        if tok.type in ("paragraph_open", "heading_open"):
            source = tokens[i + 1]
            inlines = inline.from_tokens(source.children or [], _line(tok, numbers), bool(source.meta.get("links_off")))
            if tok.type == "heading_open" and inlines:
                # top-level headings were taken out by assembly: this one sits in a list or quote
                inlines = [Strong(inlines)]
                line = _line(tok, numbers)
                inline.messages.append(message_at("nested-heading", "info", line, line,
                                                  source.meta.get("source", source.content)[:80],
                                                  said("heading inside a list or quote published as bold text")))
            if inlines:
                blocks.append(Paragraph(inlines, _line(tok, numbers)))
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrGet("start") or 1)
            items: list[list[Block]] = []
            j = i + 1
            close = tok.type.replace("_open", "_close")
            while tokens[j].type != close:
                item, j = _block_tokens(tokens, j + 1, numbers, "list_item_close", inline)
                items.append(item)
            blocks.append(ListBlock(tok.type.startswith("ordered"), items, start, _line(tok, numbers)))
            i = j + 1
        elif tok.type == "blockquote_open":
            inner, i = _block_tokens(tokens, i + 1, numbers, "blockquote_close", inline)
            blocks.append(Quote(inner, _line(tok, numbers)))
        elif tok.type in ("fence", "code_block"):
            blocks.append(CodeBlock(tok.content.rstrip("\n"), (tok.info or "").strip().split(" ")[0], _line(tok, numbers)))
            i += 1
        else:
            i += 1
    return blocks, i

