"""The authors' pages: upload a record, see the article as it will be published beside the
report of every change, download it in each format, delete it.

Plain HTML forms do all of it; the one script (static/enhance.js) only adds drag and drop.
Several files (or one archive) make a batch, whose page refreshes itself until every record
is converted. Templates are jinja2 with autoescape: record text reaches a page only through
`{{ }}`. The one exception is the article preview, which is the HTML writer's output,
itself escaped by construction.

A draft page is built (JSON parsed, model rebuilt, template rendered) in a thread, never on
the event loop, and kept in a small cache: a draft never changes, so the next view costs a
lookup (and a check that the draft still exists).
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import anyio
from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import Scope

from publisher.errors import InputError
from publisher.i18n import LANGS, Lang
from publisher.service import tables as t
from publisher.service.api import output_response
from publisher.service.convert import JSON_MEDIA_TYPE
from publisher.service.filenames import content_disposition
from publisher.service.language import W_, page_lang, say, switch_links
from publisher.service.logs import log_event
from publisher.service.page_render import DOWNLOADS, TEMPLATES, draft_page, environment, error_line
from publisher.service.uploads import read_page_upload
from publisher.service.workers import Saturated

if TYPE_CHECKING:
    from publisher.service.app import Service

STATIC = TEMPLATES / "static"


DOWNLOAD_KINDS = {d.kind for d in DOWNLOADS}

STATUS_LABELS = {t.QUEUED: W_("waiting"), t.RUNNING: W_("converting"), t.DONE: W_("published"), t.FAILED: W_("failed")}
PAGE_CACHE_BYTES = 64 * 1048576

HTML_ERROR_TITLES = {
    401: W_("Sign in"),
    403: W_("Not allowed"),
    404: W_("Not found"),
    405: W_("Not allowed"),
    408: W_("Too slow"),
    413: W_("Too large"),
    422: W_("Not a record"),
    503: W_("Busy"),
    504: W_("Took too long"),
}
OTHER_ERROR = W_("Something went wrong")


class Pages:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.max_mb = f"{max_bytes / 1048576:g}"
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._cache_bytes = 0
        self._cache_lock = threading.Lock()

    def cached(self, key: str) -> str | None:
        with self._cache_lock:
            html = self._cache.get(key)
            if html is not None:
                self._cache.move_to_end(key)
            return html

    def keep(self, key: str, html: str) -> None:
        with self._cache_lock:
            if key in self._cache:
                return
            self._cache[key] = html
            self._cache_bytes += len(html)
            while self._cache_bytes > PAGE_CACHE_BYTES and len(self._cache) > 1:
                _, old = self._cache.popitem(last=False)
                self._cache_bytes -= len(old)

    def forget(self, key: str) -> None:
        with self._cache_lock:
            html = self._cache.pop(key, None)
            if html is not None:
                self._cache_bytes -= len(html)

    def render(self, scope: Scope, name: str, status: int = 200, headers: dict[str, str] | None = None,
               **context: object) -> Response:
        """A page in the language the request asks for, with the switch to the others."""
        lang = page_lang(scope)
        switch = switch_links(scope.get("query_string", b""), lang)
        html = environment(self.max_mb, lang).get_template(name).render(switch=switch, **context)
        return HTMLResponse(html, status, headers={"Cache-Control": "no-store", **(headers or {})})

    def error(self, scope: Scope, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
        lang = page_lang(scope)
        title = say(lang, HTML_ERROR_TITLES.get(status, OTHER_ERROR))
        return self.render(scope, "error.html.j2", status, headers, code=status, title=title, detail=say(lang, detail))


_building: dict[str, asyncio.Future[str]] = {}


async def single_flight(key: str, build: Callable[[], Awaitable[str]]) -> str:
    """One build per key at a time: concurrent views of an uncached page wait for the first."""
    if key in _building:
        return await asyncio.shield(_building[key])
    future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    _building[key] = future
    try:
        result = await build()
        future.set_result(result)
        return result
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()  # retrieved: no warning when nobody else waited
        raise
    finally:
        del _building[key]


def _page_key(draft_id: str, lang: str) -> str:
    return f"{lang}:{draft_id}"


async def _build_page(service: Service, draft_id: str, lang: Lang) -> str:
    """The page, built in a conversion process (its parsing and templating would otherwise
    hold the web process's GIL); in a thread when every process is busy. Its language switch
    keeps no query parameter: the draft page takes none, and one page per language is cached."""
    drafts, pages = service.drafts, service.pages
    draft = await drafts.get(draft_id)
    fragment = (await drafts.output(draft_id, "annotated")).decode("utf-8")  # with the margin notes
    args = (draft, fragment, pages.max_mb, lang, switch_links("", lang))
    try:
        slot = drafts.pool.reserve()
    except Saturated:
        return await anyio.to_thread.run_sync(draft_page, *args)
    return await drafts.pool.run(draft_page, *args, slot=slot)


def pages_router(service: Service) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    pages, drafts = service.pages, service.drafts

    @router.get("/")
    async def upload_page(request: Request, deleted: str | None = None) -> Response:
        return pages.render(request.scope, "upload.html.j2", error=None, deleted=deleted is not None)

    @router.post("/drafts")
    async def upload(request: Request) -> Response:
        try:
            with drafts.pool.reserve() as slot:  # 503 before a byte of the body is read
                records, batch = await read_page_upload(request, service.max_bytes)
                if batch:
                    slot.release()
                    created = await drafts.create_batch(records, ("annotated",), None)
                    log_event("batch queued", batch_id=created.id, total=created.total)
                    return RedirectResponse(f"/b/{created.id}", 303)
                (data, name), = records
                draft = await drafts.create(data, name, slot, ("annotated",))
        except InputError as exc:
            error = error_line(page_lang(request.scope), exc)
            return pages.render(request.scope, "upload.html.j2", 422, error=error, deleted=False)
        log_event("upload converted", draft_id=draft.id, source=name)
        # 303: the browser follows with a GET, so reloading the draft never re-uploads.
        return RedirectResponse(f"/d/{draft.id}", 303)

    @router.get("/d/{draft_id}")
    async def draft_page(request: Request, draft_id: str) -> Response:
        lang = page_lang(request.scope)
        key = _page_key(draft_id, lang)
        html = pages.cached(key)
        if html is None or not await drafts.db(drafts.store.exists, draft_id):
            pages.forget(key)
            html = await single_flight(key, lambda: _build_page(service, draft_id, lang))
            pages.keep(key, html)
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    @router.get("/b/{batch_id}")
    async def batch_page(request: Request, batch_id: str) -> Response:
        batch = await drafts.batch(batch_id)
        if batch is None:
            return pages.error(request.scope, 404, W_("no such batch"))
        counts = {status: batch.counts.get(status, 0) for status in t.STATUSES}
        return pages.render(request.scope, "batch.html.j2", batch=batch, counts=counts, labels=STATUS_LABELS,
                            done=counts[t.DONE] + counts[t.FAILED])

    @router.get("/d/{draft_id}/{kind}")
    async def download(request: Request, draft_id: str, kind: str) -> Response:
        if kind not in DOWNLOAD_KINDS:
            return pages.error(request.scope, 404, W_("no such download"))
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
        for lang in LANGS:
            pages.forget(_page_key(draft_id, lang))
        log_event("draft deleted", draft_id=draft_id)
        return RedirectResponse("/?deleted", 303)

    return router
