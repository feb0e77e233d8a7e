"""reasoning-tags: `<think>…</think>` (and kin) removed with whatever is inside.

The tags are also the seams between chapter generations, so this rule splits the content
into generations; every later rule runs on one generation at a time.
"""

from __future__ import annotations

import re

from publisher.clean.base import Lines, heading, message
from publisher.model import Message
from publisher.reader import SourceLine

RULE = "reasoning-tags"
_TAG = r"(?:think|thinking|thought|thoughts|reasoning|reflection|scratchpad|analysis)"
OPEN_RE = re.compile(rf"<\s*{_TAG}\b[^>]*>", re.I)
CLOSE_RE = re.compile(rf"<\s*/\s*{_TAG}\s*>", re.I)


def split_generations(lines: Lines) -> tuple[list[Lines], list[Message]]:
    """Remove reasoning blocks; return the generations they separated."""
    generations: list[Lines] = [[]]
    messages: list[Message] = []
    inside: list[SourceLine] | None = None  # the reasoning block being skipped
    for line in lines:
        text = line.text
        while True:
            if inside is None:
                m_open, m_close = OPEN_RE.search(text), CLOSE_RE.search(text)
                if m_close and (not m_open or m_close.start() < m_open.start()):
                    # a stray closing tag with no opener: drop the tag, keep the text
                    messages.append(message(RULE, "info", [line], "stray closing reasoning tag removed"))
                    text = text[: m_close.start()] + text[m_close.end() :]
                    continue
                if not m_open:
                    if text.strip() or generations[-1]:
                        generations[-1].append(SourceLine(line.no, text))
                    break
                before, text = text[: m_open.start()], text[m_open.end() :]
                if before.strip():
                    generations[-1].append(SourceLine(line.no, before))
                inside = []
                continue
            m_close = CLOSE_RE.search(text)
            if m_close is None and heading(text) and any(ln.text.strip() for ln in inside):
                # an unclosed reasoning block: assume it ended before this heading
                _close(inside, generations, messages, unclosed=True)
                inside = None
                continue
            if m_close is None:
                inside.append(SourceLine(line.no, text))
                break
            inside.append(SourceLine(line.no, text[: m_close.start()]))
            text = text[m_close.end() :]
            _close(inside, generations, messages, unclosed=False)
            inside = None
            if not text.strip():
                break
    if inside is not None:
        _close(inside, generations, messages, unclosed=True)
    return [g for g in generations if any(ln.text.strip() for ln in g)], messages


def _close(inside: Lines, generations: list[Lines], messages: list[Message], unclosed: bool) -> None:
    body = [ln for ln in inside if ln.text.strip()]
    if body:
        what = "reasoning block removed" + (" (tag never closed)" if unclosed else "")
        messages.append(message(RULE, "warning" if unclosed else "info", body, what))
    if generations[-1]:
        generations.append([])
