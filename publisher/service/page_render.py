"""The draft page as HTML: the expensive part of a view (the JSON model parsed, the model
rebuilt, the report grouped, the template rendered), as a plain function of plain data so
that it runs in a conversion process, off the web server's event loop and its GIL.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from publisher.model import Document
from publisher.render.anchors import margin_places
from publisher.schema import document_from_dict
from publisher.service.report import GROUPS, group_report, lines_label
from publisher.service.store import Draft

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Download:
    kind: str
    label: str
    hint: str


# The download buttons, in the order shown.
DOWNLOADS = [
    Download("docx", "Word", "DOCX, for editing"),
    Download("review-docx", "Review draft (Word)", "every change to accept or reject"),
    Download("pdf", "PDF", "print-ready"),
    Download("html", "HTML", "a standalone web page"),
    Download("md", "Markdown", "plain text with markup"),
    Download("json", "JSON", "the document model, for a CMS"),
    Download("jats", "JATS XML", "for journal systems"),
]


@functools.lru_cache(maxsize=4)
def environment(max_mb: str) -> jinja2.Environment:
    """The service's templates (autoescaped: record text reaches a page only through `{{ }}`)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.globals.update(lines_label=lines_label, max_mb=max_mb, id_of=id)
    return env


def draft_page(draft: Draft, fragment: str, max_mb: str) -> str:
    doc = document_from_dict(json.loads(draft.document))
    return environment(max_mb).get_template("draft.html.j2").render(
        draft=draft,
        doc=doc,
        stats=_stats(doc),
        article=Markup(fragment),  # the HTML writer's output, escaped by construction
        groups=group_report(doc.report),
        change_ids={id(m): k for k, m in enumerate(doc.report)},
        in_text={k for k, target in enumerate(margin_places(doc)) if target is not None},
        group_headings=GROUPS,
        downloads=DOWNLOADS,
    )


def _stats(doc: Document) -> str:
    chapters = len(doc.sections)
    parts = [f"{chapters} chapter{'s' if chapters != 1 else ''}"]
    tables = len(doc.tables())
    if tables:
        parts.append(f"{tables} table{'s' if tables != 1 else ''}")
    refs = len(doc.references)
    parts.append(f"{refs} reference{'s' if refs != 1 else ''}")
    return " · ".join(parts)
