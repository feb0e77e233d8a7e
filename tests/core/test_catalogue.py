"""The message catalogues: every id the code says has its Chinese, with the same fields, so
that a new rule cannot ship untranslated (issue 17). The ids are extracted from the code as
`scripts/update_catalogues.py` extracts them; the test fails naming each id left out."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from publisher.i18n import BABEL_LOCALE, CATALOGUES, KEYWORDS, LOCALE_DIR, translations

ROOT = Path(__file__).resolve().parents[2]
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
# ids that are the same in Chinese: nothing but fields and names
SAME_IN_CHINESE = {"publisher · {rule} · {lines}"}


def _code_ids() -> dict[str, str | None]:
    """Each id in the code -> its plural id (None for a plain one)."""
    found = extract_from_dir(str(ROOT / "publisher"), [("**.py", "python")], keywords=KEYWORDS)
    ids: dict[str, str | None] = {}
    for _file, _line, message, _comments, _context in found:
        if isinstance(message, tuple):
            ids[message[0]] = message[1]
        else:
            ids[message] = None
    return ids


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def chinese() -> dict[str, tuple[str, ...]]:
    po = CATALOGUES / LOCALE_DIR["zh"] / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=BABEL_LOCALE["zh"], domain="messages")
    assert not catalog.fuzzy, "a fuzzy header is left out when compiled, and the plural forms with it"
    out = {}
    for m in catalog:
        if m.id and not m.fuzzy:
            key = m.id[0] if isinstance(m.id, tuple) else m.id
            out[key] = m.string if isinstance(m.string, tuple) else (m.string,)
    return out


def test_the_code_says_many_things() -> None:
    ids = _code_ids()
    assert len(ids) > 150  # the extraction found the calls (a broken keyword list finds none)
    assert "Chapter {chapter} “{title}”, paragraph {paragraph}: {what}" in ids  # N_
    assert ids["reference list written by the model removed ({n} entry)"]  # said_n: with its plural
    assert "publish: error: {error}" in ids  # the CLI's _say


def test_every_id_in_the_code_has_its_chinese(chinese: dict[str, tuple[str, ...]]) -> None:
    missing = sorted(i for i in _code_ids() if not any(chinese.get(i, ("",))))
    assert not missing, "no Chinese for:\n" + "\n".join(missing) + "\n(run scripts/update_catalogues.py, translate)"


def test_each_translation_has_the_fields_of_its_id(chinese: dict[str, tuple[str, ...]]) -> None:
    for msgid, plural in _code_ids().items():
        for text in chinese.get(msgid, ()):
            assert _fields(text) == _fields(msgid) | _fields(plural or ""), f"{msgid!r} -> {text!r}: fields differ"


def test_chinese_is_chinese(chinese: dict[str, tuple[str, ...]]) -> None:
    """A translation copied from the English, or left in it, is caught."""
    for msgid in _code_ids():
        for text in chinese.get(msgid, ()):
            if msgid not in SAME_IN_CHINESE:
                assert HAN_RE.search(string.Formatter().vformat(text, (), _Blank())), f"{msgid!r} -> {text!r}"


def test_plural_forms_compile() -> None:
    zh = translations("zh")
    assert zh.ngettext("{n} more byte that is not UTF-8 read as Windows-1252",
                       "{n} more bytes that are not UTF-8 read as Windows-1252", 3).startswith("另有 {n} 个")
    assert zh.ngettext("{n} more byte that is not UTF-8 read as Windows-1252",
                       "{n} more bytes that are not UTF-8 read as Windows-1252", 1).startswith("另有 {n} 个")


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def test_every_compiled_catalogue_is_its_po_compiled() -> None:
    """The program reads the `.mo` files; an edited `.po` without `scripts/update_catalogues.py`
    (or `scripts/web_catalogue`) after it fails here, not in front of a Chinese reader."""
    from publisher.i18n import CATALOGUES, DOMAINS, LOCALE_DIR, compiled

    for domain in DOMAINS:
        po = CATALOGUES / LOCALE_DIR["zh"] / "LC_MESSAGES" / f"{domain}.po"
        mo = po.with_suffix(".mo")
        assert mo.is_file() and mo.read_bytes() == compiled(po, "zh", domain), f"run scripts/update_catalogues.py: {mo}"
