"""The draft page as HTML: the expensive part of a view (the JSON model parsed, the model
rebuilt, the report grouped, the template rendered), as a plain function of plain data so
that it runs in a conversion process, off the web server's event loop and its GIL.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2
from babel.dates import format_datetime
from babel.numbers import format_decimal
from markupsafe import Markup

from publisher.errors import PublishError
from publisher.i18n import Lang, babel_locale, ngettext, translations
from publisher.model import Document, Message
from publisher.render.anchors import margin_places
from publisher.schema import document_from_dict
from publisher.service.language import DOMAIN, HTML_LANG, W_, Phrase, SwitchLink, Wn_, say
from publisher.service.report import ReportGroup, group_report, lines_label
from publisher.service.store import Draft
from publisher.service.uploads import PASTED, RAW

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Download:
    kind: str
    label: str
    hint: str


# The download buttons, in the order shown (label and hint in the page's language).
DOWNLOADS = [
    Download("docx", "Word", W_("DOCX, for editing")),
    Download("review-docx", W_("Review draft (Word)"), W_("every change to accept or reject")),
    Download("pdf", "PDF", W_("print-ready")),
    Download("html", "HTML", W_("a standalone web page")),
    Download("md", "Markdown", W_("plain text with markup")),
    Download("json", "JSON", W_("the document model, for a CMS")),
    Download("jats", "JATS XML", W_("for journal systems")),
]


CHAPTERS = Wn_("%(num)s chapter", "%(num)s chapters")
TABLES = Wn_("%(num)s table", "%(num)s tables")
REFERENCES = Wn_("%(num)s reference", "%(num)s references")


@functools.lru_cache(maxsize=8)
def environment(max_mb: str, lang: Lang) -> jinja2.Environment:
    """The service's templates in one language (autoescaped: record text reaches a page only
    through `{{ }}`; the i18n extension's newstyle gettext escapes its parameters too)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(lang, DOMAIN), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(max_mb=format_decimal(float(max_mb), locale=babel_locale(lang)), id_of=id,
                       lang=lang, html_lang=HTML_LANG[lang])
    env.filters.update(say=functools.partial(say, lang), when=functools.partial(_when, lang),
                       source=functools.partial(source_name, lang))
    return env


def draft_page(draft: Draft, fragment: str, max_mb: str, lang: Lang, switch: list[SwitchLink]) -> str:
    doc = document_from_dict(json.loads(draft.document))
    groups, where = _report_in(lang, doc.report)
    return environment(max_mb, lang).get_template("draft.html.j2").render(
        draft=draft,
        doc=doc,
        stats=_stats(doc, lang),
        article=Markup(fragment),  # the HTML writer's output, escaped by construction
        groups=groups,
        lines_label=where,
        change_ids={id(m): k for k, m in enumerate(doc.report)},
        in_text={k for k, target in enumerate(margin_places(doc)) if target is not None},
        downloads=DOWNLOADS,
        switch=switch,
    )


def _report_in(lang: Lang, report: list[Message]) -> tuple[list[ReportGroup], Callable[[Message], str]]:
    """The report's group headings, rule explanations and line labels in `lang` (the
    `messages` domain, publisher/service/report.py)."""
    return group_report(report, lang), functools.partial(lines_label, lang=lang)


def _stats(doc: Document, lang: Lang) -> str:
    locale = babel_locale(lang)

    def count(forms: tuple[str, str], n: int) -> str:
        return ngettext(lang, *forms, n, DOMAIN) % {"num": format_decimal(n, locale=locale)}

    parts = [count(CHAPTERS, len(doc.sections))]
    tables = len(doc.tables())
    if tables:
        parts.append(count(TABLES, tables))
    parts.append(count(REFERENCES, len(doc.references)))
    return " · ".join(parts)


def source_name(lang: Lang, source: str) -> str:
    """A draft's source as the page shows it: a file's name as it is; ours for pasted text or a
    bare upload in the page's language."""
    return say(lang, source) if source in (PASTED, RAW) else source


def error_line(lang: Lang, exc: PublishError) -> str:
    """An upload's error on the page: where (as `source_name` says it) and what, in `lang` when
    the service wrote it (a reader's message about the record stays as the reader wrote it)."""
    where = source_name(lang, exc.source) if exc.source else "<input>"
    if exc.line is not None:
        where += f":{exc.line}"
    return say(lang, Phrase("%(where)s: %(what)s", where=where, what=say(lang, exc.reason)))


def _when(lang: Lang, iso: str) -> str:
    """An ISO 8601 UTC time as the locale writes a date and time (the zone is said by the page)."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return format_datetime(moment, "medium", tzinfo=moment.tzinfo, locale=babel_locale(lang))
