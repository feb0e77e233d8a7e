"""The CMS API, /api/v1/documents: upload a record, fetch its model and outputs, delete it.

There is deliberately no endpoint that lists drafts: a draft is reachable only through the
id its uploader was given. With a token configured every call needs
`Authorization: Bearer <token>` (auth.Guard checks it; the dependency here documents it).

An upload is answered when its draft is ready (201), or at once with `Prefer:
respond-async` (202 + Location; the draft's URL answers 202 until it is converted). Room
for the conversion is taken before the body is read, so a full server refuses (503)
without reading anything.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.responses import Response

from publisher.service.convert import JSON_MEDIA_TYPE, OUTPUTS
from publisher.service.filenames import content_disposition
from publisher.service.logs import log_event
from publisher.service.store import Draft
from publisher.service.uploads import read_record

if TYPE_CHECKING:
    from publisher.service.app import Service

PREFIX = "/api/v1/documents"


class Format(StrEnum):
    docx = "docx"
    pdf = "pdf"
    html = "html"
    md = "md"
    jats = "jats"


class Created(BaseModel):
    id: str
    document: dict[str, Any]
    links: dict[str, str]


class Problem(BaseModel):
    detail: str


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Problem} for code in codes}


_errors = error_responses


# How a record may be sent: the raw body, or a multipart form with the field `file`.
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}

_bearer = HTTPBearer(auto_error=False, description="Required when the server has PUBLISHER_API_TOKEN set.")


def links(draft_id: str) -> dict[str, str]:
    base = f"{PREFIX}/{draft_id}"
    out = {"json": base}
    out.update({fmt.value: f"{base}.{fmt.value}" for fmt in Format})
    out["review_docx"] = f"{base}.docx?review=1"
    out["fragment"] = f"{base}/fragment"
    out["page"] = f"/d/{draft_id}"
    return out


def authorize_dependency(service: Service) -> Callable[..., None]:
    """The bearer check as a dependency, so that the OpenAPI document shows it (auth.Guard
    enforces it for every route before any handler runs)."""

    def authorize(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
        if service.token is None:
            return
        given = credentials.credentials if credentials else ""
        if not secrets.compare_digest(given.encode("utf-8"), service.token.encode("utf-8")):
            raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})

    return authorize


def api_router(service: Service) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["documents"], dependencies=[Depends(authorize_dependency(service))],
                       responses=_errors(401))
    drafts = service.drafts

    @router.post("", status_code=201, response_model=Created, openapi_extra=UPLOAD_BODY,
                 responses=_errors(400, 413, 422, 503, 504), summary="Upload a record")
    async def create_document(request: Request) -> Response:
        """Convert a callback record (the raw body, or the multipart field `file`) into a draft.
        Answers with the draft's id, its document model and the links to every output; with
        `Prefer: respond-async`, at once with 202 and the draft's Location."""
        if "respond-async" in request.headers.get("prefer", "").lower():
            data, name = await read_record(request, service.max_bytes)
            queued = await drafts.enqueue(data, name)
            log_event("upload queued", draft_id=queued.id, source=name)
            return JSONResponse({"id": queued.id, "status": queued.status, "links": links(queued.id)}, 202,
                                headers={"Location": f"{PREFIX}/{queued.id}", "Preference-Applied": "respond-async",
                                         "Retry-After": str(service.retry_after)})
        with drafts.pool.reserve() as slot:  # 503 before a byte of the body is read
            data, name = await read_record(request, service.max_bytes)
            draft = await drafts.create(data, name, slot)
        log_event("upload converted", draft_id=draft.id, source=name)
        # the stored model is already JSON: spliced in, not parsed and written again
        body = (f'{{"id": {json.dumps(draft.id)}, "document": {draft.document}, '
                f'"links": {json.dumps(links(draft.id))}}}')
        return Response(body.encode("utf-8"), 201, media_type="application/json",
                        headers={"Location": f"{PREFIX}/{draft.id}"})

    @router.get("/{doc_id}.{fmt}", responses={200: {"content": {k.media_type.split(";")[0]: {}
                                                               for k in OUTPUTS.values()}},
                                             **_errors(404, 503, 504)},
                summary="Download an output")
    async def get_output(doc_id: str, fmt: Format, review: bool = False) -> Response:
        """The draft rendered as DOCX, PDF, HTML, Markdown or JATS XML, named after its title.
        Rendered on the first request and kept. `review=1` (DOCX only): the review draft, every
        change the publisher made as a tracked deletion or a comment to accept or reject."""
        if review and fmt is not Format.docx:
            raise HTTPException(422, "review=1 is for the DOCX only")
        draft = await drafts.get(doc_id)
        return await output_response(service, draft, "review-docx" if review else fmt.value)

    @router.get("/{doc_id}/fragment", responses={200: {"content": {"text/html": {}}}, **_errors(404, 503, 504)},
                summary="The article as an HTML fragment")
    async def get_fragment(doc_id: str) -> Response:
        """The article body alone (`<article>`), for a CMS to embed in its own page."""
        data = await drafts.output(doc_id, "fragment")
        return Response(data, media_type=OUTPUTS["fragment"].media_type, headers={"Cache-Control": "private"})

    @router.get("/{doc_id}", responses={200: {"content": {JSON_MEDIA_TYPE: {"schema": {"type": "object"}}}},
                                        202: {"description": "still being converted: {id, status}"},
                                        **_errors(404, 422)},
                summary="The document model")
    async def get_document(doc_id: str) -> Response:
        """The document model as JSON (publisher/schema/document.schema.json), report included;
        202 `{id, status}` while the draft is queued or converting, 422 when it failed."""
        draft = await drafts.get(doc_id)
        return Response(draft.document.encode("utf-8"), media_type=JSON_MEDIA_TYPE,
                        headers={"Cache-Control": "private"})

    @router.delete("/{doc_id}", status_code=204, responses=_errors(404), summary="Delete a draft")
    async def delete_document(doc_id: str) -> Response:
        """Delete the draft and every file rendered from it."""
        await drafts.delete(doc_id)
        log_event("draft deleted", draft_id=doc_id)
        return Response(status_code=204)

    return router


async def output_response(service: Service, draft: Draft, kind: str) -> Response:
    """An output as a download named after the article's title."""
    spec = OUTPUTS[kind]
    data = await service.drafts.output(draft.id, kind)
    title = f"{draft.title} (review)" if spec.review else draft.title
    return Response(data, media_type=spec.media_type, headers={
        "Content-Disposition": content_disposition(title, spec.extension),
        "Cache-Control": "private",
    })

