"""The language of the authors' pages, and the words they are written in.

Which language: `?lang=` (the switch every page carries: a plain link, no script), else the
cookie that switch set, else the browser's `Accept-Language`; English when none of them names a
language we speak. The `PageLanguage` middleware remembers a `?lang=` in the cookie and marks
every page with `Content-Language` (the page's `<html lang>` says the same).

The words are the `web` gettext domain (`publisher/locale/<locale>/LC_MESSAGES/web.po`,
extracted from the templates and from this package's `W_()`, `Wn_()` and `Phrase()` calls by
`scripts/web_catalogue`). The API's JSON stays English: a CMS reads codes, not sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import Headers, MutableHeaders, QueryParams
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from publisher.i18n import DEFAULT, LANGS, Lang, from_accept_language, gettext, lang_of
from publisher.text import UI_LANG_TAGS

LANG_COOKIE = "publisher_lang"
LANG_COOKIE_SECONDS = 365 * 24 * 3600
LANG_PARAM = "lang"
DOMAIN = "web"
# the BCP 47 tag of each language, for <html lang>, Content-Language and hreflang
HTML_LANG: dict[str, str] = UI_LANG_TAGS
# each language named in itself, as the switch shows it
NATIVE_NAME: dict[Lang, str] = {"en": "English", "zh": "简体中文"}


def W_(msgid: str) -> str:
    """Marks a page string for extraction where it is defined; `say` translates it where shown."""
    return msgid


def Wn_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a page string's singular and plural forms (for `ngettext`) where they are defined."""
    return singular, plural


class Phrase(str):
    """A page sentence with parameters: wherever a str goes (the API's JSON, the log) it reads
    as the English sentence; `say` gives it in another language."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, **params: Any) -> Phrase:
        self = super().__new__(cls, msgid % params if params else msgid)
        self.msgid, self.params = msgid, params
        return self


def say(lang: Lang, text: str) -> str:
    """`text` in `lang`: a `Phrase` or a `W_`-marked string through the catalogue; any other
    text (a reader's error naming the record) as it is."""
    if isinstance(text, Phrase):
        translated = gettext(lang, text.msgid, DOMAIN)
        return translated % text.params if text.params else translated
    return gettext(lang, text, DOMAIN)


def _query_lang(scope: Scope) -> Lang | None:
    value = QueryParams(scope.get("query_string", b"")).get(LANG_PARAM)
    return lang_of(value) if value else None


def page_lang(scope: Scope) -> Lang:
    """The language of the page answering this request."""
    asked = _query_lang(scope)
    if asked:
        return asked
    headers = Headers(scope=scope)
    remembered = lang_of(cookie_parser(headers.get("cookie", "")).get(LANG_COOKIE))
    if remembered:
        return remembered
    return from_accept_language(headers.get("accept-language"), DEFAULT)


@dataclass(frozen=True)
class SwitchLink:
    lang: Lang
    label: str
    tag: str
    href: str
    current: bool


def switch_links(query: bytes | str, current: Lang) -> list[SwitchLink]:
    """One link per language to this same page, keeping its other query parameters (a
    sign-in's `next=`), so switching never loses where the author was going."""
    kept = [(k, v) for k, v in QueryParams(query).multi_items() if k != LANG_PARAM]
    return [SwitchLink(lang, NATIVE_NAME[lang], HTML_LANG[lang], "?" + urlencode([*kept, (LANG_PARAM, lang)]),
                       lang == current) for lang in LANGS]


class PageLanguage:
    """ASGI middleware for the pages (not the API): a `?lang=` naming one of our languages is
    remembered in a cookie for a year; an HTML answer says its language in `Content-Language`."""

    def __init__(self, app: ASGIApp, api_prefix: str):
        self.app = app
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.api_prefix):
            await self.app(scope, receive, send)
            return
        asked = _query_lang(scope)
        lang = page_lang(scope)

        async def mark(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Language", HTML_LANG[lang])  # unless a page knows better
                    headers.append("Vary", "Accept-Language, Cookie")
                if asked:
                    secure = "; Secure" if scope.get("scheme") == "https" else ""
                    headers.append("Set-Cookie", f"{LANG_COOKIE}={asked}; Max-Age={LANG_COOKIE_SECONDS}; "
                                                 f"Path=/; SameSite=Lax; HttpOnly{secure}")
            await send(message)

        await self.app(scope, receive, mark)
