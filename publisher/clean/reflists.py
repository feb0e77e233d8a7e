"""invented-references: reference lists the model wrote itself.

The published list comes only from the supplied references, so a heading such as
`#### 参考文献` / `References` / `**引用文献**` followed by entries goes with its entries,
and so does a bare run of entries that look like bibliography lines ("1. Smith J, et al. …").
"""

from __future__ import annotations

import re

from publisher.markdown.lexer import Lines, fenced, heading, plain
from publisher.model import Message
from publisher.result import message

RULE = "invented-references"
TITLE_RE = re.compile(
    r"^(\d+(\.\d+)*\.?\s*)?(参考文献|引用文献|参考资料|文献列表|文献目录|参考书目|references?|bibliography|"
    r"works cited|reference list|literature cited|sources)\s*(列表|清单)?\s*[:：]?$",
    re.I,
)
ENTRY_RE = re.compile(r"^\s*(?:[-*+]\s+\S|(?:[-*+]\s*)?(?:\[\^?\d{1,3}\]:?|\d{1,3}[.)、]|[（(]\d{1,3}[)）])\s*\S)")
# a markdown footnote definition is a reference entry written by the model
FOOTNOTE_DEF_RE = re.compile(r"^\s*\[\^\d{1,3}\]\s*[:：]\s*\S")
# a bibliography-shaped line: authors then a title and a year or journal
BIB_RE = re.compile(
    r"^\s*(?:[-*+]\s*)?(?:\[\d{1,3}\]|\d{1,3}[.)、])\s*"
    r"([A-Z][A-Za-z'\-]+,? [A-Z]{1,3}\b|[A-Z][A-Za-z'\-]+ [A-Z][a-z]?\.?,|[\u4e00-\u9fff]{2,4}[,，]\s*[\u4e00-\u9fff]{2,4})"
    r".*?(et al|等|\b(19|20)\d{2}\b)"
)


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
            if entries:
                for k in range(i, end):
                    keep[k] = False
                messages.append(
                    message(RULE, "warning", lines[i:end], f"reference list written by the model removed ({len(entries)} entries)")
                )
                i = end
                continue
        if not in_fence[i] and (BIB_RE.match(t) or FOOTNOTE_DEF_RE.match(t)):
            end = _entries_end(lines, i)
            run = [ln for ln in lines[i:end] if ln.text.strip()]
            shaped = sum(bool(BIB_RE.match(ln.text) or FOOTNOTE_DEF_RE.match(ln.text)) for ln in run)
            if (len(run) >= 2 or FOOTNOTE_DEF_RE.match(t)) and shaped >= len(run) / 2:
                for k in range(i, end):
                    keep[k] = False
                messages.append(message(RULE, "warning", run, f"reference entries written by the model removed ({len(run)})"))
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
