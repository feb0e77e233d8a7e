"""repetition: degenerate loops, where the model repeats a token, a phrase or a sentence.

Three shapes: a run of short lines with few distinct values (one word per line for 80
lines); a unit repeated back to back inside a line; the same line or sentence again and
again. Loops are removed; a line that is mostly loop goes whole.
"""

from __future__ import annotations

import re

from publisher.markdown.lexer import FENCE_RE, LIST_RE, Lines, fenced, heading, is_table_row
from publisher.model import Message
from publisher.result import message
from publisher.source import SourceLine

RULE = "repetition"
SHORT_LINE = 12  # characters; a "word per line" loop is made of lines this short
MIN_RUN = 8  # lines in a short-line loop
# A unit never starts with a separator and separators are taken possessively: a run of
# spaces could otherwise be split between unit and separators in very many ways.
IN_LINE_RE = re.compile(r"((?![\s,，、;；]).{1,24}?)(?:[\s,，、;；]*+\1){5,}")
_WORDY = re.compile(r"[\w\u4e00-\u9fff]")


def strip_repetition(lines: Lines) -> tuple[Lines, list[Message]]:
    lines, m1 = _short_line_runs(lines)
    lines, m2 = _repeated_lines(lines)
    lines, m3 = _in_line_loops(lines)
    return lines, m1 + m2 + m3


def _is_plain_short(line: SourceLine) -> bool:
    t = line.text.strip()
    # a fence line is structure: removing it with a loop would orphan its partner
    return 0 < len(t) <= SHORT_LINE and not (
        heading(t) or LIST_RE.match(t) or is_table_row(t) or FENCE_RE.match(t)
    )


def _short_line_runs(lines: Lines) -> tuple[Lines, list[Message]]:
    out: Lines = []
    messages: list[Message] = []
    i = 0
    while i < len(lines):
        if not _is_plain_short(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and (_is_plain_short(lines[j]) or (not lines[j].text.strip() and j + 1 < len(lines)
                                                                 and _is_plain_short(lines[j + 1]))):
            j += 1
        run = [ln for ln in lines[i:j] if ln.text.strip()]
        values = [ln.text.strip() for ln in run]
        if len(run) >= MIN_RUN and len(set(values)) <= len(values) / 2:
            messages.append(message(RULE, "warning", run, f"repetition loop of {len(run)} short lines removed"))
        else:
            out.extend(lines[i:j])
        i = j
    return out, messages


def _repeated_lines(lines: Lines) -> tuple[Lines, list[Message]]:
    """The same non-trivial line three or more times in a row (blank lines between ignored)."""
    out: Lines = []
    messages: list[Message] = []
    in_fence = fenced(lines)
    prev: str | None = None
    dupes: Lines = []
    for idx, ln in enumerate(lines):
        t = ln.text.strip()
        if not t:
            out.append(ln)
            continue
        if t == prev and len(t) >= 4 and not in_fence[idx] and not is_table_row(t):
            dupes.append(ln)
            continue
        _flush(dupes, messages, out)
        dupes = []
        prev = t
        out.append(ln)
    _flush(dupes, messages, out)
    return out, messages


def _flush(dupes: Lines, messages: list[Message], out: Lines | None = None) -> None:
    """Two copies of a line may be deliberate (they stay); three or more are a loop."""
    if len(dupes) == 1 and out is not None:
        out.append(dupes[0])
    elif dupes:
        messages.append(message(RULE, "warning", dupes, f"line repeated {len(dupes) + 1} times; repeats removed"))


# every run of text is matched once, its end punctuation optional: a run with no full stop
# would otherwise be rescanned from each of its characters (quadratic)
_SENTENCE_RE = re.compile(r"[^。！？!?.]++(?:[。！？!?.]++\s*+)?")


def _collapse_sentences(text: str) -> str:
    """A sentence said three or more times in a row is said once."""
    pieces: list[str] = []
    pos = 0
    for m in _SENTENCE_RE.finditer(text):
        if m.start() > pos:
            pieces.append(text[pos : m.start()])
        pieces.append(m.group(0))
        pos = m.end()
    if pos < len(text):
        pieces.append(text[pos:])
    if not any(
        len(pieces[i].strip()) >= 8 and pieces[i].strip() == pieces[i + 1].strip() == pieces[i + 2].strip()
        for i in range(len(pieces) - 2)
    ):
        return text
    kept: list[str] = []
    for p in pieces:
        if kept and len(p.strip()) >= 8 and p.strip() == kept[-1].strip():
            continue
        kept.append(p)
    return "".join(kept)


def _in_line_loops(lines: Lines) -> tuple[Lines, list[Message]]:
    out: Lines = []
    messages: list[Message] = []
    in_fence = fenced(lines)
    for idx, ln in enumerate(lines):
        if in_fence[idx] or is_table_row(ln.text):
            out.append(ln)
            continue
        text = _collapse_sentences(ln.text)
        removed = len(ln.text) - len(text)
        for m in reversed(list(IN_LINE_RE.finditer(text))):
            unit = m.group(1)
            if not _WORDY.search(unit) or len(m.group(0)) < 12:
                continue
            text = text[: m.start()] + text[m.end() :]
            removed += len(m.group(0))
        if not removed:
            out.append(ln)
            continue
        if not text.strip():
            messages.append(message(RULE, "warning", [ln], "line that is a repetition loop removed"))
            continue
        messages.append(message(RULE, "warning", [ln], f"repetition loop collapsed ({removed} characters removed)"))
        out.append(SourceLine(ln.no, text))
    return out, messages
