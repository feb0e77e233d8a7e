"""A supplied reference entry read into CSL fields: what it holds, parsed, never invented.

Entries arrive in many shapes; the parts read here are the ones a reference manager needs:
- a URL (http/https) and a DOI (`doi:10.…`, `https://doi.org/10.…`, a bare `10.nnnn/…`);
- a GB/T 7714 document-type code after the title (`[J]`, `[M]`, `[EB/OL]`, …), which gives
  the CSL type and splits the entry: `Authors. Title[J]. Container, 2020, 12(3): 45-67.`;
- a Vancouver (ICMJE) entry: `Authors. Title. Container. 2020;12(3):45-67.`, the authors
  recognised only when every item of the first segment reads as a name (`Smith J`, `Smith JA`,
  `张三`, `et al`, `等`), and the container only when volume, issue or pages follow it;
- a book's `Place: Publisher, Year`.
What does not match stays in the title. An entry with none of this (the usual `Title. Year.`)
is a `document` with its title and date. The date comes from the entry's cleaning
(`references.clean_entry`), so a publish stamp is the date here too.
"""

from __future__ import annotations

import re

from publisher.model import CslDate, CslItem, CslName, CslType
from publisher.text import IDEOGRAPH_RE, IDEOGRAPHS, LANG_TAGS

URL_RE = re.compile(r"https?://[^\s<>\"，。；）)\]]+")
DOI_RE = re.compile(r"(?:\bdoi\s*+[:：]?\s*+|https?://(?:dx\.)?doi\.org/)?\b(10\.\d{4,9}/[^\s，。；]++)", re.I)
CODE_RE = re.compile(r"\[(J|M|C|D|R|N|S|P|Z|G|A|DB|CP|EB|EB/OL|J/OL|M/OL|N/OL|C/OL|DB/OL)\]", re.I)
# Vancouver's `2020;12(3):45-67` or GB/T's `2020, 12(3): 45-67`
SOURCE_RE = re.compile(
    r"(?P<year>(?:19|20)\d{2})[^;,，\d]{0,12}+[;,，]\s*+(?P<volume>\d++)?\s*+(?:[(（](?P<issue>[^)）]++)[)）])?"
    r"\s*+(?::\s*+(?P<page>[\dA-Za-z]++(?:\s*+[-–—~]\s*+[\dA-Za-z]++)?))?"
)
PUBLISHER_RE = re.compile(r"^(?P<place>[^:：,，.]{2,40}+)[:：]\s*+(?P<publisher>[^,，]{2,80}+)[,，]\s*+(?:19|20)\d{2}")
# a name: `Smith J`, `Van Dyck AB` (capitalised surname words, then initials), `张三`, or the list's `et al` / `等`
SURNAME_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*+")
INITIALS_RE = re.compile(r"[A-Z]{1,3}")
CJK_NAME_RE = re.compile(rf"[{IDEOGRAPHS}·]{{2,6}}|et al|等")
YEAR_ONLY = re.compile(r"^\s*(?:19|20)\d{2}\s*[.。]?\s*$")
CODE_TYPES: dict[str, CslType] = {
    "J": "article-journal", "M": "book", "C": "paper-conference", "D": "thesis", "R": "report",
    "N": "article-newspaper", "S": "standard", "P": "patent", "DB": "dataset", "EB": "webpage",
}


def csl_item(ident: str, title: str, date: str | None) -> CslItem:
    """The CSL item of a cleaned supplied entry (`title` is what cleaning kept of it)."""
    text = title
    url = _first(URL_RE, text)
    doi = _first(DOI_RE, text, group=1)
    for found in (url, doi):
        if found:
            text = text.replace(found, " ")
    text = re.sub(r"(?:\bdoi\s*+[:：]?|https?://(?:dx\.)?doi\.org/)\s*+(?=[.。,，;；]|$)", " ", text, flags=re.I)
    text = re.sub(r"\s+", " ", text).strip(" .。,，;；")
    kind: CslType = "webpage" if url else "document"
    authors: list[CslName] = []
    container = publisher = place = volume = issue = page = None
    code = CODE_RE.search(text)
    year: str | None = None
    if code:
        kind = CODE_TYPES.get(code.group(1).upper().split("/")[0], kind)
        head, tail = text[: code.start()], text[code.end() :].strip(" .。")
        authors, head = _authors(head, responsible=True)
        text = head.strip(" .。")
        container, publisher, place, volume, issue, page = _source(tail, kind)
        year = _year(tail)
    else:
        authors, rest = _authors(text)
        parts = _segments(rest)
        if authors and len(parts) >= 2 and SOURCE_RE.search(parts[-1]):
            container = parts[-2] if len(parts) >= 3 else None
            text = ". ".join(parts[: len(parts) - (2 if container else 1)])
            _, _, _, volume, issue, page = _source(parts[-1], "article-journal")
            kind = "article-journal" if container else kind
            year = _year(parts[-1])
        elif authors:
            text = rest
    return CslItem(
        id=ident, type=kind, title=text or title, issued=_date(date or year), author=authors,
        container_title=container, publisher=publisher, publisher_place=place,
        volume=volume, issue=issue, page=page, URL=url, DOI=doi.rstrip(".") if doi else None,
        language=LANG_TAGS["zh"] if IDEOGRAPH_RE.search(title) else LANG_TAGS["en"],
    )


def _first(pattern: re.Pattern[str], text: str, group: int = 0) -> str | None:
    m = pattern.search(text)
    return m.group(group).rstrip(".,;，。；") if m else None


def _segments(text: str) -> list[str]:
    """Vancouver's parts: split at a full stop that ends a part (". " or "。")."""
    return [p.strip() for p in re.split(r"(?<=[^\s.])\.\s+|。", text) if p.strip()]


def _authors(text: str, responsible: bool = False) -> tuple[list[CslName], str]:
    """The name list before the first full stop, when every item reads as a name (before a
    GB/T title, whatever stands there is its responsible party: a person or a body)."""
    m = re.match(r"^(?P<names>[^.。]{2,300}?)[.。]\s*(?P<rest>.+)$", text)
    if not m:
        return [], text
    items = [i.strip() for i in re.split(r"\s*[,，、;；]\s*", m.group("names")) if i.strip()]
    named = all(_is_name(i) or (responsible and len(i) <= 60) for i in items)
    if not items or not named or YEAR_ONLY.match(m.group("rest")):
        return [], text
    names = [_name(i) for i in items if i not in ("et al", "等")]
    return names, m.group("rest")


def _name(item: str) -> CslName:
    if IDEOGRAPH_RE.search(item) or not _is_name(item):
        return CslName(literal=item)
    family, _, given = item.rpartition(" ")
    return CslName(family=family, given=given)


def _is_name(item: str) -> bool:
    if CJK_NAME_RE.fullmatch(item):
        return True
    *surname, initials = item.split() or [""]
    capitalised = all(SURNAME_RE.fullmatch(w) and w[0].isupper() for w in surname)
    return bool(surname) and capitalised and bool(INITIALS_RE.fullmatch(initials))


def _year(text: str) -> str | None:
    """The date a source part gives: `(2022-08-08)`, or the year of `2020;12(3)` / `Press, 2019`."""
    stamp = re.search(r"[(（]((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})[)）]", text)
    if stamp:
        return "-".join(f"{int(p):02d}" if k else p for k, p in enumerate(stamp.groups()))
    m = SOURCE_RE.search(text) or PUBLISHER_RE.match(text)
    found = re.search(r"(?:19|20)\d{2}", m.group(0)) if m else None
    return found.group(0) if found else None


def _source(tail: str, kind: CslType) -> tuple[str | None, ...]:
    """(container, publisher, place, volume, issue, page) from what follows a GB/T code."""
    if kind == "book" or kind == "report":
        m = PUBLISHER_RE.match(tail)
        if m:
            return None, m.group("publisher").strip(), m.group("place").strip(), None, None, None
        return None, None, None, None, None, None
    src = SOURCE_RE.search(tail)
    container = tail[: src.start()].strip(" ,，.。") if src else None
    if src is None:
        return None, None, None, None, None, None
    return (container or None, None, None, src.group("volume"), src.group("issue"),
            re.sub(r"\s+", "", src.group("page")) if src.group("page") else None)


def _date(date: str | None) -> CslDate | None:
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", date or "")
    return CslDate([[int(p) for p in m.groups() if p]]) if m else None
