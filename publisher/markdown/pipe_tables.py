"""Pipe tables, including broken ones: lines -> rows of cells, repaired so no cell is lost.

Repairs (each reported): a missing separator row, a separator with the wrong count or in
the wrong place, short rows (padded), long rows (extra cells folded into the last cell, or
the table widened when most rows are longer than the header), stray spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from publisher.i18n import N_
from publisher.model import Message
from publisher.result import message_at, said
from publisher.source import SourceLine

_SEP_CELL_RE = re.compile(r"^\s*:?[-—－=]{1,}:?\s*$")
_PIPE_SPLIT_RE = re.compile(r"(?<!\\)[|｜]")
def split_row(text: str) -> list[str]:
    t = text.strip()
    if t[:1] in "|｜":
        t = t[1:]
    if t[-1:] in "|｜" and not t.endswith("\\|"):
        t = t[:-1]
    return [c.strip().replace("\\|", "|") for c in _PIPE_SPLIT_RE.split(t)]


def is_separator(cells: list[str]) -> bool:
    return bool(cells) and all(_SEP_CELL_RE.match(c) for c in cells if c.strip()) and any(c.strip() for c in cells)


@dataclass
class PipeTable:
    """A repaired pipe table: cells as markdown source, every row as wide as the header."""

    header: list[str]
    rows: list[list[str]]
    line: int


def parse_table(lines: list[SourceLine]) -> tuple[PipeTable, list[Message]]:
    """Table lines -> the cells of a repaired table, and what was repaired."""
    rows = [split_row(ln.text) for ln in lines]
    repairs: list[str] = []  # catalogue ids, said as a list
    seps = [i for i, r in enumerate(rows) if is_separator(r)]
    if not seps or seps[0] != 1:
        repairs.append(N_("missing separator row") if not seps else N_("separator row out of place"))
    header_width = len(rows[0])
    if seps and seps[0] == 1 and len(rows[1]) != header_width:
        repairs.append(N_("separator row with the wrong number of cells"))
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
            repairs.append(N_("short row padded with empty cells"))
            r = r + [""] * (width - len(r))
        elif len(r) > width:
            repairs.append(N_("long row: extra cells folded into the last column"))
            r = r[: width - 1] + [" | ".join(c for c in r[width - 1 :] if c)]
        fixed.append(r)
    table = PipeTable(header, fixed, lines[0].no)
    messages = []
    if repairs:
        messages.append(
            message_at(
                "table-repair",
                "warning",
                lines[0].no,
                lines[-1].no,
                lines[0].text.strip()[:80],
                said("table repaired: {repairs}", repairs=list(dict.fromkeys(repairs))),
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
