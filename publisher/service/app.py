"""The web service: `create_app(data_dir)` builds the FastAPI application.

Two faces over one store of drafts: the authors' pages (`/`, `/d/<id>`, `/b/<id>`: upload,
preview, report, downloads, delete; plain HTML forms, no script needed) and the CMS API
(`/api/v1/documents`, `/api/v1/batches`). Errors are answered in the caller's language:
JSON `{"detail": ...}` under /api, an HTML page elsewhere. Where the drafts live and where
conversions run is configuration (config.py): SQLite and the web process's own worker
processes by default, PostgreSQL and Celery workers for a deployment over several machines.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from publisher import __version__
from publisher.errors import PublishError, RenderError
from publisher.pipeline import build_document
from publisher.read import DEFAULT_MAX_BYTES
from publisher.service import config
from publisher.service.api import api_router
from publisher.service.auth import API_PREFIX, Auth, Guard
from publisher.service.batches import batches_router
from publisher.service.convert import Builder
from publisher.service.drafts import DraftFailed, DraftGone, Drafts, NotReady
from publisher.service.jobs import Jobs, JobSettings, LocalJobs, Unavailable
from publisher.service.language import W_, PageLanguage
from publisher.service.limits import BodyLimit, SecurityHeaders
from publisher.service.ops import DOCS_ASSETS, ops_router
from publisher.service.pages import STATIC, Pages, pages_router
from publisher.service.store import DraftStore, StoreError
from publisher.service.workers import ConversionPool, Saturated, TimedOut, WorkerDied

TOKEN_ENV = config.TOKEN_ENV
log = logging.getLogger("publisher.service")

# Starlette's own details (its status phrases) that reach a page: marked so the catalogue has them
STARLETTE_DETAILS = (W_("Not Found"), W_("Method Not Allowed"))

ErrorFn = Callable[[Scope, int, str, dict[str, str] | None], Response]


@dataclass
class Service:
    drafts: Drafts
    pages: Pages
    auth: Auth
    max_bytes: int
    retry_after: int
    broker: str | None

    @property
    def token(self) -> str | None:
        return self.auth.token


def create_app(
    data_dir: str | Path | None,
    token: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int | None = None,
    queue: int = 100,
    timeout: float = 120.0,
    retry_after: int = 5,
    builder: Builder = build_document,
    database_url: str | None = None,
    broker_url: str | None = None,
    read_timeout: float = 30.0,
) -> FastAPI:
    """The application. `token` (None: env PUBLISHER_API_TOKEN; "": none) guards every route but
    health checks and static files; `workers` conversions run at once (default: one per core)
    and `queue` more may wait; each must finish within `timeout` seconds; bodies over
    `max_bytes` are refused. `database_url`/`broker_url` default to the environment's."""
    store = DraftStore(Path(data_dir) if data_dir is not None else None, database_url)
    pool = ConversionPool(workers, queue, timeout)
    broker = config.broker_url(broker_url)
    settings = JobSettings(max_bytes, timeout, builder)
    jobs: Jobs
    if broker:
        from publisher.service.tasks import CeleryJobs

        jobs = CeleryJobs(broker, timeout)
    else:
        jobs = LocalJobs(store, pool, settings)
    drafts = Drafts(store, pool, jobs, max_bytes, builder)
    service = Service(
        drafts=drafts,
        pages=Pages(max_bytes),
        auth=Auth(token if token is not None else os.environ.get(TOKEN_ENV)),
        max_bytes=max_bytes,
        retry_after=retry_after,
        broker=broker,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if not broker:
            pool.start()  # warm the worker processes before the first upload
            assert isinstance(jobs, LocalJobs)
            try:
                await jobs.resume()
            except Unavailable:
                log.warning("could not look for unfinished drafts: database unavailable")
        log.info("service started", extra={"database": store.describe(), "broker": config.redacted(broker or "")})
        yield
        if isinstance(jobs, LocalJobs):
            await jobs.close()
        pool.shutdown()
        store.engine.dispose()

    app = FastAPI(title="publisher", version=__version__, summary="Turn LLM callback records into publishable articles.",
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.service = service
    app.include_router(api_router(service))
    app.include_router(batches_router(service))
    app.include_router(ops_router(service, store, broker))
    app.include_router(pages_router(service))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/docs/assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")

    def error(scope: Scope, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
        if scope["path"].startswith(API_PREFIX):
            return JSONResponse({"detail": detail}, status, headers=headers)
        return service.pages.error(scope, status, detail, headers)

    _install_error_handlers(app, service, error)
    app.add_middleware(BodyLimit, max_bytes=max_bytes, error=error, read_timeout=read_timeout)
    app.add_middleware(Guard, auth=service.auth, error=error)
    app.add_middleware(SecurityHeaders, outputs=(API_PREFIX,), docs=("/docs",))
    app.add_middleware(PageLanguage, api_prefix=API_PREFIX)  # outermost: every page, errors too
    return app


def _install_error_handlers(app: FastAPI, service: Service, error: ErrorFn) -> None:
    retry = {"Retry-After": str(service.retry_after)}

    # exception type -> (status, detail, extra headers)
    simple: dict[type[Exception], tuple[int, str, dict[str, str] | None]] = {
        DraftGone: (404, W_("no such draft (it may have been deleted)"), None),
        Saturated: (503, W_("the server is busy converting other records; try again shortly"), retry),
        Unavailable: (503, W_("the service cannot reach its database or queue right now; try again shortly"), retry),
        StoreError: (503, W_("the service cannot reach its database right now; try again shortly"), retry),
        TimedOut: (504, W_("the conversion took too long and was abandoned"), None),
        WorkerDied: (500, W_("the conversion process died (the record may be too large)"), None),
    }

    def handle_simple(request: Request, exc: Exception) -> Response:
        status, detail, headers = simple[type(exc)]
        if status >= 500:
            log.warning(detail, extra={"path": request.url.path, "status": status})
        return error(request.scope, status, detail, headers)

    def handle_publish_error(request: Request, exc: Exception) -> Response:
        # A record that cannot be read is the caller's problem (422); a writer failing on
        # a model the pipeline accepted is ours (500). Either way one line, no traceback.
        status = 500 if isinstance(exc, RenderError) else 422
        return error(request.scope, status, str(exc), None)

    def handle_failed(request: Request, exc: Exception) -> Response:
        return error(request.scope, 422, str(exc), None)

    def handle_not_ready(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, NotReady)
        draft = exc.draft
        if request.scope["path"].startswith(API_PREFIX):
            return JSONResponse({"id": draft.id, "status": draft.status}, 202, headers=retry)
        return service.pages.render(request.scope, "pending.html.j2", 202, retry, draft=draft)

    def handle_disconnect(request: Request, exc: Exception) -> Response:
        # the client gave up mid-upload: worth one line, not an error with a traceback
        log.info("client disconnected before the request was read", extra={"path": request.url.path})
        return Response(status_code=400)

    def handle_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return error(request.scope, exc.status_code, str(exc.detail), dict(exc.headers or {}) or None)

    def handle_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if request.scope["path"].startswith(API_PREFIX):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, 422)
        return error(request.scope, 404, W_("no such page"), None)

    def handle_unexpected(request: Request, exc: Exception) -> Response:
        # Starlette still re-raises afterwards, so the server logs the traceback; the
        # caller gets one line.
        return error(request.scope, 500, W_("internal error: the conversion failed unexpectedly"), None)

    for exc_type in simple:
        app.add_exception_handler(exc_type, handle_simple)
    app.add_exception_handler(PublishError, handle_publish_error)
    app.add_exception_handler(DraftFailed, handle_failed)
    app.add_exception_handler(NotReady, handle_not_ready)
    app.add_exception_handler(ClientDisconnect, handle_disconnect)
    app.add_exception_handler(StarletteHTTPException, handle_http)
    app.add_exception_handler(RequestValidationError, handle_validation)
    app.add_exception_handler(Exception, handle_unexpected)
