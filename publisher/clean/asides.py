"""Asides: the parenthesised or dashed parts of a sentence, judged as their own units.

A model glues a remark to the requester into an author's sentence: "…的冲击〔2，4〕。（注：为满足
字数要求，本段做了扩写。）其频谱能量…", "…expressed as ΔR [11]. (Side note for you: I kept this
part brief.) Freshwater reservoir effects…", a cell "塑料管效果差（请您再核对一遍）［8］", a list
item "…使用（此条为我根据常识补充）；". The sentence around it is the author's and stays; the aside
is judged alone and, when it is chatter, goes alone.

An aside is
- a pair of round brackets, ASCII or full-width, at the top level of the text and outside any
  quotation, not a call or an index (`f(x)`, `a(1)`: an ASCII bracket right after a letter, a
  digit or `]`), not crossing a table cell, not right after a table or figure label (`表2（续）`);
- a run between two em dashes (`— … —`, `——…——`, a spaced ` – ` or ` -- `), or from one such
  dash to the end of the sentence. A dash between digits is a range (`1990—2000`), not a dash.

Each aside comes with the span to cut when it goes: the brackets or dashes included, and the
space that would be left doubled (before it, or after it when it opens the text).
"""

from __future__ import annotations

import re

from publisher.text import QUOTE_MARKS

_OPENERS = {"(": ")", "（": "）"}
_DASH_RE = re.compile(r"——|—|(?<= )(?:–|--)(?= )")
_END_PUNCT = " \t.。!！?？;；:：,，"  # the sentence's end, left when a dash aside runs to it
# a bracket right after a table or figure label belongs to the label: 表2（续）, Table 2 (continued)
_LABEL_BEFORE_RE = re.compile(r"(?:表|图|\b(?:table|tab\.|figure|fig\.))\s*+[\dX]+(?:[-.－]\d+)*+\s*+$", re.I)
MAX_ASIDE = 200  # characters; a longer bracket holds argument, not a remark


def asides(text: str) -> list[tuple[int, int, str]]:
    """The asides of `text` (one sentence, or one table row): (start, end, the aside as written)
    with [start, end) the span to cut, in order, never overlapping."""
    if not _MARK_RE.search(text):  # most sentences: no bracket, no dash
        return []
    quoted = _quoted(text)
    out = _brackets(text, quoted)
    taken = [(a, b) for a, b, _ in out]
    for a, b, aside in _dashes(text, quoted):
        if not any(a < y and x < b for x, y in taken):
            out.append((a, b, aside))
    return sorted(out)


_MARK_RE = re.compile(r"[(（—–]|--")  # what an aside needs: a bracket or a dash
_QUOTE_OPEN_RE = re.compile("[" + re.escape("".join(QUOTE_MARKS)) + "]")
_OPENER_RE = re.compile(r"[(（]")


def _quoted(text: str) -> list[bool]:
    """For each character: inside a quotation (from its opening mark to its closing one, both
    included; to the end when it never closes)."""
    inside = [False] * len(text)
    m = _QUOTE_OPEN_RE.search(text)
    while m:
        closing = text.find(QUOTE_MARKS[m.group()], m.end())
        end = len(text) if closing < 0 else closing + 1
        inside[m.start() : end] = [True] * (end - m.start())
        m = _QUOTE_OPEN_RE.search(text, end)
    return inside


def _brackets(text: str, quoted: list[bool]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    i = 0
    for opener in _OPENER_RE.finditer(text):
        if opener.start() < i:  # inside the aside just found
            continue
        i = opener.start()
        ch = text[i]
        closer = _OPENERS[ch]
        if quoted[i] or (ch == "(" and i > 0 and (text[i - 1].isalnum() or text[i - 1] in "]_")) \
                or _LABEL_BEFORE_RE.search(text[max(0, i - 24) : i]):
            continue
        j, depth = i + 1, 1
        while j < len(text) and j - i <= MAX_ASIDE and text[j] != "|":
            if text[j] == ch:
                depth += 1
            elif text[j] == closer:
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j >= len(text) or depth or j - i > MAX_ASIDE or text[j] == "|":
            continue
        out.append((*_with_space(text, i, j + 1), text[i : j + 1]))
        i = j + 1
    return out


def _dashes(text: str, quoted: list[bool]) -> list[tuple[int, int, str]]:
    marks = [m for m in _DASH_RE.finditer(text) if not quoted[m.start()]
             and not (m.start() > 0 and text[m.start() - 1].isdigit() and text[m.end():m.end() + 1].isdigit())]
    out: list[tuple[int, int, str]] = []
    k = 0
    while k < len(marks):
        a = marks[k].start()
        if k + 1 < len(marks):
            b = marks[k + 1].end()
            inner = text[marks[k].end() : marks[k + 1].start()]
            k += 2
        else:
            b = max(marks[k].end(), len(text.rstrip(_END_PUNCT)))
            inner = text[marks[k].end() : b]
            k += 1
        if inner.strip() and "|" not in inner and len(inner) <= MAX_ASIDE and _balanced(inner):
            out.append((*_with_space(text, a, b), inner.strip()))
    return out


_PAIRS = {"(": ")", "（": "）", "[": "]", "［": "］", "【": "】", "〔": "〕"}


def _balanced(text: str) -> bool:
    """Every bracket in `text` closes in it: a dash inside a bracket makes no aside of the
    bracket's end ("[ASSISTANT — draft 2] Rewrote…")."""
    waiting: list[str] = []
    for ch in text:
        if ch in _PAIRS:
            waiting.append(_PAIRS[ch])
        elif ch in _PAIRS.values() and (not waiting or waiting.pop() != ch):
            return False
    return not waiting


def _with_space(text: str, a: int, b: int) -> tuple[int, int]:
    """The span to cut for the aside at [a, b): with the spaces before it, or after it when
    nothing but spaces stands before it."""
    if not text[:a].strip():
        while b < len(text) and text[b] in " \t":
            b += 1
        return a, b
    while a > 0 and text[a - 1] in " \t":
        a -= 1
    return a, b
