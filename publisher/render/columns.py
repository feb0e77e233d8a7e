"""Column widths from the content of a table, shared by the writers that fix them (DOCX, PDF).

Widths are counted in display columns: a CJK or full-width character takes two, a Latin
letter one. A column gets at least what it cannot break: a short header whole ("准确率",
"Reference": up to six CJK characters) and its longest Latin word; what is left of the line
goes to the columns that hold more text, in proportion to how much more.
"""

from __future__ import annotations

import re
import unicodedata

from publisher.model import Table, inline_text

SHORT_HEADER = 12  # display columns (six CJK characters): a header this short never breaks
LONGEST_WORD = 20  # a Latin word longer than this may break (URLs, identifiers)
MIN_COLUMN = 4  # display columns: no column narrower than two CJK characters
MAX_COLUMN = 60  # a column of sentences asks for no more than this
PADDING = 3  # display columns of cell margins, left and right together
LINE = 90  # display columns of a table's line (A4 text width at table text size)
LATIN = 1.15  # display columns of a Latin letter, on average, in the body faces

_LATIN_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f][0-9A-Za-z\u00c0-\u024f'’._%/+-]*")


def display_width(text: str) -> int:
    """Columns a string takes on paper: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def layout_width(text: str) -> float:
    """display_width with Latin letters a little wider than half a CJK character, as they are
    in the serif faces the writers use."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else LATIN for ch in text)


def _unbreakable(text: str) -> float:
    return max((len(w) * LATIN for w in _LATIN_WORD.findall(text)), default=0)


def column_widths(table: Table, width: int) -> list[tuple[float, float]]:
    """(floor, natural) of each column in display columns: what it must have, what it would like."""
    floors: list[float] = [MIN_COLUMN] * width
    natural: list[float] = [MIN_COLUMN] * width
    for k, cell in enumerate(table.header[:width]):
        text = inline_text(cell)
        whole = layout_width(text)
        # a short header stays whole; a longer one may wrap between its words
        floors[k] = max(floors[k], whole if whole <= SHORT_HEADER else min(_unbreakable(text), SHORT_HEADER))
    for row in [table.header, *table.rows]:
        for k, cell in enumerate(row[:width]):
            text = inline_text(cell)
            floors[k] = max(floors[k], min(_unbreakable(text), LONGEST_WORD))
            natural[k] = max(natural[k], min(layout_width(text), MAX_COLUMN))
    return [(f, max(f, n)) for f, n in zip(floors, natural, strict=True)]


def column_shares(table: Table, width: int, line: int = LINE) -> list[float]:
    """Each column's share of the line (summing to 1): floors first, the rest by need."""
    sizes = column_widths(table, width)
    if not sizes:
        return []
    wanted: list[float] = [n + PADDING for _, n in sizes]
    if sum(wanted) <= line:
        columns = wanted
    else:
        floors: list[float] = [f + PADDING for f, _ in sizes]
        spare = line - sum(floors)
        extra = [n - f for f, n in sizes]
        if spare <= 0 or not sum(extra):
            columns = floors
        else:
            columns = [f + spare * e / sum(extra) for f, e in zip(floors, extra, strict=True)]
    total = sum(columns)
    return [round(c / total, 4) for c in columns]
