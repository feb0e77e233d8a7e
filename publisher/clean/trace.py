"""What a cleaning rule actually took out, written into its report lines.

Each rule reports the lines it touched; `trace_removals` compares the lines a rule was given
with the lines it returned and fills in, for the rule's messages:
- `removed`, when the rule did not say: the whole lines that went, and of a line that stays
  the part that went, in source order, one line of removed text per source line;
- `kept_before`, when the message's first removal is inside a line that stays: the kept text
  just before it on that line (its last EXCERPT_CHARS characters, "" at the line's start).
  The review draft uses it to put a tracked deletion at its place inside the published
  paragraph (`publisher/render/review.py`).

Only deletions are traced: a line a rule rewrote (markup read as markdown, a fence closed)
has nothing taken out of it, and keeps what the rule said. Lines are matched by number
(lines numbered 0 are the separators cleaning itself puts between generations), so one
comparison per line: linear in the generation's size.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from publisher.markdown.lexer import Lines
from publisher.model import Message
from publisher.result import EXCERPT_CHARS


@dataclass(frozen=True)
class Removal:
    """Text one rule took out of one source line."""

    line: int
    text: str
    kept_before: str | None  # None: the whole line went


def removals(before: Lines, after: Lines) -> list[Removal]:
    """The deletions that turn `before` into `after`, in source order."""
    kept = _texts_by_line(after)
    out: list[Removal] = []
    for no, old in _texts_by_line(before).items():
        new = kept.get(no)
        if new is None:
            if old.strip():
                out.append(Removal(no, old, None))
        elif new != old:
            span = _deleted_span(old, new)
            if span is not None:
                out.append(Removal(no, *span))
    return out


def trace_removals(before: Lines, after: Lines, messages: list[Message]) -> list[Message]:
    """The rule's messages with what it removed, each removal given to the first message
    whose lines cover it."""
    if not messages or before == after:
        return messages
    pending = removals(before, after)
    out: list[Message] = []
    for m in messages:
        first, last = m.line or 0, m.end_line or m.line or 0
        mine = [r for r in pending if first <= r.line <= last]
        if not mine:
            out.append(m)
            continue
        pending = [r for r in pending if not first <= r.line <= last]
        removed = m.removed if m.removed is not None else "\n".join(r.text for r in mine)
        kept = mine[0].kept_before
        out.append(replace(m, removed=removed, kept_before=None if kept is None else kept[-EXCERPT_CHARS:]))
    return out


def _texts_by_line(lines: Lines) -> dict[int, str]:
    texts: dict[int, str] = {}
    for ln in lines:
        if ln.no:
            texts[ln.no] = texts[ln.no] + "\n" + ln.text if ln.no in texts else ln.text
    return texts


def _deleted_span(old: str, new: str) -> tuple[str, str] | None:
    """`old` with one stretch taken out gives `new`: that stretch and what precedes it
    (trailing spaces the rule trimmed count as kept). None when the line was rewritten."""
    stem = new.rstrip()
    limit = len(stem)
    if limit >= len(old):
        return None
    p = 0
    while p < limit and old[p] == stem[p]:
        p += 1
    s = 0
    while s < limit - p and old[len(old) - 1 - s] == stem[limit - 1 - s]:
        s += 1
    if p + s < limit:
        return None  # text was added or changed, not only taken out
    gone = old[p : len(old) - s] if s else old[p:]
    if not gone.strip():
        return None
    return gone, stem[:p]
