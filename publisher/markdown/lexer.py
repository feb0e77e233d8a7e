"""The structural lexer: what a line of content is (heading, fence, table row, list item,
caption, blank, prose), decided in one place for every stage.

Cleaning rules and assembly ask these functions, never their own patterns, so that a line
one stage takes for a table row or a fence is one for the next. The shapes follow
CommonMark where markdown-it-py (which assembly uses inside a block) reads them the same
way, and add what broken LLM markdown needs: pipe rows without a separator, unterminated
fences (see `scan_fence`); the numbering shapes (heading number prefixes, captions in any
numbering style, pointers to tables) live in `publisher.markdown.numbering`.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from publisher.markdown.notation import ANY_MARKER_RE
from publisher.markdown.numbering import CAPTION_LINE_RE, parse_caption, strip_numbering
from publisher.source import SourceLine
from publisher.text import CLOSERS, SENTENCE_END

__all__ = [
    "CAPTION_LINE_RE", "CITE_RE", "CLOSERS", "FENCE_RE", "HEADING_RE", "LIST_RE", "SENTENCE_END",
    "Lines", "fenced", "heading", "is_blank", "is_table_row", "paragraphs", "parse_caption", "plain", "scan_fence",
    "strip_numbering",
]

Lines = list[SourceLine]

# the title is taken whole and its closing #s stripped in heading(): a lazy title before
# [ \t#]*$ would rescan the tail at every character (quadratic on "# ####…x")
HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})(?:[ \t]++(.*)|[ \t#]*+)$")
FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_FENCE_WITH_INFO_RE = re.compile(r"^(`{3,}|~{3,})\s*[A-Za-z][\w+-]*\s*$")
LIST_RE = re.compile(r"^\s*(?:[-*+•·]|\d{1,3}[.)、]|[（(]\d{1,3}[)）])\s+")
# a pipe row: starts with a pipe, or holds two unescaped pipes
_TABLE_ROW_RE = re.compile(r"^\s*[|｜]|(?<!\\)[|｜].*(?<!\\)[|｜]")
# Citation markers of every notation, for where a rule must see text without them.
CITE_RE = ANY_MARKER_RE


def heading(text: str) -> tuple[int, str] | None:
    """(level, title) when the line is an ATX heading."""
    m = HEADING_RE.match(text)
    if not m:
        return None
    return len(m.group(1)), (m.group(2) or "").rstrip(" \t#").strip()


def is_blank(line: SourceLine) -> bool:
    return not line.text.strip()


def is_table_row(text: str) -> bool:
    """A line of a pipe table (headings, quotes and fences are never rows)."""
    t = text.strip()
    return bool(t) and bool(_TABLE_ROW_RE.search(t)) and not t.startswith(("#", ">", "```"))


def is_fence_line(line: SourceLine) -> bool:
    return line.text.strip()[:3] in ("```", "~~~")


def scan_fence(
    lines: Lines, i: int, marker: str, fence_lines: list[int], never_closed: dict[str, tuple[int, int]],
    *, stop_at_opener: bool = False,
) -> tuple[int | None, int | None]:
    """(the line that closes the fence opened at i, or None; with `stop_at_opener`, a later
    opener with an info string that shows this fence was never closed, or None).

    Only lines that start with a fence can close one (`fence_lines`, ascending); the search
    remembers per fence character the shortest fence that found no closing line after it (a
    longer one later finds none either), so many unclosed fences stay linear.
    """
    char = marker[0]
    seen = never_closed.get(char)
    if seen is not None and seen[0] < i and seen[1] <= len(marker):
        return None, None
    for k in range(bisect_right(fence_lines, i), len(fence_lines)):
        j = fence_lines[k]
        t = lines[j].text.strip()
        if t.startswith(char * len(marker)) and not t.strip(char):
            return j, None
        if stop_at_opener and t[0] == char and _FENCE_WITH_INFO_RE.match(t):
            return None, j
    never_closed[char] = (i, len(marker))
    return None, None


def fenced(lines: Lines) -> list[bool]:
    """For each line, whether it is inside (or is a delimiter of) a closed code fence."""
    mask = [False] * len(lines)
    fence_lines = [k for k, ln in enumerate(lines) if is_fence_line(ln)]
    never_closed: dict[str, tuple[int, int]] = {}
    i = 0
    while i < len(lines):
        m = FENCE_RE.match(lines[i].text)
        if m:
            j, _ = scan_fence(lines, i, m.group(1), fence_lines, never_closed)
            if j is not None:
                for k in range(i, j + 1):
                    mask[k] = True
                i = j
        i += 1
    return mask


def paragraphs(lines: Lines) -> list[tuple[int, int]]:
    """[start, end) index ranges of runs of non-blank lines."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if is_blank(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and not is_blank(lines[j]):
            j += 1
        out.append((i, j))
        i = j
    return out


def plain(text: str) -> str:
    """Text with markdown emphasis, citation markers and surrounding space removed."""
    text = CITE_RE.sub("", text)
    return re.sub(r"[*_`]+", "", text).strip()
