"""The published reference list as reference-manager items, shared by the CSL JSON, RIS and
BibTeX writers and by `--csl` (citeproc.py): only the cited entries, in Vancouver order, each
merged duplicate once, with the CSL fields the cite stage parsed from the supplied entry
(`Reference.csl`; a document loaded from JSON older than 1.2 has them parsed again here).
"""

from __future__ import annotations

from typing import Any

from publisher.cite.fields import csl_item
from publisher.model import CslItem, Document, Reference, to_dict
from publisher.render.notes import clean_text


def item_of(ref: Reference) -> CslItem:
    return ref.csl if ref.csl is not None else csl_item(ref.anchor(), ref.title, ref.date)


def published_items(doc: Document) -> list[CslItem]:
    return [item_of(r) for r in doc.references if r.cited]


def csl_json(items: list[CslItem]) -> list[dict[str, Any]]:
    """The items as CSL JSON objects, every string cleaned of what no file format carries."""
    return [_cleaned(to_dict(item)) for item in items]


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    return value


def year(item: CslItem) -> int | None:
    return item.issued.date_parts[0][0] if item.issued and item.issued.date_parts[0] else None


def pages(item: CslItem) -> tuple[str | None, str | None]:
    """First and last page of `45-67` (`45` alone: first only)."""
    if not item.page:
        return None, None
    first, _, last = item.page.replace("–", "-").replace("—", "-").replace("~", "-").partition("-")
    return first.strip() or None, last.strip() or None
