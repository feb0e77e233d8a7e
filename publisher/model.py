"""The document model: plain typed data, the contract between stages and with a CMS.

Nothing here knows about DOCX, HTML or pandoc. Every class serialises to JSON through
`to_dict()` and back through `publisher.schema.document_from_dict()`, which validates what
it loads. The JSON Schema (`publisher/schema/document.schema.json`) is generated from these
classes (`python -m publisher.schema`): their type hints, and the `Rule` annotations below for
what a type alone cannot say. Constructing a node checks its enumerations and minimums at
once (`ModelError`); loading checks everything. Bump SCHEMA_VERSION on any change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Annotated, Any, ClassVar, Literal, get_args, get_origin, get_type_hints

from publisher.errors import ModelError

SCHEMA_VERSION = "1.1"


@dataclass(frozen=True)
class Rule:
    """What a field's type alone cannot say, for the schema and for validation."""

    minimum: int | None = None
    min_items: int | None = None
    pattern: str | None = None
    description: str | None = None


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


@dataclass
class Reference:
    number: Positive
    title: str
    date: str | None
    text: str  # the formatted entry, e.g. "Title. 2024-12-31."
    supplied: Annotated[list[Positive], Rule(min_items=1)]  # the supplied-list numbers this entry came from
    cited: bool = True
    raw: str = ""  # the supplied entry as it arrived (first of `supplied`)

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

    def __post_init__(self) -> None:
        check_fields(self)


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
            out[f.name] = to_dict(getattr(obj, f.name))
        return out
    return obj


# --------------------------------------------------------------------------- validation
_CHECKS: dict[type, list[tuple[str, Any]]] = {}  # class -> (field, checker)


def field_types(cls: type) -> dict[str, Any]:
    """The type hints of a model class's fields, with their `Rule` annotations."""
    hints = get_type_hints(cls, include_extras=True)
    return {f.name: hints[f.name] for f in fields(cls)}


def rules_of(hint: Any) -> tuple[Any, list[Rule]]:
    """(the bare type, its Rules) of an annotated type hint."""
    rules: list[Rule] = []
    while get_origin(hint) is Annotated:
        hint, *extra = get_args(hint)
        rules.extend(r for r in extra if isinstance(r, Rule))
    return hint, rules


# A compiled check: None when the value is fine, else "<path below the value>: <what is wrong>".
Checker = Callable[[Any], str | None]
_COMPILED: dict[Any, Checker | None] = {}


def check_value(value: Any, hint: Any, where: str) -> None:
    """Enumerations, minimums and item counts of one value (not its nested nodes' fields)."""
    checker = _checker(hint)
    fault = checker(value) if checker is not None else None
    if fault is not None:
        raise ModelError(where + fault)


def _checker(hint: Any) -> Checker | None:
    """One compiled check per type hint (None: nothing to check), so construction stays cheap."""
    if hint in _COMPILED:
        return _COMPILED[hint]
    bare, rules = rules_of(hint)
    parts: list[Checker] = []
    if get_origin(bare) is Literal:
        allowed = get_args(bare)
        names = ", ".join(repr(a) for a in allowed)
        parts.append(lambda v: None if v in allowed else f": {v!r} is not one of {names}")
    for rule in rules:
        if rule.minimum is not None:
            low = rule.minimum
            parts.append(lambda v, low=low: f": {v} is below the minimum {low}"  # type: ignore[misc]
                         if isinstance(v, int) and v < low else None)
        if rule.min_items is not None:
            count = rule.min_items
            parts.append(lambda v, count=count: f": needs at least {count} item(s)"  # type: ignore[misc]
                         if isinstance(v, list) and len(v) < count else None)
    if get_origin(bare) is list:
        item = _checker(get_args(bare)[0])
        if item is not None:
            parts.append(lambda v, item=item: _first_item_fault(v, item))  # type: ignore[misc]
    checker: Checker | None = None
    if len(parts) == 1:
        checker = parts[0]
    elif parts:
        checker = lambda v: next((f for part in parts if (f := part(v)) is not None), None)  # noqa: E731
    _COMPILED[hint] = checker
    return checker


def _first_item_fault(values: Any, item: Checker) -> str | None:
    if isinstance(values, list):
        for k, v in enumerate(values):
            fault = item(v)
            if fault is not None:
                return f"[{k}]{fault}"
    return None


def check_fields(node: Any) -> None:
    """Check a node's own fields on construction (only constrained fields, compiled once)."""
    cls = type(node)
    checks = _CHECKS.get(cls)
    if checks is None:
        checks = [(name, c) for name, hint in field_types(cls).items() if (c := _checker(hint)) is not None]
        _CHECKS[cls] = checks
    for name, check in checks:
        fault = check(getattr(node, name))
        if fault is not None:
            raise ModelError(f"{cls.__name__}.{name}{fault}")
