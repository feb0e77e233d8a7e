"""The outline: the plan of the article, which decides which chapters exist and their order.

Also the title matching used to put content chapters in their outline place: a title is
compared without its numbering prefix (any style: `publisher.markdown.numbering`) and as
"the same text" (`publisher.text.fold`: NFKC, case, whitespace and punctuation folded), and
small wording differences are tolerated.

And the keywords list: split on the separator the author used for the list as a whole
(see `split_keywords`), never inside a keyword.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from publisher.markdown.lexer import heading
from publisher.markdown.numbering import numbering_label, strip_numbering
from publisher.source import SourceLine
from publisher.text import IDEOGRAPHS, KEYWORDS_LABEL, fold

FRONT_MATTER_RE = re.compile(r"^(摘要|abstract|关键词|关键字|keywords?|参考文献|references?|bibliography|目录|contents)$", re.I)
MATCH_THRESHOLD = 0.72


def strip_number(title: str) -> str:
    """`2.1 标题` -> `标题`; `第三章 标题` -> `标题`; `（一）标题` -> `标题`; `5G网络` stays."""
    return strip_numbering(title)


def number_label(title: str) -> str:
    """The top-level number of a title's prefix ("3. 方法", "第三章", "III." -> "3"), or ""."""
    return numbering_label(title)


@lru_cache(maxsize=4096)  # the outline's titles are compared with every heading of the content
def normalise(title: str) -> str:
    """A title as compared: no numbering prefix, the same text folded (NFKC, case, space, punctuation)."""
    return fold(strip_number(title), punctuation=True)


def similarity(a: str, b: str) -> float:
    """How alike two titles are, 0..1, ignoring numbers and punctuation."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ratio = SequenceMatcher(None, na, nb, autojunk=False).ratio()
    short, long_ = sorted((na, nb), key=len)
    if short in long_ and len(short) >= 2:
        ratio = max(ratio, 0.75 + 0.25 * len(short) / len(long_))
    if set(na) == set(nb) and abs(len(na) - len(nb)) <= 2:  # same words, other order
        ratio = max(ratio, 0.8)
    return ratio


@dataclass
class OutlineEntry:
    title: str
    line: int
    label: str = ""  # the number the outline gave it ("3"), which may clash with others
    children: list[OutlineEntry] = field(default_factory=list)


@dataclass
class Outline:
    title: str | None = None
    chapters: list[OutlineEntry] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    def best_chapter(self, title: str) -> tuple[int, float]:
        """Index of the outline chapter this title names, and how sure (index -1: none)."""
        scores = [similarity(title, ch.title) for ch in self.chapters]
        if not scores:
            return -1, 0.0
        best = max(range(len(scores)), key=lambda k: scores[k])
        return (best, scores[best]) if scores[best] >= MATCH_THRESHOLD else (-1, scores[best])

    def best_subsection(self, title: str) -> tuple[int, float]:
        """Index of the chapter owning a sub-section with this title (-1: none)."""
        best, score = -1, 0.0
        for k, ch in enumerate(self.chapters):
            for sub in _descendants(ch):
                s = similarity(title, sub.title)
                if s > score:
                    best, score = k, s
        return (best, score) if score >= MATCH_THRESHOLD else (-1, score)


def _descendants(entry: OutlineEntry) -> list[OutlineEntry]:
    out: list[OutlineEntry] = []
    for c in entry.children:
        out.append(c)
        out.extend(_descendants(c))
    return out


_KEYWORDS_RE = re.compile(rf"^\s*+[-*+]?\s*+({KEYWORDS_LABEL})\s*+[:：]\s*(.+)$", re.I)  # *+: linear on spaces
_LIST_TITLE_RE = re.compile(r"^\s*(\d+)[.．、]\s*(\S.*)$")


def parse_outline(lines: list[SourceLine]) -> Outline:
    out = Outline()
    heads = [(h[0], h[1], ln.no) for ln in lines if (h := heading(ln.text)) and h[1]]
    for ln in lines:
        m = _KEYWORDS_RE.match(ln.text)
        if m and not out.keywords:
            out.keywords = split_keywords(m.group(2))
    if not heads:  # an outline written as a numbered list
        heads = [(2, m.group(2), ln.no) for ln in lines if (m := _LIST_TITLE_RE.match(ln.text))]
    if heads and heads[0][0] == 1:
        out.title = strip_number(heads[0][1])
        heads = heads[1:]
    body = [h for h in heads if not FRONT_MATTER_RE.match(normalise(h[1]))]
    if not body:
        return out
    top = min(level for level, _, _ in body)
    stack: list[tuple[int, OutlineEntry]] = []
    for level, title, no in body:
        entry = OutlineEntry(strip_number(title), no, number_label(title))
        if level == top:
            out.chapters.append(entry)
            stack = [(level, entry)]
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack:
            stack[-1][1].children.append(entry)
            stack.append((level, entry))
    # skip sub-headings of a front-matter section (e.g. "## 摘要" bullets never are headings)
    return out


# List separators, the strongest first: a keyword list uses one of them throughout.
KEYWORD_SEPARATORS = ("；", ";", "，", "、", ",", "\u3000")
_OPENERS, _CLOSERS = "(（[【〔「《<", ")）]】〕」》>"
MAX_KEYWORD = 60


def split_keywords(text: str) -> list[str]:
    """A keywords line -> its keywords, split on the separator the author used for the list.

    Each separator that occurs outside brackets (and, for a comma, not between two digits:
    `2,4-二氯苯酚`) is tried; the one that cuts the list into the most plausible keywords wins
    (brackets balanced, not a bare number, not overlong), the stronger
    separator on a tie. A list with none of them is split on spaces only when it is written
    in CJK with no Latin words (`土壤墒情 智慧灌溉`); otherwise it is one keyword."""
    body = text.strip().strip("。.").strip()
    best: tuple[int, int, list[str]] = (0, 0, [])
    for rank, sep in enumerate(reversed(KEYWORD_SEPARATORS)):
        cuts = _cuts(body, sep)
        if not cuts:
            continue
        pieces = [p for p in _pieces(body, cuts) if p]  # a doubled or trailing separator cuts nothing
        plausible = sum(_plausible(p) for p in pieces)
        if plausible == len(pieces) and (plausible, rank) > best[:2]:
            best = (plausible, rank, pieces)
    if best[2]:
        return best[2]
    if re.search(rf"[{IDEOGRAPHS}]\s+[{IDEOGRAPHS}]", body) and not re.search(r"[A-Za-z]{2}", body):
        return [p for p in re.split(r"\s+", body) if _clean_keyword(p)]
    one = _clean_keyword(body)
    return [one] if one else []


def _cuts(body: str, sep: str) -> list[int]:
    """Where `sep` separates list items: outside brackets, and a comma not inside a number."""
    cuts: list[int] = []
    depth = 0
    for i, c in enumerate(body):
        if c in _OPENERS:
            depth += 1
        elif c in _CLOSERS:
            depth = max(0, depth - 1)
        elif c == sep and depth == 0:
            if c in ",，" and body[i - 1 : i].isdigit() and body[i + 1 : i + 2].isdigit():
                continue
            cuts.append(i)
    return cuts


def _pieces(body: str, cuts: list[int]) -> list[str]:
    bounds = [-1, *cuts, len(body)]
    return [_clean_keyword(body[a + 1 : b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def _clean_keyword(piece: str) -> str:
    return piece.strip().strip("*_ \u3000").strip()


def _plausible(piece: str) -> bool:
    balanced = all(piece.count(o) == piece.count(c) for o, c in zip(_OPENERS, _CLOSERS, strict=True))
    return balanced and len(piece) <= MAX_KEYWORD and not piece.isdigit()
