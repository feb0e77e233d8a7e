"""Who may use the service, and from where.

With PUBLISHER_API_TOKEN set, every route but the health checks, static assets and the
sign-in page needs it: the API as `Authorization: Bearer <token>`, the pages (and /docs,
/openapi.json) through a session cookie that the sign-in form sets (HttpOnly,
SameSite=Strict). The cookie is `<expiry>.<HMAC(token, expiry)>`: any web node that knows
the token checks it without shared state, and changing the token signs everyone out.

Whether or not a token is set, a state-changing request to a page (a form post) must come
from the service's own pages: a browser's `Origin` (or `Sec-Fetch-Site`) naming another
site gets 403, so no other site can make an author's browser upload or delete a draft.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from starlette.datastructures import Headers
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from publisher.service.language import W_

SESSION_COOKIE = "publisher_session"
SESSION_SECONDS = 12 * 3600
API_PREFIX = "/api/"
# reachable without a token: health checks, static assets, the sign-in page itself
OPEN_PATHS = ("/healthz", "/readyz", "/static/", "/docs/assets/", "/signin")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

ErrorPage = Callable[[Scope, int, str, dict[str, str] | None], Response]


class Auth:
    def __init__(self, token: str | None):
        self.token = token or None

    @property
    def enabled(self) -> bool:
        return self.token is not None

    def _sign(self, expires: str) -> str:
        assert self.token is not None
        return hmac.new(self.token.encode("utf-8"), f"session:{expires}".encode(), hashlib.sha256).hexdigest()

    def token_matches(self, given: str) -> bool:
        assert self.token is not None
        return secrets.compare_digest(given.encode("utf-8"), self.token.encode("utf-8"))

    def new_session(self) -> str:
        expires = str(int(time.time()) + SESSION_SECONDS)
        return f"{expires}.{self._sign(expires)}"

    def session_valid(self, value: str) -> bool:
        expires, _, signature = value.partition(".")
        if not expires.isdigit() or int(expires) < time.time():
            return False
        return secrets.compare_digest(signature.encode("ascii", "replace"), self._sign(expires).encode("ascii"))

    def allowed(self, headers: Headers) -> bool:
        if self.token is None:
            return True
        scheme, _, given = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and self.token_matches(given.strip()):
            return True
        return self.session_valid(_cookie(headers, SESSION_COOKIE))


def _cookie(headers: Headers, name: str) -> str:
    for part in headers.get("cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def same_origin(headers: Headers) -> bool:
    """False when a browser says the request comes from another site.

    Pages are sent with `Referrer-Policy: no-referrer`, under which browsers send
    `Origin: null` even on a same-origin form post; so `Sec-Fetch-Site` (sent by every
    current browser) decides first, and Origin only where it is absent."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return True  # not a browser's form post (browsers send Origin on every POST)
    return origin != "null" and urlsplit(origin).netloc.lower() == headers.get("host", "").lower()


class Guard:
    """ASGI middleware: the token check, then the same-origin check on page form posts."""

    def __init__(self, app: ASGIApp, auth: Auth, error: ErrorPage):
        self.app = app
        self.auth = auth
        self.error = error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = Headers(scope=scope)
        is_api = path.startswith(API_PREFIX)
        if not is_api and scope["method"] not in SAFE_METHODS and not same_origin(headers):
            await self.error(scope, 403, W_("this form was sent from another site"), None)(scope, receive, send)
            return
        if not path.startswith(OPEN_PATHS) and not self.auth.allowed(headers):
            await self._refuse(scope, path, is_api)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refuse(self, scope: Scope, path: str, is_api: bool) -> Response:
        if is_api or path == "/openapi.json":
            return self.error(scope, 401, W_("missing or wrong bearer token"), {"WWW-Authenticate": "Bearer"})
        if scope["method"] in SAFE_METHODS:
            query = scope.get("query_string", b"").decode("latin-1")
            target = path + ("?" + query if query else "")
            return RedirectResponse("/signin?next=" + quote(target, safe=""), 303)
        return self.error(scope, 401, W_("sign in first"), None)
