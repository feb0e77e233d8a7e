"""Reasoning blocks: the one definition the reader and the cleaning stage share.

A reasoning block is the model's deliberation, wrapped in tags, whatever the wrapper:

- **Bracket styles**: `<name attr="…">…</name>`, `<|name|>…<|/name|>` (and
  `<|begin_of_name|>…<|end_of_name|>`, with ASCII or full-width bars), `[name]…[/name]`
  (and doubled: `[[name]]…[[/name]]`),
  `【name】…【/name】`, `◁name▷…◁/name▷`.
- **Names** that denote deliberation, told by their shape: a name whose words (split at `_`,
  `-`, `:`, `.`, camel case) include a deliberation stem (think, thought, reason, reflect,
  analysis, scratchpad, plan, monologue, ponder, brainstorm, rationale, 思考, 推理, 反思,
  分析 …): `<think>`, `<inner_monologue>`, `[THINKING]`, `【思考过程】`, `<model-reasoning>`,
  `<|begin_of_thought|>`; an HTML collapsible `<details>` whose `<summary>` names deliberation
  (`publisher.markdown.collapsibles`). A name with no such word, that is no HTML element and no tool or
  chat-template token, is a reasoning block when what the pair holds is deliberation (the
  model planning its answer: "the user wants…", "I should…", "我需要…", "本章…引用…").
- **Extent**: to the matching closing tag, nested blocks included (a closing tag of another
  reasoning name closes the innermost open block). An opening tag never closed runs to the
  end, or, when no closing tag comes later, to the next heading. A closing tag with no
  opening tag (the opening tag was in the prompt) ends a block that began at the last seam
  (the previous block, or the start) unless the text before it has headings: then only the
  tag goes. A pair inside one line with text on both sides is cut out of that line.

NOT reasoning (near-misses): the words in prose ("critical thinking", "Reasoning benchmarks");
a tag quoted in inline code or inside a closed code fence; comparison operators (`n<30`);
square or lenticular brackets that neither stand alone on their line nor have a closing
partner (`[Analysis]` in a sentence, `【分析】` as a run-in label); HTML elements.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import islice
from typing import Literal

from publisher.markdown.collapsibles import deliberation_details
from publisher.markdown.lexer import FENCE_RE, Lines, heading, is_fence_line, scan_fence

# Word stems that make a tag name a reasoning wrapper (matched at the start of a word).
DELIBERATION_STEMS = (
    "think", "thought", "reason", "reflect", "reflection", "analys", "analyz", "scratch", "plan",
    "monolog", "ponder", "deliberat", "brainstorm", "rationale", "ruminat", "introspect", "musing",
    "cot", "chainofthought", "思考", "思维", "推理", "反思", "分析", "思路", "构思", "推演", "规划",
    "计划", "独白", "草稿", "斟酌", "考虑",
)
# Stems strong enough that a square or lenticular tag alone on its line, with no closing
# partner, still opens a block (`【分析】` alone is as often an author's run-in label).
STRONG_STEMS = ("think", "thought", "reason", "reflect", "scratch", "monolog", "思考", "推理", "反思", "思维", "思路")
# HTML elements and machinery names are never reasoning, whatever they hold.
HTML_ELEMENTS = frozenset({
    "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "body", "br",
    "caption", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr",
    "html", "i", "img", "ins", "kbd", "li", "main", "mark", "nav", "ol", "p", "pre", "q", "s", "samp",
    "section", "small", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "font", "center",
})
_MACHINERY_WORDS = ("tool", "function", "invoke", "call", "im", "start", "end", "eot", "eos", "bos",
                    "inst", "sys", "system", "user", "assistant", "human", "s")

_NAME = r"[^\W\d][\w:.\-]{0,40}"
# one pattern per bracket style; group "close" is the slash, "name" the name
_TAG_RES: list[tuple[str, re.Pattern[str]]] = [
    ("pipe", re.compile(rf"<\s*[|｜]\s*(?P<close>/)?\s*(?P<name>{_NAME}?)\s*[|｜]\s*>")),
    ("angle", re.compile(rf"<\s*(?P<close>/)?\s*(?P<name>{_NAME})(?:\s+[^<>]*?)?\s*/?\s*>")),
    # `[name]` and the doubled `[[name]]` (whose inner pair must not be taken alone)
    ("square", re.compile(rf"\[(?P<double>\[)?\s*(?P<close>/)?\s*(?P<name>{_NAME})\s*\](?(double)\])")),
    ("lenticular", re.compile(rf"【\s*(?P<close>/)?\s*(?P<name>{_NAME})\s*】")),
    ("triangle", re.compile(rf"◁\s*(?P<close>/)?\s*(?P<name>{_NAME})\s*▷")),
]
_OPEN_PREFIX_RE = re.compile(r"^(?:begin|start)(?:_of)?_", re.I)
_CLOSE_PREFIX_RE = re.compile(r"^end(?:_of)?_|_end$", re.I)
_WORD_SPLIT_RE = re.compile(r"[_\-:.\s]+|(?<=[a-z])(?=[A-Z])")
# a code span opens at a whole run of backticks (as in CommonMark): linear on "`````…"
_CODE_SPAN_RE = re.compile(r"(?<!`)(`++)(?:(?!\1).)+?\1")
# where a tag of any style can start: its opener, then (past spaces, pipes, a slash or a doubled
# `[`) the first letter of its name; a line without one holds no tag (`[12]` cites, names no tag)
_TAG_START_RE = re.compile(r"[<\[【◁]\[?[\s|｜/]*+[^\W\d]")
# What a block of deliberation says about itself: the model planning its answer.
_DELIBERATION_RE = re.compile(
    r"\b(?:I|I'll|I'm|I've|we'll)\s+(?:should|need|will|must|want|think|am going|have to|'ll)\b"
    r"|\b(?:let me|let's|the user|user wants|user asked|the outline|the prompt)\b"
    r"|我(?:需要|应该|要|将|打算|准备|先|来|会|得)|用户(?:要求|希望|想要|让我)|首先|接下来|大纲|检索结果|下一[章节步]",
    re.I,
)
MAX_TAGS_PER_LINE = 32  # more is a degenerate loop; pairing tags one by one would be quadratic

SpanKind = Literal["closed", "unclosed", "inline", "before-stray-close", "stray-close", "tags-only"]


@dataclass(frozen=True)
class Tag:
    line: int  # index into the lines
    start: int
    end: int
    name: str  # lower-case, without begin_/end_ affixes
    closing: bool
    style: str


@dataclass(frozen=True)
class Span:
    """A reasoning block: from (start_line, start_col) to (end_line, end_col), end exclusive.
    Indices are into the lines scanned; `inner` says whether it holds text besides tags."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int
    kind: SpanKind
    name: str
    inner: bool


def is_deliberation_name(name: str, stems: tuple[str, ...] = DELIBERATION_STEMS) -> bool:
    """A tag name whose words include a deliberation stem (`inner_monologue`, `思考过程`)."""
    words = [w.lower() for w in _WORD_SPLIT_RE.split(name) if w]
    joined = "".join(words)
    return any(w.startswith(stem) or (not w.isascii() and stem in w) for w in words for stem in stems) \
        or joined.startswith("chainofthought")


def holds_deliberation(text: str) -> bool:
    """Text that is the model planning its answer (two signs of it, not one)."""
    return len(list(islice(_DELIBERATION_RE.finditer(text), 2))) >= 2


def _bare_name(name: str) -> str:
    name = _OPEN_PREFIX_RE.sub("", name.lower())
    return _CLOSE_PREFIX_RE.sub("", name)


def _unknown_name(name: str) -> bool:
    """Not an HTML element, not a tool or chat-template token: its contents decide."""
    low = name.lower()
    words = [w.lower() for w in _WORD_SPLIT_RE.split(name) if w]
    return low not in HTML_ELEMENTS and not any(w in _MACHINERY_WORDS for w in words)


def code_spans(text: str) -> list[tuple[int, int]]:
    """The [start, end) ranges of a line's inline code spans."""
    return [c.span() for c in _CODE_SPAN_RE.finditer(text)] if "`" in text else []


def _in_code(code: list[tuple[int, int]], pos: int) -> bool:
    k = bisect_right(code, (pos + 1, 0)) - 1  # the last code span that starts at or before pos
    return k >= 0 and code[k][0] <= pos < code[k][1]


def line_tags(text: str, index: int) -> list[Tag]:
    """Every tag-shaped token of a line outside inline code, with a deliberation name or an
    unknown one (kept for the content test), in order."""
    if not _TAG_START_RE.search(text):  # the hot path on long records
        return []
    code = None
    tags: list[Tag] = []
    taken = bytearray(len(text))  # characters already inside a tag of an earlier style
    for style, pattern in _TAG_RES:
        for m in pattern.finditer(text):
            raw = m.group("name")
            if not raw or taken[m.start()] or taken[m.end() - 1]:
                continue
            deliberation = is_deliberation_name(raw)
            if not deliberation and not (style == "angle" and _unknown_name(raw)):
                continue
            if code is None:
                code = code_spans(text)
            if code and _in_code(code, m.start()):
                continue
            closing = bool(m.group("close")) or bool(_CLOSE_PREFIX_RE.search(raw))
            tags.append(Tag(index, m.start(), m.end(), _bare_name(raw), closing, style if deliberation else "unknown"))
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    tags.sort(key=lambda t: t.start)
    return tags


def _pairing_filter(lines: Lines, tags: list[list[Tag]]) -> list[list[Tag]]:
    """Keep the tags that act as tags: angle and pipe tags with a deliberation name always;
    square, lenticular and unknown-name tags only with a partner (or alone on their line)."""
    closers_after: dict[tuple[str, str], int] = {}  # (style, name) -> last line index with a closer
    openers_before: dict[tuple[str, str], int] = {}
    for idx, row in enumerate(tags):
        for t in row:
            key = (t.style, t.name)
            if t.closing:
                closers_after[key] = idx
            else:
                openers_before.setdefault(key, idx)
    out: list[list[Tag]] = []
    for idx, row in enumerate(tags):
        kept: list[Tag] = []
        whole = lines[idx].text.strip() if row else ""
        for t in row:
            if t.style in ("angle", "pipe", "triangle"):
                kept.append(t)
                continue
            key = (t.style, t.name)
            alone = len(whole) <= t.end - t.start and whole == lines[idx].text[t.start : t.end].strip()
            partner = closers_after.get(key, -1) >= idx if not t.closing else openers_before.get(key, len(lines)) <= idx
            if partner or (alone and is_deliberation_name(t.name, STRONG_STEMS)):
                kept.append(t)
        out.append(kept)
    return out


def scan(lines: Lines, barrier: re.Pattern[str] | None = None) -> list[Span]:
    """The reasoning blocks of some lines, in order. A line matching `barrier` (the reader's
    part markers) is never part of a block that a closing tag with no opener ends."""
    return _Scanner(lines, barrier).run()


def strip_tags(text: str) -> str:
    """A line without its reasoning tags (for a line with too many tags to pair)."""
    pieces, pos = [], 0
    for t in line_tags(text, 0):
        if t.style != "unknown":
            pieces.append(text[pos : t.start])
            pos = t.end
    pieces.append(text[pos:])
    return "".join(pieces)


def outside_text(lines: Lines, spans: list[Span]) -> list[str]:
    """Each line's text with the parts inside reasoning blocks taken out."""
    texts = [ln.text for ln in lines]
    for s in reversed(spans):
        for i in range(s.end_line, s.start_line - 1, -1):
            text = texts[i]
            a = s.start_col if i == s.start_line else 0
            b = s.end_col if i == s.end_line else len(lines[i].text)
            texts[i] = text[:a] + text[b:] if i in (s.start_line, s.end_line) else ""
    return texts


class _Scanner:
    def __init__(self, lines: Lines, barrier: re.Pattern[str] | None) -> None:
        self.lines = lines
        self.barrier = barrier
        raw = [line_tags(ln.text, i) for i, ln in enumerate(lines)]
        self.tags = _pairing_filter(lines, raw)
        for opening, closing in deliberation_details(lines):
            for (k, a, b), shut in ((opening, False), (closing, True)):
                self.tags[k] = sorted(self.tags[k] + [Tag(k, a, b, "details", shut, "angle")], key=lambda t: t.start)
        self.spans: list[Span] = []
        self.seam = (0, 0)  # where the text since the last block starts
        self.closes_ahead = self._closes_ahead()
        self.fence_lines = [k for k, ln in enumerate(lines) if is_fence_line(ln)]
        self.never_closed: dict[str, tuple[int, int]] = {}

    def _closes_ahead(self) -> list[bool]:
        """For each line, whether a closing tag comes later before any opening tag."""
        out = [False] * len(self.lines)
        seen = False
        for i in range(len(self.lines) - 1, -1, -1):
            out[i] = seen
            row = [t for t in self.tags[i] if t.style != "unknown"]
            if any(t.closing for t in row):
                seen = True
            elif row:
                seen = False
        return out

    def run(self) -> list[Span]:
        i = 0
        stack: list[Tag] = []  # open blocks; stack[0] is the outermost
        start: tuple[int, int] = (0, 0)
        col = 0
        fence_at = set(self.fence_lines)
        while i < len(self.lines):
            if not stack and col == 0 and not self.tags[i] and i not in fence_at:
                i += 1  # most lines: outside a block, no tag, no fence to skip
                continue
            row = [t for t in self.tags[i] if t.start >= col]
            if len(self.tags[i]) > MAX_TAGS_PER_LINE:
                if not stack:
                    self.spans.append(Span(i, 0, i, len(self.lines[i].text), "tags-only", "", False))
                    i, col = i + 1, 0
                    continue
                row = []
            if not stack:
                skip = self._closed_fence(i) if col == 0 else None
                if skip is not None:
                    i, col = skip + 1, 0
                    continue
                tag = next((t for t in row if t.style != "unknown" or self._unknown_pair(t)), None)
                if tag is None:
                    i, col = i + 1, 0
                    continue
                if tag.closing:
                    self._stray_close(tag)
                    col = tag.end
                    continue
                inline = self._inline_pair(tag)
                if inline is not None:
                    self.spans.append(inline)
                    col = inline.end_col
                    continue
                stack, start, col = [tag], (i, tag.start), tag.end
                continue
            # inside a block: the next tag on this line, or the end of an unclosed block
            tag = next((t for t in row if t.style != "unknown" or t.name == stack[-1].name), None)
            if tag is None:
                if col == 0 and heading(self.lines[i].text) and not self.closes_ahead[i] and i > start[0]:
                    self._add(start, (i, 0), "unclosed", stack[0].name)
                    stack = []
                    continue
                i, col = i + 1, 0
                continue
            col = tag.end
            if not tag.closing:
                stack.append(tag)
                continue
            names = [t.name for t in stack]
            depth = len(names) - 1 - names[::-1].index(tag.name) if tag.name in names else len(names) - 1
            stack = stack[:depth]
            if not stack:
                self._add(start, (i, tag.end), "closed", names[0])
        if stack:
            last = len(self.lines) - 1
            self._add(start, (last, len(self.lines[last].text)), "unclosed", stack[0].name)
        return self.spans

    def _add(self, start: tuple[int, int], end: tuple[int, int], kind: SpanKind, name: str) -> None:
        span = Span(start[0], start[1], end[0], end[1], kind, name, self._has_text(start, end))
        self.spans.append(span)
        self.seam = end

    def _has_text(self, start: tuple[int, int], end: tuple[int, int]) -> bool:
        """Whether a block holds anything besides its own tags."""
        for i in range(start[0], end[0] + 1):
            text = self.lines[i].text
            a = start[1] if i == start[0] else 0
            b = end[1] if i == end[0] else len(text)
            rest, pos = [], a
            for t in self.tags[i]:
                if a <= t.start and t.end <= b:
                    rest.append(text[pos : t.start])
                    pos = t.end
            rest.append(text[pos:b])
            if "".join(rest).strip():
                return True
        return False

    def _closed_fence(self, i: int) -> int | None:
        """The closing line of a code fence opened at line i, when it closes before any
        heading of level 2-6 (a fence that runs past a heading is a leaked, unclosed one)."""
        m = FENCE_RE.match(self.lines[i].text)
        if not m:
            return None
        j, _ = scan_fence(self.lines, i, m.group(1), self.fence_lines, self.never_closed, stop_at_opener=True)
        if j is None:
            return None
        if any((h := heading(self.lines[k].text)) and h[0] >= 2 for k in range(i + 1, j)):
            return None
        return j

    def _unknown_pair(self, tag: Tag) -> bool:
        """An unknown-name opening tag whose block (to its closing tag) is deliberation."""
        if tag.closing:
            return False
        texts: list[str] = []
        for k in range(tag.line, min(len(self.lines), tag.line + 200)):
            text = self.lines[k].text[tag.end :] if k == tag.line else self.lines[k].text
            close = next((t for t in self.tags[k] if t.closing and t.name == tag.name
                          and (k > tag.line or t.start >= tag.end)), None)
            if close is not None:
                texts.append(self.lines[k].text[: close.start] if k > tag.line else text[: close.start - tag.end])
                return holds_deliberation("\n".join(texts))
            texts.append(text)
        return False

    def _inline_pair(self, tag: Tag) -> Span | None:
        """A pair inside one line with text before and after it."""
        text = self.lines[tag.line].text
        if not text[: tag.start].strip():
            return None
        close = next((t for t in self.tags[tag.line] if t.closing and t.start >= tag.end
                      and (t.name == tag.name or t.style != "unknown")), None)
        if close is None or not text[close.end :].strip():
            return None
        inner = bool(text[tag.end : close.start].strip())
        return Span(tag.line, tag.start, tag.line, close.end, "inline", tag.name, inner)

    def _stray_close(self, tag: Tag) -> None:
        """A closing tag with no opener: the text since the last seam was reasoning, unless
        it has headings (then it is content and only the tag goes)."""
        i = tag.line
        first = self.seam
        while first[0] < i and not self.lines[first[0]].text[first[1] :].strip():
            first = (first[0] + 1, 0)  # the seam at the end of a line: the block starts on the next
        if self.barrier is not None:
            for k in range(i, first[0] - 1, -1):
                if self.barrier.match(self.lines[k].text):
                    first = (k + 1, 0)
                    break
        body = []
        for k in range(first[0], i + 1):
            text = self.lines[k].text
            a = first[1] if k == first[0] else 0
            b = tag.start if k == i else len(text)
            if text[a:b].strip():
                body.append(text[a:b])
        if body and not any(heading(t) for t in body) and first <= (i, tag.start):
            self._add(first, (i, tag.end), "before-stray-close", tag.name)
        else:
            self._add((i, tag.start), (i, tag.end), "stray-close", tag.name)
