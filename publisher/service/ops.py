"""Operations and the doors around the service: health checks, the API browser, sign-in.

    /healthz  the process is up (no dependency is asked)
    /readyz   the database (and the broker, when one is configured) answer: 200, else 503
    /docs     Swagger UI, from the assets of the swagger-ui-py package (no CDN)
    /signin   the form that turns the API token into a session cookie for the pages
"""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.responses import RedirectResponse, Response

from publisher.service.auth import SESSION_COOKIE, SESSION_SECONDS, safe_next
from publisher.service.language import W_, page_lang, say
from publisher.service.logs import log_event

if TYPE_CHECKING:
    from publisher.service.app import Service
    from publisher.service.store import DraftStore

def _docs_assets() -> Path:
    """Swagger UI 5 (OpenAPI 3.1, which FastAPI writes) as shipped in the swagger-ui-py package;
    located, not imported (its module pulls in web-framework glue we do not use)."""
    spec = importlib.util.find_spec("swagger_ui")
    assert spec is not None and spec.submodule_search_locations, "swagger-ui-py is a dependency"
    return Path(list(spec.submodule_search_locations)[0]) / "static"


DOCS_ASSETS = _docs_assets()
READY_TIMEOUT = 3.0  # seconds each dependency gets to answer /readyz


def ops_router(service: Service, store: DraftStore, broker: str | None) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    pages = service.pages

    @router.get("/healthz")
    async def healthz() -> Response:
        return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})

    @router.get("/readyz")
    async def readyz() -> Response:
        checks: dict[str, str] = {"database": await _check(store.ping)}
        if broker:
            from publisher.service.tasks import ping_broker

            checks["broker"] = await _check(ping_broker, broker)
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ok" if ready else "unavailable", **checks}, 200 if ready else 503,
                            headers={"Cache-Control": "no-store"})

    @router.get("/docs")
    async def docs(request: Request) -> Response:
        return pages.render(request.scope, "docs.html.j2", headers={"Content-Language": "en"})  # Swagger UI's own

    @router.get("/signin")
    async def signin_page(request: Request, next: str = "/") -> Response:  # noqa: A002 - the query parameter's name
        return pages.render(request.scope, "signin.html.j2", next=safe_next(next), error=None)

    @router.post("/signin")
    async def signin(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=4, max_part_size=4096)
        given, target = str(form.get("token") or ""), safe_next(str(form.get("next") or "/"))
        if not service.auth.enabled:
            return RedirectResponse(target, 303)
        if not service.auth.token_matches(given):
            log_event("sign-in refused", path="/signin")
            return pages.render(request.scope, "signin.html.j2", 401, next=target, error=say(page_lang(request.scope), W_("That token is not right.")))
        response = RedirectResponse(target, 303)
        response.set_cookie(SESSION_COOKIE, service.auth.new_session(), max_age=SESSION_SECONDS, httponly=True,
                            samesite="strict", secure=request.url.scheme == "https", path="/")
        return response

    @router.post("/signout")
    async def signout() -> Response:
        response = RedirectResponse("/signin", 303)
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
        return response

    return router


async def _check(fn: object, *args: object) -> str:
    try:
        await asyncio.wait_for(asyncio.to_thread(fn, *args), READY_TIMEOUT)  # type: ignore[arg-type]
    except Exception as exc:  # any failure means "not ready"; the reason is one line
        return f"unavailable: {type(exc).__name__}"
    return "ok"
