"""What a writer could not carry over, as report lines (`Message`s), and the text clean-up
that makes such lines necessary.

Every writer returns `Result(output, messages)`: a link target it refused, characters that
its format cannot hold, a code language it had to drop. Nothing is left out silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from publisher.i18n import N_
from publisher.model import Block, Document, Inline, Message, inline_text, iter_blocks
from publisher.result import excerpt, message_at, said
from publisher.urls import safe_url

# Characters XML 1.0 cannot carry (and lone surrogates, which cannot be encoded), and the
# noncharacters U+FFFE/U+FFFF: a record holding one must not make a writer produce a
# document that no program opens.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    return NOT_XML.sub("", text)


RUNNING_TITLE_MAX = {"zh": 40, "en": 80}  # characters in the page header of the PDF and DOCX


def running_title(doc: Document) -> str:
    limit = RUNNING_TITLE_MAX[doc.language]
    title = " ".join(clean_text(doc.title).split())
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _strings(doc: Document) -> Iterator[tuple[str, str, int | None]]:
    """(place, text, line) for every string of the document a writer prints."""
    yield "title", doc.title, None
    yield "topic", doc.metadata.topic or "", None
    for k in doc.keywords:
        yield "keywords", k, None
    for section in doc.walk_sections():
        yield "heading", section.title, section.line
    for blocks in doc.block_lists():
        for block in iter_blocks(blocks):
            yield "text", _block_text(block), getattr(block, "line", None)
    for ref in doc.references:
        yield "references", ref.text, None


def _block_text(block: Block) -> str:
    kind = block.type
    if kind == "paragraph":
        return inline_text(block.inlines)  # type: ignore[union-attr]
    if kind == "table":
        cells: list[list[Inline]] = [*block.header, *(c for row in block.rows for c in row)]  # type: ignore[union-attr]
        return block.caption + " " + " ".join(inline_text(c) for c in cells)  # type: ignore[union-attr]
    if kind == "code_block":
        return block.text  # type: ignore[union-attr]
    return ""


# the places `_strings` names, as catalogue ids (a report line says where the characters were)
PLACE_WORDS = {"title": N_("title"), "topic": N_("topic"), "keywords": N_("keywords"), "heading": N_("heading"),
               "text": N_("text"), "references": N_("references")}


def illegal_characters(doc: Document, fmt: str) -> list[Message]:
    """One line per place (title, text, ...) that holds characters `fmt` cannot carry."""
    found: dict[str, tuple[set[str], int | None, str]] = {}
    for place, text, line in _strings(doc):
        chars = set(NOT_XML.findall(text))
        if chars:
            seen, first_line, sample = found.get(place, (set(), line, text))
            found[place] = (seen | chars, first_line, sample)
    return [
        message_at(
            "illegal-character",
            "warning",
            line,
            line,
            excerpt(clean_text(sample)),
            said("{format}: removed characters it cannot carry from the {place}: {chars}", format=fmt,
                 place=[PLACE_WORDS.get(place, place)],
                 chars=", ".join(f"U+{ord(c):04X}" for c in sorted(chars))),
        )
        for place, (chars, line, sample) in found.items()
    ]


def unsafe_link(url: str, text: str, fmt: str, line: int | None = None) -> Message:
    return message_at(
        "unsafe-link", "warning", line, line, excerpt(clean_text(text or url)),
        said("{format}: link target “{url}” is not http(s) or mailto; kept the text without the link", format=fmt,
             url=excerpt(clean_text(url))),
    )


def unknown_language(language: str, code: str, fmt: str = "sphinx") -> Message:
    return message_at(
        "unknown-code-language", "info", None, None, excerpt(clean_text(code)),
        said("{format}: no highlighter knows the code language “{language}”; the code is shown as plain text",
             format=fmt, language=excerpt(language)),
    )


class Notes:
    """Collects a writer's messages while it renders, each distinct message once."""

    def __init__(self, fmt: str):
        self.fmt = fmt
        self.messages: list[Message] = []

    def add(self, msg: Message) -> None:
        if msg not in self.messages:
            self.messages.append(msg)

    def link_target(self, url: str, text: str = "") -> str | None:
        """The URL if it may be linked, else None and a report line."""
        safe = safe_url(url)
        if safe is None:
            self.add(unsafe_link(url, text, self.fmt))
        return safe
