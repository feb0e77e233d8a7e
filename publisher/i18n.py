"""The author's language: which one to speak, and the message catalogues that speak it.

Catalogues are gettext `.po` files under `publisher/locale/<locale>/LC_MESSAGES/<domain>.po`,
extracted with `pybabel extract` (see `babel.cfg`). There are two domains:
`messages` for what the pipeline and the CLI say (report lines, their group titles, the review
draft's comments, the CLI's summary and errors) and `web` for the service's pages. Beside each
`.po` is its compiled `.mo`, written by the scripts that update the catalogues and read with the
standard library's gettext: parsing the Chinese `.po` with Babel cost every Chinese record
~50 ms of start-up. tests/core/test_catalogue.py fails when a `.mo` is not its `.po` compiled;
a missing `.mo` (a tree between an edit and the script) is compiled from the `.po` in memory.

Below every stage: imports nothing from publisher.
"""

from __future__ import annotations

import functools
import io
import os
import re
from collections.abc import Mapping
from gettext import GNUTranslations, NullTranslations
from pathlib import Path
from typing import Literal

from babel import Locale, UnknownLocaleError

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")
DEFAULT: Lang = "en"
# the catalogue folder of each language (Simplified Chinese is zh_Hans, as CLDR names it)
LOCALE_DIR: dict[Lang, str] = {"en": "en", "zh": "zh_Hans"}
BABEL_LOCALE: dict[Lang, str] = {"en": "en", "zh": "zh_Hans_CN"}
DOMAINS = ("messages", "web")
CATALOGUES = Path(__file__).resolve().parent / "locale"
# the calls that mark a `messages` id for `pybabel extract` (Babel's keyword form: which
# arguments are the singular and plural ids): publisher.result.said/said_n, N_, the CLI's _say
KEYWORDS: dict[str, tuple[int, ...] | None] = {"said": None, "said_n": (1, 2), "N_": None, "_say": (2,)}


def N_(msgid: str) -> str:
    """Marks a string for extraction where it is defined; it is translated where it is shown."""
    return msgid


def lang_of(tag: str | None) -> Lang | None:
    """Our language for a BCP 47 tag or a POSIX locale name ('zh-CN', 'zh_TW.UTF-8', 'en_GB'),
    None when we do not speak it."""
    if not tag:
        return None
    tag = tag.split(".", 1)[0].split("@", 1)[0].strip().replace("_", "-")
    if tag in ("C", "POSIX", ""):
        return None
    try:
        lang = Locale.parse(tag, sep="-").language
    except (ValueError, UnknownLocaleError):
        lang = tag.split("-", 1)[0].lower()
    return lang if lang in LANGS else None


_QUALITY_RE = re.compile(r"^\s*+([^;\s]++)\s*+(?:;\s*+q\s*+=\s*+([0-9.]++))?\s*+$")


def from_accept_language(header: str | None, default: Lang = DEFAULT) -> Lang:
    """The language an HTTP Accept-Language header asks for first among ours."""
    ranked: list[tuple[float, int, Lang]] = []
    for i, part in enumerate((header or "").split(",")):
        m = _QUALITY_RE.match(part)
        if not m:
            continue
        try:
            q = float(m.group(2)) if m.group(2) else 1.0
        except ValueError:
            continue
        lang = lang_of(m.group(1))
        if lang and q > 0:
            ranked.append((-q, i, lang))
    return min(ranked)[2] if ranked else default


def from_environment(environ: Mapping[str, str] | None = None, default: Lang = DEFAULT) -> Lang:
    """The language of a command line: LC_ALL, then LC_MESSAGES, then LANG (gettext's order);
    English when none is set or none is ours."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return lang_of(value) or default
    return default


@functools.cache
def translations(lang: Lang, domain: str = "messages") -> NullTranslations:
    """The catalogue of one language and domain (English is the msgids themselves)."""
    if domain not in DOMAINS:
        raise ValueError(f"unknown message domain {domain!r}")
    po = CATALOGUES / LOCALE_DIR[lang] / "LC_MESSAGES" / f"{domain}.po"
    if lang == "en" or not po.is_file():
        return NullTranslations()
    mo = po.with_suffix(".mo")
    if mo.is_file():
        with mo.open("rb") as fh:
            return GNUTranslations(fh)
    return GNUTranslations(io.BytesIO(compiled(po, lang, domain)))


def compiled(po: Path, lang: Lang, domain: str) -> bytes:
    """A `.po` file compiled to `.mo` bytes, as the catalogue scripts write them beside it."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=BABEL_LOCALE[lang], domain=domain)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def compile_catalogues() -> list[Path]:
    """Write every `.po` file's `.mo` beside it (the catalogue scripts call this); the files written."""
    written = []
    for lang in LANGS[1:]:  # English is the msgids themselves
        for domain in DOMAINS:
            po = CATALOGUES / LOCALE_DIR[lang] / "LC_MESSAGES" / f"{domain}.po"
            if po.is_file():
                po.with_suffix(".mo").write_bytes(compiled(po, lang, domain))
                written.append(po.with_suffix(".mo"))
    return written


def gettext(lang: Lang, msgid: str, domain: str = "messages") -> str:
    return translations(lang, domain).gettext(msgid)


def ngettext(lang: Lang, singular: str, plural: str, n: int, domain: str = "messages") -> str:
    return translations(lang, domain).ngettext(singular, plural, n)


@functools.cache
def babel_locale(lang: Lang) -> Locale:
    """The Babel locale for formatting numbers and dates in `lang`."""
    return Locale.parse(BABEL_LOCALE[lang])
