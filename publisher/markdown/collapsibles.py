"""Collapsible HTML sections that wrap the model's deliberation.

A chat interface folds the model's reasoning into `<details><summary>Thinking</summary>…</details>`,
and a model imitating it writes the same. `<details>` is an HTML element, never a reasoning
name by itself (`publisher.markdown.reasoning`); it wraps deliberation when its `<summary>`
names nothing but deliberation: a deliberation word, optionally after a verb that shows or
hides it and before a word for its process or its time ("思考过程", "推理过程", "Thinking",
"Thought process", "Show reasoning", "Thought for 12 seconds", "Chain of thought").

Near-misses (an author's collapsible, left to the markup rule): a summary about the topic
("Reasoning benchmarks", "推理基准", "Critical thinking in nursing"), a summary that names
another part ("Details", "数据来源"), a `<details>` quoted in inline code.
"""

from __future__ import annotations

import re
import unicodedata

from publisher.source import SourceLine

_OPEN_RE = re.compile(r"<\s*details(?:\s[^<>]*)?>", re.I)
_CLOSE_RE = re.compile(r"<\s*/\s*details\s*>", re.I)
_SUMMARY_RE = re.compile(r"^\s*<\s*summary(?:\s[^<>]*)?>(?P<text>[^<>]{0,80})<\s*/\s*summary\s*>", re.I)
_DELIBERATION_SUMMARY_RE = re.compile(
    r"^(?:(?:show|view|hide|see|expand|display|open)\s+)?(?:the\s+|my\s+|model(?:'s|’s)?\s+)?"
    r"(?:thinking|thoughts?|reasoning|reflections?|deliberation|chain[\s-]of[\s-]thought|scratchpad|inner monologue)"
    r"(?:\s+(?:process|trace|steps|log|notes)|\s+for\s+\d+(?:\.\d+)?\s*(?:s|sec|secs|seconds?|minutes?|m))?$"
    r"|^(?:显示|查看|展开|隐藏|收起)?(?:模型)?(?:的)?(?:思考|推理|反思|思维|思路|深度思考)(?:过程|链|记录|步骤|内容|笔记)?"
    r"(?:（?用时\d+(?:\.\d+)?秒）?|\d+(?:\.\d+)?秒)?$",
    re.I,
)
MAX_LINES = 400  # a deliberation block longer than this is no collapsible the model wrote


def deliberation_details(lines: list[SourceLine]) -> list[tuple[tuple[int, int, int], tuple[int, int, int]]]:
    """The `<details>` blocks whose summary names deliberation: for each, (line, start, end)
    of its opening tag and of its matching closing tag."""
    out: list[tuple[tuple[int, int, int], tuple[int, int, int]]] = []
    i = 0
    while i < len(lines):
        m = _OPEN_RE.search(lines[i].text) if "<" in lines[i].text else None
        if m is None or "`" in lines[i].text[: m.start()] or not _names_deliberation(lines, i, m.end()):
            i += 1
            continue
        close = _matching_close(lines, i, m.end())
        if close is None:
            i += 1
            continue
        out.append(((i, m.start(), m.end()), close))
        i = close[0] + 1
    return out


def _names_deliberation(lines: list[SourceLine], i: int, col: int) -> bool:
    """The `<summary>` right after the opening tag (same line or the next non-blank one)."""
    rest = lines[i].text[col:]
    if not rest.strip():
        rest = next((ln.text for ln in lines[i + 1 : i + 3] if ln.text.strip()), "")
    m = _SUMMARY_RE.match(rest)
    if m is None:
        return False
    text = unicodedata.normalize("NFKC", m.group("text")).strip().strip("*_:：.。…").strip()
    return bool(_DELIBERATION_SUMMARY_RE.match(text))


def _matching_close(lines: list[SourceLine], i: int, col: int) -> tuple[int, int, int] | None:
    depth = 1
    for k in range(i, min(len(lines), i + MAX_LINES)):
        text = lines[k].text[col:] if k == i else lines[k].text
        offset = col if k == i else 0
        events = sorted([(m.start(), 1, m) for m in _OPEN_RE.finditer(text)]
                        + [(m.start(), -1, m) for m in _CLOSE_RE.finditer(text)], key=lambda e: e[0])
        for _, step, m in events:
            depth += step
            if depth == 0:
                return k, offset + m.start(), offset + m.end()
    return None
