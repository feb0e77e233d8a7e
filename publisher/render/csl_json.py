"""CSL JSON: the cited references as citeproc reads them (`pandoc --citeproc`, Zotero).

Each entry keeps the number the text cites it by (`ref-N`, `citation-number`) and only what
the model knows: the title and, when the supplied entry had one, the date. Nothing invented.
"""

from __future__ import annotations

import json
import re
from typing import Any

from publisher.model import Document
from publisher.render import Output, RenderOptions
from publisher.render.notes import clean_text, illegal_characters
from publisher.render.pandoc_ast import LANG_TAGS
from publisher.result import Result

_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def csl_item(number: int, anchor: str, title: str, date: str | None, language: str) -> dict[str, Any]:
    item: dict[str, Any] = {"id": anchor, "type": "document", "citation-number": number, "title": clean_text(title)}
    m = _DATE.fullmatch(date or "")
    if m:
        item["issued"] = {"date-parts": [[int(part) for part in m.groups() if part]]}
    elif date:
        item["issued"] = {"raw": clean_text(date)}
    item["language"] = language
    return item


def render(doc: Document, options: RenderOptions) -> Result[Output]:
    language = LANG_TAGS[doc.language]
    items = [csl_item(r.number, r.anchor(), r.title or r.text, r.date, language) for r in doc.references if r.cited]
    text = json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    return Result(text.encode("utf-8"), illegal_characters(doc, "csl"))
