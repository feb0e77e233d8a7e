"""stray-rule: `---`, `***`, `___` lines left between generated pieces."""

from __future__ import annotations

import re

from publisher.markdown.lexer import Lines, fenced
from publisher.model import Message
from publisher.result import message, said

RULE = "stray-rule"
RULE_RE = re.compile(r"^\s{0,3}([-*_＿—])(\s*\1){2,}\s*$")


def strip_stray_rules(lines: Lines) -> tuple[Lines, list[Message]]:
    in_fence = fenced(lines)
    gone = [ln for i, ln in enumerate(lines) if RULE_RE.match(ln.text) and not in_fence[i]]
    if not gone:
        return lines, []
    kept = [ln for i, ln in enumerate(lines) if not (RULE_RE.match(ln.text) and not in_fence[i])]
    return kept, [message(RULE, "info", [ln], said("horizontal rule removed")) for ln in gone]
