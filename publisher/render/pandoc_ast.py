"""The document model as pandoc's JSON AST, built node by node (never through markdown text).

Every string from the record lands in a `Str` node, so no writer pandoc drives can be made
to emit raw markup: there is no RawInline or RawBlock anywhere in what this module builds.
The writers that go through pandoc (docx, pdf via typst, jats, sphinx) share it; `target`
picks the few choices that differ between them (see TARGETS).

What the AST carries, whatever the target:
- headings: `Header` with the model's number in the text ("2.1 标题", number in a Span of
  class `section-number`), id = `Section.anchor()`, class `unnumbered` so that no writer
  numbers them a second time;
- citations: `Superscript` holding "[", one `Link` to `#ref-N` per number, "," between
  them, and "]"; a range `13-15` is three links: 13, the dash (to 14, the first entry
  inside, so that every entry is reachable) and 15 (JATS: one link that jats.py points at
  every entry of the range); a WORD JOINER before it where text is laid out, so that it
  never starts a line; in a table cell the brackets stay on the line, at body size;
- table references (docx): "表1"/"Table 1" in running text as a Span `table-ref` that
  docx_post makes a REF field to the caption;
- tables: caption "表1　标题" / "Table 1 Title" (number in a Span of class `table-number`),
  id `tab-N`;
- references: a level-1 `unnumbered` heading (参考文献/References, id `references`) and a
  Div `refs` with one paragraph per entry: Span id `ref-N` holding "[N]", then the text;
- metadata: title, lang, keywords, subject (topic), date (received), abstract per target.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    Reference,
    Section,
    Strong,
    Table,
    Text,
    format_cite_numbers,
    inline_text,
)
from publisher.render import RenderOptions
from publisher.render.cite_groups import attach_citations, cite_groups
from publisher.render.columns import column_shares
from publisher.render.notes import Notes, clean_text
from publisher.render.pandoc_run import pandoc_api_version
from publisher.tables.captions import TABLE_REF_RE
from publisher.text import LANG_TAGS

Node = dict[str, Any]

# Names of the styles the docx target asks for through pandoc's `custom-style` attribute;
# templates/reference.docx defines each of them.
STYLE_ABSTRACT = "Abstract"
STYLE_KEYWORDS = "Keywords"
STYLE_BIBLIOGRAPHY = "Bibliography"
STYLE_TABLE_NUMBER = "Table Number"
STYLE_TABLE_REFERENCE = "Table Reference"
WORD_JOINER = "\u2060"

MAX_HEADING_LEVEL = 6


@dataclass(frozen=True)
class Target:
    """What differs between the writers that share this AST."""

    custom_styles: bool = False  # docx: name paragraph/character styles via custom-style
    front_in_body: bool = True  # abstract and keywords as labelled body paragraphs
    abstract_in_meta: bool = False  # abstract as metadata (JATS puts it in <front>)
    date_in_meta: bool = True  # docx would print the date under the title; it goes to docProps
    ref_separator: str = " "  # between "[N]" and the entry; docx tabs to the hanging indent
    laid_out: bool = False  # docx, pdf: a word joiner keeps each citation with its word
    range_links: bool = True  # a range as three links; JATS wants one (jats.py lists its entries)
    table_refs: bool = False  # docx: "表1" in the text becomes a cross-reference field
    column_widths: bool = True  # sphinx: none (docutils refuses the 0 % a narrow column rounds to)


TARGETS: dict[str, Target] = {
    "docx": Target(custom_styles=True, date_in_meta=False, ref_separator="\t", laid_out=True, table_refs=True),
    "pdf": Target(laid_out=True),
    "jats": Target(front_in_body=False, abstract_in_meta=True, range_links=False),
    "sphinx": Target(column_widths=False),
}
DEFAULT_TARGET = Target()

# ASCII whitespace separates words; U+3000 and NBSP are characters the author typed.
_WHITESPACE = re.compile(r"([ \t\r\n]+)")


# --------------------------------------------------------------------------- nodes
def node(kind: str, content: Any = None) -> Node:
    return {"t": kind} if content is None else {"t": kind, "c": content}


def attr(
    ident: str = "", classes: tuple[str, ...] = (), pairs: tuple[tuple[str, str], ...] = ()
) -> list[Any]:
    return [ident, list(classes), [list(p) for p in pairs]]


def words(text: str) -> list[Node]:
    """Text as Str/Space/SoftBreak nodes, the way pandoc's own readers split it."""
    out: list[Node] = []
    # re.split with a group alternates word, separator, word...: odd indices are whitespace.
    for k, piece in enumerate(_WHITESPACE.split(clean_text(text))):
        if k % 2:
            out.append(node("SoftBreak" if "\n" in piece else "Space"))
        elif piece:
            out.append(node("Str", piece))
    return out


def meta_inlines(text: str) -> Node:
    return node("MetaInlines", words(text))


# --------------------------------------------------------------------------- builder
class AstBuilder:
    def __init__(self, doc: Document, options: RenderOptions, target: Target, notes: Notes):
        self.doc = doc
        self.options = options
        self.target = target
        self.notes = notes
        self.labels = doc.labels()
        self.in_cell = False
        self.tables = {t.number for t in doc.tables() if t.number is not None}
        self.inline_rules: dict[type, Callable[[Any], list[Node]]] = {
            Text: self.text,
            Strong: lambda i: [node("Strong", self.inlines(i.inlines))],
            Emph: lambda i: [node("Emph", self.inlines(i.inlines))],
            Code: lambda i: [node("Code", [attr(), clean_text(i.text)])],
            Link: self.link,
            Cite: self.cite,
        }
        self.block_rules: dict[type, Callable[[Any], list[Node]]] = {
            Paragraph: lambda b: [node("Para", self.inlines(b.inlines))],
            Table: self.table,
            ListBlock: self.list_block,
            Quote: lambda b: [node("BlockQuote", self.blocks(b.blocks))],
            CodeBlock: self.code_block,
        }

    def styled(self, style: str) -> tuple[tuple[str, str], ...]:
        return (("custom-style", style),) if self.target.custom_styles else ()

    # ---------------------------------------------------------------- inlines
    def link(self, i: Link) -> list[dict[str, Any]]:
        """A link only to http(s)/mailto; anything else keeps its text and loses the link."""
        url = self.notes.link_target(i.url, inline_text(i.inlines))
        if url is None:
            return self.inlines(i.inlines)
        return [node("Link", [attr(), self.inlines(i.inlines), [clean_text(url), ""]])]

    def text(self, i: Text) -> list[Node]:
        if not (self.target.table_refs and self.tables and TABLE_REF_RE.search(i.text)):
            return words(i.text)
        out: list[Node] = []
        pos = 0
        for m in TABLE_REF_RE.finditer(i.text):
            number = m.group(2) or m.group(4)
            if not number.isdigit() or int(number) not in self.tables:
                continue
            out += [*words(i.text[pos : m.start()]), self.table_ref(m.group(0), int(number))]
            pos = m.end()
        return out + words(i.text[pos:])

    def table_ref(self, text: str, number: int) -> Node:
        pairs = (*self.styled(STYLE_TABLE_REFERENCE), ("table", str(number)))
        return node("Span", [attr("", ("table-ref",), pairs), words(text)])

    def inlines(self, inlines: list[Inline]) -> list[Node]:
        return [n for i in attach_citations(inlines) for n in self.inline_rules[type(i)](i)]

    def cite(self, cite: Cite) -> list[Node]:
        if not format_cite_numbers(cite.numbers):
            return []

        def link(text: str, number: int) -> Node:
            return node("Link", [attr("", ("cite",)), [node("Str", text)], [f"#ref-{number}", ""]])

        inside: list[Node] = [node("Str", "[")]
        for k, (first, last) in enumerate(cite_groups(cite.numbers)):
            if k:
                inside.append(node("Str", ","))
            if first == last:
                inside.append(link(str(first), first))
            elif self.target.range_links:
                inside += [link(str(first), first), link("-", first + 1), link(str(last), last)]
            else:
                inside.append(link(f"{first}-{last}", first))
        inside.append(node("Str", "]"))
        joiner = [node("Str", WORD_JOINER)] if self.target.laid_out else []
        if self.in_cell:
            return [*joiner, *inside]  # in a table cell: on the line, at body size
        return [*joiner, node("Superscript", inside)]

    # ---------------------------------------------------------------- blocks
    def blocks(self, blocks: list[Block]) -> list[Node]:
        return [n for b in blocks for n in self.block_rules[type(b)](b)]

    def code_block(self, block: CodeBlock) -> list[Node]:
        language = re.sub(r"[^A-Za-z0-9_+-]", "", block.language)
        return [node("CodeBlock", [attr("", (language,) if language else ()), clean_text(block.text)])]

    def list_block(self, block: ListBlock) -> list[Node]:
        items = [self.list_item(item) for item in block.items]
        if block.ordered:
            style = [block.start, node("Decimal"), node("Period")]
            return [node("OrderedList", [style, items])]
        return [node("BulletList", items)]

    def list_item(self, item: list[Block]) -> list[Node]:
        # One paragraph per item makes a tight list (Plain), as pandoc's readers do.
        out = self.blocks(item)
        if sum(isinstance(b, Paragraph) for b in item) == 1:
            out = [node("Plain", n["c"]) if n["t"] == "Para" else n for n in out]
        return out

    def table(self, table: Table) -> list[Node]:
        width = max([len(table.header), *(len(r) for r in table.rows)], default=0)
        if width == 0:
            return []

        def row(cells: list[list[Inline]]) -> list[Any]:
            padded = list(cells) + [[] for _ in range(width - len(cells))]
            return [attr(), [[attr(), node("AlignDefault"), 1, 1, self.cell(c)] for c in padded]]

        head = [row(table.header)] if table.header else []
        body = [attr(), 0, [], [row(r) for r in table.rows]]
        if self.target.column_widths:
            colspecs = [[node("AlignDefault"), node("ColWidth", share)] for share in column_shares(table, width)]
        else:
            colspecs = [[node("AlignDefault"), node("ColWidthDefault")] for _ in range(width)]
        caption = [None, [node("Plain", self.caption(table))]]
        ident = f"tab-{table.number}" if table.number is not None else ""
        return [node("Table", [attr(ident), caption, colspecs, [attr(), head], [body], [attr(), []]])]

    def cell(self, inlines: list[Inline]) -> list[Node]:
        self.in_cell = True
        try:
            content = self.inlines(inlines)
        finally:
            self.in_cell = False
        return [node("Plain", content)] if content else []

    def caption(self, table: Table) -> list[Node]:
        """`表1　标题` / `Table 1 Title`: the number in its own Span so docx can make it a field."""
        if table.number is None:
            return words(table.caption)
        zh = self.doc.language == "zh"
        number = node(
            "Span",
            [attr("", ("table-number",), self.styled(STYLE_TABLE_NUMBER)), [node("Str", str(table.number))]],
        )
        label = [node("Str", self.labels["table"]), *([] if zh else [node("Space")]), number]
        if not table.caption.strip():
            return label
        separator = node("Str", "\u3000") if zh else node("Space")
        return [*label, separator, *words(table.caption)]

    # ---------------------------------------------------------------- document
    def heading(self, level: int, ident: str, number: str, title: str) -> Node:
        text = words(title)
        if number:
            text = [
                node("Span", [attr("", ("section-number",)), [node("Str", clean_text(number))]]),
                node("Space"),
                *text,
            ]
        level = min(max(level, 1), MAX_HEADING_LEVEL)  # deeper levels read as level 6
        return node("Header", [level, attr(ident, ("unnumbered",)), text])

    def front(self) -> list[Node]:
        """Abstract and keywords as labelled paragraphs: 【摘要：…】 【关键词：a；b】."""
        out: list[Node] = []
        labels = self.labels
        if self.doc.abstract:
            body = self.blocks(self.doc.abstract)
            label = node("Strong", words(labels["abstract"] + labels["sep"]))
            if body and body[0]["t"] == "Para":
                body[0] = node("Para", [label, *body[0]["c"]])
            else:
                body.insert(0, node("Para", [label]))
            out.append(node("Div", [attr("abstract", ("abstract",), self.styled(STYLE_ABSTRACT)), body]))
        if self.doc.keywords:
            label = node("Strong", words(labels["keywords"] + labels["sep"]))
            keywords = words(labels["kw_sep"].join(self.doc.keywords))
            para = node("Para", [label, *keywords])
            out.append(node("Div", [attr("keywords", ("keywords",), self.styled(STYLE_KEYWORDS)), [para]]))
        return out

    def sections(self) -> list[Node]:
        return [n for s in self.doc.walk_sections() for n in self.section(s)]

    def section(self, s: Section) -> list[Node]:
        return [self.heading(s.level, s.anchor(), s.number, s.title), *self.blocks(s.blocks)]

    def references(self) -> list[Node]:
        refs = [r for r in self.doc.references if r.cited]
        if not refs:
            return []
        entries = [node("Para", self.reference_entry(r)) for r in refs]
        return [
            self.references_heading(),
            node("Div", [attr("refs", ("references",), self.styled(STYLE_BIBLIOGRAPHY)), entries]),
        ]

    def references_heading(self) -> Node:
        return node("Header", [1, attr("references", ("unnumbered",)), words(self.labels["references"])])

    def reference_entry(self, r: Reference) -> list[Node]:
        """`[N]`, the gap, the entry's text."""
        mark = node("Span", [attr(r.anchor(), ("ref-label",)), [node("Str", f"[{r.number}]")]])
        gap = node("Str", self.target.ref_separator) if self.target.ref_separator != " " else node("Space")
        return [mark, gap, *words(r.text)]

    def meta(self) -> dict[str, Node]:
        doc = self.doc
        meta: dict[str, Node] = {
            "title": meta_inlines(doc.title),
            "lang": node("MetaString", LANG_TAGS[doc.language]),
        }
        if doc.keywords:
            meta["keywords"] = node("MetaList", [meta_inlines(k) for k in doc.keywords])
        if doc.metadata.topic:
            meta["subject"] = meta_inlines(doc.metadata.topic)
        if self.target.date_in_meta and doc.metadata.received:
            meta["date"] = meta_inlines(doc.metadata.received[:10])
        if self.target.abstract_in_meta and doc.abstract:
            meta["abstract"] = node("MetaBlocks", self.blocks(doc.abstract))
        return meta

    def body(self) -> list[Node]:
        front = self.front() if self.target.front_in_body else []
        return [*front, *self.sections(), *self.references()]

    def document(self) -> dict[str, Any]:
        return {"pandoc-api-version": pandoc_api_version(), "meta": self.meta(), "blocks": self.body()}


def to_pandoc(doc: Document, options: RenderOptions, target: str, notes: Notes | None = None) -> dict[str, Any]:
    """The document as a pandoc JSON AST for the writer `target` ("docx", "jats", ...);
    what it cannot carry (a link target it refuses) goes to `notes`."""
    return AstBuilder(doc, options, TARGETS.get(target, DEFAULT_TARGET), notes or Notes(target)).document()
