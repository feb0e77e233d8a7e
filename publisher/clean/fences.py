"""unterminated-fence: a code fence that never closes must not swallow the rest.

The fence is closed before the next heading (or at the end of the generation), so that the
chapters after it survive; what was inside stays a code block for the leakage rule to judge.
"""

from __future__ import annotations

import re

from publisher.clean.base import FENCE_RE, Lines, heading, message
from publisher.model import Message
from publisher.reader import SourceLine

RULE = "unterminated-fence"
_OPENER_WITH_INFO_RE = re.compile(r"^(`{3,}|~{3,})\s*[A-Za-z][\w+-]*\s*$")
_TAG_RE = re.compile(r"<\s*/?\s*(think|thinking|reasoning)\b", re.I)


def _json_end(lines: Lines, start: int) -> int | None:
    """One past the line where a JSON value opened at `start` closes again, if it does."""
    first = next((k for k in range(start, len(lines)) if lines[k].text.strip()), None)
    if first is None or lines[first].text.strip()[:1] not in "{[":
        return None
    depth, in_string, escape = 0, False, False
    for k in range(first, len(lines)):
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


def close_unterminated_fences(lines: Lines) -> tuple[Lines, list[Message]]:
    out: Lines = []
    messages: list[Message] = []
    i = 0
    while i < len(lines):
        m = FENCE_RE.match(lines[i].text)
        if not m:
            out.append(lines[i])
            i += 1
            continue
        marker = m.group(1)
        j = i + 1
        while j < len(lines):
            t = lines[j].text.strip()
            if t.startswith(marker[0] * len(marker)) and not t.strip(marker[0]):
                break
            if _OPENER_WITH_INFO_RE.match(t) and t[0] == marker[0]:  # a new block opens: the first one never closed
                j = len(lines)
                break
            j += 1
        if j < len(lines):  # properly closed
            out.extend(lines[i : j + 1])
            i = j + 1
            continue
        end = _json_end(lines, i + 1) or next(
            (k for k in range(i + 1, len(lines)) if heading(lines[k].text) or _TAG_RE.search(lines[k].text)), len(lines)
        )
        out.extend(lines[i:end])
        out.append(SourceLine(lines[end - 1].no, marker))
        messages.append(
            message(RULE, "warning", lines[i:end], f"code fence opened at line {lines[i].no} never closed; closed it")
        )
        i = end
    return out, messages
