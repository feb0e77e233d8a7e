"""Markdown: Pandoc's markdown of the article, written so that `pandoc -f markdown` reads it back.

Record text is escaped by construction: every character that Pandoc's markdown gives a
meaning to (emphasis, links, raw HTML, raw attributes, math, citations, smart quotes,
list markers at the start of a paragraph ...) is backslash-escaped, so no record string
can become markup, a raw block or a different structure.

Layout: the title is a level-1 heading, chapters level 2 with `{#sec-N}` ids (the same
anchors as the HTML page); citations are superscript links `^\\[[1](#ref-1),[3](#ref-3)-[5](#ref-5)\\]^`;
the reference list is a section of paragraphs, each opening with a span `[\\[1\\]]{#ref-1}`.
Tables are pipe tables with their caption line (`Table: 表1 标题`) above them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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
    table_label,
)
from publisher.render import Output, RenderOptions
from publisher.render.cite_groups import cite_groups
from publisher.result import Result
from publisher.urls import quote_url, safe_url

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


def escape(text: str) -> str:
    """Literal text as Pandoc markdown inline source, on one line."""
    text = " ".join(text.splitlines())
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
    text = " ".join(text.splitlines())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _link(link: Link, refs: set[int]) -> str:
    text = inlines(link.inlines, refs)
    url = safe_url(link.url)
    if url is None:
        return text
    return f"[{text}]({quote_url(url)})"


def _cite(cite: Cite, refs: set[int]) -> str:
    def number(n: int) -> str:
        return f"[{n}](#ref-{n})" if n in refs else str(n)

    groups = [number(a) if a == b else f"{number(a)}-{number(b)}" for a, b in cite_groups(cite.numbers)]
    return "^\\[" + ",".join(groups) + "\\]^"


INLINE: dict[type, Callable[[object, set[int]], str]] = {
    Text: lambda i, refs: escape(i.text),  # type: ignore[attr-defined]
    Strong: lambda i, refs: _wrap("**", inlines(i.inlines, refs)),  # type: ignore[attr-defined]
    Emph: lambda i, refs: _wrap("*", inlines(i.inlines, refs)),  # type: ignore[attr-defined]
    Code: lambda i, refs: _code(i.text),  # type: ignore[attr-defined]
    Link: lambda i, refs: _link(i, refs),  # type: ignore[arg-type]
    Cite: lambda i, refs: _cite(i, refs),  # type: ignore[arg-type]
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


def inlines(items: list[Inline], refs: set[int]) -> str:
    return "".join(INLINE[type(i)](i, refs) for i in _merge_code(items))


# --------------------------------------------------------------------------- blocks
def _paragraph(p: Paragraph, refs: set[int]) -> list[str]:
    text = inlines(p.inlines, refs).strip()
    return [guard_block_start(text)] if text else []


def _table(t: Table, refs: set[int], language: str) -> list[str]:
    width = max([len(t.header)] + [len(r) for r in t.rows])

    def row(cells: list[list[Inline]]) -> str:
        texts = [inlines(c, refs).strip() for c in cells] + [""] * (width - len(cells))
        return "| " + " | ".join(texts) + " |"

    label = table_label(language, t.number) if t.number is not None else ""
    caption = escape(" ".join(part for part in (label, t.caption) if part))
    lines = [f"Table: {caption}", ""] if caption else []
    lines += [row(t.header), "|" + "|".join(["---"] * width) + "|"]
    return lines + [row(r) for r in t.rows]


def _list(lb: ListBlock, refs: set[int], language: str) -> list[str]:
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
        body = blocks(item, refs, language, separator=not tight) or [""]
        if k and not tight:
            lines.append("")
        lines.append(marker.ljust(indent) + body[0])
        lines += [(" " * indent + line) if line else "" for line in body[1:]]
    return lines


def _quote(q: Quote, refs: set[int], language: str) -> list[str]:
    return [f"> {line}" if line else ">" for line in blocks(q.blocks, refs, language)]


def _code_block(c: CodeBlock) -> list[str]:
    longest = max((len(run) for run in re.findall(r"`{3,}", c.text)), default=0)
    fence = "`" * max(3, longest + 1)
    info = c.language if _LANGUAGE.match(c.language) else ""
    return [fence + info, *c.text.splitlines(), fence]


BLOCK: dict[type, Callable[[object, set[int], str], list[str]]] = {
    Paragraph: lambda b, refs, lang: _paragraph(b, refs),  # type: ignore[arg-type]
    Table: _table,  # type: ignore[dict-item]
    ListBlock: _list,  # type: ignore[dict-item]
    Quote: _quote,  # type: ignore[dict-item]
    CodeBlock: lambda b, refs, lang: _code_block(b),  # type: ignore[arg-type]
}


def blocks(items: list[Block], refs: set[int], language: str, separator: bool = True) -> list[str]:
    """Lines of the blocks, one blank line between blocks (none inside a tight list item)."""
    lines: list[str] = []
    for b in items:
        chunk = BLOCK[type(b)](b, refs, language)
        if chunk:
            lines += ([""] if lines and separator else []) + chunk
    return lines


# --------------------------------------------------------------------------- document
def _heading(level: int, text: str, attributes: str = "") -> str:
    suffix = f" {{{attributes}}}" if attributes else ""
    return "#" * min(level, 6) + " " + escape(text.strip()) + suffix


def _section(s: Section, refs: set[int], language: str) -> list[str]:
    lines = [_heading(s.level + 1, f"{s.number} {s.title}", "#" + s.anchor())]
    body = blocks(s.blocks, refs, language)
    if body:
        lines += [""] + body
    for child in s.sections:
        lines += [""] + _section(child, refs, language)
    return lines


def render(doc: Document, options: RenderOptions) -> Result[Output]:
    return Result(_render(doc, options))


def _render(doc: Document, options: RenderOptions) -> bytes:
    labels = doc.labels()
    references = [r for r in doc.references if r.cited]
    refs = {r.number for r in references}
    lines = [_heading(1, doc.title)]
    if doc.abstract or doc.keywords:
        lines += ["", _heading(2, labels["abstract"], "#abstract .unnumbered")]
        body = blocks(doc.abstract, refs, doc.language)
        lines += [""] + body if body else []
        if doc.keywords:
            words = escape(labels["kw_sep"].join(doc.keywords))
            lines += ["", f"**{escape(labels['keywords'])}**{escape(labels['sep'])}{words}"]
    for s in doc.sections:
        lines += [""] + _section(s, refs, doc.language)
    if references:
        lines += ["", _heading(2, labels["references"], "#references .unnumbered")]
        for r in references:
            lines += ["", f"[\\[{r.number}\\]]{{#{r.anchor()}}} {escape(r.text.strip())}"]
    return ("\n".join(lines) + "\n").encode("utf-8")
