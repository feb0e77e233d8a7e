"""unterminated-fence: a code fence that never closes must not swallow the rest.

The fence is closed before the next heading (or at the end of the generation), so that the
chapters after it survive; what was inside stays a code block for the leakage rule to judge.
"""

from __future__ import annotations

import re

from publisher.markdown.lexer import FENCE_RE, Lines, heading, is_fence_line, scan_fence
from publisher.model import Message
from publisher.result import message, said
from publisher.source import SourceLine
from publisher.text import REASONING_TAGS

RULE = "unterminated-fence"
_TAG_RE = re.compile(rf"<\s*/?\s*(?:{'|'.join(REASONING_TAGS)})\b", re.I)


def _json_end(lines: Lines, start: int, limit: int) -> int | None:
    """One past the line where a JSON value opened at `start` closes again, if it does
    before `limit` and before the next heading or reasoning tag."""
    first = next((k for k in range(start, limit) if lines[k].text.strip()), None)
    if first is None or lines[first].text.strip()[:1] not in "{[":
        return None
    depth, in_string, escape = 0, False, False
    for k in range(first, limit):
        if k > first and _stops_block(lines[k].text):
            return None
        for ch in lines[k].text:
            if escape:
                escape = False
            elif ch == "\\":
                escape = in_string
            elif ch == '"':
                in_string = not in_string
            elif not in_string and ch in "{[":
                depth += 1
            elif not in_string and ch in "}]":
                depth -= 1
                if depth == 0:
                    return k + 1
        if in_string:  # a string never spans lines in JSON: the blob is broken here
            return None
    return None


def _stops_block(text: str) -> bool:
    return heading(text) is not None or bool(_TAG_RE.search(text))


def close_unterminated_fences(lines: Lines) -> tuple[Lines, list[Message]]:
    out: Lines = []
    messages: list[Message] = []
    # Only lines that start with a fence can close or reopen one: the scans jump between
    # them, and remember where no closing line exists, so the rule stays linear.
    fence_lines = [k for k, ln in enumerate(lines) if is_fence_line(ln)]
    never_closed: dict[str, tuple[int, int]] = {}
    i = 0
    while i < len(lines):
        m = FENCE_RE.match(lines[i].text)
        if not m:
            out.append(lines[i])
            i += 1
            continue
        marker = m.group(1)
        j, reopen = scan_fence(lines, i, marker, fence_lines, never_closed, stop_at_opener=True)
        if j is not None:  # properly closed
            out.extend(lines[i : j + 1])
            i = j + 1
            continue
        # close it before the next heading or tag, or before a new block that opens
        limit = len(lines) if reopen is None else reopen
        end = _json_end(lines, i + 1, limit) or next(
            (k for k in range(i + 1, limit) if _stops_block(lines[k].text)), limit
        )
        out.extend(lines[i:end])
        out.append(SourceLine(lines[end - 1].no, marker))
        messages.append(
            message(RULE, "warning", lines[i:end], said("a code block opened at line {line} was never closed; closed it", line=str(lines[i].no)))
        )
        i = end
    return out, messages

