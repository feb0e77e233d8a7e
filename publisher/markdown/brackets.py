"""Brackets that cannot be link syntax, hidden from markdown-it's link rules.

markdown-it tries a link at every `[` (scanning for the end of its label) and a destination
at every `](`: a megabyte of `[` or of `![a](` costs tens of seconds of CPU, though not one of
them makes a link. With link reference definitions switched off (as assembly has them), a link
or an image needs a `]` directly followed by `(`. These brackets are certainly not link syntax:

- every bracket when the text holds no `](` at all, and every bracket after the destination
  of the last `](` (a destination ends at whitespace not escaped by a backslash, or at `>`
  when it starts with `<`);
- a plain pair `[…]` with no bracket, backtick or `<` inside, not followed by `(` and not in a
  destination: markdown-it's label scan ends at its `]`, so it is no link, and an enclosing
  label counts it as one opening and one closing bracket either way.

Those become stand-ins, punctuation that markdown-it reads as plain text (emphasis next to
them flanks the same way), one text token per run instead of a label scan per bracket;
`restore` turns them back in the tokens markdown-it returns (text, code, image alt). Brackets
in autolinks and escaped brackets are left alone. The result reads exactly as the text would.

When more than MAX_UNEXPLAINED of the `[` that remain are not even candidate links (a `]`
followed by a closed `(…)`), the text is not a record's prose: every bracket becomes a
stand-in, markdown links in it are not parsed (their text and address stay visible), and the
caller reports it. So the cost stays linear with a small constant for any input.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

MAX_UNEXPLAINED = 1000
MAX_DESTINATION = 4096  # characters between a link's `(` and its `)`, for candidate links
# (open, close) pairs of punctuation that texts almost never hold; the first absent pair is used
_STAND_INS = [("\u2e28", "\u2e29"), ("\u27ec", "\u27ed"), ("\u2997", "\u2998"), ("\u2e22", "\u2e23")]

_AUTOLINK_RE = re.compile(r"<[A-Za-z][A-Za-z0-9.+-]{1,31}:[^<>\x00-\x20]*+>|<[\w.+-]++@[\w.-]++>")
_TOKEN_RE = re.compile(r"\\[\s\S]|[\[\]()`<]")
_SPACE_RE = re.compile(r"\s")
_ANGLE_END_RE = re.compile(r">")
_LINK_START_RE = re.compile(r"\]\(")


@dataclass(frozen=True)
class Defused:
    text: str
    stand_ins: tuple[str, str] | None  # None: nothing replaced
    links_off: bool = False  # every bracket replaced: markdown links are not parsed


def defuse_brackets(src: str) -> Defused:
    """`src` with the brackets that cannot be link syntax replaced by stand-ins."""
    if "[" not in src:
        return Defused(src, None)
    pair = next((p for p in _STAND_INS if p[0] not in src and p[1] not in src), None)
    if pair is None:
        return Defused(src, None)  # a text made to hold every stand-in: markdown-it reads it as it is
    autolinks = [m.span() for m in _AUTOLINK_RE.finditer(src)]
    brackets, hidden, unexplained = _classify(src, autolinks)
    links_off = unexplained > MAX_UNEXPLAINED
    chosen = brackets if links_off else hidden
    if not chosen:
        return Defused(src, None)
    table = {"[": pair[0], "]": pair[1]}
    out: list[str] = []
    last = 0
    for pos in sorted(chosen):
        out.append(src[last:pos])
        out.append(table[src[pos]])
        last = pos + 1
    out.append(src[last:])
    return Defused("".join(out), pair, links_off)


def restore(text: str, stand_ins: tuple[str, str] | None) -> str:
    """Text that markdown-it returned, with the stand-ins turned back into brackets."""
    if stand_ins is None or (stand_ins[0] not in text and stand_ins[1] not in text):
        return text
    return text.replace(stand_ins[0], "[").replace(stand_ins[1], "]")


def _classify(src: str, autolinks: list[tuple[int, int]]) -> tuple[list[int], list[int], int]:
    """(every unescaped bracket outside autolinks, those certainly not link syntax, the number
    of other `[` that are not candidate links either)."""
    zones = _destinations(src)
    zone_starts = [s for s, _ in zones]
    after_last = zones[-1][1] if zones else -1
    link_starts = [s for s, _ in autolinks]

    def inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
        k = bisect_right(starts, pos) - 1
        return k >= 0 and pos < spans[k][1]

    brackets: list[int] = []
    hidden: list[int] = []
    opens: list[int] = []  # the label stack, for candidate links
    parens: list[int] = []
    closed: dict[int, int] = {}  # `(` -> its `)`
    candidates: dict[int, int] = {}  # `[` of a `](` -> that `(`
    plain_open = -1  # a `[` with nothing but text since
    for m in _TOKEN_RE.finditer(src):
        pos, char = m.start(), m.group()
        if len(char) == 2 or inside(autolinks, link_starts, pos):
            plain_open = -1 if char in "`<" else plain_open
            continue  # an escape, or inside an autolink
        if char == "(":
            parens.append(pos)
        elif char == ")":
            if parens:
                closed[parens.pop()] = pos
        elif char in "`<":
            plain_open = -1
        elif char == "[":
            brackets.append(pos)
            opens.append(pos)
            plain_open = pos
            if pos > after_last:
                hidden.append(pos)
        else:  # "]"
            brackets.append(pos)
            followed = src.startswith("(", pos + 1)
            if pos > after_last:
                hidden.append(pos)
            elif plain_open >= 0 and not followed and not inside(zones, zone_starts, plain_open):
                hidden += (plain_open, pos)
            if opens:
                opener = opens.pop()
                if followed:
                    candidates[opener] = pos + 1
            plain_open = -1
    good = {o for o, paren in candidates.items() if 0 <= closed.get(paren, -1) - paren <= MAX_DESTINATION}
    hidden_set = set(hidden)
    unexplained = sum(1 for p in brackets if src[p] == "[" and p not in hidden_set and p not in good)
    return brackets, hidden, unexplained


def _destinations(src: str) -> list[tuple[int, int]]:
    """Where a link destination could be: from each `](` to the first whitespace (after the
    `>` when the destination starts with `<`), as sorted, merged spans."""
    # a backslash escapes even a space in a destination: a space after one does not end it
    spaces = [m.start() for m in _SPACE_RE.finditer(src) if src[m.start() - 1 : m.start()] != "\\"] \
        if "](" in src else []
    angles = [m.start() for m in _ANGLE_END_RE.finditer(src)] if "](" in src else []
    zones: list[tuple[int, int]] = []
    for m in _LINK_START_RE.finditer(src):
        start = m.end()
        j = start
        while j < len(src) and src[j] in " \t\n":
            j += 1
        if src.startswith("<", j):
            k = bisect_left(angles, j)
            j = angles[k] if k < len(angles) else len(src)
        k = bisect_left(spaces, j)
        end = spaces[k] if k < len(spaces) else len(src)
        if zones and start <= zones[-1][1]:
            zones[-1] = (zones[-1][0], max(zones[-1][1], end))
        else:
            zones.append((start, end))
    return zones
