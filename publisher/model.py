"""The document model: plain typed data, the contract between stages and with a CMS.

Nothing here knows about DOCX, HTML or pandoc. Every class serialises to JSON through
`to_dict()` and back through `publisher.schema.document_from_dict()`, which validates what
it loads. The JSON Schema (`publisher/schema/document.schema.json`) is generated from these
classes (`python -m publisher.schema`): their type hints, and the `Rule` annotations below for
what a type alone cannot say. Constructing a node checks its enumerations and minimums at
once (`ModelError`); loading checks everything. Bump SCHEMA_VERSION on any change.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Annotated, Any, ClassVar, Literal

from publisher.model_checks import Rule, check_fields, check_value, field_types, rules_of

__all__ = ["Rule", "check_fields", "check_value", "field_types", "rules_of"]  # the checks, re-exported

SCHEMA_VERSION = "1.3"


Severity = Literal["info", "warning", "error"]
Language = Literal["zh", "en"]
Positive = Annotated[int, Rule(minimum=1)]
Line = Annotated[int | None, Rule(minimum=0, description="source line in the record (1-based); 0 or null: none")]


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
    url: Annotated[str, Rule(pattern="^(https?://|mailto:)")]
    inlines: list[Inline]

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass
class Cite:
    """A citation group. Before numbering, `numbers` are supplied-list numbers; after the
    citation stage they are the final Vancouver numbers, sorted and unique."""

    type: ClassVar[str] = "cite"
    numbers: Annotated[list[Positive], Rule(min_items=1)]

    def __post_init__(self) -> None:
        check_fields(self)


Inline = Text | Strong | Emph | Code | Link | Cite
Cell = list[Inline]


# --------------------------------------------------------------------------- blocks
@dataclass
class Paragraph:
    type: ClassVar[str] = "paragraph"
    inlines: list[Inline]
    line: Line = None  # first source line in the record, for reports


@dataclass
class Table:
    type: ClassVar[str] = "table"
    number: Annotated[int | None, Rule(minimum=1, description="null until the tables stage numbers it")]
    caption: str
    header: list[Cell]
    rows: list[list[Cell]]
    line: Line = None

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass
class ListBlock:
    type: ClassVar[str] = "list"
    ordered: bool
    items: list[list[Block]]
    start: Annotated[int, Rule(minimum=0)] = 1
    line: Line = None

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass
class Quote:
    type: ClassVar[str] = "quote"
    blocks: list[Block]
    line: Line = None


@dataclass
class CodeBlock:
    type: ClassVar[str] = "code_block"
    text: str
    language: str = ""
    line: Line = None


Block = Paragraph | Table | ListBlock | Quote | CodeBlock


# --------------------------------------------------------------------------- structure
@dataclass
class Section:
    number: Annotated[str, Rule(pattern=r"^(\d+(\.\d+)*)?$", description="\"2.1\"; empty before numbering")]
    title: str  # without its number
    level: Positive  # 1 = chapter
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    line: Line = None

    def __post_init__(self) -> None:
        check_fields(self)

    def anchor(self) -> str:
        return "sec-" + self.number.replace(".", "-")


# A field that a CSL JSON item names otherwise (`container-title`), or leaves out when empty.
def csl_field(json: str | None = None, default: Any = None) -> Any:
    meta = {"json": json, "optional": True} if json else {"optional": True}
    return field(default_factory=list, metadata=meta) if default == [] else field(default=default, metadata=meta)


@dataclass
class CslName:
    """A CSL name: family and given as the entry writes them, or one literal (an institution)."""

    family: str | None = csl_field()
    given: str | None = csl_field()
    literal: str | None = csl_field()


@dataclass
class CslDate:
    date_parts: Annotated[list[list[int]], Rule(min_items=1)] = field(metadata={"json": "date-parts"})


CslType = Literal["document", "article-journal", "book", "chapter", "paper-conference", "report", "thesis",
                  "webpage", "article-newspaper", "standard", "patent", "dataset"]


@dataclass
class CslItem:
    """One reference as a CSL JSON item (citeproc, Zotero): only what the supplied entry holds,
    parsed from it (publisher/cite/fields.py), never invented."""

    id: str
    type: CslType
    title: str
    issued: CslDate | None = csl_field()
    author: list[CslName] = csl_field(default=[])
    container_title: str | None = csl_field("container-title")
    publisher: str | None = csl_field()
    publisher_place: str | None = csl_field("publisher-place")
    volume: str | None = csl_field()
    issue: str | None = csl_field()
    page: str | None = csl_field()
    URL: str | None = csl_field()  # noqa: N815 (CSL's own spelling)
    DOI: str | None = csl_field()  # noqa: N815
    language: str | None = csl_field()  # "zh-CN" for an entry in Chinese, else "en-US"

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass
class Reference:
    number: Positive
    title: str
    date: str | None
    text: str  # the formatted entry, e.g. "Title. 2024-12-31."
    supplied: Annotated[list[Positive], Rule(min_items=1)]  # the supplied-list numbers this entry came from
    cited: bool = True
    raw: str = ""  # the supplied entry as it arrived (first of `supplied`)
    csl: Annotated[CslItem | None, Rule(description="the entry as a CSL JSON item (null in documents before 1.2)")] = None

    def __post_init__(self) -> None:
        check_fields(self)

    def anchor(self) -> str:
        return f"ref-{self.number}"


@dataclass
class Message:
    """One line of the report: what a stage changed in the author's text, and why."""

    rule: str
    severity: Severity
    line: Line
    end_line: Line
    excerpt: str
    message: str
    removed: Annotated[str | None, Rule(description="the whole text the rule took out (the excerpt may be cut "
                                             "short); null when it removed nothing or did not say")] = None
    kept_before: Annotated[str | None, Rule(description="for a removal inside a line that stays: the kept text just "
                                                 "before it on that line (its last 80 characters; \"\" at the "
                                                 "line's start); null when whole lines went")] = None
    anchor_line: Annotated[int | None, Rule(minimum=1, description="the source line of the published chapter this "
                                                 "line is about when that is not `line` (the copy kept of a "
                                                 "duplicate chapter, the chapter after one never written)")] = None

    message_en: Annotated[str | None, Rule(description="the message in English when `message` is in another "
                                                "language (the document's)")] = csl_field()
    msgid: Annotated[str | None, Rule(description="the catalogue id the message was made from (its English "
                                           "template, `{name}` for each argument)")] = csl_field()
    msgid_plural: str | None = csl_field()  # the plural template; the argument `n` chooses the form
    args: list[MessageArg] = csl_field(default=[])
    chapter: Annotated[str | None, Rule(description="the published chapter the change is in: its number "
                                             "(\"3\")")] = csl_field()
    chapter_title: str | None = csl_field()
    paragraph: Annotated[int | None, Rule(minimum=1, description="the paragraph of that chapter (1-based; the one "
                                               "the change is in, or the last before it)")] = csl_field()

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass
class MessageArg:
    """One argument of a report message's template: a text shown as written (a title, a
    quoted sentence), a number formatted for the reader's locale, or terms (catalogue ids,
    each translated, joined as a list in the reader's language)."""

    name: str
    text: str | None = csl_field()
    number: int | None = csl_field()
    terms: list[str] = csl_field(default=[])


@dataclass
class Metadata:
    uuid: str | None = None
    received: Annotated[str | None, Rule(description="ISO 8601")] = None
    topic: str | None = None
    source: str | None = None  # the record's file name


@dataclass
class Document:
    title: str
    language: Language
    metadata: Metadata = field(default_factory=Metadata)
    keywords: list[str] = field(default_factory=list)
    abstract: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    report: list[Message] = field(default_factory=list)
    schema: str = SCHEMA_VERSION

    def __post_init__(self) -> None:
        check_fields(self)

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
            if f.metadata.get("optional") and value in (None, []):
                continue
            out[f.metadata.get("json") or f.name] = to_dict(value)
        return out
    return obj
