"""invented-references: reference lists the model wrote itself.

The published list comes only from the supplied references, so a heading such as
`#### 参考文献` / `References` / `**引用文献**` followed by entries goes with its entries,
and so does a bare run of entries that look like bibliography lines ("1. Smith J, et al. …").

An invented list is a list of BARE references: each item is a bibliographic description
(authors, then title, container, year, volume and pages, in any citation style). It is not
prose about authors: a numbered discussion such as "1. Smith J, et al. 提出了一种…方法[3]。" or
"2. Wang et al. (2021) showed that …" says something about the work (a predicate follows
the authors), cites a supplied entry, and is the author's text. Such an item is never taken
for an entry; a list whose items are mostly prose is kept whole, even under a references
heading. When unsure, the lines stay.
"""

from __future__ import annotations

import re

from publisher.markdown.lexer import CITE_RE, Lines, fenced, heading, plain
from publisher.model import Message
from publisher.result import message, said_n
from publisher.text import IDEOGRAPHS

RULE = "invented-references"
TITLE_RE = re.compile(
    r"^(\d+(\.\d+)*\.?\s*)?(参考文献|引用文献|参考资料|文献列表|文献目录|参考书目|references?|bibliography|"
    r"works cited|reference list|literature cited|sources)\s*(列表|清单)?\s*[:：]?$",
    re.I,
)
ENTRY_MARK_RE = re.compile(r"^\s*+(?:[-*+]\s*+)?(?:\[\^?\d{1,3}\]:?|\d{1,3}[.)、]|[（(]\d{1,3}[)）])?\s*+")
ENTRY_RE = re.compile(r"^\s*(?:[-*+]\s+\S|(?:[-*+]\s*)?(?:\[\^?\d{1,3}\]:?|\d{1,3}[.)、]|[（(]\d{1,3}[)）])\s*\S)")
# a markdown footnote definition is a reference entry written by the model
FOOTNOTE_DEF_RE = re.compile(r"^\s*\[\^\d{1,3}\]\s*[:：]\s*\S")
# a bibliography-shaped line: authors then a title and a year or journal
BIB_RE = re.compile(
    r"^\s*(?:[-*+]\s*)?(?:\[\d{1,3}\]|\d{1,3}[.)、])\s*"
    rf"([A-Z][A-Za-z'\-]+,? [A-Z]{{1,3}}\b|[A-Z][A-Za-z'\-]+ [A-Z][a-z]?\.?,|[{IDEOGRAPHS}]{{2,4}}[,，]\s*[{IDEOGRAPHS}]{{2,4}})"
    r".*?(et al|等|\b(19|20)\d{2}\b)"
)


# What follows the authors in prose about them: a verb, not a title. English: a lower-case
# word ("proposed", "showed", "found"); Chinese: a predicate or a preposition opening a clause.
_PREDICATE_RE = re.compile(
    r"(?:[(（]\s*+(?:19|20)\d{2}[a-z]?\s*+[)）]\s*+)?"
    r"(?:[a-z]{2,}\b|(?:人|团队|课题组)?(?:首次|进一步|系统地?|先后|分别)?"
    r"(?:提出|发现|表明|指出|证明|证实|开发|设计|构建|报道|报告|研究|采用|利用|通过|认为|比较|综述|总结|分析|探讨|"
    r"实现|建立|验证|改进|引入|将|在|对|从|基于|使用|针对|以|把))"
)
# the author part of an item: up to "et al.", a Chinese name list ending in 等, or the first ". "
_AUTHORS_RE = re.compile(  # anchored: only ever matched at the start of an item
    r"^(?:[^.。]*?\bet\s*+al\b\.?"
    rf"|[{IDEOGRAPHS}]{{2,4}}(?:\s*+[,，、]\s*+[{IDEOGRAPHS}]{{2,4}})*+\s*+[,，]?\s*+等人?"
    r"|[^.。]*?\.(?=\s))"
)
_GAP = " \t,，.。:：\u3000"
_REFERENCE_SHAPE_RE = re.compile(
    r"\[(?:J|M|C|D|R|N|P|S|Z|EB/OL|DB/OL)\]|doi|https?://|\bvol\.|\bpp?\.\s*\d|\d+\s*\(\d+\)\s*:|"
    r":\s*\d+\s*[-–]\s*\d+|\b(?:19|20)\d{2}\s*[;,.]|学报|杂志|出版社|期刊|journal|proc\.|proceedings|conference|trans\.",
    re.I,
)


def is_prose_about_authors(text: str) -> bool:
    """An item that says something about a work rather than describing it: a predicate right
    after the authors, or a citation of its own (a reference entry cites nothing)."""
    body = ENTRY_MARK_RE.sub("", text, count=1)
    if CITE_RE.search(body):
        return True
    authors = _AUTHORS_RE.match(body)
    if authors and _PREDICATE_RE.match(body[authors.end():].lstrip(_GAP)):
        return True
    return body.rstrip().endswith("。") and not _REFERENCE_SHAPE_RE.search(body)


def is_bare_reference(text: str) -> bool:
    return bool(BIB_RE.match(text)) and not is_prose_about_authors(text)


def is_reference_title(text: str) -> bool:
    return bool(TITLE_RE.match(plain(text)))


def strip_invented_references(lines: Lines) -> tuple[Lines, list[Message]]:
    keep = [True] * len(lines)
    messages: list[Message] = []
    in_fence = fenced(lines)
    i = 0
    while i < len(lines):
        t = lines[i].text
        h = heading(t)
        title = h[1] if h else t.strip()
        if not in_fence[i] and title and is_reference_title(title) and (h or t.strip().startswith(("*", "参考", "引用"))
                                                                          or t.strip().lower().startswith("ref")):
            end = _heading_end(lines, i + 1) if h else _entries_end(lines, i + 1)
            entries = [ln for ln in lines[i + 1 : end] if ln.text.strip()]
            prose = sum(is_prose_about_authors(ln.text) for ln in entries)
            if entries and prose <= len(entries) / 2:
                for k in range(i, end):
                    keep[k] = False
                messages.append(
                    message(RULE, "warning", lines[i:end], said_n("reference list written by the model removed ({n} entry)", "reference list written by the model removed ({n} entries)", len(entries)))
                )
                i = end
                continue
        if not in_fence[i] and (is_bare_reference(t) or FOOTNOTE_DEF_RE.match(t)):
            end = _entries_end(lines, i)
            run = [ln for ln in lines[i:end] if ln.text.strip()]
            shaped = sum(bool(is_bare_reference(ln.text) or FOOTNOTE_DEF_RE.match(ln.text)) for ln in run)
            if (len(run) >= 2 or FOOTNOTE_DEF_RE.match(t)) and shaped >= len(run) / 2:
                for k in range(i, end):
                    keep[k] = False
                messages.append(message(RULE, "warning", run, said_n("reference entry written by the model removed ({n})", "reference entries written by the model removed ({n})", len(run))))
                i = end
                continue
        i += 1
    return [ln for ln, k in zip(lines, keep, strict=True) if k], messages


def _heading_end(lines: Lines, j: int) -> int:
    """Under a references heading, everything up to the next heading is the list."""
    while j < len(lines) and heading(lines[j].text) is None:
        j += 1
    while j > 0 and not lines[j - 1].text.strip():
        j -= 1
    return j


def _entries_end(lines: Lines, j: int) -> int:
    """One past the run of entry lines (and their continuation lines) starting at j."""
    last = j
    while j < len(lines):
        t = lines[j].text
        if not t.strip():
            j += 1
            continue
        if ENTRY_RE.match(t) or (last > 0 and t.startswith(("   ", "\t")) and j == last):
            j += 1
            last = j
            continue
        break
    return last
