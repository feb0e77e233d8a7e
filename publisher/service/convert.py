"""The conversion work itself, as plain functions of plain data: run in the web service's
worker processes (workers.py) or in a Celery worker (tasks.py), never on the event loop.

Nothing here touches the store: a conversion returns what it made, and the caller keeps
it only if the request is still wanted (a conversion answered 504 stores nothing).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from publisher.formats import FORMATS
from publisher.model import Document
from publisher.pipeline import BuildOptions, build_document
from publisher.render import RenderOptions, render
from publisher.schema import document_from_dict

Builder = Callable[..., Document]  # build_document(source, name=..., options=...)


@dataclass(frozen=True)
class OutputKind:
    format: str  # writer name in publisher.formats.FORMATS
    media_type: str
    extension: str  # for the download's file name
    fragment: bool = False
    review: bool = False  # docx: the review draft (changes as tracked deletions and comments)
    margin_notes: bool = False  # html: the report lines beside what they concern (the draft page)


# The outputs a draft offers, by the name used in URLs.
OUTPUTS: dict[str, OutputKind] = {
    name: OutputKind(name, FORMATS[name].media_type, FORMATS[name].extension)
    for name in ("docx", "pdf", "html", "md", "jats")
}
OUTPUTS["fragment"] = OutputKind("html", FORMATS["html"].media_type, ".html", fragment=True)
OUTPUTS["review-docx"] = OutputKind("docx", FORMATS["docx"].media_type, ".docx", review=True)
OUTPUTS["annotated"] = OutputKind("html", FORMATS["html"].media_type, ".html", fragment=True, margin_notes=True)
JSON_MEDIA_TYPE = FORMATS["json"].media_type


@dataclass(frozen=True)
class Converted:
    """What crosses back from the conversion process: plain data, no model (pickling the
    model's object graph would cost both processes more than the JSON it is already in)."""

    title: str
    language: str
    document_json: str
    outputs: dict[str, bytes] = field(default_factory=dict)


def convert(data: bytes, source: str, max_bytes: int, kinds: Sequence[str] = (), timeout: float = 120.0,
            builder: Builder = build_document) -> Converted:
    """A record -> its model (as JSON) and the outputs `kinds`. PublishError for a record
    that cannot be read or rendered. Always bytes: an upload never names a server file."""
    doc = builder(data, name=source, options=BuildOptions(max_bytes=max_bytes))
    document_json = render(doc, "json").value
    assert isinstance(document_json, bytes)
    outputs = {kind: _render(doc, kind, timeout) for kind in kinds}
    return Converted(doc.title, doc.language, document_json.decode("utf-8"), outputs)


def render_kind(document_json: str, kind: str, timeout: float = 120.0) -> bytes:
    """One output of a stored draft, from its JSON model."""
    return _render(document_from_dict(json.loads(document_json)), kind, timeout)


def _render(doc: Document, kind: str, timeout: float) -> bytes:
    spec = OUTPUTS[kind]
    options = replace(RenderOptions(timeout=timeout), fragment=spec.fragment, review=spec.review,
                      margin_notes=spec.margin_notes)
    data = render(doc, spec.format, options).value
    assert isinstance(data, bytes)  # every format offered here is a single file
    return data
