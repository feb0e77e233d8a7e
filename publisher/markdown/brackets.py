"""Which `[` can open a link: the rest are escaped before markdown-it sees them.

markdown-it scans forward from every `[` for the end of a link label, and does it again for
every nested `[`: a megabyte of `[` costs a minute of CPU, though not one of them can start a
link. With link reference definitions switched off (as assembly has them), a `[` starts a link
or an image only when its matching `]` is directly followed by `(`. One pass with a stack
finds those pairs; every other `[` and its `]` are escaped (`\\[`, `\\]`), which markdown-it
turns back into the same literal characters at a fraction of the cost. Code spans and
autolinks are left as they are (escapes do not work inside them), so the published text is
exactly what markdown-it would have produced, in linear time.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_BACKTICKS_RE = re.compile(r"`+")
_AUTOLINK_RE = re.compile(r"<[A-Za-z][A-Za-z0-9.+-]{1,31}:[^<>\x00-\x20]*+>|<[\w.+-]++@[\w.-]++>")
_TOKEN_RE = re.compile(r"\\[\s\S]|[\[\]]")


def defuse_brackets(src: str) -> str:
    """`src` with every `[` that cannot open a link (and its `]`) backslash-escaped."""
    if "[" not in src:
        return src
    spans = _protected(src)
    starts = [s for s, _ in spans]
    stack: list[int] = []
    escape: list[int] = []
    for m in _TOKEN_RE.finditer(src):
        pos = m.start()
        k = bisect_right(starts, pos) - 1
        if k >= 0 and pos < spans[k][1]:
            continue  # inside a code span or an autolink
        char = m.group()
        if char == "[":
            stack.append(pos)
        elif char == "]" and stack:
            opener = stack.pop()
            if src[pos + 1 : pos + 2] != "(":
                escape += (opener, pos)
    escape += stack
    if not escape:
        return src
    escape.sort()
    out: list[str] = []
    last = 0
    for pos in escape:
        out.append(src[last:pos])
        out.append("\\")
        last = pos
    out.append(src[last:])
    return "".join(out)


def _protected(src: str) -> list[tuple[int, int]]:
    """Code spans (CommonMark: a backtick run closed by the next run of the same length) and
    autolinks, as sorted, non-overlapping (start, end) spans."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS_RE.finditer(src)]
    by_length: dict[int, list[int]] = {}
    for i, (s, e) in enumerate(runs):
        by_length.setdefault(e - s, []).append(i)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(runs):
        start, end = runs[i]
        if _escaped(src, start):
            start += 1  # `\`` is a literal backtick; the rest of the run may still open
        length = end - start
        candidates = by_length.get(length, [])
        k = bisect_right(candidates, i)
        if length and k < len(candidates):
            j = candidates[k]
            spans.append((start, runs[j][1]))
            i = j + 1
        else:
            i += 1
    for m in _AUTOLINK_RE.finditer(src):
        k = bisect_right(spans, (m.start(), len(src) + 1)) - 1
        if k < 0 or spans[k][1] <= m.start():
            spans.append(m.span())
    spans.sort()
    return spans


def _escaped(src: str, pos: int) -> bool:
    """An odd number of backslashes right before `pos`."""
    n = 0
    while pos - n - 1 >= 0 and src[pos - n - 1] == "\\":
        n += 1
    return n % 2 == 1
