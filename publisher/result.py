"""What every stage returns: `Result(value, messages)`, and the helpers that make report lines.

A stage never prints and never drops silently: whatever it changed in the author's text is a
Message in its Result, and the pipeline concatenates them into the report (as mammoth does).

A message is made from a catalogue id, never from finished English: `said("… {title} …",
title=t)` (or `said_n(singular, plural, n, …)` for a count) marks the template for `pybabel
extract` and keeps its arguments, so that `localised(msg, lang)` can say it again in any
language of the catalogue, with the place (chapter, paragraph) the pipeline found for it.
Below every stage: imports only the model, the source lines and the catalogues.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar

from babel.lists import format_list
from babel.numbers import format_decimal

from publisher import i18n
from publisher.i18n import Lang
from publisher.model import Document, Message, MessageArg, Severity
from publisher.source import SourceLine

T = TypeVar("T")
U = TypeVar("U")

EXCERPT_CHARS = 80


@dataclass(frozen=True)
class Result(Generic[T]):
    """A stage's value and the report lines it produced."""

    value: T
    messages: list[Message] = field(default_factory=list)

    def then(self, messages: list[Message], value: U) -> Result[U]:
        """A later value, with this result's messages followed by `messages`."""
        return Result(value, self.messages + messages)


def excerpt(lines: Iterable[SourceLine] | str) -> str:
    text = lines if isinstance(lines, str) else " ".join(ln.text.strip() for ln in lines if ln.text.strip())
    # only the start is shown: normalising a whole megabyte line for every message of it
    # would make a rule quadratic in the line's length
    text = re.sub(r"\s+", " ", text.strip()[: EXCERPT_CHARS * 4]).strip()
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


ArgValue = str | int | Sequence[str]


@dataclass(frozen=True)
class Said:
    """A report message before it is put in words: its catalogue id(s) and arguments."""

    msgid: str
    msgid_plural: str | None = None
    args: tuple[MessageArg, ...] = ()

    def say(self, lang: Lang) -> str:
        """The message in `lang`."""
        return words(self.msgid, self.msgid_plural, self.args, lang)

    def __str__(self) -> str:
        return self.say("en")


def said(msgid: str, /, **args: ArgValue) -> Said:
    """A message template and its arguments: `{name}` in the template for each; an int is a
    number (formatted for the locale), a list of strings are catalogue ids joined as a list."""
    return Said(msgid, None, _args(args))


def said_n(singular: str, plural: str, n: int, /, **args: ArgValue) -> Said:
    """A message whose wording follows a count (`{n}` in the templates), by the catalogue's
    plural forms (ngettext)."""
    return Said(singular, plural, _args({"n": n, **args}))


def _args(args: dict[str, ArgValue]) -> tuple[MessageArg, ...]:
    out = []
    for name, value in args.items():
        if isinstance(value, str):
            out.append(MessageArg(name, text=value))
        elif isinstance(value, int):
            out.append(MessageArg(name, number=value))
        else:
            out.append(MessageArg(name, terms=list(value)))
    return tuple(out)


def words(msgid: str, msgid_plural: str | None, args: Iterable[MessageArg], lang: Lang) -> str:
    """A template in `lang` with its arguments filled in."""
    args = list(args)
    catalogue = i18n.translations(lang)
    locale = i18n.babel_locale(lang)
    values: dict[str, str] = {}
    for a in args:
        if a.number is not None:
            values[a.name] = format_decimal(a.number, locale=locale)
        elif a.terms:
            values[a.name] = format_list([catalogue.gettext(t) for t in a.terms], locale=locale)
        else:
            values[a.name] = a.text or ""
    if msgid_plural is None:
        template = catalogue.gettext(msgid)
    else:
        n = next((a.number for a in args if a.name == "n" and a.number is not None), 1)
        template = catalogue.ngettext(msgid, msgid_plural, n)
    return template.format(**values)


def _said(what: str | Said) -> Said:
    return what if isinstance(what, Said) else Said(what)  # plain text: said as written, untranslated


def message(rule: str, severity: Severity, lines: list[SourceLine], what: str | Said, removed: str | None = None) -> Message:
    """A report line about some source lines: their range and an excerpt of their text
    (`removed`: the whole text taken out, for the JSON report)."""
    nos = [ln.no for ln in lines] or [0]
    return message_at(rule, severity, min(nos) or None, max(nos) or None, excerpt(lines), what, removed)


def message_at(rule: str, severity: Severity, line: int | None, end_line: int | None, quoted: str,
               what: str | Said, removed: str | None = None, *, kept_before: str | None = None,
               anchor_line: int | None = None, chapter: str | None = None, chapter_title: str | None = None,
               paragraph: int | None = None) -> Message:
    """A report line at a given place: source lines, and (when the stage knows it) the
    published chapter and paragraph; `quoted` is the excerpt shown with it."""
    s = _said(what)
    keyed = isinstance(what, Said)
    return Message(rule, severity, line, end_line, quoted, str(s), removed, kept_before, anchor_line,
                   msgid=s.msgid if keyed else None, msgid_plural=s.msgid_plural, args=list(s.args),
                   chapter=chapter, chapter_title=chapter_title, paragraph=paragraph)


# the place said before a message, as an author counts: chapter number and title, paragraph
AT_PARAGRAPH = i18n.N_("Chapter {chapter} “{title}”, paragraph {paragraph}: {what}")
AT_CHAPTER = i18n.N_("Chapter {chapter} “{title}”: {what}")


def localised(msg: Message, lang: Lang) -> str:
    """The message in `lang`, after its place when it has one. A message without a catalogue
    id (from an older document) is shown as it was stored."""
    if msg.msgid is None:
        return msg.message_en if lang == "en" and msg.message_en else msg.message
    what = words(msg.msgid, msg.msgid_plural, msg.args, lang)
    if msg.chapter is None:
        return what
    place = [MessageArg("chapter", text=msg.chapter), MessageArg("title", text=msg.chapter_title or ""),
             MessageArg("what", text=what)]
    if msg.paragraph is None:
        return words(AT_CHAPTER, None, place, lang)
    return words(AT_PARAGRAPH, None, [*place, MessageArg("paragraph", number=msg.paragraph)], lang)


def localised_message(msg: Message, lang: Lang) -> Message:
    """The message with `message` in `lang` and `message_en` when that is not English."""
    text = localised(msg, lang)
    english = localised(msg, "en")
    return replace(msg, message=text, message_en=english if english != text else None)


def localised_report(doc: Document, lang: Lang | None = None) -> list[Message]:
    """The document's report in `lang` (default: the document's own language)."""
    return [localised_message(m, lang or doc.language) for m in doc.report]
