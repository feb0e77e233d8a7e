"""Extract the `messages` domain from the Python sources and bring every catalogue up to date.

    .venv/bin/python scripts/update_catalogues.py

The ids are the calls `publisher.i18n.KEYWORDS` names (`said(...)`, `said_n(...)`, `N_(...)`,
the CLI's `_say(...)`), in `publisher/**.py`. Each `publisher/locale/<locale>/LC_MESSAGES/
messages.po` keeps its translations, gains the new ids untranslated and loses the ids no
longer in the code; then translate the new ones (tests/core/test_catalogue.py fails until
every id has its Chinese); last, every `.po` is compiled to the `.mo` beside it, which is what
the program reads. The service's templates are the `web` domain, extracted apart
(`pybabel extract -F babel.cfg`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.i18n import BABEL_LOCALE, CATALOGUES, KEYWORDS, LANGS, LOCALE_DIR, compile_catalogues  # noqa: E402

METHODS = [("publisher/**.py", "python")]


def extracted() -> Catalog:
    """Every `messages` id in the code, as a template catalogue."""
    template = Catalog(project="publisher", domain="messages")
    found = extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
                             strip_comment_tags=True)
    for filename, lineno, message, comments, context in found:
        if "/templates/" in filename:
            continue
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def update(template: Catalog) -> None:
    for lang in LANGS:
        po = CATALOGUES / LOCALE_DIR[lang] / "LC_MESSAGES" / "messages.po"
        if po.is_file():
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=BABEL_LOCALE[lang], domain="messages")
        else:
            catalog = Catalog(locale=BABEL_LOCALE[lang], domain="messages", project="publisher")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False  # a fuzzy header is left out of the compiled catalogue, plural forms with it
        po.parent.mkdir(parents=True, exist_ok=True)
        with po.open("wb") as fh:
            write_po(fh, catalog, width=110, no_location=True, omit_header=False, sort_output=True,
                     ignore_obsolete=True)
        print(f"{po.relative_to(ROOT)}: {len(catalog)} ids, "
              f"{sum(1 for m in catalog if m.id and not any(m.string if isinstance(m.string, tuple) else [m.string]))} "
              "untranslated", file=sys.stderr)


if __name__ == "__main__":
    update(extracted())
    for mo in compile_catalogues():  # what the program reads: tests/core/test_catalogue.py checks they match
        print(f"{mo.relative_to(ROOT)}: compiled", file=sys.stderr)
