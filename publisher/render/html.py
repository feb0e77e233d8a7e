"""HTML: a standalone, self-contained page (or, with `fragment`, the `<article>` alone).

The page is made by the jinja2 templates in publisher/templates/html/ with autoescape on:
record text reaches the page only through `{{ }}`, so it can never become markup, and
links keep an href only when it is http(s) or mailto. Citation links get ids
(`cite-N-k`) in reading order so that each reference can link back to its first citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import jinja2

from publisher.errors import RenderError
from publisher.model import Cite, Document, Message, Section, Table, table_label
from publisher.render import Output, RenderOptions
from publisher.render.cite_groups import cite_groups
from publisher.result import Result
from publisher.urls import safe_url

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "html"

LANG_TAGS = {"zh": "zh-CN", "en": "en"}
# Chapters and their sections: a review's third level would double the contents on a phone.
TOC_DEPTH = 2

# Words the page needs beyond model.LABELS (report columns, back-link label).
EXTRA_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "back": "返回正文",
        "severity": "级别",
        "rule": "规则",
        "lines": "行",
        "message": "说明",
        "excerpt": "摘录",
    },
    "en": {
        "back": "Back to text",
        "severity": "Severity",
        "rule": "Rule",
        "lines": "Lines",
        "message": "Message",
        "excerpt": "Excerpt",
    },
}


@dataclass(frozen=True)
class CiteLink:
    number: int
    id: str | None
    href: str | None
    title: str


class CiteLinks:
    """Hands out citation link ids in reading order and remembers each entry's first one.

    One instance per rendering, so the ids depend only on the document.
    """

    def __init__(self, doc: Document):
        self._entries = {r.number: r.text for r in doc.references if r.cited}
        self._seen: dict[int, int] = {}
        self._first: dict[int, str] = {}

    def _link(self, number: int) -> CiteLink:
        if number not in self._entries:
            return CiteLink(number, None, None, "")
        k = self._seen.get(number, 0) + 1
        self._seen[number] = k
        link_id = f"cite-{number}-{k}"
        self._first.setdefault(number, link_id)
        return CiteLink(number, link_id, f"#ref-{number}", self._entries[number])

    def groups(self, cite: Cite) -> list[tuple[CiteLink, ...]]:
        """One tuple per group: (link,) or, for a range, (first link, last link)."""
        out: list[tuple[CiteLink, ...]] = []
        for first, last in cite_groups(cite.numbers):
            start = self._link(first)
            if first == last:
                out.append((start,))
                continue
            # Numbers inside a range have no link of their own: their back-link goes to
            # the link that opens the range.
            for inner in range(first + 1, last):
                if start.id and inner in self._entries:
                    self._first.setdefault(inner, start.id)
            out.append((start, self._link(last)))
        return out

    def first_id(self, number: int) -> str | None:
        return self._first.get(number)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals.update(safe_url=safe_url, heading_level=_heading_level, line_span=_line_span)
    return env


def _heading_level(section: Section) -> int:
    """Chapters are <h2> under the <h1> title; HTML stops at <h6>."""
    return min(section.level + 1, 6)


def _line_span(msg: Message) -> str:
    if msg.line is None:
        return ""
    if msg.end_line is None or msg.end_line == msg.line:
        return str(msg.line)
    return f"{msg.line}-{msg.end_line}"


def _citation_date(received: str | None) -> str | None:
    """Highwire wants YYYY/MM/DD; the record's received time is ISO 8601."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", received or "")
    return "/".join(m.groups()) if m else None


def _generator() -> str:
    try:
        return f"publisher {metadata.version('publisher')}"
    except metadata.PackageNotFoundError:
        return "publisher"


def render(doc: Document, options: RenderOptions) -> Result[Output]:
    return Result(_render(doc, options))


def _render(doc: Document, options: RenderOptions) -> bytes:
    language = doc.language
    env = _environment()

    def caption(table: Table) -> str:
        label = table_label(language, table.number) if table.number is not None else ""
        return " ".join(part for part in (label, table.caption) if part)

    context = {
        "doc": doc,
        "lang": LANG_TAGS[language],
        "labels": {**doc.labels(), **EXTRA_LABELS[language]},
        "cites": CiteLinks(doc),
        "references": [r for r in doc.references if r.cited],
        "caption": caption,
        "missing": list(options.missing_chapters) if options.draft else [],
        "date": _citation_date(doc.metadata.received),
        "generator": _generator(),
        "toc_depth": TOC_DEPTH,
    }
    name = "article.html.j2" if options.fragment else "page.html.j2"
    try:
        text = env.get_template(name).render(context)
    except jinja2.TemplateError as exc:
        raise RenderError(f"html template {name}: {exc}") from exc
    return text.encode("utf-8")
