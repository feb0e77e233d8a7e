"""JSON: the document model as the CMS imports it (see publisher/schema)."""

from __future__ import annotations

import json

from publisher.model import Document
from publisher.render import Output, RenderOptions
from publisher.result import Result


def render(doc: Document, options: RenderOptions) -> Result[Output]:
    return Result(_render(doc, options))


def _render(doc: Document, options: RenderOptions) -> bytes:
    text = json.dumps(doc.to_dict(), ensure_ascii=False, indent=2, sort_keys=False)
    return (text + "\n").encode("utf-8")
