"""reasoning-tags: `<think>…</think>` (and kin) removed with whatever is inside.

The tags are also the seams between chapter generations, so this rule splits the content
into generations; every later rule runs on one generation at a time. A pair inside one
line is only cut out of that line. Tags quoted in inline code are text, not tags.
"""

from __future__ import annotations

import re
from itertools import chain, islice

from publisher.markdown.lexer import Lines, heading
from publisher.model import Message
from publisher.result import message
from publisher.source import SourceLine
from publisher.text import REASONING_TAGS

RULE = "reasoning-tags"
_TAG = f"(?:{'|'.join(REASONING_TAGS)})"
OPEN_RE = re.compile(rf"<\s*{_TAG}\b[^>]*>", re.I)
CLOSE_RE = re.compile(rf"<\s*/\s*{_TAG}\s*>", re.I)
# a code span opens at a whole run of backticks (as in CommonMark): linear on "`````…"
_CODE_SPAN_RE = re.compile(r"(?<!`)(`++)(?:(?!\1).)+?\1")


def _find(pattern: re.Pattern[str], text: str, start: int = 0) -> re.Match[str] | None:
    """The first tag match that is not inside an inline code span."""
    if "<" not in text:  # the common case, and the hot path on long records
        return None
    spans: list[tuple[int, int]] | None = None
    for m in pattern.finditer(text, start):
        if spans is None:
            spans = [c.span() for c in _CODE_SPAN_RE.finditer(text)] if "`" in text else []
        if not any(a <= m.start() < b for a, b in spans):
            return m
    return None


MAX_TAGS_PER_LINE = 32  # more is a degenerate loop; each tag would rescan the whole line


def _tag_count(text: str) -> int:
    tags = chain(OPEN_RE.finditer(text), CLOSE_RE.finditer(text))
    return sum(1 for _ in islice(tags, MAX_TAGS_PER_LINE + 1))


def _strip_tags(line: SourceLine, messages: list[Message]) -> str:
    """A line full of tags loses the tags in one pass and keeps its text: judging pairs one
    tag at a time would be quadratic in the line's length."""
    text, count = CLOSE_RE.subn("", OPEN_RE.sub("", line.text))
    count += len(OPEN_RE.findall(line.text))
    messages.append(message(RULE, "warning", [line], f"{count} reasoning tags removed from one line; its text kept"))
    return text


def split_generations(lines: Lines) -> tuple[list[Lines], list[Message]]:
    """Remove reasoning blocks; return the generations they separated."""
    generations: list[Lines] = [[]]
    messages: list[Message] = []
    empty_pairs: list[SourceLine] = []
    empty_openers: list[SourceLine] = []
    closes_ahead = _closes_ahead(lines)
    inside: list[SourceLine] | None = None  # the reasoning block being skipped
    for idx, line in enumerate(lines):
        text = line.text
        if "<" in text and _tag_count(text) > MAX_TAGS_PER_LINE:
            text = _strip_tags(line, messages)
        while True:
            if inside is None:
                m_open, m_close = _find(OPEN_RE, text), _find(CLOSE_RE, text)
                if m_close and (not m_open or m_close.start() < m_open.start()):
                    _stray_close(line, text[: m_close.start()], generations, messages)
                    text = text[m_close.end() :]
                    continue
                if not m_open:
                    if text.strip() or generations[-1]:
                        generations[-1].append(SourceLine(line.no, text))
                    break
                before, after = text[: m_open.start()], text[m_open.end() :]
                m_same = _find(CLOSE_RE, after)
                if m_same and before.strip() and after[m_same.end() :].strip():
                    # a pair inside a sentence: cut it out, the line stays one line
                    inner = after[: m_same.start()]
                    if inner.strip():
                        messages.append(message(RULE, "info", [SourceLine(line.no, inner)], "reasoning block removed"))
                    text = before + after[m_same.end() :]
                    continue
                if before.strip():
                    generations[-1].append(SourceLine(line.no, before))
                inside, text = [], after
                continue
            m_close = _find(CLOSE_RE, text)
            if m_close is None and heading(text) and inside and not closes_ahead[idx]:
                # an unclosed reasoning block: assume it ended before this heading
                _close(inside, generations, messages, empty_pairs, unclosed=True)
                inside = None
                continue
            if m_close is None:
                inside.append(SourceLine(line.no, text))
                break
            inside.append(SourceLine(line.no, text[: m_close.start()]))
            if not any(ln.text.strip() for ln in inside):
                empty_pairs.append(line)
                empty_openers.append(inside[0])  # the report's range starts at the opening tag
            text = text[m_close.end() :]
            _close(inside, generations, messages, empty_pairs, unclosed=False)
            inside = None
            if not text.strip():
                break
    if inside is not None:
        _close(inside, generations, messages, empty_pairs, unclosed=True)
    if empty_pairs:
        messages.append(
            message(RULE, "info", empty_openers + empty_pairs, f"{len(empty_pairs)} empty reasoning tag pair(s) between generations removed")
        )
    return [g for g in generations if any(ln.text.strip() for ln in g)], messages


def _closes_ahead(lines: Lines) -> list[bool]:
    """For each line, whether a closing tag comes later before any opening tag."""
    out = [False] * len(lines)
    seen_close = False
    for i in range(len(lines) - 1, -1, -1):
        out[i] = seen_close
        t = lines[i].text
        if _find(CLOSE_RE, t):
            seen_close = True
        elif _find(OPEN_RE, t):
            seen_close = False
    return out


def _stray_close(line: SourceLine, before: str, generations: list[Lines], messages: list[Message]) -> None:
    """A closing tag with no opener: what came before it in this generation was reasoning,
    unless it is real content (it has headings)."""
    current = generations[-1] + ([SourceLine(line.no, before)] if before.strip() else [])
    body = [ln for ln in current if ln.text.strip()]
    if body and not any(heading(ln.text) for ln in body):
        generations[-1].clear()
        tag = SourceLine(line.no, "")  # the range runs to the closing tag's line
        messages.append(message(RULE, "warning", body + [tag], "reasoning before a closing tag with no opening tag removed"))
    else:
        if before.strip():
            generations[-1].append(SourceLine(line.no, before))
        messages.append(message(RULE, "info", [line], "stray closing reasoning tag removed"))
    if generations[-1]:
        generations.append([])


def _close(inside: Lines, generations: list[Lines], messages: list[Message], empty: Lines, unclosed: bool) -> None:
    body = [ln for ln in inside if ln.text.strip()]
    if body:
        what = "reasoning block removed" + (" (tag never closed)" if unclosed else "")
        # the range runs from the opening to the closing tag: the tag lines go too
        messages.append(message(RULE, "warning" if unclosed else "info", inside, what))
    elif unclosed and inside:
        empty.append(inside[0])
    if generations[-1]:
        generations.append([])
