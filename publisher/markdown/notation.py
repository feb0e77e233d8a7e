"""Citation notation: what is a citation in running text, and what is not.

A CITATION is one or more numbers, single or as ranges, that point at entries of the supplied
reference list, written in one of these families:

- a bracket pair around the numbers: ASCII `[3]`, full-width `［3］`, `【3】`, `〔3〕`, `〖3〗`,
  `〘3〙`, `⟦3⟧`, `﹝3﹞`; a footnote label `[^3]`, a pandoc note `^[3]`; nested or doubled
  brackets (`[[3]]`, `【[3]】`, `[[1],[2]]`);
- a superscript: superscript digits `¹`, `¹˒²`, `⁴⁻⁶`, parenthesised `⁽³⁾`, pandoc `^3^`, inline
  HTML `<sup>3</sup>` / `<sup>[3]</sup>` (also with an `<a>` inside);
- a reference word with the numbers: parenthetical `(Ref. 7)`, `(Refs. 2–4)`, `(refs 1, 8)`,
  `（参考文献3）`, `（文献3、5）`; in running text `Ref. 5`, `文献5` (the word stays, the
  number becomes the marker).

Inside any of them the numbers are separated by `,` `，` `、` `;` `；` (and `and`/`和`/`及` after
a reference word) and ranges use any dash `-` `–` `—` `~` `～` `〜` `至`; digits may be
full-width. Adjacent markers (nothing or only spaces between) form one group; a marker written
after the clause's closing punctuation moves before it (`方法。[3]` -> `方法[3]。`).

NOT a citation, decided by context (the tests are `citation_context`):

- data in brackets: zero or a leading zero (`[0]`, `[01]`), decimals (`[1.5]`, `[0.5, 1]`),
  ranges wider than MAX_RANGE (`[1-100]`), a number above MAX_PLAIN that the supplied list does
  not have (years `[2021]`, `[2020–2024]`); a value after a naming verb (`调值记为[214]`,
  `denoted [35]`);
- array indices and literals: brackets glued to an identifier (`x[2]`, `q[2]`, `arr[3]`,
  `a[1][2]`, and `actions[3] is …` inside an English sentence) or after an operator
  (`a=[1,2]`, `f([1])`); an upper-case acronym (`CNN[3]`), a unit after a number
  (`50 μg/L[7]`) or a chemical formula (`LiCl[4]`) before the bracket is a word, not an index;
- intervals and coordinates in mathematical prose: a square bracket after a math operator
  (`T ∈ [3, 8] s`, `(x, y) = [2, 5]`); a pair `[a, b]` after a coordinate word (`cell [3, 4]`,
  `区间[3, 8]`), before a unit or an interval word (`[3, 8] s`, `[3, 8]之间`), or not backed
  by the supplied list; mixed brackets (`[3, 8)`) never match at all;
- units and exponents: a superscript glued to a digit (`10⁻³`, `2¹²`, `10⁷`), to a unit or a
  one-letter symbol (`m²`, `m³·m⁻³`, `cm⁻¹`, `x²`, `R²`), to a closing ASCII bracket (`f(x)²`),
  or after an operator (`E = mc²`); a superscript that follows a superscript sign (`⁻³`). After
  `%`, `‰`, `℃` or a CJK unit (`含量为12%²`, `2000升^2^`) it is a citation: no power goes there;
- isotope and chemical labels: a superscript followed by a letter, a sign or a digit (`¹⁴C`,
  `²³⁰Th`, `δ¹³C`, `Ca²⁺`), or glued to an element symbol (`Fe³`);
- list and section numbers: parentheses without a reference word (`(1)`, `（2）`), `1.`,
  `§3`, `3.2节`; links and images (`[1](url)`); anything in inline code (never seen here);
- a bare superscript or `Ref. n`/`文献n` in running text whose number no supplied entry has.

The supplied list is evidence. `supplied` is the set of numbers the record's list has (None
when there is none: context alone decides). Unambiguous forms (footnote labels, `【3】`,
`⁽³⁾`, reference words) stay citations even when the number is missing (a later stage drops it
and reports it); ambiguous ones (bare superscripts, square-bracket pairs, `Ref. n` in running
text) need the list to back them: one number supplied at least, none beyond BEYOND_LIST times
the list's last number (the others are dropped and reported later). Numbers above MAX_PLAIN
are citations only when the supplied list has them (a list of 1500 entries is cited as
`[1203]`).

Cost: every pattern is bounded (at most MAX_ITEMS numbers, MAX_DIGITS digits each) and the
context checks look at a fixed window around a marker, so splitting is linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from publisher.markdown.citation_context import (
    MATH_OPERATORS,
    after_value_verb,
    coordinates_before,
    ends_with,
    is_index,
    superscript_context,
    unit_or_interval_after,
    window_before,
)
from publisher.markdown.citation_groups import normalise_cites
from publisher.model import Cite, Inline, Text
from publisher.text import IDEOGRAPHS, SENTENCE_END, SUPERSCRIPT_DIGITS, SUPERSCRIPTS, fold_width

MAX_PLAIN = 999  # above this a bracketed number is a year or data unless the supplied list has it
MAX_RANGE = 50  # a range wider than this is data, not a citation group
MAX_ITEMS = 40  # numbers in one marker
MAX_DIGITS = 6
BEYOND_LIST = 2  # an ambiguous group may name numbers up to this many times the last supplied one

Supplied = frozenset[int] | None

__all__ = ["ANY_MARKER_RE", "MARKER_RE", "Supplied", "entry_label", "find_citations", "may_hold_citation",
           "normalise_cites", "parse_numbers", "split_citations"]

# --------------------------------------------------------------------------- the grammar
# bracket pairs of every family; an opener matches only its own closer (ASCII and full-width
# forms of one bracket are one family)
BRACKETS = {"[": "]", "［": "］", "【": "】", "〔": "〕", "〖": "〗", "〘": "〙", "⟦": "⟧", "﹝": "﹞", "〚": "〛"}
_SQUARE = "[［"  # the family that mathematical prose also uses (intervals, indices)
_OPENS = re.escape("".join(BRACKETS))
_CLOSES = re.escape("".join(BRACKETS.values()))
DASHES = "-‐‑‒–—―~～〜−－﹣至"
SEPARATORS = ",，、;；､﹐﹑"
_WS = r"[ \t\u00a0\u3000]*+"
_DIGIT = "0-9０-９"
_NUM = rf"[{_DIGIT}]{{1,{MAX_DIGITS}}}+"
_JOIN = rf"[{re.escape(SEPARATORS + DASHES)}]"
_BODY = rf"{_NUM}(?:{_WS}{_JOIN}{_WS}{_NUM}){{0,{MAX_ITEMS}}}+"
_WORD_JOIN = rf"(?:{_JOIN}|and|&|和|及|与)"
_REF_BODY = rf"{_NUM}(?:{_WS}{_WORD_JOIN}{_WS}{_NUM}){{0,{MAX_ITEMS}}}+"
_INNER = rf"[{_OPENS}]\^?{_WS}{_BODY}{_WS}[{_CLOSES}]"
_NESTED = rf"{_INNER}(?:{_WS}[{re.escape(SEPARATORS)}]?{_WS}{_INNER}){{0,{MAX_ITEMS}}}+"
_REF_WORD = r"(?:(?:see|cf\.|参见|见)\s?)?(?:[Rr]efs?\.?|[Rr]eferences?|参考文献|文献)"
_SUP_DIGIT = f"[{SUPERSCRIPT_DIGITS}]"
_SUP_JOIN = "[⁻˒,，、;；ʼ˗‐–—~]"
_SUP_BODY = rf"{_SUP_DIGIT}{{1,{MAX_DIGITS}}}+(?:{_SUP_JOIN}{_SUP_DIGIT}{{1,{MAX_DIGITS}}}+){{0,{MAX_ITEMS}}}+"
_HTML_A = r"(?:<a\b[^<>]{0,300}>)?"

MARKER_RE = re.compile(
    rf"[\[［]\^{_WS}(?P<footnote>{_BODY}|{_NESTED}){_WS}[\]］]"  # [^3]
    rf"|\^[\[［]{_WS}(?P<note>{_BODY}|{_NESTED}){_WS}[\]］]"  # ^[3]
    rf"|\^(?P<pandoc>{_BODY})\^"  # ^3^
    rf"|(?P<open>[{_OPENS}]){_WS}(?P<bword>{_REF_WORD}{_WS})?(?P<bracket>{_BODY}|{_NESTED}){_WS}"
    rf"(?P<close>[{_CLOSES}])(?!\()"  # [3], 【3】, [Ref. 3]; not a link [1](url)
    rf"|[(（]{_WS}{_REF_WORD}{_WS}(?P<paren>{_REF_BODY}|{_NESTED}){_WS}[)）]"  # (Ref. 3)
    rf"|(?<![A-Za-z])(?:[Rr]efs?\.|参考文献|文献){_WS}(?P<word>{_REF_BODY})(?![{_DIGIT}]|[.．][0-9])"  # Ref. 5
    rf"|⁽(?P<supparen>{_SUP_BODY})⁾"  # ⁽³⁾
    rf"|(?P<sup>{_SUP_BODY})"  # ¹˒²
    rf"|(?i:<sup\b[^<>]{{0,100}}>){_WS}{_HTML_A}{_WS}(?:(?P<hopen>[{_OPENS}(（])(?P<hword>{_WS}{_REF_WORD})?)?"
    rf"{_WS}(?P<html>{_REF_BODY}){_WS}(?P<hclose>[{_CLOSES})）])?{_WS}(?i:</a>)?{_WS}(?i:</sup>)"  # <sup>3</sup>
)
# Any marker shape, without the context checks: for stripping markers from text that is only
# judged, never published. Bare superscripts only right after a sentence's punctuation
# (`…schemes.²`): elsewhere `¹⁴C` or `m²` is no marker. Every alternative starts with a character
# or a class (`^[` is `[^[]` then a look back; a superscript after a stop is the digit, then a look
# back over the stop), so the search tests each position with one quick character check per
# alternative instead of entering each one: this pattern runs over every line of every stage.
_SUP_TAIL = rf"{_SUP_DIGIT}{{0,{MAX_DIGITS - 1}}}+(?:{_SUP_JOIN}{_SUP_DIGIT}{{1,{MAX_DIGITS}}}+){{0,{MAX_ITEMS}}}+"
ANY_MARKER_RE = re.compile(
    rf"[\^{_OPENS}](?:(?<=\^)[{_OPENS}]|(?<!\^))\^?{_WS}(?:{_REF_WORD}{_WS})?(?:{_BODY}|{_NESTED}){_WS}[{_CLOSES}]"
    rf"|\^{_BODY}\^|⁽{_SUP_BODY}⁾|[(（]{_WS}{_REF_WORD}{_WS}{_REF_BODY}{_WS}[)）]"
    rf"|(?i:<sup>)\s*+[\[［]?{_BODY}[\]］]?\s*+(?i:</sup>)"
    rf"|{_SUP_DIGIT}(?<=[{re.escape(SENTENCE_END)}．…]{_SUP_DIGIT}){_SUP_TAIL}(?![A-Za-z⁺⁻])"
)
# the label of a supplied entry: `[1]`, `［1］`, `【1】`, `[^1]:`, `1.`, `1、`, `(1)`, `（1）`, `1)`
ENTRY_LABEL_RE = re.compile(
    rf"^\s*+(?:[-*+•]\s+)?(?:(?P<bracketed>[{_OPENS}]\^?\s*+(?P<b>{_NUM})\s*+[{_CLOSES}][:：.．]?"
    rf"|[(（]\s*+(?P<p>{_NUM})\s*+[)）])|(?P<bare>(?P<n>{_NUM})(?:[.．、]|\)|）)(?![0-9０-９])))\s*+(?P<rest>.*)$"
)

# --------------------------------------------------------------------------- the context
_IDEOGRAPH_RE = re.compile(f"[{IDEOGRAPHS}]")
_ANY_DIGIT_RE = re.compile(f"[{_DIGIT}{SUPERSCRIPT_DIGITS}]")
# parse_numbers: superscripts and their separators as plain characters, inner brackets out
_PLAIN_DIGITS: dict[int, int | str | None] = {**SUPERSCRIPTS, ord("˒"): ",", ord("ʼ"): ",", ord("˗"): "-"}
_INNER_BRACKETS_RE = re.compile(r"[\[\]【】〔〕〖〗〘〙⟦⟧﹝﹞〚〛()（）^]+")
_DASH_SPACE_RE = re.compile(rf"(?<!\s)\s*+([{re.escape(DASHES)}])\s*+")  # a run of spaces is tried once
_ITEM_SPLIT_RE = re.compile(r"\s*(?:[,、;､﹐﹑]|and|&|和|及|与)\s*|\s+")
_ITEM_RE = re.compile(rf"(\d{{1,{MAX_DIGITS}}})(?:[{re.escape(DASHES)}](\d{{1,{MAX_DIGITS}}}))?")


@dataclass(frozen=True)
class _Found:
    """One marker that passed its context check."""

    start: int
    end: int
    numbers: list[int]


def parse_numbers(body: str) -> list[int] | None:
    """`3,5-7` -> [3, 5, 6, 7], also from `[3],[5-7]`, `¹˒⁵⁻⁷`, `３、５`; None when the body is
    not a citation group (zero, a leading zero, a reversed or too wide range)."""
    numbers = _parsed(body)
    return None if numbers is None else list(numbers)


@lru_cache(maxsize=4096)  # the same few bodies (`1`, `2,3`, `4-6`) come back in every paragraph
def _parsed(body: str) -> tuple[int, ...] | None:
    plain = fold_width(body.translate(_PLAIN_DIGITS))
    plain = _DASH_SPACE_RE.sub(r"\1", _INNER_BRACKETS_RE.sub(" ", plain).strip())
    out: list[int] = []
    for part in _ITEM_SPLIT_RE.split(plain):
        m = _ITEM_RE.fullmatch(part.strip())
        if not m:
            return None
        a = int(m.group(1))
        b = int(m.group(2)) if m.group(2) else a
        if m.group(1).startswith("0") or (m.group(2) or "1").startswith("0") or a < 1 or b < a or b - a > MAX_RANGE:
            return None
        out.extend(range(a, b + 1))
    return tuple(out)


def _numbers(body: str, supplied: Supplied, need_supplied: bool) -> list[int] | None:
    """The numbers of a body, when every one may be a citation: a number above MAX_PLAIN
    only when supplied. With `need_supplied` (ambiguous forms) the supplied list must back
    the group: one number of it at least is supplied and none lies beyond BEYOND_LIST times
    the last supplied number (`[7，13]` of a list of ten is a citation whose 13 is dropped
    later; `^7,35^` or `[3, 80]` of a list of ten is data)."""
    numbers = parse_numbers(body)
    if numbers is None:
        return None
    if any(n > MAX_PLAIN and not (supplied is not None and n in supplied) for n in numbers):
        return None
    if need_supplied and supplied is not None:
        ceiling = BEYOND_LIST * max(supplied, default=0)
        if not any(n in supplied for n in numbers) or any(n > ceiling for n in numbers):
            return None
    return numbers


def _is_pair(body: str) -> bool:
    """Two numbers and one comma or semicolon: the shape of an interval or coordinates."""
    return bool(re.fullmatch(rf"{_WS}{_NUM}{_WS}[,，;；]{_WS}{_NUM}{_WS}", body))


# --------------------------------------------------------------------------- the decisions
def _bracket(m: re.Match[str], text: str, before: str, supplied: Supplied) -> list[int] | None:
    opener, closer = m.group("open"), m.group("close")
    if BRACKETS.get(fold_width(opener)) != fold_width(closer) and BRACKETS.get(opener) != closer:
        return None
    body = m.group("bracket")
    if opener not in _SQUARE or m.group("bword"):
        return _numbers(body, supplied, False)
    window = window_before(text, m.start(), before).rstrip()
    if is_index(text, m.start(), before) or ends_with(window, MATH_OPERATORS) or after_value_verb(window):
        return None
    pair = _is_pair(body)
    if pair and (coordinates_before(window) or unit_or_interval_after(text, m.end())):
        return None
    return _numbers(body, supplied, pair)


def _strong(group: str) -> Callable[[re.Match[str], str, str, Supplied], list[int] | None]:
    def decide(m: re.Match[str], text: str, before: str, supplied: Supplied) -> list[int] | None:
        return _numbers(m.group(group), supplied, False)

    return decide


def _word(m: re.Match[str], text: str, before: str, supplied: Supplied) -> list[int] | None:
    after = text[m.end() : m.end() + 1]
    if after and (after in "篇份条项余部本个种次年" or after.isalnum() and not _IDEOGRAPH_RE.match(after)):
        return None
    return _numbers(m.group("word"), supplied, True)


def _superscript(group: str) -> Callable[[re.Match[str], str, str, Supplied], list[int] | None]:
    def decide(m: re.Match[str], text: str, before: str, supplied: Supplied) -> list[int] | None:
        if not superscript_context(text, m.start(), m.end(), before, spaced=group == "pandoc"):
            return None
        return _numbers(m.group(group), supplied, True)

    return decide


def _html(m: re.Match[str], text: str, before: str, supplied: Supplied) -> list[int] | None:
    opener, closer = m.group("hopen"), m.group("hclose")
    if opener or closer:
        pairs = {**BRACKETS, "(": ")", "（": "）"}
        if not (opener and closer) or pairs.get(fold_width(opener)) != fold_width(closer) and pairs.get(opener) != closer:
            return None
        return _numbers(m.group("html"), supplied, False)
    if not superscript_context(text, m.start(), m.end(), before, spaced=False):
        return None
    return _numbers(m.group("html"), supplied, True)


# marker family (its named group) -> how its context decides
_DECIDE: dict[str, Callable[[re.Match[str], str, str, Supplied], list[int] | None]] = {
    "footnote": _strong("footnote"),
    "note": _strong("note"),
    "pandoc": _superscript("pandoc"),
    "bracket": _bracket,
    "paren": _strong("paren"),
    "word": _word,
    "supparen": _strong("supparen"),
    "sup": _superscript("sup"),
    "html": _html,
}


def find_citations(text: str, supplied: Supplied = None, before: str = "") -> list[_Found]:
    """The markers in `text` that are citations, in order. `before`: the text that precedes
    `text` in its paragraph (context for a marker at its very start)."""
    found: list[_Found] = []
    index_end = -1  # where an array index ended: a bracket glued to it indexes further (a[1][2])
    for m in MARKER_RE.finditer(text):
        family = next(name for name in _DECIDE if m.group(name) is not None)
        square = family == "bracket" and m.group("open") in _SQUARE
        if square and (m.start() == index_end or is_index(text, m.start(), before)):
            index_end = m.end()
            continue
        numbers = _DECIDE[family](m, text, before, supplied)
        if numbers is not None:
            span = m.span("word") if family == "word" else m.span()
            found.append(_Found(span[0], span[1], numbers))
    return found


def may_hold_citation(text: str) -> bool:
    """False when no marker can be in `text` (every marker holds a digit): a cheap test."""
    return bool(_ANY_DIGIT_RE.search(text))


def split_citations(text: str, supplied: Supplied = None, before: str = "") -> list[Inline]:
    """Text -> Text and Cite inlines, with markers merged and moved before punctuation."""
    if not may_hold_citation(text):
        return [Text(text)] if text else []
    pieces: list[Inline] = []
    pos = 0
    for f in find_citations(text, supplied, before):
        if f.start > pos:
            pieces.append(Text(text[pos : f.start]))
        pieces.append(Cite(f.numbers))
        pos = f.end
    if pos < len(text):
        pieces.append(Text(text[pos:]))
    return normalise_cites(pieces)


def entry_label(text: str) -> tuple[int, bool, str] | None:
    """A supplied entry's label: (number, bracketed, rest of the line), or None."""
    m = ENTRY_LABEL_RE.match(text)
    if not m:
        return None
    raw = m.group("b") or m.group("p") or m.group("n")
    return int(fold_width(raw)), m.group("bare") is None, m.group("rest")
