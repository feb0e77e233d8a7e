"""junk-heading: headings with nothing to head.

Empty (`##### `), only punctuation or citation markers (`##### 文献[^1][^2]`), placeholders
(`### 表X 标题`, `## Title`), or a references heading with nothing under it.
"""

from __future__ import annotations

import re

from publisher.clean.reflists import is_reference_title
from publisher.markdown.lexer import CAPTION_LINE_RE, CITE_RE, Lines, fenced, heading
from publisher.model import Message
from publisher.result import message, said

RULE = "junk-heading"
PLACEHOLDER_RE = re.compile(r"^(表|table|图|figure|fig\.?)\s*[xX＊*?？N]?\s*[:：.]?\s*(标题|表格|title|caption)?\s*$", re.I)
_TABLE_PLACEHOLDER_RE = re.compile(r"^(表\s*+[xX\d]*+|table\s*+[xX\d]*+)\s*+[:：.]?\s*+(标题|title)$", re.I)  # *+: linear
_ONLY_JUNK_RE = re.compile(r"^[\W_]*$")
_CITE_ONLY_RE = re.compile(r"^(文献|引用|references?|refs?)?$", re.I)


def _is_junk(title: str, body_empty: bool) -> bool:
    bare = title.strip().strip("*_ ")
    no_cites = CITE_RE.sub("", bare).strip()
    if not bare or _ONLY_JUNK_RE.match(bare):
        return True
    if no_cites != bare and _CITE_ONLY_RE.match(no_cites):
        return True
    if _TABLE_PLACEHOLDER_RE.match(no_cites):
        return body_empty
    return body_empty and (
        bool(PLACEHOLDER_RE.match(no_cites)) or is_reference_title(no_cites) or bool(CAPTION_LINE_RE.match(no_cites))
    )


def strip_junk_headings(lines: Lines) -> tuple[Lines, list[Message]]:
    out: Lines = []
    messages: list[Message] = []
    in_fence = fenced(lines)
    for i, ln in enumerate(lines):
        h = heading(ln.text)
        if h is None or in_fence[i]:
            out.append(ln)
            continue
        nxt = next((lines[k] for k in range(i + 1, len(lines)) if lines[k].text.strip()), None)  # no slice: linear
        body_empty = nxt is None or (heading(nxt.text) is not None and heading(nxt.text)[0] <= h[0])  # type: ignore[index]
        if _is_junk(h[1], body_empty):
            messages.append(message(RULE, "info", [ln], said("empty or placeholder heading removed")))
            continue
        out.append(ln)
    return out, messages
