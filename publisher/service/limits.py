"""ASGI middleware that guards every request before a handler sees it.

BodyLimit refuses a body over the limit with 413 before any conversion: at once when the
declared Content-Length is too large, and while reading when a body without one (chunked)
grows past the limit; a client that stops sending mid-body gets 408 after `read_timeout`
seconds instead of holding its connection. SecurityHeaders adds the headers every answer
carries.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from publisher.service.language import Phrase

ErrorPage = Callable[[Scope, int, str, dict[str, str] | None], Response]


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, error: ErrorPage, read_timeout: float = 30.0):
        self.app = app
        self.max_bytes = max_bytes
        self.error = error
        self.read_timeout = read_timeout

    def _too_large(self, scope: Scope) -> Response:
        mb = self.max_bytes / 1048576
        limit = f"{mb:g}"
        return self.error(scope, 413, Phrase("request body is over the %(mb)s MB limit", mb=limit), None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._too_large(scope)(scope, receive, send)
            return

        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            try:
                message = await asyncio.wait_for(receive(), self.read_timeout)
            except TimeoutError:
                raise BodyTooSlow from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await self._too_large(scope)(scope, receive, send)
        except BodyTooSlow:
            if started:
                raise
            seconds = f"{self.read_timeout:g}"
            detail = Phrase("the request body did not arrive within %(seconds)s s", seconds=seconds)
            await self.error(scope, 408, detail, {"Connection": "close"})(scope, receive, send)


# Sent with every answer. The draft link is the draft's only key, so no page may leak it
# in a Referer header when an author follows a link in the article.
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
}
# The service's own pages: scripts and styles only from the service itself.
PAGE_CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# Rendered HTML served as a document: never allowed to run anything on our origin.
SANDBOX_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
# /docs: Swagger UI from the package's own assets; it fetches /openapi.json and sets inline styles.
DOCS_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


class SecurityHeaders:
    """`outputs`: paths whose HTML is rendered article output (sandboxed); `docs`: the API
    browser, which needs a little more than the service's own pages."""

    def __init__(self, app: ASGIApp, outputs: tuple[str, ...], docs: tuple[str, ...]):
        self.app = app
        self.outputs = outputs
        self.docs = docs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in COMMON_HEADERS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    is_output = path.startswith(self.outputs) or "content-disposition" in headers
                    policy = DOCS_CSP if path in self.docs else SANDBOX_CSP if is_output else PAGE_CSP
                    headers.setdefault("Content-Security-Policy", policy)
            await send(message)

        await self.app(scope, receive, add_headers)
