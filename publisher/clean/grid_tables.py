"""Grid tables (pandoc, reStructuredText, Emacs org): read as the pipe table they mean.

A grid table is framed by border lines made of `+` and `-` (`+-----+-----+`), with `=` in the
border under the header (`+=====+=====+`) and `:` for alignment. Between two borders stands one
row; its cells are separated by `|`, and a row may run over several lines (each cell's lines
join with a space). The rows above the `=` border are the header; a table without one takes
its first row as header, as an HTML table does. What comes out is a pipe table with the same
cells, each row numbered with the source line it starts on; the caption line around it is left
as it is for the tables stage (`Table X:` above or below).

Cells are split at the `|` of each line, not at the columns of the border: a model lines its
borders up by eye, and a wide (CJK) character counts twice for the eye and once in the text.
A row whose cells do not match the header in number is passed on as it is; the tables stage
repairs ragged rows and reports them.

Near-misses, left alone: a box of one cell (ASCII art around a single word or formula), border
lines with no row between them, a `+---+` line inside prose, anything in a code fence.
"""

from __future__ import annotations

import re

from publisher.source import SourceLine

BORDER_RE = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
_SPLIT_RE = re.compile(r"(?<!\\)\|")
MIN_COLUMNS = 2  # a one-cell box is a drawing, not a table
MAX_LINES = 2000


def read_grid_table(lines: list[SourceLine], i: int) -> tuple[int, list[SourceLine]] | None:
    """The grid table whose top border is line i: one past its last line, and the pipe table
    lines it means; None when line i opens no grid table."""
    if not BORDER_RE.match(lines[i].text) or (i > 0 and _in_block(lines[i - 1].text)):
        return None  # only the top of a block is read: a block that is no table is scanned once
    end = i + 1
    while end < min(len(lines), i + MAX_LINES) and (BORDER_RE.match(lines[end].text) or _ROW_RE.match(lines[end].text)):
        end += 1
    while end > i and not BORDER_RE.match(lines[end - 1].text):  # a row never closed is no complete row
        end -= 1
    rows, header_rows = _rows(lines[i:end])
    if not rows or max(len(r) for _, r in rows) < MIN_COLUMNS:
        return None
    head = rows[: max(header_rows, 1)]
    body = rows[max(header_rows, 1) :]
    header = [" ".join(c for c in col if c) for col in _columns([r for _, r in head])]
    out = [SourceLine(head[0][0], _pipe_row(header)), SourceLine(head[-1][0], "|" + "---|" * len(header))]
    out.extend(SourceLine(no, _pipe_row(cells)) for no, cells in body)
    return end, out


def _in_block(text: str) -> bool:
    return bool(BORDER_RE.match(text) or _ROW_RE.match(text))


def _rows(block: list[SourceLine]) -> tuple[list[tuple[int, list[str]]], int]:
    """Each row (its first line's number, its cells) and how many rows the header holds
    (0 when no `=` border)."""
    rows: list[tuple[int, list[str]]] = []
    pending: list[SourceLine] = []
    header_rows = 0
    for ln in block:
        if not BORDER_RE.match(ln.text):
            pending.append(ln)
            continue
        if pending:
            parts = [_cells(p.text) for p in pending]
            rows.append((pending[0].no, [" ".join(c for c in col if c) for col in _columns(parts)]))
            pending = []
        if "=" in ln.text and not header_rows:
            header_rows = len(rows)
    return rows, header_rows


def _cells(text: str) -> list[str]:
    return [c.strip() for c in _SPLIT_RE.split(text.strip())[1:-1]]


def _columns(parts: list[list[str]]) -> list[list[str]]:
    """The lines of a row (or of the header rows) turned into columns of text pieces."""
    width = max(len(p) for p in parts)
    return [[p[k] for p in parts if k < len(p)] for k in range(width)]


def _pipe_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
