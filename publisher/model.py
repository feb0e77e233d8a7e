"""The document model: plain typed data, the contract between stages and with a CMS.

Nothing here knows about DOCX, HTML or pandoc. Every class serialises to JSON through
`to_dict()` and back through `document_from_dict()`; `publisher/schema/document.schema.json`
describes the JSON and is validated in the tests. Bump SCHEMA_VERSION on any change.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal

SCHEMA_VERSION = "1.1"

Severity = Literal["info", "warning", "error"]


# --------------------------------------------------------------------------- inlines
@dataclass
class Text:
    type: ClassVar[str] = "text"
    text: str


@dataclass
class Strong:
    type: ClassVar[str] = "strong"
    inlines: list[Inline]


@dataclass
class Emph:
    type: ClassVar[str] = "emph"
    inlines: list[Inline]


@dataclass
class Code:
    type: ClassVar[str] = "code"
    text: str


@dataclass
class Link:
    """A hyperlink; the URL is always http(s) or mailto (the assembler refuses others)."""

    type: ClassVar[str] = "link"
    url: str
    inlines: list[Inline]


@dataclass
class Cite:
    """A citation group. Before numbering, `numbers` are supplied-list numbers; after the
    citation stage they are the final Vancouver numbers, sorted and unique."""

    type: ClassVar[str] = "cite"
    numbers: list[int]


Inline = Text | Strong | Emph | Code | Link | Cite
Cell = list[Inline]


# --------------------------------------------------------------------------- blocks
@dataclass
class Paragraph:
    type: ClassVar[str] = "paragraph"
    inlines: list[Inline]
    line: int | None = None  # first source line in the record, for reports


@dataclass
class Table:
    type: ClassVar[str] = "table"
    number: int | None
    caption: str
    header: list[Cell]
    rows: list[list[Cell]]
    line: int | None = None


@dataclass
class ListBlock:
    type: ClassVar[str] = "list"
    ordered: bool
    items: list[list[Block]]
    start: int = 1
    line: int | None = None


@dataclass
class Quote:
    type: ClassVar[str] = "quote"
    blocks: list[Block]
    line: int | None = None


@dataclass
class CodeBlock:
    type: ClassVar[str] = "code_block"
    text: str
    language: str = ""
    line: int | None = None


Block = Paragraph | Table | ListBlock | Quote | CodeBlock


# --------------------------------------------------------------------------- structure
@dataclass
class Section:
    number: str  # "2.1"
    title: str  # without its number
    level: int  # 1 = chapter
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    line: int | None = None

    def anchor(self) -> str:
        return "sec-" + self.number.replace(".", "-")


@dataclass
class Reference:
    number: int
    title: str
    date: str | None
    text: str  # the formatted entry, e.g. "Title. 2024-12-31."
    supplied: list[int]  # the supplied-list numbers this entry came from
    cited: bool = True
    raw: str = ""  # the supplied entry as it arrived (first of `supplied`)

    def anchor(self) -> str:
        return f"ref-{self.number}"


@dataclass
class Message:
    """One line of the report: what a stage changed in the author's text, and why."""

    rule: str
    severity: Severity
    line: int | None
    end_line: int | None
    excerpt: str
    message: str
    # the whole text a rule removed, when the excerpt would cut it (absent from the JSON when None)
    removed: str | None = field(default=None, metadata={"omit_none": True})


@dataclass
class Metadata:
    uuid: str | None = None
    received: str | None = None  # ISO 8601
    topic: str | None = None
    source: str | None = None  # the record's file name


@dataclass
class Document:
    title: str
    language: Literal["zh", "en"]
    metadata: Metadata = field(default_factory=Metadata)
    keywords: list[str] = field(default_factory=list)
    abstract: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    report: list[Message] = field(default_factory=list)
    schema: str = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)

    def walk_sections(self) -> list[Section]:
        """All sections, depth first, in reading order."""
        out: list[Section] = []

        def visit(sections: list[Section]) -> None:
            for s in sections:
                out.append(s)
                visit(s.sections)

        visit(self.sections)
        return out

    def tables(self) -> list[Table]:
        return [b for blocks in self.block_lists() for b in iter_blocks(blocks) if isinstance(b, Table)]

    def block_lists(self) -> list[list[Block]]:
        """The abstract, then every section's own blocks, in reading order."""
        return [self.abstract] + [s.blocks for s in self.walk_sections()]

    def labels(self) -> dict[str, str]:
        return LABELS[self.language]


LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "abstract": "摘要",
        "keywords": "关键词",
        "references": "参考文献",
        "table": "表",
        "contents": "目录",
        "missing": "（本章未生成）",
        "report": "处理报告",
        "sep": "：",
        "kw_sep": "；",
    },
    "en": {
        "abstract": "Abstract",
        "keywords": "Keywords",
        "references": "References",
        "table": "Table",
        "contents": "Contents",
        "missing": "(chapter not written)",
        "report": "Report",
        "sep": ": ",
        "kw_sep": "; ",
    },
}


def table_label(language: str, number: int | None) -> str:
    """`表1` for Chinese, `Table 1` for English."""
    word = LABELS[language]["table"]
    n = "" if number is None else str(number)
    return f"{word}{n}" if language == "zh" else f"{word} {n}".strip()


def iter_blocks(blocks: list[Block]) -> list[Block]:
    """Blocks in reading order, descending into lists and quotes."""
    out: list[Block] = []
    for b in blocks:
        out.append(b)
        if isinstance(b, ListBlock):
            for item in b.items:
                out.extend(iter_blocks(item))
        elif isinstance(b, Quote):
            out.extend(iter_blocks(b.blocks))
    return out


def inline_text(inlines: list[Inline]) -> str:
    """Plain text of inlines, citations left out."""
    parts: list[str] = []
    for i in inlines:
        if isinstance(i, Text | Code):
            parts.append(i.text)
        elif isinstance(i, Strong | Emph | Link):
            parts.append(inline_text(i.inlines))
    return "".join(parts)


def format_cite_numbers(numbers: list[int]) -> str:
    """`[1, 3, 4, 5]` -> `1,3-5`: ranges of three or more consecutive numbers collapse."""
    nums = sorted(set(numbers))
    groups: list[str] = []
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        if j - i >= 2:
            groups.append(f"{nums[i]}-{nums[j]}")
        else:
            groups.extend(str(n) for n in nums[i : j + 1])
        i = j + 1
    return ",".join(groups)


# --------------------------------------------------------------------------- JSON
def to_dict(obj: Any) -> Any:
    """Serialise model objects to JSON-ready data; typed nodes get their `type` first."""
    if isinstance(obj, list):
        return [to_dict(x) for x in obj]
    if hasattr(obj, "__dataclass_fields__"):
        out: dict[str, Any] = {}
        kind = getattr(type(obj), "type", None)
        if isinstance(kind, str):
            out["type"] = kind
        for f in fields(obj):
            value = getattr(obj, f.name)
            if value is None and f.metadata.get("omit_none"):
                continue
            out[f.name] = to_dict(value)
        return out
    return obj


_INLINES: dict[str, type] = {c.type: c for c in (Text, Strong, Emph, Code, Link, Cite)}
_BLOCKS: dict[str, type] = {c.type: c for c in (Paragraph, Table, ListBlock, Quote, CodeBlock)}


def inline_from_dict(d: dict[str, Any]) -> Inline:
    cls = _INLINES[d["type"]]
    kw = {k: v for k, v in d.items() if k != "type"}
    if "inlines" in kw:
        kw["inlines"] = [inline_from_dict(x) for x in kw["inlines"]]
    return cls(**kw)


def block_from_dict(d: dict[str, Any]) -> Block:
    cls = _BLOCKS[d["type"]]
    kw = {k: v for k, v in d.items() if k != "type"}
    if cls is Paragraph:
        kw["inlines"] = [inline_from_dict(x) for x in kw["inlines"]]
    elif cls is Table:
        kw["header"] = [[inline_from_dict(x) for x in cell] for cell in kw["header"]]
        kw["rows"] = [[[inline_from_dict(x) for x in cell] for cell in row] for row in kw["rows"]]
    elif cls is ListBlock:
        kw["items"] = [[block_from_dict(x) for x in item] for item in kw["items"]]
    elif cls is Quote:
        kw["blocks"] = [block_from_dict(x) for x in kw["blocks"]]
    return cls(**kw)


def section_from_dict(d: dict[str, Any]) -> Section:
    return Section(
        number=d["number"],
        title=d["title"],
        level=d["level"],
        blocks=[block_from_dict(b) for b in d.get("blocks", [])],
        sections=[section_from_dict(s) for s in d.get("sections", [])],
        line=d.get("line"),
    )


def document_from_dict(d: dict[str, Any]) -> Document:
    return Document(
        schema=d.get("schema", SCHEMA_VERSION),
        title=d["title"],
        language=d["language"],
        metadata=Metadata(**d.get("metadata", {})),
        keywords=list(d.get("keywords", [])),
        abstract=[block_from_dict(b) for b in d.get("abstract", [])],
        sections=[section_from_dict(s) for s in d.get("sections", [])],
        references=[Reference(**r) for r in d.get("references", [])],
        report=[Message(**m) for m in d.get("report", [])],
    )
