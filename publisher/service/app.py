"""The web service: `create_app(data_dir)` builds the FastAPI application.

Two faces over one store of drafts: the authors' pages (`/`, `/d/<id>`: upload, preview,
report, downloads, delete; plain HTML forms, no script needed) and the CMS API
(`/api/v1/documents`). Errors are answered in the caller's language: JSON `{"detail": ...}`
under /api, an HTML page elsewhere.
"""

from __future__ import annotations

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
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from publisher import __version__
from publisher.errors import PublishError, RenderError
from publisher.pipeline import build_document
from publisher.read import DEFAULT_MAX_BYTES
from publisher.service.api import api_router
from publisher.service.drafts import Builder, DraftGone, Drafts
from publisher.service.limits import BodyLimit, SecurityHeaders
from publisher.service.pages import STATIC, Pages, pages_router
from publisher.service.store import DraftStore
from publisher.service.workers import ConversionPool, Saturated, TimedOut

TOKEN_ENV = "PUBLISHER_API_TOKEN"
API_PREFIX = "/api/"

ErrorFn = Callable[[Scope, int, str, dict[str, str] | None], Response]


@dataclass
class Service:
    drafts: Drafts
    pages: Pages
    token: str | None
    max_bytes: int
    retry_after: int


def create_app(
    data_dir: str | Path,
    token: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int | None = None,
    queue: int = 100,
    timeout: float = 120.0,
    retry_after: int = 5,
    builder: Builder = build_document,
) -> FastAPI:
    """The application. `token` (None: env PUBLISHER_API_TOKEN; "": none) guards the API; `workers`
    conversions run at once (default: one per core) and `queue` more may wait; each must
    finish within `timeout` seconds; bodies over `max_bytes` are refused."""
    pool = ConversionPool(workers, queue, timeout)
    service = Service(
        drafts=Drafts(DraftStore(Path(data_dir)), pool, max_bytes, builder),
        pages=Pages(max_bytes),
        token=(token if token is not None else os.environ.get(TOKEN_ENV)) or None,
        max_bytes=max_bytes,
        retry_after=retry_after,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        pool.shutdown()

    app = FastAPI(
        title="publisher",
        version=__version__,
        summary="Turn LLM callback records into publishable articles.",
        lifespan=lifespan,
    )
    app.state.service = service
    app.include_router(api_router(service))
    app.include_router(pages_router(service))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def error(scope: Scope, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
        if scope["path"].startswith(API_PREFIX):
            return JSONResponse({"detail": detail}, status, headers=headers)
        return service.pages.error(status, detail, headers)

    _install_error_handlers(app, service, error)
    app.add_middleware(BodyLimit, max_bytes=max_bytes, error=error)
    app.add_middleware(SecurityHeaders, outputs=(API_PREFIX,), exempt=("/docs", "/redoc"))
    return app


def _install_error_handlers(app: FastAPI, service: Service, error: ErrorFn) -> None:
    retry = {"Retry-After": str(service.retry_after)}

    # exception type -> (status, detail, extra headers); PublishError's detail is its message
    simple: dict[type[Exception], tuple[int, str, dict[str, str] | None]] = {
        DraftGone: (404, "no such draft (it may have been deleted)", None),
        Saturated: (503, "the server is busy converting other records; try again shortly", retry),
        TimedOut: (504, "the conversion took too long and was abandoned", None),
    }

    def handle_simple(request: Request, exc: Exception) -> Response:
        status, detail, headers = simple[type(exc)]
        return error(request.scope, status, detail, headers)

    def handle_publish_error(request: Request, exc: Exception) -> Response:
        # A record that cannot be read is the caller's problem (422); a writer failing on
        # a model the pipeline accepted is ours (500). Either way one line, no traceback.
        status = 500 if isinstance(exc, RenderError) else 422
        return error(request.scope, status, str(exc), None)

    def handle_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return error(request.scope, exc.status_code, str(exc.detail), dict(exc.headers or {}) or None)

    def handle_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if request.scope["path"].startswith(API_PREFIX):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, 422)
        return error(request.scope, 404, "no such page", None)

    def handle_unexpected(request: Request, exc: Exception) -> Response:
        # Starlette still re-raises afterwards, so the server logs the traceback; the
        # caller gets one line.
        return error(request.scope, 500, "internal error: the conversion failed unexpectedly", None)

    for exc_type in simple:
        app.add_exception_handler(exc_type, handle_simple)
    app.add_exception_handler(PublishError, handle_publish_error)
    app.add_exception_handler(StarletteHTTPException, handle_http)
    app.add_exception_handler(RequestValidationError, handle_validation)
    app.add_exception_handler(Exception, handle_unexpected)

