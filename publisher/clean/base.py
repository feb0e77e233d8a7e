"""What every cleaning rule shares: the rule signature, report messages, line shapes."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable

from publisher.model import Message, Severity
from publisher.reader import SourceLine

Lines = list[SourceLine]
# A rule takes the lines of one generation and returns the lines it keeps and what it did.
Rule = Callable[[Lines], tuple[Lines, list[Message]]]

# the title is taken whole and its closing #s stripped in heading(): a lazy title before
# [ \t#]*$ would rescan the tail at every character (quadratic on "# ####…x")
HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})(?:[ \t]++(.*)|[ \t#]*+)$")
FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
LIST_RE = re.compile(r"^\s*(?:[-*+•·]|\d{1,3}[.)、]|[（(]\d{1,3}[)）])\s+")
TABLE_ROW_RE = re.compile(r"^\s*[|｜].*[|｜]\s*$|^[^|\n]*\|[^|\n]*\|")
# Citation markers of every notation, used where a rule must see text without them.
CITE_RE = re.compile(r"\^?\[\^?\d+(?:\s*[-–—,，、]\s*\d+)*\]|【\d+(?:\s*[-–—,，、]\s*\d+)*】")
SENTENCE_END = "。！？!?.…；;"
CLOSERS = "\"'”’）)」』】]》*_ "
EXCERPT_CHARS = 80


def heading(text: str) -> tuple[int, str] | None:
    """(level, title) when the line is an ATX heading."""
    m = HEADING_RE.match(text)
    if not m:
        return None
    return len(m.group(1)), (m.group(2) or "").rstrip(" \t#").strip()


def is_blank(line: SourceLine) -> bool:
    return not line.text.strip()


def excerpt(lines: Iterable[SourceLine] | str) -> str:
    text = lines if isinstance(lines, str) else " ".join(ln.text.strip() for ln in lines if ln.text.strip())
    # only the start is shown: normalising a whole megabyte line for every message of it
    # would make a rule quadratic in the line's length
    text = re.sub(r"\s+", " ", text.strip()[: EXCERPT_CHARS * 4]).strip()
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def message(rule: str, severity: Severity, lines: list[SourceLine], what: str) -> Message:
    nos = [ln.no for ln in lines] or [0]
    return Message(rule, severity, min(nos) or None, max(nos) or None, excerpt(lines), what)


def fenced(lines: Lines) -> list[bool]:
    """For each line, whether it is inside (or is a delimiter of) a closed code fence."""
    mask = [False] * len(lines)
    # Only lines that start with a fence can close one; the search jumps between them and
    # remembers, per fence character, the shortest fence that found no closing line after
    # it (a longer one later finds none either), so many unclosed fences stay linear.
    candidates = [k for k, ln in enumerate(lines) if ln.text.strip()[:3] in ("```", "~~~")]
    never_closed: dict[str, tuple[int, int]] = {}
    i = 0
    while i < len(lines):
        m = FENCE_RE.match(lines[i].text)
        if m:
            j = _closing_fence(lines, i, m.group(1), candidates, never_closed)
            if j is not None:
                for k in range(i, j + 1):
                    mask[k] = True
                i = j
        i += 1
    return mask


def _closing_fence(lines: Lines, i: int, marker: str, candidates: list[int],
                   never_closed: dict[str, tuple[int, int]]) -> int | None:
    char = marker[0]
    seen = never_closed.get(char)
    if seen is not None and seen[0] < i and seen[1] <= len(marker):
        return None
    for k in range(bisect_right(candidates, i), len(candidates)):
        t = lines[candidates[k]].text.strip()
        if t.startswith(char * len(marker)) and not t.strip(char):
            return candidates[k]
    never_closed[char] = (i, len(marker))
    return None


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
