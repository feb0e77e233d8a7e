"""The outline: the plan of the article, which decides which chapters exist and their order.

Also the title matching used to put content chapters in their outline place: numbers,
punctuation and spacing are ignored, and small wording differences are tolerated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from publisher.markdown.lexer import heading
from publisher.source import SourceLine
from publisher.text import KEYWORDS_LABEL

_NUMBER_RE = re.compile(
    r"^\s*(第[一二三四五六七八九十百\d]+[章节部分]|[一二三四五六七八九十]+[、.．]|"
    r"(chapter|section|part)\s+\d+[.:]?|\d+(?:[.．]\d+)*[.．、)]?)\s*",
    re.I,
)
_PUNCT_RE = re.compile(r"[\s\W_]+", re.UNICODE)
FRONT_MATTER_RE = re.compile(r"^(摘要|abstract|关键词|关键字|keywords?|参考文献|references?|bibliography|目录|contents)$", re.I)
MATCH_THRESHOLD = 0.72


def strip_number(title: str) -> str:
    """`2.1 标题` -> `标题`; `第三章 标题` -> `标题`."""
    return _NUMBER_RE.sub("", title.strip().strip("*_ "), count=1).strip().strip("*_ ")


def number_label(title: str) -> str:
    """The leading chapter number of a title ("3. 方法" -> "3"), or ""."""
    m = re.match(r"^\s*(?:第\s*)?(\d+)(?:[.．、\s]|$)", title)
    return m.group(1) if m else ""


def normalise(title: str) -> str:
    return _PUNCT_RE.sub("", strip_number(title)).lower()


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


def split_keywords(text: str) -> list[str]:
    parts = re.split(r"\s*[;；,，、]\s*", text.strip().strip("。.").strip())
    return [p.strip().strip("*_ ") for p in parts if p.strip().strip("*_ ")]
