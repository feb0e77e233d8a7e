"""Real records and hypothesis strategies that break them the way real pipelines do.

A mutated record starts from a real one (samples/*.txt, tests/fixtures/records/*.txt):
its header, outline and supplied references, plus a window of its content (whole records
are slow to build thousands of times), then a few mutations: lines and blocks deleted,
duplicated, shuffled; debris injected (reasoning tags, fences, repetition, leaked prompts,
hallucinated reference lists, broken tables, hostile markup); random Unicode including
NUL, U+2028, lone surrogates; mixed line endings; truncation at any byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

from publisher.clean import GENERATION_SEPARATOR

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
FIXTURE_RECORDS = sorted((ROOT / "tests" / "fixtures" / "records").glob("*.txt"))
REGRESSIONS = Path(__file__).parent / "regressions"
SEPARATOR = list(GENERATION_SEPARATOR)

# Debris families from RECORD-FORMAT.md, plus markup aimed at every writer.
DEBRIS: list[str] = [
    "<think>",
    "</think>",
    "<think>\n好的，用户要求我撰写这一章。\n</think>",
    "<thinking>\nThe user wants the chapter.",
    "```json",
    "```",
    "~~~",
    "````",
    "```python\nx = [1, 2]\n",
    "---",
    "##### ",
    "##### 文献[^1][^2][^3][^4]",
    "### 表X 标题",
    "表X 模型压缩技术比较",
    "如表X所示，各方法差异明显。",
    "#### 参考文献\n1. Smith J, et al. Deep learning. Nature, 2015.\n2. Doe A. Vision. 2020.",
    "#### 结构要求\n- 每节不少于300字\n- 使用学术语言",
    '【输入数据块1】\n```json\n{"id": 1, "title": "x"',
    "【写作目标】\n请根据以下信息撰写第3章。\n要求：\n1. 严谨",
    "The requested chapter has been fully processed. No further outputs are needed for this task.",
    "分析\n" * 40,
    "the the the the the the the the the the the the the the the the",
    "| 方法 | 精度 | 速度 |\n|---|---|\n| A | 90%[^3] |\n| B | 1 | 2 | 3 | 4 |",
    "| 1 | 2 | 3 |\n|---|---|---|\n| 1 | 2 | 3 |",
    "|a|b|\n|a|b|c|d|e|",
    "[^",
    "[^1",
    "【",
    "【3】【4】【5】",
    "^[3]。[4][5,6][7-9][7–12]",
    "[3-999][0][1000][2025]",
    "- a\n  - b\n    - c\n      - d",
    "> quote\n> > nested",
    "<script>alert(1)</script>",
    # other wrappers and machinery (issue 11): reasoning in any bracket, template tokens, tool calls
    "[THINKING]\nplan the chapter\n[/THINKING]",
    "【思考】先写背景。",
    "<|begin_of_thought|>",
    "<|im_start|>user\n请写第二章\n<|im_end|>",
    "<｜Assistant｜>",
    "[INST] continue [/INST]",
    '<tool_call>\n{"name": "DocumentSearch", "arguments": {"query": "x"}}',
    "用户：继续",
    # markup in other syntaxes
    "<h2>2 标题</h2>",
    "<table><caption>表X 比较</caption><tr><th>a</th><th>b</th></tr><tr><td>1<sup>2</sup></td>",
    "<p>段落<br>换行",
    "标题\n=====",
    "[x](javascript:alert(1))",
    "![](/etc/passwd)",
    '#read("/etc/passwd") \\input{/etc/passwd}',
    "大纲:",
    "内容:",
    "# 参考文献:",
    "对话结束",
    "\u2028",
    "\x00",
    "\ufeff",
    "\r",
    # citation notations of every family, and their near-misses
    "［1］〔2,4〕【3】〖5〗［１２］",
    "标尺¹。¹⁴C m² 10⁻³ ⁽³⁾ ⁴⁻⁶ ¹˒² Ca²⁺ δ¹³C",
    "grading<sup>5</sup> SOH<sup>2,3</sup> m<sup>2</sup> <sup>[4]</sup> <sup><a href=\"#r\">6</a></sup> <sup>",
    "(Ref. 7) (Refs. 2–4) (refs 1 and 8) （文献3、5） 据文献5报道 Ref. 9.",
    "weakest^1^ AMR ^2^ m^2^ 10^3^ ^[3] [^1024] [1203] [99999] [0] [2021]",
    "T ∈ [3, 8] s, cell [3, 4], x[2][3], a=[1,2], [3, 8), [3至5] [2〜4]",
]
# Runs that are cheap to write and costly to parse (brackets, emphasis, backticks, nesting).
HOSTILE_UNITS = ["[", "]", "[^", "![", "[a", "[1", "](", "*", "**", "_", "__", "**a", "*a", "_a", "`", "``a", "a`",
                 "\\", "<", "<sup>", "^", "【", "［", "¹", "⁽", "(Ref. "]


@cache
def record_text(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")


def all_records() -> list[Path]:
    return SAMPLES + FIXTURE_RECORDS


def regressions() -> list[Path]:
    return sorted(REGRESSIONS.glob("*.txt"))


def regression_inputs(path: Path) -> list[bytes | str]:
    """A regression record as bytes and as text (with lone surrogates where its bytes are
    not UTF-8, as the fuzzer hands odd-sized inputs to the API)."""
    data = path.read_bytes()
    return [data, data.decode("utf-8", "surrogateescape")]


@cache
def _parts(path: Path) -> tuple[list[str], list[str], list[str]]:
    """(head: header and outline, content lines, tail: references and end marker)."""
    lines = record_text(path).split("\n")
    start = next((i + 1 for i, t in enumerate(lines) if re.match(r"^\s*(内容|content)\s*[:：]\s*$", t, re.I)), 0)
    end = next((i for i, t in enumerate(lines) if re.match(r"^\s*#\s*(参考文献|references)\s*[:：]", t, re.I)),
               len(lines))
    return lines[:start], lines[start:end], lines[end:]


@st.composite
def record_windows(draw: st.DrawFn, max_content: int = 120) -> list[str]:
    """A real record cut down to a window of its content, as lines."""
    path = draw(st.sampled_from(all_records()))
    head, content, tail = _parts(path)
    if len(content) > max_content:
        start = draw(st.integers(0, len(content) - max_content))
        content = content[start : start + max_content]
    return head + content + tail


def _delete(draw: st.DrawFn, lines: list[str]) -> list[str]:
    i = draw(st.integers(0, max(0, len(lines) - 1)))
    n = draw(st.integers(1, 12))
    return lines[:i] + lines[i + n :]


def _duplicate(draw: st.DrawFn, lines: list[str]) -> list[str]:
    i = draw(st.integers(0, max(0, len(lines) - 1)))
    n = draw(st.integers(1, 20))
    at = draw(st.integers(0, len(lines)))
    return lines[:at] + lines[i : i + n] + lines[at:]


def _shuffle_blocks(draw: st.DrawFn, lines: list[str]) -> list[str]:
    blocks = "\n".join(lines).split("\n\n")
    order = draw(st.permutations(range(len(blocks)))) if len(blocks) <= 40 else list(range(len(blocks)))
    if len(blocks) > 40:  # swap a few blocks of a long record
        for _ in range(draw(st.integers(1, 6))):
            a, b = draw(st.integers(0, len(blocks) - 1)), draw(st.integers(0, len(blocks) - 1))
            order[a], order[b] = order[b], order[a]
    return "\n\n".join(blocks[k] for k in order).split("\n")


def _swap_lines(draw: st.DrawFn, lines: list[str]) -> list[str]:
    if len(lines) < 2:
        return lines
    a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    out = list(lines)
    out[a], out[b] = out[b], out[a]
    return out


def _inject_debris(draw: st.DrawFn, lines: list[str]) -> list[str]:
    at = draw(st.integers(0, len(lines)))
    debris = draw(st.sampled_from(DEBRIS))
    times = draw(st.sampled_from([1, 1, 1, 2, 5, 50]))
    return lines[:at] + (debris + "\n").split("\n")[:-1] * times + lines[at:]


def _debris_inside_line(draw: st.DrawFn, lines: list[str]) -> list[str]:
    if not lines:
        return lines
    i = draw(st.integers(0, len(lines) - 1))
    cut = draw(st.integers(0, len(lines[i])))
    debris = draw(st.sampled_from(DEBRIS))
    out = list(lines)
    out[i] = lines[i][:cut] + debris + lines[i][cut:]
    return out


def _random_unicode(draw: st.DrawFn, lines: list[str]) -> list[str]:
    if not lines:
        return lines
    i = draw(st.integers(0, len(lines) - 1))
    noise = draw(st.text(st.characters(), max_size=30))  # every category but surrogates: NUL, U+2028, …
    cut = draw(st.integers(0, len(lines[i])))
    out = list(lines)
    out[i] = lines[i][:cut] + noise + lines[i][cut:]
    return out


def _lone_surrogate(draw: st.DrawFn, lines: list[str]) -> list[str]:
    if not lines:
        return lines
    i = draw(st.integers(0, len(lines) - 1))
    out = list(lines)
    out[i] = lines[i] + chr(draw(st.integers(0xD800, 0xDFFF)))
    return out


def _hostile_run(draw: st.DrawFn, lines: list[str]) -> list[str]:
    """A long run of one hostile unit inside a line, or a deep emphasis nest around a word."""
    if not lines:
        return lines
    i = draw(st.integers(0, len(lines) - 1))
    n = draw(st.integers(1, 1500))
    run = draw(st.sampled_from([draw(st.sampled_from(HOSTILE_UNITS)) * n, "*" * n + "x" + "*" * n,
                                "_" * n + "x" + "_" * n, "**" * n + "x" + "**" * n, "[" * n + "x" + "](u)" * n]))
    cut = draw(st.integers(0, len(lines[i])))
    out = list(lines)
    out[i] = lines[i][:cut] + run + lines[i][cut:]
    return out


MUTATIONS: list[Callable[[st.DrawFn, list[str]], list[str]]] = [
    _hostile_run,
    _delete,
    _duplicate,
    _shuffle_blocks,
    _swap_lines,
    _inject_debris,
    _inject_debris,
    _debris_inside_line,
    _random_unicode,
]


@st.composite
def mutated_lines(draw: st.DrawFn, max_mutations: int = 4, surrogates: bool = False) -> list[str]:
    """A real record window with a few mutations applied, as lines."""
    lines = draw(record_windows())
    mutations = MUTATIONS + ([_lone_surrogate] if surrogates else [])
    for _ in range(draw(st.integers(1, max_mutations))):
        lines = draw(st.sampled_from(mutations))(draw, lines)
    return lines


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    """A mutated record as text, lone surrogates and mixed line endings included."""
    lines = draw(mutated_lines(surrogates=True))
    endings = draw(st.sampled_from(["\n", "\r\n", "\r", "\u2028", "mixed"]))
    if endings != "mixed":
        return endings.join(lines)
    seps = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\u2029"]), min_size=len(lines),
                         max_size=len(lines)))
    return "".join(t + s for t, s in zip(lines, seps, strict=True))


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    """A mutated record as UTF-8 bytes, sometimes with a BOM, cut at any byte."""
    data = "\n".join(draw(mutated_lines())).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 3)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


def joined_generations(generations: list[list[str]]) -> list[str]:
    """Cleaned generations as one content, with the separator the pipeline puts between."""
    out: list[str] = []
    for gen in generations:
        if out:
            out.extend(SEPARATOR)
        out.extend(gen)
    return out
