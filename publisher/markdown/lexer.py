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
from functools import lru_cache

from publisher.markdown.notation import ANY_MARKER_RE
from publisher.markdown.numbering import CAPTION_LINE_RE, parse_caption, strip_numbering
from publisher.source import SourceLine
from publisher.text import CLOSERS, FULL_STOPS, PAIRED_MARKS, QUOTE_MARKS, SENTENCE_END

__all__ = [
    "CAPTION_LINE_RE", "CITE_RE", "CLOSERS", "FENCE_RE", "HEADING_RE", "LIST_RE", "SENTENCE_END",
    "Lines", "fenced", "heading", "is_blank", "is_table_row", "paragraphs", "parse_caption", "plain", "scan_fence",
    "split_sentences", "strip_numbering",
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
    if "#" not in text:  # most lines (asked by every rule): no regex call
        return None
    m = HEADING_RE.match(text)
    if not m:
        return None
    return len(m.group(1)), (m.group(2) or "").rstrip(" \t#").strip()


def is_blank(line: SourceLine) -> bool:
    return not line.text.strip()


def is_table_row(text: str) -> bool:
    """A line of a pipe table (headings, quotes and fences are never rows)."""
    if "|" not in text and "｜" not in text:  # most lines: no pipe, no row (and no regex search)
        return False
    t = text.strip()
    return bool(t) and bool(_TABLE_ROW_RE.search(t)) and not t.startswith(("#", ">", "```"))


def is_fence_line(line: SourceLine) -> bool:
    text = line.text
    # most lines hold no fence marker at all: `in` looks without copying the line
    return ("```" in text or "~~~" in text) and text.strip()[:3] in ("```", "~~~")


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
    done = -1  # the last line of the last closed fence: openers before it are inside it
    for i in fence_lines:  # a line FENCE_RE matches is a fence line: only those can open one
        m = FENCE_RE.match(lines[i].text) if i > done else None
        if m:
            j, _ = scan_fence(lines, i, m.group(1), fence_lines, never_closed)
            if j is not None:
                mask[i : j + 1] = [True] * (j + 1 - i)
                done = j
    return mask


def paragraphs(lines: Lines) -> list[tuple[int, int]]:
    """[start, end) index ranges of runs of non-blank lines."""
    out: list[tuple[int, int]] = []
    start = None  # where the run in progress started
    for i, ln in enumerate(lines):
        if ln.text and not ln.text.isspace():  # not blank (what strip() would leave empty)
            start = i if start is None else start
        elif start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(lines)))
    return out


def plain(text: str) -> str:
    """Text with markdown emphasis, citation markers and surrounding space removed."""
    text = CITE_RE.sub("", text)
    return re.sub(r"[*_`]+", "", text).strip()


# ------------------------------------------------------------------------ sentences
_MARKS = {**PAIRED_MARKS, **QUOTE_MARKS}
_CLOSING = frozenset(_MARKS.values())
_EVENT_RE = re.compile("[" + re.escape("".join(sorted(set(_MARKS) | _CLOSING)) + FULL_STOPS) + "]")
# a '.' right after one of these is no sentence end (the 8 characters before it are searched)
_ABBREVIATION_RE = re.compile(
    r"(?:\bal|\be\.g|\bi\.e|\betc|\bvs|\bfigs?|\brefs?|\bno|\beqs?|\bdr|\bmr|\bms|\bprof|\bca|\bcf|\bpp?"
    r"|\bvol|\bsec|\bch|\bapprox|\bst)\.$",
    re.I,
)


def split_sentences(text: str) -> list[str]:
    """The sentences of one line, in order; `"".join(split_sentences(t)) == t` (see
    `_split_sentences`; cached, as every cleaning round and rule asks again)."""
    return list(_split_sentences(text))


@lru_cache(maxsize=8192)
def _split_sentences(text: str) -> tuple[str, ...]:
    """The sentences of one line, in order.

    A sentence ends at a full stop (`FULL_STOPS`) and takes with it the closing marks,
    citation markers and spaces that follow (`…迅速。[1] ` is one sentence). Nothing inside
    paired marks that close later on the line (quotes, brackets: `PAIRED_MARKS`) ends a
    sentence, so a quoted refusal or a bracketed note stays inside its sentence. A `.` ends
    a sentence only before a space, a closing mark, a CJK character or the end of the line,
    and not after an abbreviation (`et al.`, `e.g.`, `Fig.`) or between digits. Linear: each
    mark is looked at once, and whether it closes later is a bisection.
    """
    closers: dict[str, list[int]] = {}
    events = [(m.start(), m.group()) for m in _EVENT_RE.finditer(text)]
    for i, c in events:
        if c in _CLOSING:
            closers.setdefault(c, []).append(i)
    waiting: list[str] = []  # closers expected, innermost last
    expected: dict[str, int] = {}
    out: list[str] = []
    start = 0
    skip_to = 0
    for i, c in events:
        if i < skip_to:
            continue
        if waiting and c == waiting[-1]:
            expected[c] -= 1
            waiting.pop()
            continue
        closer = _MARKS.get(c)
        if closer is not None:
            later = closers.get(closer, [])
            if len(later) - bisect_right(later, i) > expected.get(closer, 0):
                waiting.append(closer)
                expected[closer] = expected.get(closer, 0) + 1
            continue
        if waiting or c not in FULL_STOPS or not ends_sentence(text, i):
            continue
        end = _sentence_tail(text, i + 1)
        out.append(text[start:end])
        start = skip_to = end
    if start < len(text):
        out.append(text[start:])
    return tuple(out)


def ends_sentence(text: str, i: int) -> bool:
    """Whether the full stop at `text[i]` ends a sentence (one rule for every stage)."""
    if text[i] == "!" and text[i + 1 : i + 2] == "[":
        return False  # markdown image syntax `![alt](url)`, not an exclamation
    if text[i] != ".":
        return True
    after = text[i + 1 : i + 2]
    if after and not (after.isspace() or after in CLOSERS or after in FULL_STOPS or after >= "\u2e80"
                      or CITE_RE.match(text, i + 1)):
        return False
    if text[i - 1 : i].isdigit() and text[i + 1 : i + 2].isdigit():
        return False
    return not _ABBREVIATION_RE.search(text, max(0, i - 8), i + 1)


def _sentence_tail(text: str, j: int) -> int:
    """Past the further stops, closing marks, citation markers and spaces after a sentence end."""
    while j < len(text):
        if text[j] in FULL_STOPS or text[j] in CLOSERS or text[j].isspace():
            j += 1
            continue
        m = CITE_RE.match(text, j)
        if not m:
            break
        j = m.end()
    return j
