"""HTML the model wrote, read as the structure it means and written back as our markdown.

Parsed with the standard library's `html.parser` (tolerant of unclosed and misnested tags).
What each element becomes is a lookup table: headings `<h1>`…`<h6>` -> `#`…`######`;
`<p>`, `<div>` and other containers -> paragraphs; `<br>` -> a line break (a space in a table
cell); `<b>`/`<strong>` -> `**`, `<i>`/`<em>` -> `*`, `<code>` -> backticks, `<a href>` -> a
link; `<ul>`/`<ol>`/`<li>` -> list items; `<blockquote>` -> `> `; `<pre>` -> a code fence;
`<table>` with `<caption>`, `<thead>`, `<th>`, `<td>` -> a caption line above a pipe table
whose first row is the header (a caption without a label gets `表X` / `Table X:`, the tables
stage numbers it);
`<hr>`, `<img>` and comments are dropped. `<sub>` becomes Unicode subscripts where every
character has one.

`<sup>…</sup>` is left exactly as written (tags and content): the inline layer reads it,
as a citation or as a superscript, by its context. That is the interface with the citation
grammar (`publisher.markdown.notation`); nothing here decides what a superscript number is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from publisher.markdown.lexer import CAPTION_LINE_RE
from publisher.source import SourceLine
from publisher.text import IDEOGRAPH_RE

# Block-level elements: a line that starts with one of these opens an HTML block.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "center", "details", "dd", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
})
_PARAGRAPH_TAGS = frozenset({
    "address", "article", "aside", "center", "details", "div", "dl", "dd", "dt", "figure", "figcaption",
    "footer", "header", "main", "nav", "p", "section", "summary",
})
_EMPHASIS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
_DROPPED = frozenset({"hr", "img", "script", "style", "head", "title", "meta", "link"})
_SUBSCRIPTS = str.maketrans("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_SPACE_RE = re.compile(r"\s+")


@dataclass
class _Table:
    line: int
    caption: str = ""
    rows: list[list[str]] = field(default_factory=list)
    row_lines: list[int] = field(default_factory=list)


class _Converter(HTMLParser):
    def __init__(self, numbers: list[int]) -> None:
        super().__init__(convert_charrefs=True)
        self.numbers = numbers  # source line number of each fed line
        self.out: list[SourceLine] = []
        self.buffer: list[str] = []  # inline text of the block being read
        self.prefix = ""  # "## ", "- ", "> " …
        self.block_line = numbers[0]
        self.lists: list[str] = []  # "ul" / "ol" per open list
        self.counters: list[int] = []
        self.quote = 0
        self.table: _Table | None = None
        self.cell: list[str] | None = None
        self.caption: list[str] | None = None
        self.pre = False
        self.sub: list[str] | None = None
        self.skip = 0
        self.href = ""
        self.dropped: list[str] = []

    # ------------------------------------------------------------------ output
    def _no(self) -> int:
        return self.numbers[min(self.getpos()[0], len(self.numbers)) - 1]

    def _text(self, text: str) -> None:
        if self.sub is not None:
            self.sub.append(text)
        elif self.caption is not None:
            self.caption.append(text)
        elif self.cell is not None:
            self.cell.append(text)
        else:
            if not self.buffer:
                self.block_line = self._no()
            self.buffer.append(text)

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        if self.pre:
            lines = text.strip("\n").split("\n")
        else:
            lines = [_SPACE_RE.sub(" ", part).strip() for part in text.split("\n")]
        lines = [ln for ln in lines if ln.strip()]
        if not lines:
            return
        quote = "> " * self.quote
        self._blank()
        for k, ln in enumerate(lines):
            lead = self.prefix if k == 0 else " " * len(self.prefix) if self.lists else ""
            self.out.append(SourceLine(self.block_line, quote + lead + ln))
        self._blank()
        if self.prefix.startswith("#"):
            self.prefix = ""

    def _blank(self) -> None:
        if self.out and self.out[-1].text.strip() and not self.lists:
            self.out.append(SourceLine(self.out[-1].no, ""))

    # ------------------------------------------------------------------ tags
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip or tag in _DROPPED:
            self.skip += tag in ("script", "style", "head", "title")
            self.dropped.append(tag)
            return
        if tag == "sup":
            self._text("<sup>")
        elif tag == "sub":
            self.sub = []
        elif tag in _EMPHASIS:
            self._text(_EMPHASIS[tag])
        elif tag == "a":
            self._text("[")
            self.href = dict(attrs).get("href") or ""
        elif tag == "br":
            self._text(" " if self.cell is not None or self.caption is not None else "\n")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.flush()
            self.prefix = "#" * int(tag[1]) + " "
        elif tag in ("ul", "ol"):
            self.flush()
            self.lists.append(tag)
            self.counters.append(0)
        elif tag == "li":
            self.flush()
            # a nested item is indented to the text of the item it is in (CommonMark)
            indent = " " * sum(3 if kind == "ol" else 2 for kind in self.lists[:-1])
            if self.lists and self.lists[-1] == "ol":
                self.counters[-1] += 1
                self.prefix = indent + f"{self.counters[-1]}. "
            else:
                self.prefix = indent + "- "
        elif tag == "blockquote":
            self.flush()
            self.quote += 1
        elif tag == "pre":
            self.flush()
            self.pre = True
        elif tag == "table":
            self.flush()
            self.table = _Table(self._no())
        elif tag == "caption":
            self.caption = []
        elif tag == "tr" and self.table is not None:
            self.table.rows.append([])
            self.table.row_lines.append(self._no())
        elif tag in ("td", "th") and self.table is not None:
            if not self.table.rows:
                self.table.rows.append([])
                self.table.row_lines.append(self._no())
            self.cell = []
        elif tag in _PARAGRAPH_TAGS:
            self.flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "img"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= tag in ("script", "style", "head", "title")
            return
        if tag == "sup":
            self._text("</sup>")
        elif tag == "sub" and self.sub is not None:
            text, self.sub = "".join(self.sub), None
            self._text(subscript(text))
        elif tag in _EMPHASIS:
            self._text(_EMPHASIS[tag])
        elif tag == "a":
            href, self.href = self.href, ""
            self._text(f"]({href})" if href else "]")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.flush()
            self.prefix = ""
        elif tag in ("ul", "ol") and self.lists:
            self.flush()
            self.lists.pop()
            self.counters.pop()
            self.prefix = ""
            self._blank()
        elif tag == "li":
            self.flush()
        elif tag == "blockquote" and self.quote:
            self.flush()
            self.quote -= 1
        elif tag == "pre" and self.pre:
            self.buffer = ["```\n", *self.buffer, "\n```"]
            self.flush()
            self.pre = False
        elif tag == "caption" and self.caption is not None and self.table is not None:
            self.table.caption = _SPACE_RE.sub(" ", "".join(self.caption)).strip()
            self.caption = None
        elif tag in ("td", "th") and self.cell is not None and self.table is not None:
            self.table.rows[-1].append(_SPACE_RE.sub(" ", "".join(self.cell)).strip().replace("|", "\\|"))
            self.cell = None
        elif tag == "table" and self.table is not None:
            self._write_table(self.table)
            self.table = None
        elif tag in _PARAGRAPH_TAGS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self._text(data if self.pre else data.replace("\n", " "))

    def handle_comment(self, data: str) -> None:
        self.dropped.append("comment")

    def unknown_decl(self, data: str) -> None:
        self.dropped.append("declaration")

    # ------------------------------------------------------------------ tables
    def _write_table(self, table: _Table) -> None:
        rows = [(no, r) for no, r in zip(table.row_lines, table.rows, strict=True) if any(c.strip() for c in r)]
        self.cell = None
        if not rows:
            return
        self.flush()
        self._blank()
        if table.caption:
            self.out.append(SourceLine(table.line, caption_line(table.caption)))
        width = max(len(r) for _, r in rows)
        (head_no, header), body = rows[0], rows[1:]
        self.out.append(SourceLine(head_no, "| " + " | ".join(header) + " |"))
        self.out.append(SourceLine(head_no, "|" + "---|" * max(width, 1)))
        for no, r in body:
            self.out.append(SourceLine(no, "| " + " | ".join(r) + " |"))
        self.out.append(SourceLine(rows[-1][0], ""))

    def finish(self) -> list[SourceLine]:
        self.close()
        if self.table is not None:  # never closed: what was read is still a table
            if self.cell is not None and self.table.rows:
                self.table.rows[-1].append("".join(self.cell).strip())
            self._write_table(self.table)
        self.flush()
        while self.out and not self.out[-1].text.strip():
            self.out.pop()
        return self.out


def caption_line(caption: str) -> str:
    """A table caption as the tables stage reads captions: with a 表X / Table X label."""
    if CAPTION_LINE_RE.match(caption):
        return caption
    return f"表X {caption}" if IDEOGRAPH_RE.search(caption) else f"Table X: {caption}"


def subscript(text: str) -> str:
    """Text in Unicode subscript characters when every character has one; else as it is."""
    sub = text.translate(_SUBSCRIPTS)
    return sub if all(s != o for s, o in zip(sub, text, strict=True) if o.isalnum()) else text


def html_to_markdown(lines: list[SourceLine]) -> tuple[list[SourceLine], list[str]]:
    """The markdown lines an HTML block means, each with the line number where its element
    started; and the names of what was dropped (comments, images, rules)."""
    conv = _Converter([ln.no for ln in lines])
    conv.feed("\n".join(ln.text for ln in lines))
    out = conv.finish()
    return out, conv.dropped
