"""RIS: the published references for EndNote, Zotero and Mendeley, one record per entry
(`TY  - ` … `ER  - `), UTF-8. Tags carry only what the entry holds (bibliography.py)."""

from __future__ import annotations

from publisher.model import CslItem, CslName, Document
from publisher.render import Output, RenderOptions
from publisher.render.bibliography import pages, published_items
from publisher.render.notes import clean_text, illegal_characters
from publisher.result import Result

RIS_TYPES = {
    "article-journal": "JOUR", "book": "BOOK", "chapter": "CHAP", "paper-conference": "CPAPER", "report": "RPRT",
    "thesis": "THES", "webpage": "ELEC", "article-newspaper": "NEWS", "standard": "STAND", "patent": "PAT",
    "dataset": "DATA", "document": "GEN",
}


def render(doc: Document, options: RenderOptions) -> Result[Output]:
    lines: list[str] = []
    for item in published_items(doc):
        lines += record(item) + [""]
    return Result("\n".join(lines).encode("utf-8"), illegal_characters(doc, "ris"))


def record(item: CslItem) -> list[str]:
    first, last = pages(item)
    date = item.issued.date_parts[0] if item.issued else []
    fields: list[tuple[str, str | None]] = [
        ("TY", RIS_TYPES[item.type]),
        ("ID", item.id),
        ("TI", item.title),
        *[("AU", _name(a)) for a in item.author],
        ("PY", str(date[0]) if date else None),
        ("DA", "/".join(f"{p:02d}" if k else str(p) for k, p in enumerate(date)) + "/" if len(date) > 1 else None),
        ("T2", item.container_title),
        ("PB", item.publisher),
        ("CY", item.publisher_place),
        ("VL", item.volume),
        ("IS", item.issue),
        ("SP", first),
        ("EP", last),
        ("DO", item.DOI),
        ("UR", item.URL),
        ("LA", item.language),
    ]
    out = [f"{tag}  - {_one_line(value)}" for tag, value in fields if value]
    return out + ["ER  - "]


def _name(name: CslName) -> str:
    if name.literal:
        return name.literal
    return ", ".join(p for p in (name.family, name.given) if p)


def _one_line(text: str) -> str:
    return " ".join(clean_text(text).split())
