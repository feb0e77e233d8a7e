"""Markdown: Pandoc's markdown of the article, written so that `pandoc -f markdown` reads it back.

Record text is escaped by construction: every character that Pandoc's markdown gives a
meaning to (emphasis, links, raw HTML, raw attributes, math, citations, smart quotes,
list markers at the start of a paragraph ...) is backslash-escaped, so no record string
can become markup, a raw block or a different structure.

Layout: a YAML metadata block (title, lang, date, subject, keywords, abstract), then the
chapters as level-1 headings carrying their numbers, `{#sec-N .unnumbered}` (the same anchors
as the HTML page); citations are superscript links `^\\[[1](#ref-1),[3](#ref-3)[\\-](#ref-4)[5](#ref-5)\\]^`
(in table cells without the superscript); the reference list is a section of paragraphs, each
opening with a span `[\\[1\\]]{#ref-1}`. With `pandoc_citations` the citations are pandoc's own,
`[@ref-1; @ref-3]`, the metadata names the CSL JSON bibliography (`csljson` format) written beside
the file, and `pandoc --citeproc` formats the list in any CSL style. Tables are pipe tables
with their caption line (`Table: 表1 标题`) above them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import PurePath

from publisher.formats import FORMATS
from publisher.model import (
    Block,
    Cite,
    Code,
    CodeBlock,
    Document,
    Emph,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Section,
    Strong,
    Table,
    Text,
    inline_text,
    table_label,
)
from publisher.render import Output, RenderOptions
from publisher.render.cite_groups import attach_citations, cite_groups
from publisher.render.notes import Notes, clean_text, illegal_characters
from publisher.result import Result
from publisher.text import LANG_TAGS
from publisher.urls import quote_url

# Characters with a meaning somewhere in Pandoc's inline markdown. `'` and `"` are here
# because the smart extension would turn them into Quoted nodes.
_SPECIAL = re.compile(r"""([\\`*_{}\[\]<>#|^~$@&"'])""")
_DASHES = re.compile(r"-(?=-)")  # smart: `--` and `---` become dashes
_ELLIPSIS = re.compile(r"\.(?=\.\.)")  # smart: `...` becomes an ellipsis
# What would open a block if it started a paragraph: `- x`, `+ x`, `: x`, `1. x`, `a) x`,
# `(iv) x`, `Table: x` (a table caption).
_LIST_START = re.compile(r"^(\(?)([0-9]+|[A-Za-z]|[ivxlcdmIVXLCDM]+)([.)])(?=\s|$)")
_CAPTION_START = re.compile(r"^(table)(:)", re.IGNORECASE)
_LANGUAGE = re.compile(r"^[A-Za-z0-9_+.-]+$")


@dataclass(frozen=True)
class Context:
    refs: set[int]  # numbers of the entries in the reference list
    notes: Notes
    native: bool = False  # pandoc citations `[@ref-N]` instead of links
    in_cell: bool = False


def escape(text: str) -> str:
    """Literal text as Pandoc markdown inline source, on one line."""
    text = " ".join(clean_text(text).splitlines())
    text = _SPECIAL.sub(r"\\\1", text)
    text = _DASHES.sub(r"\\-", text)
    return _ELLIPSIS.sub(r"\\.", text)


def guard_block_start(line: str) -> str:
    """Escape what would make a paragraph's first characters a list, rule or caption."""
    if line[:1] in ("-", "+", ":"):
        return "\\" + line
    m = _LIST_START.match(line)
    if m:
        opening = "\\(" if m.group(1) else ""
        return opening + m.group(2) + "\\" + m.group(3) + line[m.end() :]
    return _CAPTION_START.sub(r"\1\\\2", line, count=1)


# --------------------------------------------------------------------------- inlines
def _wrap(marker: str, inner: str) -> str:
    """`**x**`, moving outer blanks outside the markers (`** x**` is not strong)."""
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{marker}{core}{marker}{trail}"


def _code(text: str) -> str:
    text = " ".join(clean_text(text).splitlines())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _link(link: Link, ctx: Context) -> str:
    text = inlines(link.inlines, ctx)
    url = ctx.notes.link_target(link.url, inline_text(link.inlines))
    if url is None:
        return text
    return f"[{text}]({quote_url(url)})"


def _cite(cite: Cite, ctx: Context) -> str:
    """`^\\[[1](#ref-1),[3](#ref-3)[-](#ref-4)[5](#ref-5)\\]^`; in a table cell without the
    superscript; with pandoc citations `[@ref-1; @ref-3; @ref-4; @ref-5]` for citeproc."""
    if ctx.native:
        keys = [f"@ref-{n}" for n in sorted(set(cite.numbers)) if n in ctx.refs]
        return "[" + "; ".join(keys) + "]" if keys else ""

    def number(n: int, text: str = "") -> str:
        return f"[{text or n}](#ref-{n})" if n in ctx.refs else (text or str(n))

    dash = "\\-"  # escaped: a bare `-` would open a list or read as a smart dash
    groups = [number(a) if a == b else number(a) + number(a + 1, dash) + number(b) for a, b in cite_groups(cite.numbers)]
    marker = "\\[" + ",".join(groups) + "\\]"
    return marker if ctx.in_cell else f"^{marker}^"


INLINE: dict[type, Callable[[object, Context], str]] = {
    Text: lambda i, ctx: escape(i.text),  # type: ignore[attr-defined]
    Strong: lambda i, ctx: _wrap("**", inlines(i.inlines, ctx)),  # type: ignore[attr-defined]
    Emph: lambda i, ctx: _wrap("*", inlines(i.inlines, ctx)),  # type: ignore[attr-defined]
    Code: lambda i, ctx: _code(i.text),  # type: ignore[attr-defined]
    Link: lambda i, ctx: _link(i, ctx),  # type: ignore[arg-type]
    Cite: lambda i, ctx: _cite(i, ctx),  # type: ignore[arg-type]
}


def _merge_code(items: list[Inline]) -> list[Inline]:
    """Adjacent code spans become one: their backtick fences would run together."""
    merged: list[Inline] = []
    for i in items:
        if isinstance(i, Code) and merged and isinstance(merged[-1], Code):
            merged[-1] = Code(merged[-1].text + i.text)
        else:
            merged.append(i)
    return merged


def inlines(items: list[Inline], ctx: Context) -> str:
    return "".join(INLINE[type(i)](i, ctx) for i in _merge_code(attach_citations(items)))


# --------------------------------------------------------------------------- blocks
def _paragraph(p: Paragraph, ctx: Context) -> list[str]:
    text = inlines(p.inlines, ctx).strip()
    return [guard_block_start(text)] if text else []


def _table(t: Table, ctx: Context, language: str) -> list[str]:
    width = max([len(t.header)] + [len(r) for r in t.rows])

    cell = replace(ctx, in_cell=True)

    def row(cells: list[list[Inline]]) -> str:
        texts = [inlines(c, cell).strip() for c in cells] + [""] * (width - len(cells))
        return "| " + " | ".join(texts) + " |"

    label = table_label(language, t.number) if t.number is not None else ""
    caption = escape(" ".join(part for part in (label, t.caption) if part))
    lines = [f"Table: {caption}", ""] if caption else []
    lines += [row(t.header), "|" + "|".join(["---"] * width) + "|"]
    return lines + [row(r) for r in t.rows]


def _list(lb: ListBlock, ctx: Context, language: str) -> list[str]:
    # Items that are one paragraph (maybe with sub-lists) make a tight list, with no blank
    # lines, as an author would write it; anything else needs blank lines to stay loose.
    tight = all(
        item and isinstance(item[0], Paragraph) and all(isinstance(b, ListBlock) for b in item[1:])
        for item in lb.items
    )
    lines: list[str] = []
    for k, item in enumerate(lb.items):
        marker = f"{lb.start + k}." if lb.ordered else "-"
        indent = max(4, len(marker) + 1)
        body = blocks(item, ctx, language, separator=not tight) or [""]
        if k and not tight:
            lines.append("")
        lines.append(marker.ljust(indent) + body[0])
        lines += [(" " * indent + line) if line else "" for line in body[1:]]
    return lines


def _quote(q: Quote, ctx: Context, language: str) -> list[str]:
    return [f"> {line}" if line else ">" for line in blocks(q.blocks, ctx, language)]


def _code_block(c: CodeBlock) -> list[str]:
    longest = max((len(run) for run in re.findall(r"`{3,}", c.text)), default=0)
    fence = "`" * max(3, longest + 1)
    info = c.language if _LANGUAGE.match(c.language) else ""
    return [fence + info, *clean_text(c.text).splitlines(), fence]


BLOCK: dict[type, Callable[[object, Context, str], list[str]]] = {
    Paragraph: lambda b, ctx, lang: _paragraph(b, ctx),  # type: ignore[arg-type]
    Table: _table,  # type: ignore[dict-item]
    ListBlock: _list,  # type: ignore[dict-item]
    Quote: _quote,  # type: ignore[dict-item]
    CodeBlock: lambda b, ctx, lang: _code_block(b),  # type: ignore[arg-type]
}


def blocks(items: list[Block], ctx: Context, language: str, separator: bool = True) -> list[str]:
    """Lines of the blocks, one blank line between blocks (none inside a tight list item)."""
    lines: list[str] = []
    for b in items:
        chunk = BLOCK[type(b)](b, ctx, language)
        if chunk:
            lines += ([""] if lines and separator else []) + chunk
    return lines


# --------------------------------------------------------------------------- document
def _heading(level: int, text: str, attributes: str = "") -> str:
    suffix = f" {{{attributes}}}" if attributes else ""
    return "#" * min(level, 6) + " " + escape(text.strip()) + suffix


def _section(s: Section, ctx: Context, language: str) -> list[str]:
    # the number is in the text: `.unnumbered` stops `pandoc --number-sections` adding another
    lines = [_heading(s.level, f"{s.number} {s.title}", f"#{s.anchor()} .unnumbered")]
    body = blocks(s.blocks, ctx, language)
    if body:
        lines += [""] + body
    for child in s.sections:
        lines += [""] + _section(child, ctx, language)
    return lines


def bibliography_name(doc: Document) -> str:
    """The CSL JSON file written beside the markdown (`csljson` format): `<record stem>.csl.json`."""
    stem = PurePath(doc.metadata.source or "references").stem or "references"
    return stem + FORMATS["csljson"].extension


def _yaml_string(markdown: str) -> str:
    # a JSON string is a YAML double-quoted scalar; pandoc reads its content as markdown
    return json.dumps(markdown, ensure_ascii=False)


def metadata_block(doc: Document, ctx: Context) -> list[str]:
    """Title, language, date, keywords and abstract as pandoc's YAML metadata block."""
    lines = ["---", f"title: {_yaml_string(escape(doc.title))}", f"lang: {LANG_TAGS[doc.language]}"]
    if doc.metadata.received:
        lines.append(f"date: {_yaml_string(doc.metadata.received[:10])}")
    if doc.metadata.topic:
        lines.append(f"subject: {_yaml_string(escape(doc.metadata.topic))}")
    if doc.keywords:
        lines += ["keywords:"] + [f"  - {_yaml_string(escape(k))}" for k in doc.keywords]
    abstract = blocks(doc.abstract, ctx, doc.language)
    if abstract:
        lines += ["abstract: |"] + [f"  {line}" if line else "" for line in abstract]
    if ctx.native and ctx.refs:
        lines += [f"bibliography: {_yaml_string(bibliography_name(doc))}", "link-citations: true"]
    return lines + ["---"]


def render(doc: Document, options: RenderOptions) -> Result[Output]:
    references = [r for r in doc.references if r.cited]
    ctx = Context({r.number for r in references}, Notes("md"), options.pandoc_citations)
    labels = doc.labels()
    lines = metadata_block(doc, ctx)
    for s in doc.sections:
        lines += [""] + _section(s, ctx, doc.language)
    if references:
        lines += ["", _heading(1, labels["references"], "#references .unnumbered")]
        if ctx.native:
            lines += ["", "::: {#refs}", ":::"]  # citeproc writes the list here, in its style
        else:
            for r in references:
                lines += ["", f"[\\[{r.number}\\]]{{#{r.anchor()}}} {escape(r.text.strip())}"]
    text = "\n".join(lines) + "\n"
    return Result(text.encode("utf-8"), illegal_characters(doc, "md") + ctx.notes.messages)
