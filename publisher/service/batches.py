"""Bulk import for a CMS, /api/v1/batches: many records in one request, converted in the
background, with counts to poll and an optional callback when the last one is done.

    POST /api/v1/batches   multipart: `file` fields (records) or one zip/tar.gz `file`;
                           optional `formats` (docx,pdf,html,md,jats: rendered with each
                           record) and `callback_url` (POSTed the summary when finished)
                           -> 202 {id, total, documents: [{id, name, status}], links}
    GET  /api/v1/batches/{id} -> {id, total, queued, running, done, failed, documents, links}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from publisher.errors import InputError
from publisher.service.api import authorize_dependency, error_responses, links
from publisher.service.convert import OUTPUTS
from publisher.service.jobs import batch_summary
from publisher.service.logs import log_event
from publisher.service.uploads import RAW, read_form, records_of

if TYPE_CHECKING:
    from publisher.service.app import Service
    from publisher.service.store import Batch

PREFIX = "/api/v1/batches"
BATCH_FORMATS = tuple(k for k in OUTPUTS if k not in ("fragment", "annotated"))

BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "array", "items": {"type": "string", "format": "binary"},
                                 "description": "records, or one zip/tar.gz archive of records"},
                        "formats": {"type": "string", "example": "docx,pdf,html"},
                        "callback_url": {"type": "string", "format": "uri"},
                    },
                    "required": ["file"],
                }
            }
        },
    }
}


def parse_formats(text: str) -> tuple[str, ...]:
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in BATCH_FORMATS]
    if unknown:
        raise InputError(f"unknown format '{unknown[0]}' (choose from {', '.join(BATCH_FORMATS)})", "formats")
    return tuple(dict.fromkeys(names))


def check_callback(url: str) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError("callback_url must be an http(s) URL", "callback_url")
    return url


async def accept_batch(service: Service, request: Request) -> Batch:
    """Read, check and queue a batch; InputError (422) for a request with nothing usable."""
    form = await read_form(request, service.max_bytes)
    try:
        formats = parse_formats(str(form.get("formats") or ""))
        callback = check_callback(str(form.get("callback_url") or ""))
        records = await records_of(form, service.max_bytes)
    finally:
        await form.close()
    kinds = formats + ("annotated",)  # the draft page shows the article: render it with the rest
    batch = await service.drafts.create_batch(records, kinds, callback)
    log_event("batch queued", batch_id=batch.id, total=batch.total)
    return batch


def batches_router(service: Service) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["batches"], dependencies=[Depends(authorize_dependency(service))],
                       responses=error_responses(401))

    @router.post("", status_code=202, openapi_extra=BATCH_BODY, responses=error_responses(413, 422, 503),
                 summary="Import many records")
    async def create_batch(request: Request) -> Response:
        """Queue every record (form fields `file`, or one zip/tar.gz archive) for conversion.
        Answers at once; poll the Location, or give `callback_url` to be told when it is done."""
        batch = await accept_batch(service, request)
        body: dict[str, Any] = {
            "id": batch.id, "total": batch.total,
            "documents": [{"id": d.id, "name": d.source, "status": d.status, "links": links(d.id)}
                          for d in batch.drafts],
            "links": {"self": f"{PREFIX}/{batch.id}", "page": f"/b/{batch.id}"},
        }
        return JSONResponse(body, 202, headers={"Location": f"{PREFIX}/{batch.id}"})

    @router.get("/{batch_id}", responses=error_responses(404), summary="Progress of a batch")
    async def get_batch(batch_id: str) -> Response:
        """Counts by status (queued, running, done, failed) and every document's status."""
        batch = await service.drafts.batch(batch_id)
        if batch is None:
            return JSONResponse({"detail": "no such batch"}, 404)
        return JSONResponse(batch_summary(batch), headers={"Cache-Control": "no-store"})

    return router


__all__ = ["RAW", "accept_batch", "batches_router"]
