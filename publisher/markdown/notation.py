"""Citation notations in running text: `[^3]`, `[3]`, `[3,5]`, `[3-5]`, `【3】`, `^[3]`, …

`split_citations(text)` turns text into Text and Cite pieces. Adjacent markers merge into one
group; a marker that follows the sentence's closing punctuation moves before it
(`方法。[3]` -> `方法[3]。`). Bracketed numbers that are data stay text: decimals, zero,
years, indexing (`x[1]`), assignments (`a=[1,2]`), links (`[1](url)`).
"""

from __future__ import annotations

import re

from publisher.model import Cite, Inline, Text
from publisher.text import SENTENCE_END

_SENTENCE_PUNCT = SENTENCE_END + "．"

MAX_CITATION = 999  # a bracketed number above this is a year or data, not a citation
MAX_RANGE = 50  # a range wider than this is data, not a citation group

_NUMS = r"\d{1,4}(?:\s*[-–—~～,，、;；]\s*\d{1,4})*"
# Any marker shape, without the context checks of MARKER_RE: for stripping markers from
# text that is only judged, never published.
ANY_MARKER_RE = re.compile(rf"\^?\[\^?{_NUMS}\]|【{_NUMS}】")
MARKER_RE = re.compile(
    rf"\[\^(?P<fn>{_NUMS})\]"  # [^3]
    rf"|\^\[(?P<caret>{_NUMS})\]"  # ^[3]
    rf"|【(?P<cjk>{_NUMS})】"  # 【3】
    rf"|\[(?P<plain>{_NUMS})\](?!\()"  # [3], not a link [3](url)
)
# x[1], arr[3], a=[1,2], f([1]): a short ASCII identifier or an operator right before the bracket
_BEFORE_DATA = re.compile(r"(?:(?<![A-Za-z0-9_])(?!al$)[A-Za-z_][A-Za-z0-9_]{0,3}|[=:(\[{<$@\-+*/])$")
_GAP_RE = re.compile(r"^[ \t]*$")


def parse_numbers(body: str) -> list[int] | None:
    """`3,5-7` -> [3, 5, 6, 7]; None when the group is not a citation."""
    out: list[int] = []
    for part in re.split(r"\s*[,，、;；]\s*", body.strip()):
        m = re.fullmatch(r"(\d{1,4})(?:\s*[-–—~～]\s*(\d{1,4}))?", part)
        if not m:
            return None
        a = int(m.group(1))
        b = int(m.group(2)) if m.group(2) else a
        if m.group(1).startswith("0") or a < 1 or b < a or b > MAX_CITATION or b - a > MAX_RANGE:
            return None
        out.extend(range(a, b + 1))
    return out


def split_citations(text: str) -> list[Inline]:
    """Text -> Text and Cite inlines, with markers merged and moved before punctuation."""
    pieces: list[Inline] = []
    pos = 0
    for m in MARKER_RE.finditer(text):
        body = m.group("fn") or m.group("caret") or m.group("cjk") or m.group("plain")
        # only the few characters before the bracket can match (the lookbehind still sees
        # further back): searching the whole prefix would be quadratic in the citations
        if m.group("plain") is not None and _BEFORE_DATA.search(text, max(0, m.start() - 8), m.start()):
            continue
        numbers = parse_numbers(body)
        if numbers is None:
            continue
        if m.start() > pos:
            pieces.append(Text(text[pos : m.start()]))
        pieces.append(Cite(numbers))
        pos = m.end()
    if pos < len(text):
        pieces.append(Text(text[pos:]))
    return normalise_cites(pieces)


def normalise_cites(inlines: list[Inline]) -> list[Inline]:
    """Merge adjacent Cite groups (only spaces between) and move them before punctuation."""
    merged: list[Inline] = []
    for item in inlines:
        if isinstance(item, Text) and not item.text:
            continue
        if isinstance(item, Cite) and merged:
            prev = merged[-1]
            if isinstance(prev, Cite):
                prev.numbers = _union(prev.numbers, item.numbers)
                continue
            if (
                isinstance(prev, Text)
                and _GAP_RE.match(prev.text)
                and len(merged) >= 2
                and isinstance(merged[-2], Cite)
            ):
                merged.pop()
                cite = merged[-1]
                assert isinstance(cite, Cite)
                cite.numbers = _union(cite.numbers, item.numbers)
                continue
        if isinstance(item, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + item.text)
            continue
        merged.append(Cite(list(item.numbers)) if isinstance(item, Cite) else item)
    return _move_before_punctuation(merged)


def _move_before_punctuation(inlines: list[Inline]) -> list[Inline]:
    out = list(inlines)
    for i, item in enumerate(out):
        if not isinstance(item, Cite) or i == 0 or not isinstance(out[i - 1], Text):
            continue
        prev = out[i - 1]
        assert isinstance(prev, Text)
        stripped = prev.text.rstrip()
        if stripped and stripped[-1] in _SENTENCE_PUNCT:
            punct = stripped[-1]
            out[i - 1] = Text(stripped[:-1])
            after = out[i + 1] if i + 1 < len(out) else None
            tail = prev.text[len(stripped) :]
            if isinstance(after, Text):
                out[i + 1] = Text(punct + tail + after.text)
            else:
                out.insert(i + 1, Text(punct + tail))
    return [x for x in out if not (isinstance(x, Text) and not x.text)]


def _union(a: list[int], b: list[int]) -> list[int]:
    seen = list(a)
    for n in b:
        if n not in seen:
            seen.append(n)
    return seen
