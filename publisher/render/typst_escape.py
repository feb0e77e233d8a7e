r"""Close the gaps in pandoc's Typst escaping by patching the JSON AST before pandoc sees it.

pandoc's typst writer escapes almost every Typst metacharacter in a Str, but not all
(pandoc 3.9):

- a Str that starts with "." right after anything pandoc writes as a function call
  (`#strong[..]`, `#super[..]`, `#link(..)[..]`, `#raw(..)`) continues that call:
  `#super[1].at(..)` is field access and method calls, i.e. code run from the record;
- "12. " at the start of a paragraph, cell or heading makes a numbered list;
- "-?" is a soft hyphen, "..." an ellipsis and "-1" a minus sign, so the text would not
  read back as written;
- two adjacent Str nodes are escaped one at a time, so "a/" + "/b" would open a comment.

The fix: merge adjacent Str nodes, then put a fixed RawInline escape (`\.`, `\?`, `\-`, never
text from the record) before each character that would otherwise be read as syntax.
"""

from __future__ import annotations

import re
from typing import Any

Node = dict[str, Any]

INLINE_TYPES = frozenset(
    {
        "Str", "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps",
        "Quoted", "Cite", "Code", "Space", "SoftBreak", "LineBreak", "Math", "RawInline", "Link",
        "Image", "Note", "Span",
    }
)  # fmt: skip

# Characters to escape: a leading dot, a dot after a dot (no "..." can form), "?" after
# "-", "-" before a digit (Typst would print a minus sign).
_RISKY = re.compile(r"^\.|(?<=\.)\.|(?<=-)\?|-(?=\d)")
# "12." opening a line: Typst's numbered-list marker.
_ENUM_MARKER = re.compile(r"^\d+\.")


def escape(char: str) -> Node:
    return {"t": "RawInline", "c": ["typst", "\\" + char]}


def guard_typst_syntax(ast: dict[str, Any]) -> dict[str, Any]:
    """Patch every inline list of `ast` in place (see the module docstring); returns `ast`."""
    _visit(ast["blocks"])
    return ast


def _visit(value: Any) -> None:
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and v.get("t") in INLINE_TYPES for v in value):
            value[:] = _guard_inlines(value)
        for item in value:
            _visit(item)
    elif isinstance(value, dict):
        _visit(value.get("c"))
        kind = value.get("t")
        if kind in ("Para", "Plain"):
            _guard_line_start(value["c"])
        elif kind == "Header":
            _guard_line_start(value["c"][2])


def _guard_inlines(inlines: list[Node]) -> list[Node]:
    merged: list[Node] = []
    for node in inlines:
        if node["t"] == "Str" and merged and merged[-1]["t"] == "Str":
            merged[-1] = {"t": "Str", "c": merged[-1]["c"] + node["c"]}
        else:
            merged.append(node)
    out: list[Node] = []
    for node in merged:
        out.extend(_split_str(node["c"]) if node["t"] == "Str" else [node])
    return out


def _split_str(text: str) -> list[Node]:
    out: list[Node] = []
    start = 0
    for match in _RISKY.finditer(text):
        if match.start() > start:
            out.append({"t": "Str", "c": text[start : match.start()]})
        out.append(escape(match.group()))
        start = match.end()
    if start < len(text) or not out:
        out.append({"t": "Str", "c": text[start:]})
    return out


def _guard_line_start(inlines: list[Node]) -> None:
    """Escape the dot of a leading "12." (the inlines are already merged and split)."""
    if not inlines or inlines[0]["t"] != "Str":
        return
    match = _ENUM_MARKER.match(inlines[0]["c"])
    if match:
        text = inlines[0]["c"]
        tail = [{"t": "Str", "c": text[match.end() :]}] if match.end() < len(text) else []
        inlines[0:1] = [{"t": "Str", "c": text[: match.end() - 1]}, escape("."), *tail]
