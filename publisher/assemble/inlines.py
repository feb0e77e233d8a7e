"""Inline markdown -> model inlines: emphasis, code, safe links and citations.

markdown-it-py parses; raw HTML, link reference definitions, setext headings and indented
code are switched off, so text stays text. Links survive only to http(s) and mailto.
"""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

from publisher.markdown.notation import normalise_cites, split_citations
from publisher.model import Code, Emph, Inline, Link, Strong, Text
from publisher.text import WIDE_RE
from publisher.urls import safe_url

MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["reference", "lheading", "code", "hr", "html_block", "html_inline"]
)


def parse_inlines(text: str) -> list[Inline]:
    """One line or cell of markdown -> inlines (emphasis, code, links, citations)."""
    tokens = MD.parseInline(text)
    children = tokens[0].children if tokens and tokens[0].children else []
    return inlines_from_tokens(children)


def inlines_from_tokens(tokens: list[Token]) -> list[Inline]:
    stack: list[tuple[str, list[Inline], str]] = [("root", [], "")]
    for tok in tokens:
        handler = _INLINE_HANDLERS.get(tok.type)
        if handler is not None:
            handler(tok, stack)
        elif tok.content:
            stack[-1][1].append(Text(tok.content))
    while len(stack) > 1:  # unbalanced: flatten what is open
        kind, items, _ = stack.pop()
        stack[-1][1].extend(items)
    return _finish(stack[0][1])


def _finish(items: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for item in items:
        if isinstance(item, Text):
            out.extend(split_citations(item.text))
        else:
            out.append(item)
    return normalise_cites(_join_texts(out))


def _join_texts(items: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for item in items:
        if isinstance(item, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + item.text)
        else:
            out.append(item)
    return out


def _text(tok: Token, stack: list[tuple[str, list[Inline], str]]) -> None:
    stack[-1][1].append(Text(tok.content))


def _softbreak(tok: Token, stack: list[tuple[str, list[Inline], str]]) -> None:
    items = stack[-1][1]
    prev = items[-1].text[-1:] if items and isinstance(items[-1], Text) else ""
    items.append(Text("" if WIDE_RE.match(prev or " ") else " "))


def _open(kind: str) -> Callable[[Token, list[tuple[str, list[Inline], str]]], None]:
    def handler(tok: Token, stack: list[tuple[str, list[Inline], str]]) -> None:
        stack.append((kind, [], str(tok.attrGet("href") or "")))

    return handler


def _close(tok: Token, stack: list[tuple[str, list[Inline], str]]) -> None:
    if len(stack) < 2:
        return
    kind, items, href = stack.pop()
    items = _finish(items)
    node: list[Inline]
    if kind == "strong":
        node = [Strong(items)]
    elif kind == "em":
        node = [Emph(items)]
    elif safe_url(href):
        node = [Link(href, items)]
    else:  # a link to anything but http(s)/mailto keeps only its text
        node = items
    stack[-1][1].extend(node)


def _code(tok: Token, stack: list[tuple[str, list[Inline], str]]) -> None:
    stack[-1][1].append(Code(tok.content))


def _image(tok: Token, stack: list[tuple[str, list[Inline], str]]) -> None:
    # images are not fetched or embedded: their alt text stays
    alt = "".join(c.content for c in (tok.children or []))
    if alt:
        stack[-1][1].append(Text(alt))


_INLINE_HANDLERS: dict[str, Callable[[Token, list[tuple[str, list[Inline], str]]], None]] = {
    "text": _text,
    "text_special": _text,
    "softbreak": _softbreak,
    "hardbreak": _softbreak,
    "strong_open": _open("strong"),
    "em_open": _open("em"),
    "link_open": _open("link"),
    "strong_close": _close,
    "em_close": _close,
    "link_close": _close,
    "code_inline": _code,
    "image": _image,
}
