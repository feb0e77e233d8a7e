"""Placing a content chapter that no outline title names: by its number, then by its place.

The NUMBER of a content chapter is the number of its heading ("4. …", "Chapter 4", "第四章");
a heading without one takes the number its sub-sections carry: when every numbered
sub-section heading under it has a multi-level number (`4.1`, `4.2.3`, `§ 4.1`) and they all
start with the same chapter number, that is its number (`## When Expectations Fail` over
`### 4.1 …` and `### 4.2 …` is chapter 4). Single-level or bracketed sub-section numbers
(`1.`, `（一）`, `(a)`) count within the chapter only and say nothing; sub-sections that
disagree (`4.1`, `5.2`) say nothing either.

A chapter written under another wording than its outline title is still that chapter when
- its heading carries the number of an outline chapter that has no written version and its
  title is at least loosely similar (`by_number`); or
- its number (its heading's or its sub-sections') is that of exactly one unwritten outline
  chapter, and it stands between the chapters placed before and after it in content order
  (`by_number_and_place`: the titles may differ entirely; this placement is reported as a
  warning to check). A number read from sub-sections places a chapter only with its place;
- it has no number at all, it stands where exactly one outline chapter belongs (between the
  chapters placed before and after it in content order the outline has one chapter, and it
  is unwritten), and its words name that chapter: its heading shares a word with the
  outline title, or its text mentions the outline title (`by_place`: "Finding Precedent:
  Retrieval over Judgments" between chapters 2 and 4 is "3. Case-Law Retrieval"; reported as
  a warning to check). A gap of two or more chapters, or no shared word, is no evidence;
- its sub-headings name the outline sub-sections of exactly one unwritten outline chapter:
  at least two of them (each by its own sub-heading), or the only one when its number
  agrees too, and its number (its heading's or its sub-sections') agrees with that
  chapter's or it has none (`by_subsections`: wherever it arrives; reported as a warning to
  check). One shared sub-heading is no evidence: a mini-review may share a "背景".
A heading with a multi-level number (`4.2 …`) that heads a generation of its own continues
the chapter placed right before it when that chapter has its number (`subsection_owner`).
Anything else is off-outline material (dropped and reported by the caller).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from publisher.assemble.outline import MATCH_THRESHOLD, Outline, OutlineEntry, number_label, similarity
from publisher.markdown.lexer import heading
from publisher.source import SourceLine
from publisher.text import fold

NUMBER_MATCH_THRESHOLD = 0.3
MIN_NAME = 4  # folded characters: a shorter outline title found in a chapter's text says nothing
_WORD_RE = re.compile(r"[a-z]+")
_FUNCTION_WORDS = frozenset({
    "with", "from", "over", "into", "onto", "upon", "about", "their", "there", "these", "those", "this", "that",
    "what", "when", "where", "which", "while", "between", "through", "under", "and", "for", "the", "toward",
    "towards", "across", "within", "without", "beyond", "among", "versus",
})
MIN_SHARED_SUBSECTIONS = 2
# a multi-level number at the start of a sub-section title: its first level is the chapter's
_SUBSECTION_NUMBER_RE = re.compile(r"^[*_\s]*+(?:(?i:section|sec\.)\s++|§\s*+)?([1-9]\d?)[.．]\d{1,3}(?![\d%])")


def chapter_number(title: str, body: list[SourceLine]) -> str:
    """The number of a content chapter: its heading's, else the one its sub-sections share."""
    label = number_label(title)
    if label:
        return label
    found: set[str] = set()
    for ln in body:
        h = heading(ln.text)
        m = _SUBSECTION_NUMBER_RE.match(h[1]) if h else None
        if h and m and number_label(h[1]) == m.group(1):  # a quantity ("1.5倍") is no number
            found.add(m.group(1))
    return found.pop() if len(found) == 1 else ""


def by_number(label: str, title: str, outline: Outline, filled: set[int]) -> int:
    """An unwritten outline chapter with the number `label` and a loosely similar title, or -1."""
    if not label:
        return -1
    free = [k for k, e in enumerate(outline.chapters) if e.label == label and k not in filled]
    scored = [(similarity(title, outline.chapters[k].title), k) for k in free]
    best = max(scored, default=(0.0, -1))
    return best[1] if best[0] >= NUMBER_MATCH_THRESHOLD else -1


def by_number_and_place(label: str, position: int, outline: Outline, filled: set[int],
                        placed: list[tuple[int, int]]) -> int:
    """The one unwritten outline chapter with the number `label`, when the chapter's content
    position lies between the placed chapters around it; else -1. `placed`: (content
    position, outline index) of the chapters already placed, sorted by position."""
    free = [k for k, e in enumerate(outline.chapters) if label and e.label == label and k not in filled]
    if len(free) != 1:
        return -1
    k = free[0]
    at = bisect_left(placed, (position, -1))
    before = placed[at - 1][1] if at > 0 else -1
    after = placed[at][1] if at < len(placed) else len(outline.chapters)
    return k if before < k < after else -1


def by_place(title: str, body: list[SourceLine], position: int, outline: Outline, filled: set[int],
             placed: list[tuple[int, int]]) -> int:
    """The outline chapter that alone fits between the chapters placed around an unnumbered
    chapter, when it is unwritten and named by the chapter's heading or text; else -1."""
    at = bisect_left(placed, (position, -1))
    before = placed[at - 1][1] if at > 0 else -1
    after = placed[at][1] if at < len(placed) else len(outline.chapters)
    if after - before != 2 or before + 1 in filled:
        return -1
    k = before + 1
    wanted = outline.chapters[k].title
    words = _content_words(wanted)
    if words & _content_words(title):
        return k
    name = fold(wanted, punctuation=True)
    text = fold(" ".join(ln.text for ln in body if not heading(ln.text)), punctuation=True)
    return k if len(name) >= MIN_NAME and name in text else -1


def _content_words(title: str) -> set[str]:
    """The Latin words of a title that carry its meaning (four letters or more, no function word)."""
    return {w for w in _WORD_RE.findall(title.casefold()) if len(w) >= 4 and w not in _FUNCTION_WORDS}


def subsection_owner(title: str, position: int, outline: Outline, placed: list[tuple[int, int]]) -> int:
    """The content position of the chapter that a heading with a multi-level number (`4.2 …`)
    continues: the chapter placed right before it, when its number is that chapter's; else -1.
    (A sub-section written as a generation of its own, after its chapter's first part.)"""
    m = _SUBSECTION_NUMBER_RE.match(title)
    if m is None or number_label(title) != m.group(1):
        return -1
    at = bisect_left(placed, (position, -1))
    if at == 0:
        return -1
    before, k = placed[at - 1]
    return before if m.group(1) in (outline.chapters[k].label, str(k + 1)) else -1


def by_subsections(label: str, body: list[SourceLine], outline: Outline, filled: set[int]) -> tuple[int, list[str]]:
    """The one unwritten outline chapter whose sub-sections the chapter's sub-headings name
    (see the module's rule), with the outline sub-section titles matched; else (-1, [])."""
    subs = [h[1] for ln in body if (h := heading(ln.text))]
    found: list[tuple[int, list[str]]] = []
    for k, entry in enumerate(outline.chapters):
        if k in filled or not entry.children or (label and entry.label and entry.label != label):
            continue
        matched = _shared_subsections(subs, entry)
        enough = len(matched) >= MIN_SHARED_SUBSECTIONS or (
            len(matched) == len(entry.children) == 1 and bool(label) and label == entry.label)
        if enough:
            found.append((k, matched))
    return found[0] if len(found) == 1 else (-1, [])


def _shared_subsections(subs: list[str], entry: OutlineEntry) -> list[str]:
    """The outline sub-sections of `entry` that a sub-heading names, each sub-heading used once."""
    free = list(subs)
    matched: list[str] = []
    for child in entry.children:
        scored = [(similarity(s, child.title), i) for i, s in enumerate(free)]
        best = max(scored, default=(0.0, -1))
        if best[0] >= MATCH_THRESHOLD:
            matched.append(child.title)
            free.pop(best[1])
    return matched
