"""The authors' pages: upload a record, see the article as it will be published beside the
report of every change, download it in each format, delete it.

Plain HTML forms do all of it; the one script (static/enhance.js) only adds drag and drop.
Templates are jinja2 with autoescape: record text reaches a page only through `{{ }}`. The
one exception is the article preview, which is the HTML writer's output, itself escaped
by construction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from fastapi import APIRouter, Request
from markupsafe import Markup
from starlette.responses import HTMLResponse, RedirectResponse, Response

from publisher.errors import InputError
from publisher.model import Document
from publisher.schema import document_from_dict
from publisher.service.api import output_response
from publisher.service.drafts import JSON_MEDIA_TYPE
from publisher.service.filenames import content_disposition
from publisher.service.report import GROUPS, group_report, lines_label
from publisher.service.uploads import PAGE_FORMS, read_record

if TYPE_CHECKING:
    from publisher.service.app import Service

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = TEMPLATES / "static"


@dataclass(frozen=True)
class Download:
    kind: str
    label: str
    hint: str


# The download buttons, in the order shown.
DOWNLOADS = [
    Download("docx", "Word", "DOCX, for editing"),
    Download("pdf", "PDF", "print-ready"),
    Download("html", "HTML", "a standalone web page"),
    Download("md", "Markdown", "plain text with markup"),
    Download("json", "JSON", "the document model, for a CMS"),
    Download("jats", "JATS XML", "for journal systems"),
]
DOWNLOAD_KINDS = {d.kind for d in DOWNLOADS}

HTML_ERROR_TITLES = {
    404: "Not found",
    405: "Not allowed",
    413: "Too large",
    422: "Not a record",
    503: "Busy",
    504: "Took too long",
}


class Pages:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.env.globals.update(lines_label=lines_label, max_mb=f"{max_bytes / 1048576:g}")

    def render(self, name: str, status: int = 200, headers: dict[str, str] | None = None, **context: object) -> Response:
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status, headers={"Cache-Control": "no-store", **(headers or {})})

    def error(self, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
        title = HTML_ERROR_TITLES.get(status, "Something went wrong")
        return self.render("error.html.j2", status, headers, code=status, title=title, detail=detail)


def pages_router(service: Service) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    pages, drafts = service.pages, service.drafts

    @router.get("/")
    async def upload_page(deleted: str | None = None) -> Response:
        return pages.render("upload.html.j2", error=None, deleted=deleted is not None)

    @router.post("/drafts")
    async def upload(request: Request) -> Response:
        try:
            data, name = await read_record(request, service.max_bytes, PAGE_FORMS)
            draft = await drafts.create(data, name)
        except InputError as exc:
            return pages.render("upload.html.j2", 422, error=str(exc), deleted=False)
        # 303: the browser follows with a GET, so reloading the draft never re-uploads.
        return RedirectResponse(f"/d/{draft.id}", 303)

    @router.get("/d/{draft_id}")
    async def draft_page(draft_id: str) -> Response:
        draft = await drafts.get(draft_id)
        fragment = (await drafts.output(draft_id, "fragment")).decode("utf-8")
        doc = document_from_dict(json.loads(draft.document))
        return pages.render(
            "draft.html.j2",
            draft=draft,
            doc=doc,
            stats=_stats(doc),
            article=Markup(fragment),  # the HTML writer's output, escaped by construction
            groups=group_report(doc.report),
            group_headings=GROUPS,
            downloads=DOWNLOADS,
        )

    @router.get("/d/{draft_id}/{kind}")
    async def download(draft_id: str, kind: str) -> Response:
        if kind not in DOWNLOAD_KINDS:
            return pages.error(404, "no such download")
        draft = await drafts.get(draft_id)
        if kind == "json":
            return Response(draft.document.encode("utf-8"), media_type=JSON_MEDIA_TYPE, headers={
                "Content-Disposition": content_disposition(draft.title, ".json"),
                "Cache-Control": "private",
            })
        return await output_response(service, draft, kind)

    @router.post("/d/{draft_id}/delete")
    async def delete(draft_id: str) -> Response:
        await drafts.delete(draft_id)
        return RedirectResponse("/?deleted", 303)

    return router


def _stats(doc: Document) -> str:
    chapters = len(doc.sections)
    parts = [f"{chapters} chapter{'s' if chapters != 1 else ''}"]
    tables = len(doc.tables())
    if tables:
        parts.append(f"{tables} table{'s' if tables != 1 else ''}")
    refs = len(doc.references)
    parts.append(f"{refs} reference{'s' if refs != 1 else ''}")
    return " · ".join(parts)
