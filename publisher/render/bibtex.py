"""BibTeX: the published references for BibLaTeX, JabRef and every reference manager, UTF-8.

Keys are the anchors the text cites (`ref-1`); titles are braced so that no style changes
their case; TeX's special characters are escaped, so an entry's text is always read as text.
Fields are only what the entry holds (bibliography.py); a web page is `@online` with its
`url` (BibLaTeX), everything without a kind of its own `@misc`.
"""

from __future__ import annotations

import re

from publisher.model import CslItem, CslName, Document
from publisher.render import Output, RenderOptions
from publisher.render.bibliography import pages, published_items
from publisher.render.notes import clean_text, illegal_characters
from publisher.result import Result
from publisher.text import LANG_TAGS

BIB_TYPES = {
    "article-journal": "article", "book": "book", "chapter": "incollection", "paper-conference": "inproceedings",
    "report": "techreport", "thesis": "phdthesis", "webpage": "online", "article-newspaper": "article",
    "standard": "misc", "patent": "patent", "dataset": "dataset", "document": "misc",
}
TEX_SPECIALS = re.compile(r"[\\{}%&#$_^~]")
TEX_ESCAPES = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def render(doc: Document, options: RenderOptions) -> Result[Output]:
    entries = [entry(item) for item in published_items(doc)]
    return Result("\n".join(entries).encode("utf-8"), illegal_characters(doc, "bib"))


def entry(item: CslItem) -> str:
    first, last = pages(item)
    date = item.issued.date_parts[0] if item.issued else []
    container = "journal" if item.type in ("article-journal", "article-newspaper") else "booktitle"
    fields: list[tuple[str, str | None]] = [
        ("title", "{" + escape(item.title) + "}"),
        ("author", " and ".join(_name(a) for a in item.author) or None),
        ("year", str(date[0]) if date else None),
        ("date", "-".join(f"{p:02d}" if k else str(p) for k, p in enumerate(date)) if len(date) > 1 else None),
        (container, escape(item.container_title) if item.container_title else None),
        ("publisher", escape(item.publisher) if item.publisher else None),
        ("address", escape(item.publisher_place) if item.publisher_place else None),
        ("volume", escape(item.volume) if item.volume else None),
        ("number", escape(item.issue) if item.issue else None),
        ("pages", "--".join(escape(p) for p in (first, last) if p) or None),
        ("doi", escape(item.DOI) if item.DOI else None),
        ("url", _url(item.URL) if item.URL else None),
        ("langid", {LANG_TAGS["zh"]: "chinese", LANG_TAGS["en"]: "english"}.get(item.language or "")),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{BIB_TYPES[item.type]}{{{item.id},\n{body}\n}}\n"


def escape(text: str) -> str:
    flat = " ".join(clean_text(text).split())
    return TEX_SPECIALS.sub(lambda m: TEX_ESCAPES.get(m.group(0), "\\" + m.group(0)), flat)


def _url(url: str) -> str:
    """A URL stays as written (biblatex reads it verbatim) but for braces and percent signs."""
    return re.sub(r"[{}%\\]", lambda m: f"%{ord(m.group(0)):02X}", clean_text(url))


def _name(name: CslName) -> str:
    if name.literal:
        return "{" + escape(name.literal) + "}"
    return ", ".join(escape(p) for p in (name.family, name.given) if p)
