"""truncated-ending: a generation that stops mid-sentence is cut back to its last full stop.

Only the last block of a generation is judged, and only when it is prose: a generation may
end with a table, a list, a heading or a keywords line without any punctuation.
"""

from __future__ import annotations

import re

from publisher.clean.base import (
    CITE_RE,
    CLOSERS,
    FENCE_RE,
    LIST_RE,
    TABLE_ROW_RE,
    Lines,
    heading,
    message,
    paragraphs,
)
from publisher.model import Message
from publisher.reader import SourceLine

RULE = "truncated-ending"
KEYWORDS_RE = re.compile(r"^[*_\s]*(关键词|关键字|key\s*words?)[*_\s]*[:：]", re.I)
_STRONG_ONLY_RE = re.compile(r"^\s*(\*\*|__)[^*_]+(\*\*|__)\s*$")
FULL_STOPS = "。！？!?.…"  # a semicolon does not end a chapter
# a sentence ends at one of these, possibly followed by closing quotes/brackets and citations
_END_RE = re.compile(rf"[{re.escape(FULL_STOPS)}][{re.escape(CLOSERS)}]*(?:{CITE_RE.pattern})*[{re.escape(CLOSERS)}]*")
_ABBREVIATION_RE = re.compile(r"(\bal|\be\.g|\bi\.e|\betc|\bvs|\bfig|\bno|\bdr|\bmr|\bms|\bca|\bcf|\bp|\bpp|\bvol)\.$", re.I)


def _is_sentence_end(text: str, m: re.Match[str]) -> bool:
    """A '.' ends a sentence unless it is a decimal point or ends an abbreviation."""
    if text[m.start()] != ".":
        return True
    after = text[m.start() + 1 : m.start() + 2]
    if after and not after.isspace() and after not in CLOSERS and not CITE_RE.match(text, m.start() + 1):
        return False
    return not _ABBREVIATION_RE.search(text[: m.start() + 1])


def is_complete(text: str) -> bool:
    t = CITE_RE.sub("", text).rstrip().rstrip(CLOSERS + " ")
    t = CITE_RE.sub("", t).rstrip()
    return not t or (t[-1] in FULL_STOPS and not _ABBREVIATION_RE.search(t))


def cut_truncated_ending(lines: Lines) -> tuple[Lines, list[Message]]:
    paras = paragraphs(lines)
    if not paras:
        return lines, []
    start, end = paras[-1]
    block = lines[start:end]
    first = block[0].text
    if (
        heading(first)
        or LIST_RE.match(first)
        or LIST_RE.match(block[-1].text)
        or TABLE_ROW_RE.match(block[-1].text)
        or FENCE_RE.match(first)
        or first.lstrip().startswith(">")
        or KEYWORDS_RE.match(first)
        or _STRONG_ONLY_RE.match(block[-1].text)
        or is_complete(block[-1].text)
    ):
        return lines, []
    # find the last sentence end within the paragraph, searching from its last line back
    for k in range(len(block) - 1, -1, -1):
        ends = [m for m in _END_RE.finditer(block[k].text) if _is_sentence_end(block[k].text, m)]
        if ends:
            cut = ends[-1].end()
            kept_line = SourceLine(block[k].no, block[k].text[:cut])
            gone = [SourceLine(block[k].no, block[k].text[cut:])] + block[k + 1 :]
            msg = message(RULE, "warning", gone, "chapter ends mid-sentence; cut back to the last complete sentence")
            return lines[:start] + block[:k] + [kept_line] + lines[end:], [msg]
    msg = message(RULE, "warning", block, "chapter ends mid-sentence; the unfinished paragraph was removed")
    return lines[:start] + lines[end:], [msg]
