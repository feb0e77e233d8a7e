"""The supplied reference list: parsed, cleaned, and de-duplicated (never invented).

An entry starts at a label in any numbering style the citation grammar knows
(`publisher.markdown.notation.entry_label`): `[1]`, `［1］`, `【1】`, `〔1〕`, `[^1]:`, `(1)`,
`（1）`, `1.`, `1、`, `1)`, with half- or full-width digits; a line without a label continues
the entry above. A bare label (`1.`, `1)`) must carry the next number of the list: a wrapped
line that starts with `2019. Nature` continues its entry.

Cleaning: markdown emphasis goes, file-name tails (`.pdf.md`, `.pdf(7).md`) go, a publish
stamp `（发布时间：2024-12-31 09:42:53）` becomes the entry's date; full-width digits in a date
are read as digits. Two entries that are the same source share one key, so their citations
get one number: the same title after `publisher.text.fold` (NFKC, case, spacing and
punctuation folded away) and the same year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from publisher.markdown.notation import entry_label
from publisher.model import Message
from publisher.result import Result, message_at, said
from publisher.source import SourceLine
from publisher.text import fold, fold_width

_BARE_LABEL_STEP = 20  # a bare label (`7.`) is an entry only this far past the last number
_EMPHASIS_RE = re.compile(r"(\*\*|__|\*|_|`)(.+?)\1")
# (?<!\s)\s*+: a match starts where a run of spaces starts, never inside it (linear search)
_FILE_TAIL_RE = re.compile(
    r"(\.(pdf|docx?|pptx?|xlsx?|html?|txt))?((?<!\s)\s*+[(（]\d+[)）])?\.(md|pdf|docx?|txt|html?)\s*+\.?\s*+$", re.I
)
_STAMP_RE = re.compile(
    r"(?<!\s)\s*+[（(]\s*+(发布时间|发表时间|发布日期|published|date)\s*+[:：]\s*+"
    r"(?P<date>\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*[)）]",
    re.I,
)
_YEAR_TAIL_RE = re.compile(r"[.。]\s*(?P<year>(19|20)\d{2})\s*[.。]?\s*$")


@dataclass
class SuppliedEntry:
    number: int
    raw: str
    title: str
    date: str | None
    line: int

    @property
    def text(self) -> str:
        """Vancouver-style `Title. Date.`; a title ending in ? or ! takes no extra stop."""
        title = self.title.rstrip(".。 ")
        stop = "" if title[-1:] in "？?！!" else "."
        return f"{title}{stop} {self.date}." if self.date else f"{title}{stop}"

    @property
    def key(self) -> str:
        """Same key, same source: the cleaned title and date, without punctuation or case."""
        return fold(self.title, punctuation=True) + "|" + (self.date or "")[:4]


def parse_supplied(lines: list[SourceLine]) -> Result[dict[int, SuppliedEntry]]:
    """`[n] entry` lines (entries may wrap onto following lines) -> entries by number."""
    entries: dict[int, SuppliedEntry] = {}
    messages: list[Message] = []
    current: tuple[int, list[str], int] | None = None

    def finish() -> None:
        if current is None:
            return
        number, parts, line = current
        raw = " ".join(p.strip() for p in parts if p.strip())
        if not raw:
            messages.append(message_at("reference-entry", "warning", line, line, f"[{number}]",
                                       said("empty supplied entry ignored")))
            return
        if number in entries:
            messages.append(message_at("reference-entry", "warning", line, line, raw[:80],
                                       said("supplied number [{number}] used twice; the first entry is kept",
                                            number=str(number))))
            return
        entries[number] = clean_entry(number, raw, line)

    last = 0
    for ln in lines:
        label = entry_label(ln.text)
        if label is not None and not label[1] and not (current is None or last < label[0] <= last + _BARE_LABEL_STEP):
            label = None  # `2019. Nature …`: a wrapped line, not the next entry
        if label is not None:
            finish()
            last = label[0]
            current = (label[0], [label[2]], ln.no)
        elif current is not None and ln.text.strip():
            current[1].append(ln.text)
        elif ln.text.strip():
            messages.append(message_at("reference-entry", "warning", ln.no, ln.no, ln.text.strip()[:80],
                                       said("line in the supplied reference list is not an entry; ignored")))
    finish()
    return Result(entries, messages)


def clean_entry(number: int, raw: str, line: int = 0) -> SuppliedEntry:
    text = raw.strip()
    while True:
        stripped = _EMPHASIS_RE.sub(r"\2", text)
        if stripped == text:
            break
        text = stripped
    date: str | None = None
    stamp = _STAMP_RE.search(fold_width(text))  # folding keeps positions: the match cuts `text`
    if stamp:
        date = _iso_date(stamp.group("date"))
        text = (text[: stamp.start()] + text[stamp.end() :]).strip()
    year = _YEAR_TAIL_RE.search(fold_width(text))
    if year and (date is None or date.startswith(year.group("year"))):
        text = text[: year.start()].strip()
        date = date or year.group("year")
    tail = _FILE_TAIL_RE.search(fold_width(text))
    text = text[: tail.start()].strip() if tail else text
    text = text.rstrip(".。 ").strip()
    return SuppliedEntry(number, raw.strip(), text or raw.strip(), date, line)


def _iso_date(s: str) -> str:
    parts = re.findall(r"\d+", s)
    y, m, d = (int(p) for p in parts[:3])
    return f"{y:04d}-{m:02d}-{d:02d}"
