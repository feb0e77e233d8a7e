"""Pipe tables, including broken ones: lines -> a Table block, repaired so no cell is lost.

Repairs (each reported): a missing separator row, a separator with the wrong count or in
the wrong place, short rows (padded), long rows (extra cells folded into the last cell, or
the table widened when most rows are longer than the header), stray spaces.
"""

from __future__ import annotations

import re

from publisher.inlines import parse_inlines
from publisher.model import Cell, Message, Table, Text
from publisher.reader import SourceLine

_SEP_CELL_RE = re.compile(r"^\s*:?[-—－=]{1,}:?\s*$")
_PIPE_SPLIT_RE = re.compile(r"(?<!\\)[|｜]")
# A caption line: "表1 标题", "表X 表格：标题", "Table 2: Title" (the number is replaced later).
CAPTION_LINE_RE = re.compile(
    r"^[*_]*\s*(?:表\s*(?P<zh>\d+|[xXＸ])|Table\s*(?P<en>\d+|[xX]))(?:\s*[:：.．]\s*|\s+)"
    # the title ends at its last character that is not a space or emphasis mark; a lazy
    # title before a [*_\s]* tail would rescan the tail at every character (quadratic)
    r"(?:表格\s*[:：]\s*|table\s*[:：]\s*)?(?P<title>\S(?:.*[^\s*_])?)[\s*_]*$",
    re.I,
)
TABLE_LINE_RE = re.compile(r"^\s*[|｜]|(?<!\\)[|｜].*(?<!\\)[|｜]")


def is_table_line(text: str) -> bool:
    t = text.strip()
    return bool(t) and bool(TABLE_LINE_RE.search(t)) and not t.startswith(("#", ">", "```"))


def split_row(text: str) -> list[str]:
    t = text.strip()
    if t[:1] in "|｜":
        t = t[1:]
    if t[-1:] in "|｜" and not t.endswith("\\|"):
        t = t[:-1]
    return [c.strip().replace("\\|", "|") for c in _PIPE_SPLIT_RE.split(t)]


def is_separator(cells: list[str]) -> bool:
    return bool(cells) and all(_SEP_CELL_RE.match(c) for c in cells if c.strip()) and any(c.strip() for c in cells)


def parse_table(lines: list[SourceLine]) -> tuple[Table, list[Message]]:
    """Table lines -> Table (number and caption are set later by the captions stage)."""
    rows = [split_row(ln.text) for ln in lines]
    repairs: list[str] = []
    seps = [i for i, r in enumerate(rows) if is_separator(r)]
    if not seps or seps[0] != 1:
        repairs.append("missing separator row" if not seps else "separator row out of place")
    header_width = len(rows[0])
    if seps and seps[0] == 1 and len(rows[1]) != header_width:
        repairs.append(f"separator has {len(rows[1])} cells for {header_width} columns")
    if len(seps) > 1 or (seps and seps[0] != 1):
        repairs.append(f"{len(seps) - (1 if seps and seps[0] == 1 else 0)} stray separator row(s) dropped")
    sep_rows = set(seps)  # a list here made tables of many separator rows quadratic
    data = [r for i, r in enumerate(rows) if i not in sep_rows]
    header, body = data[0], data[1:]
    width = _width(header, body)
    if width > len(header):
        repairs.append(f"header widened from {len(header)} to {width} columns")
        header = header + [""] * (width - len(header))
    fixed: list[list[str]] = []
    for r in body:
        if len(r) < width:
            repairs.append(f"short row padded ({len(r)} of {width} cells)")
            r = r + [""] * (width - len(r))
        elif len(r) > width:
            repairs.append(f"long row: {len(r) - width} extra cell(s) folded into the last column")
            r = r[: width - 1] + [" | ".join(c for c in r[width - 1 :] if c)]
        fixed.append(r)
    table = Table(
        number=None,
        caption="",
        header=[_cell(c) for c in header],
        rows=[[_cell(c) for c in r] for r in fixed],
        line=lines[0].no,
    )
    messages = []
    if repairs:
        messages.append(
            Message(
                "table-repair",
                "warning",
                lines[0].no,
                lines[-1].no,
                lines[0].text.strip()[:80],
                "table repaired: " + "; ".join(dict.fromkeys(repairs)),
            )
        )
    return table, messages


def _width(header: list[str], body: list[list[str]]) -> int:
    """The header's width, unless most body rows are wider (then the header was short)."""
    if not body:
        return len(header)
    wider = [len(r) for r in body if len(r) > len(header)]
    if len(wider) > len(body) / 2:
        return max(wider)
    return len(header)


def _cell(text: str) -> Cell:
    return (parse_inlines(text) or [Text(text)]) if text else []
