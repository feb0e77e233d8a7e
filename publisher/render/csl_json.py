"""CSL JSON: the published references as citeproc reads them (`pandoc --citeproc`, Zotero,
Mendeley). Each item's id is the anchor the text cites it by (`ref-N`); its fields are only
what the supplied entry holds (bibliography.py). The markdown written with
`--pandoc-citations` names this file as its bibliography.
"""

from __future__ import annotations

import json

from publisher.model import Document
from publisher.render import Output, RenderOptions
from publisher.render.bibliography import csl_json, published_items
from publisher.render.notes import illegal_characters
from publisher.result import Result


def render(doc: Document, options: RenderOptions) -> Result[Output]:
    text = json.dumps(csl_json(published_items(doc)), ensure_ascii=False, indent=2) + "\n"
    return Result(text.encode("utf-8"), illegal_characters(doc, "csljson"))
