"""Inline markdown -> model inlines: emphasis, code, safe links and citations.

markdown-it-py parses; raw HTML, link reference definitions, setext headings and indented
code are switched off, so text stays text. Links survive only to http(s) and mailto.

What this layer adds to markdown-it:
- citations of every notation (`publisher.markdown.notation`), decided with the numbers the
  supplied reference list has (`InlineParser(supplied=...)`: the pipeline passes them in, so
  assembly never imports the cite stage);
- inline HTML superscripts and subscripts, which the models write although raw HTML is off:
  `<sup>3</sup>` after a word is a citation (notation), `m<sup>2</sup>` is published as `m²`,
  `H<sub>2</sub>O` as `H₂O`, pandoc's `m^2^` as `m²`; a tag whose text has no such
  character loses the tag and keeps its text;
- bounded depth: emphasis and links nested MAX_DEPTH deep or deeper are flattened into their
  parent (the text stays, the surplus emphasis goes, with a warning), so no later stage
  recurses as deep as the input (`'*' * 700 + 'x' + '*' * 700`);
- bounded cost: every `[` that cannot open a link is hidden from markdown-it's link rules
  (`publisher.markdown.brackets`), so bracket runs cost linear time with a small constant.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from publisher.markdown.brackets import MAX_UNEXPLAINED, defuse_brackets, restore
from publisher.markdown.notation import Supplied, may_hold_citation, normalise_cites, split_citations
from publisher.model import Cite, Code, Emph, Inline, Link, Message, Strong, Text
from publisher.result import excerpt, message_at, said
from publisher.text import TO_SUBSCRIPT, TO_SUPERSCRIPT, WIDE_RE
from publisher.urls import safe_url

# The model never nests emphasis and links deeper than this; the parser flattens one level
# earlier, for a heading inside a list or quote is wrapped in one more Strong (blocks.py).
MAX_DEPTH = 8


def _defuse(state: StateCore) -> None:
    for tok in state.tokens:
        if tok.type == "inline":
            defused = defuse_brackets(tok.content)
            tok.meta["source"] = tok.content
            tok.content = defused.text
            tok.meta["stand_ins"] = defused.stand_ins
            tok.meta["links_off"] = defused.links_off


def _restore(state: StateCore) -> None:
    for tok in state.tokens:
        stand_ins = tok.meta.get("stand_ins") if tok.type == "inline" else None
        for child in tok.children or [] if stand_ins else []:
            child.content = restore(child.content, stand_ins)
            for grandchild in child.children or []:  # an image's alt text
                grandchild.content = restore(grandchild.content, stand_ins)


MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["reference", "lheading", "code", "hr", "html_block", "html_inline"]
)
MD.core.ruler.before("inline", "defuse_brackets", _defuse)
MD.core.ruler.after("inline", "restore_brackets", _restore)

# superscripts and subscripts in inline HTML or pandoc syntax that are not citations
_SCRIPT_RE = re.compile(r"<(?P<tag>su[pb])\b[^<>]{0,100}>(?P<inner>[^<>]{0,200})</(?P=tag)>|\^(?P<caret>[0-9+\-−=()]{1,12})\^",
                        re.I)
_STRAY_TAG_RE = re.compile(r"</?su[pb]\b[^<>]{0,100}>", re.I)
_CONTEXT = 24  # characters of the text before a piece that its citations may look at

Frame = tuple[str, list[Inline], str]  # (kind, items, href)


@dataclass
class InlineParser:
    """Parses the inline markdown of one stretch of text (a section's blocks, a table).

    `supplied`: the numbers of the supplied reference list, the evidence for ambiguous
    citation notations (None: no list, context alone decides). `messages` collects what
    the parser had to change (deep nesting flattened)."""

    supplied: Supplied = None
    messages: list[Message] = field(default_factory=list)

    def parse(self, text: str, line: int | None = None) -> list[Inline]:
        """One line or cell of markdown -> inlines (emphasis, code, links, citations)."""
        tokens = MD.parseInline(text)
        children = tokens[0].children if tokens and tokens[0].children else []
        return self.from_tokens(children, line, bool(tokens and tokens[0].meta.get("links_off")))

    def from_tokens(self, tokens: list[Token], line: int | None = None, links_off: bool = False) -> list[Inline]:
        """markdown-it's inline tokens -> inlines. `links_off`: the bracket guard found too many
        brackets that open no link and had markdown-it read none (see markdown/brackets.py)."""
        if links_off:
            text = "".join(t.content for t in tokens if t.type in ("text", "text_special"))
            self.messages.append(message_at("unparsed-links", "warning", line, line, excerpt(text),
                                            said("more than {most} brackets that open no link in one paragraph: "
                                                 "markdown links in it are published as written, not as links",
                                                 most=MAX_UNEXPLAINED)))
        stack: list[Frame] = [("root", [], "")]
        flattened = 0
        for tok in tokens:
            handler = _INLINE_HANDLERS.get(tok.type)
            if tok.type in _OPENERS and len(stack) >= MAX_DEPTH:
                stack.append(("flat", stack[-1][1], ""))  # its items go straight into the parent
                flattened += 1
            elif tok.type in _CLOSERS and stack[-1][0] == "flat":
                stack.pop()
            elif tok.type in _CLOSERS:
                self._close(stack)
            elif handler is not None:
                handler(tok, stack)
            elif tok.content:
                stack[-1][1].append(Text(tok.content))
        while len(stack) > 1:  # unbalanced: flatten what is open
            kind, items, _ = stack.pop()
            if kind != "flat":
                stack[-1][1].extend(items)
        if flattened:
            text = "".join(t.content for t in tokens if t.type in ("text", "text_special"))
            self.messages.append(message_at("deep-nesting", "warning", line, line, excerpt(text),
                                            said("emphasis or links nested {depth} or more deep; "
                                                 "{flattened} inner levels flattened, their text kept",
                                                 depth=MAX_DEPTH, flattened=flattened)))
        return self._finish(stack[0][1])

    def _close(self, stack: list[Frame]) -> None:
        if len(stack) < 2:
            return
        kind, items, href = stack.pop()
        items = self._finish(items)
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

    def _finish(self, items: list[Inline]) -> list[Inline]:
        out: list[Inline] = []
        joined = _join_texts(items)
        for k, item in enumerate(joined):
            if isinstance(item, Text) and may_hold_citation(item.text):
                pieces = split_citations(item.text, self.supplied, _text_before(joined, k))
                out.extend(Text(_scripts(p.text)) if isinstance(p, Text) else p for p in pieces)
            elif isinstance(item, Text):
                out.append(Text(_scripts(item.text)))
            else:
                out.append(item)
        return normalise_cites(out)


def parse_inlines(text: str, supplied: Supplied = None) -> list[Inline]:
    """One line or cell of markdown -> inlines; see InlineParser."""
    return InlineParser(supplied).parse(text)


def inlines_from_tokens(tokens: list[Token], supplied: Supplied = None) -> list[Inline]:
    return InlineParser(supplied).from_tokens(tokens)


def _scripts(text: str) -> str:
    """Inline superscripts and subscripts that are not citations, as Unicode characters."""
    if "<" not in text and "^" not in text:
        return text

    def render(m: re.Match[str]) -> str:
        if m.group("caret") is not None:
            return m.group("caret").translate(TO_SUPERSCRIPT)
        inner = m.group("inner")
        table = TO_SUPERSCRIPT if m.group("tag").lower() == "sup" else TO_SUBSCRIPT
        mapped = inner.translate(table)
        return mapped if all(c != o or c.isspace() for c, o in zip(mapped, inner, strict=True)) else inner

    return _STRAY_TAG_RE.sub("", _SCRIPT_RE.sub(render, text))


def _text_before(items: list[Inline], k: int) -> str:
    """The last characters of the (at most three) items before item k: the context of a
    marker at the very start of item k."""
    return "".join(_plain(i) for i in items[max(0, k - 3) : k])[-_CONTEXT:]


def _plain(item: Inline) -> str:
    if isinstance(item, Text | Code):
        return item.text[-_CONTEXT:]
    if isinstance(item, Cite):
        return ""
    return "".join(_plain(i) for i in item.inlines)[-_CONTEXT:]


def _join_texts(items: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for item in items:
        if isinstance(item, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + item.text)
        else:
            out.append(item)
    return out


def _text(tok: Token, stack: list[Frame]) -> None:
    stack[-1][1].append(Text(tok.content))


def _softbreak(tok: Token, stack: list[Frame]) -> None:
    items = stack[-1][1]
    prev = items[-1].text[-1:] if items and isinstance(items[-1], Text) else ""
    items.append(Text("" if WIDE_RE.match(prev or " ") else " "))


def _opener(kind: str) -> Callable[[Token, list[Frame]], None]:
    def handler(tok: Token, stack: list[Frame]) -> None:
        stack.append((kind, [], str(tok.attrGet("href") or "")))

    return handler


def _code(tok: Token, stack: list[Frame]) -> None:
    stack[-1][1].append(Code(tok.content))


def _image(tok: Token, stack: list[Frame]) -> None:
    # images are not fetched or embedded: their alt text stays
    alt = "".join(c.content for c in (tok.children or []))
    if alt:
        stack[-1][1].append(Text(alt))


_OPENERS = {"strong_open", "em_open", "link_open"}
_CLOSERS = {"strong_close", "em_close", "link_close"}
_INLINE_HANDLERS: dict[str, Callable[[Token, list[Frame]], None]] = {
    "text": _text,
    "text_special": _text,
    "softbreak": _softbreak,
    "hardbreak": _softbreak,
    "strong_open": _opener("strong"),
    "em_open": _opener("em"),
    "link_open": _opener("link"),
    "code_inline": _code,
    "image": _image,
}
