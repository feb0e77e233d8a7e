"""The `web` catalogues are complete: every string the pages show, as `pybabel extract` finds it
in the templates and the service (through babel.cfg and scripts/web_catalogue), has its
Chinese translation, with the same placeholders; so a new page string cannot ship in English
only. (The report's words are the `messages` domain, checked with it.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from publisher.i18n import CATALOGUES, LOCALE_DIR, translations

ROOT = Path(__file__).resolve().parents[2]
PYBABEL = Path(sys.executable).parent / "pybabel"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    pot = tmp_path_factory.mktemp("web") / "web.pot"
    subprocess.run([str(ROOT / "scripts" / "web_catalogue"), "--pot", str(pot)], check=True, cwd=ROOT,
                   env={"PYBABEL": str(PYBABEL), "PATH": "/usr/bin:/bin"}, capture_output=True)
    with pot.open("rb") as fh:
        return read_po(fh)


def catalogue(locale: str) -> Catalog:
    with (CATALOGUES / locale / "LC_MESSAGES" / "web.po").open("rb") as fh:
        return read_po(fh, locale=locale, domain="web")


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", text))


def ids(cat: Catalog) -> set[object]:
    return {m.id for m in cat if m.id}


def test_extraction_finds_the_pages_and_the_service(extracted: Catalog) -> None:
    found = ids(extracted)
    # one from a template, a plural from a template, a W_ mark, a Wn_ plural, a Phrase
    assert {"What the publisher changed", ("%(count)s record", "%(count)s records"), "no such batch",
            ("%(num)s chapter", "%(num)s chapters"), "request body is over the %(mb)s MB limit"} <= found
    assert len(found) > 60


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_each_catalogue_holds_exactly_the_extracted_strings(extracted: Catalog, locale: str) -> None:
    held = ids(catalogue(locale))
    assert ids(extracted) - held == set(), "run scripts/web_catalogue, then translate what it added"
    assert held - ids(extracted) == set(), "strings no page uses any more: run scripts/web_catalogue"


def test_every_page_string_has_its_chinese(extracted: Catalog) -> None:
    zh = catalogue(LOCALE_DIR["zh"])
    untranslated = [m.id for m in zh if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple)
                                                                   else [m.string]))]
    assert untranslated == []
    assert [(m.id, [str(e) for e in errors]) for m, errors in zh.check()] == []
    for m in zh:
        if m.id:  # the same named placeholders in every form (Babel checks only their types)
            wanted = placeholders(m.id[0] if isinstance(m.id, tuple) else m.id)
            forms = m.string if isinstance(m.string, tuple) else (m.string,)
            assert all(placeholders(form) == wanted for form in forms), m.id


def test_the_catalogue_is_the_one_the_service_reads() -> None:
    zh = translations("zh", "web")
    assert zh.gettext("What the publisher changed") == "发布时做了哪些改动"
    assert zh.ngettext("%(count)s record", "%(count)s records", 5) == "%(count)s 份记录"
    assert translations("en", "web").gettext("What the publisher changed") == "What the publisher changed"
