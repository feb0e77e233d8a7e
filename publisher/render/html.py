"""HTML: a standalone, self-contained page (or, with `fragment`, the `<article>` alone).

The page is made by the jinja2 templates in templates/html/ with autoescape on:
record text reaches the page only through `{{ }}`, so it can never become markup, and
links keep an href only when it is http(s) or mailto. Citation links get ids
(`cite-N-k`) in reading order so that each reference can link back to its first citation.
The processing report quotes the debris it removed, so it joins the page only on request
(`report_in_html`); the service's draft page shows its own, and with `margin_notes` each
report line also stands beside the heading or block it concerns (anchors.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import jinja2
from markupsafe import Markup

from publisher.errors import RenderError
from publisher.i18n import N_, gettext
from publisher.model import Cite, Document, Inline, Message, Section, Table, inline_text, table_label
from publisher.render import Output, RenderOptions
from publisher.render.anchors import margin_places
from publisher.render.cite_groups import attach_citations, cite_groups
from publisher.render.columns import display_width
from publisher.render.notes import Notes, clean_text, illegal_characters
from publisher.render.template_dir import template_path
from publisher.result import Result
from publisher.text import LANG_TAGS

SHORT_HEADER = 12  # display columns: six CJK characters
LONG_RUN = 20
_LONG_RUN = re.compile(rf"[0-9A-Za-z_./:%+-]{{{LONG_RUN},}}")

# Chapters and their sections: a review's third level would double the contents on a phone.
TOC_DEPTH = 2

# Words the page needs beyond model.LABELS (report columns, back-link label), as catalogue ids.
EXTRA_LABELS: dict[str, str] = {
    "back": N_("Back to text"),
    "severity": N_("Severity"),
    "rule": N_("Rule"),
    "lines": N_("Lines"),
    "message": N_("Message"),
    "excerpt": N_("Excerpt"),
}
SEVERITY_WORDS: dict[str, str] = {"info": N_("info"), "warning": N_("warning"), "error": N_("error")}


@dataclass(frozen=True)
class CiteLink:
    number: int
    id: str | None
    href: str | None
    title: str
    label: str = ""  # the text of the link; "" = the number


class CiteLinks:
    """Hands out citation link ids in reading order and remembers each entry's first one.

    One instance per rendering, so the ids depend only on the document.
    """

    def __init__(self, doc: Document):
        self._entries = {r.number: r.text for r in doc.references if r.cited}
        self._seen: dict[int, int] = {}
        self._first: dict[int, str] = {}

    def _link(self, number: int, label: str = "") -> CiteLink:
        if number not in self._entries:
            return CiteLink(number, None, None, "", label)
        k = self._seen.get(number, 0) + 1
        self._seen[number] = k
        link_id = f"cite-{number}-{k}"
        self._first.setdefault(number, link_id)
        return CiteLink(number, link_id, f"#ref-{number}", self._entries[number], label)

    def groups(self, cite: Cite) -> list[tuple[CiteLink, ...]]:
        """One tuple per group: (link,) or, for a range, (first, dash, last).

        The dash of a range links to the first number inside it, so every entry of the range
        can be reached: the entries inside are consecutive in the list, right after it.
        """
        out: list[tuple[CiteLink, ...]] = []
        for first, last in cite_groups(cite.numbers):
            start = self._link(first)
            if first == last:
                out.append((start,))
                continue
            dash = self._link(first + 1, "-")
            for inner in range(first + 2, last):
                if dash.id and inner in self._entries:
                    self._first.setdefault(inner, dash.id)
            out.append((start, dash, self._link(last)))
        return out

    def first_id(self, number: int) -> str | None:
        return self._first.get(number)


@lru_cache(maxsize=4)
def _environment(folder: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        # every {{ }} passes here before escaping: no character HTML forbids reaches the page
        finalize=_finalize,
    )
    env.globals.update(
        heading_level=_heading_level,
        line_span=_line_span,
        short_header=_short_header,
        range_label=_range_label,
        attach_citations=attach_citations,
        long_runs=_long_runs,
    )
    return env


def _long_runs(text: str) -> list[tuple[str, bool]]:
    """The text cut around runs of LONG_RUN or more Latin letters, digits and joiners."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _LONG_RUN.finditer(text):
        out += [(text[pos : m.start()], False), (m.group(0), True)]
        pos = m.end()
    return [*out, (text[pos:], False)] if out else [(text, False)]


def _finalize(value: object) -> object:
    # Markup is a macro's output, made of values that already passed here
    return clean_text(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _short_header(cell: list[Inline]) -> bool:
    """A header this short never breaks inside a word: "准确率", "Reference"."""
    return display_width(inline_text(cell)) <= SHORT_HEADER


def _range_label(first: CiteLink, last: CiteLink) -> str:
    inner = range(first.number + 1, last.number)
    return str(inner[0]) if len(inner) == 1 else f"{inner[0]}-{inner[-1]}"


def _heading_level(section: Section) -> int:
    """Chapters are <h2> under the <h1> title; HTML stops at <h6>."""
    return min(section.level + 1, 6)


def _line_span(msg: Message) -> str:
    if msg.line is None:
        return ""
    if msg.end_line is None or msg.end_line == msg.line:
        return str(msg.line)
    return f"{msg.line}-{msg.end_line}"


@dataclass(frozen=True)
class MarginNote:
    index: int  # the report line's place in the report: the draft page's list links to it
    message: Message


def _margin_notes(doc: Document) -> Callable[[object], list[MarginNote]]:
    """The draft page's margin notes: the report lines about a heading or block, by object."""
    by_object: dict[int, list[MarginNote]] = {}
    for k, (msg, target) in enumerate(zip(doc.report, margin_places(doc), strict=True)):
        if target is not None:
            by_object.setdefault(id(target), []).append(MarginNote(k, msg))
    return lambda obj: by_object.get(id(obj), [])


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
    notes = Notes("html")
    page = _render(doc, options, notes)
    return Result(page, illegal_characters(doc, "html") + notes.messages)


def _render(doc: Document, options: RenderOptions, notes: Notes) -> bytes:
    language = doc.language
    folder = template_path(options.templates, "html/page.html.j2", doc.metadata.source).parent
    env = _environment(folder)

    def caption(table: Table) -> str:
        label = table_label(language, table.number) if table.number is not None else ""
        return " ".join(part for part in (label, table.caption) if part)

    context = {
        "doc": doc,
        "lang": LANG_TAGS[language],
        "labels": {**doc.labels(), **{key: gettext(language, msgid) for key, msgid in EXTRA_LABELS.items()}},
        "severities": {key: gettext(language, msgid) for key, msgid in SEVERITY_WORDS.items()},
        "cites": CiteLinks(doc),
        "references": [r for r in doc.references if r.cited],
        "caption": caption,
        "link_target": lambda url, inlines: notes.link_target(url, inline_text(inlines)),
        "show_report": options.report_in_html and not options.fragment,
        "date": _citation_date(doc.metadata.received),
        "generator": _generator(),
        "toc_depth": TOC_DEPTH,
        "notes_for": _margin_notes(doc) if options.margin_notes else lambda obj: [],
    }
    name = "article.html.j2" if options.fragment else "page.html.j2"
    try:
        text = env.get_template(name).render(context)
    except jinja2.TemplateError as exc:
        raise RenderError(f"html template {name}: {exc}") from exc
    return text.encode("utf-8")
