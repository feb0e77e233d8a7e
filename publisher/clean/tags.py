"""reasoning-tags: reasoning blocks removed with whatever is inside.

What a reasoning block is (any tag name that denotes deliberation, any bracket style,
nested, unclosed, a closing tag with no opener) is defined once, in
`publisher.markdown.reasoning`, which the reader uses too. The blocks are also the seams
between chapter generations, so this rule splits the content into generations; every later
rule runs on one generation at a time. A pair inside one line, with text on both sides, is
only cut out of that line and is no seam.
"""

from __future__ import annotations

import re

from publisher.i18n import N_
from publisher.markdown.lexer import Lines
from publisher.markdown.reasoning import Span, scan, strip_tags
from publisher.model import Message
from publisher.result import message, said, said_n
from publisher.source import SourceLine

RULE = "reasoning-tags"
# a line of nothing but plain angle tags, like the pipeline's `<think>` separators
_SEPARATOR_TAG_RE = re.compile(r"^\s*(?:<\s*/?\s*[A-Za-z_]+\s*>\s*)*$")

# kind -> (severity, what the report says), for blocks that held text
_SAID: dict[str, tuple[str, str]] = {
    "closed": ("info", N_("reasoning block removed")),
    "inline": ("info", N_("reasoning block removed")),
    "unclosed": ("warning", N_("reasoning block removed (tag never closed)")),
    "before-stray-close": ("warning", N_("reasoning before a closing tag with no opening tag removed")),
}


def split_generations(lines: Lines) -> tuple[list[Lines], list[Message]]:
    """Remove reasoning blocks; return the generations they separated."""
    starting: dict[int, list[Span]] = {}
    for s in scan(lines):
        starting.setdefault(s.start_line, []).append(s)
    messages: list[Message] = []
    generations: list[Lines] = [[]]
    empty: list[SourceLine] = []  # the tag lines of blocks that held nothing
    i, col, kept = 0, 0, ""  # kept: what line i keeps so far
    while i < len(lines):
        line = lines[i]
        span = next((s for s in starting.get(i, []) if s.start_col >= col), None)
        if span is None or span.kind == "tags-only":
            text = strip_tags(line.text) if span else kept + line.text[col:]
            if span:
                messages.append(message(RULE, "warning", [line], said("reasoning tags removed from one line; its text kept")))
            _keep(generations, SourceLine(line.no, text))
            i, col, kept = i + 1, 0, ""
            continue
        kept += line.text[col : span.start_col]
        messages.extend(_report(span, lines, empty))
        if span.kind == "inline":  # cut out of its line, which stays one line
            col = span.end_col
            continue
        if kept.strip():
            _keep(generations, SourceLine(line.no, kept))
        if generations[-1]:
            generations.append([])
        i, col, kept = span.end_line, span.end_col, ""
        if not lines[i].text[col:].strip():
            i, col = i + 1, 0
    if empty:
        pairs = len(empty) // 2
        messages.append(message(RULE, "info", empty, said_n("{n} empty reasoning tag pair between generations removed", "{n} empty reasoning tag pairs between generations removed", pairs)))
    return [g for g in generations if any(ln.text.strip() for ln in g)], messages


def _keep(generations: list[Lines], line: SourceLine) -> None:
    if line.text.strip() or generations[-1]:
        generations[-1].append(line)


def _report(span: Span, lines: Lines, empty: list[SourceLine]) -> list[Message]:
    covered = lines[span.start_line : span.end_line + 1]
    if span.kind == "stray-close":
        return [message(RULE, "info", covered, said("stray closing reasoning tag removed"))]
    if span.inner:
        severity, what = _SAID[span.kind]
        if span.kind == "inline":
            covered = [SourceLine(covered[0].no, covered[0].text[span.start_col : span.end_col])]
        return [message(RULE, severity, covered, said(what))]  # type: ignore[arg-type]
    if all(_SEPARATOR_TAG_RE.match(ln.text) for ln in covered):
        empty.extend([covered[0], covered[-1]])  # the pipeline's separators: one summary for all
        return []
    return [message(RULE, "info", covered, said("empty reasoning block removed"))]
