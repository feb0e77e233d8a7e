"""Bounded cost: pathological records finish in time roughly linear in their size, or are
refused. Each case compares CPU time at size n and 2n (tests/hardening/cost.py): no
wall-clock limit that a slow machine would break, but a quadratic rule fails every time."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Callable

import pytest

from publisher import cli
from publisher.errors import InputError, PublishError
from publisher.pipeline import BuildOptions, build_document
from publisher.read import DEFAULT_MAX_BYTES
from tests.hardening.cost import assert_linear, calibrated
from tests.hardening.records import ROOT, SAMPLES

HEAD = "大纲:\n# 标题\n## 1 引言\n## 2 方法\n内容:\n# 标题\n## 1 引言\n"
TAIL = "\n# 参考文献:\n" + "".join(f"[{i}] Title {i}. 2024.\n" for i in range(1, 1000)) + "对话结束\n"


def record(body: str) -> str:
    return HEAD + body + TAIL


def build(text: str) -> None:
    with contextlib.suppress(PublishError):
        build_document(text, name="big.txt", options=BuildOptions(max_bytes=200 * 1024 * 1024))


def builder(text: str) -> Callable[[], None]:
    """The timed work for one input: the input is made before, outside the timing."""
    return lambda: build(text)


def _table(cols: int) -> str:
    return ("表1 宽表\n|" + "|".join(f"h{i}" for i in range(cols)) + "|\n|" + "---|" * cols + "\n|"
            + "|".join(f"c{i}[{i % 999 + 1}]" for i in range(cols)) + "|\n")


# name -> (record body at size n, n); sizes keep one case well under ten seconds
CASES: dict[str, tuple[object, int]] = {
    "repetition loop, 100k lines": (lambda n: "分析\n" * n, 50_000),
    "repeated sentence paragraphs": (lambda n: "这是一个重复的句子[^1]。\n\n" * n, 4_000),
    "10k-column table": (_table, 5_000),
    "table of many rows": (lambda n: "|a|b|\n|---|---|\n" + "|x[^1]|y|\n" * n, 4_000),
    "table of separator rows": (lambda n: "|a|b|\n" + "|---|---|\n" * n, 4_000),
    "grid table borders without rows": (lambda n: "+---+---+\n" * n, 4_000),
    "grid table of many rows": (lambda n: "+---+---+\n| a | b |\n+===+===+\n" + "| x[1] | y |\n+---+---+\n" * n, 2_000),
    "collapsibles never closed": (lambda n: "<details><summary>Thinking</summary>\n我需要先写引言。\n" * n, 2_000),
    "50k citations in one paragraph": (lambda n: "".join(f"句子。[{i % 999 + 1}]" for i in range(n)) + "\n", 25_000),
    "adjacent citation markers": (lambda n: "文本" + "".join(f"[{i % 999 + 1}]" for i in range(n)) + "。\n", 10_000),
    "unclosed fences with info": (lambda n: "```a\n" * n, 4_000),
    "unclosed fences and headings": (lambda n: "````\n```\n# h\n" * n, 2_000),
    "unclosed JSON fences": (lambda n: "```json\n[\n# h\n" * n, 2_000),
    "reasoning pairs between chapters": (lambda n: "<think>\n\n</think>\n## 1 引言\n正文。\n" * n, 2_000),
    "headings": (lambda n: "#### 1.1 小节\n正文。\n" * n, 3_000),
    "leaked prompt markers": (lambda n: "要求：\n- a\n【输入数据块】\n" * n, 4_000),
    "invented reference lists": (lambda n: "#### 参考文献\n" + "1. Smith J, et al. X. 2015.\n" * n, 8_000),
    "chatter": (lambda n: "No further outputs are needed for this task.\n" * n, 8_000),
    "caption lines": (lambda n: "表X 标题\n" * n, 8_000),
}
# one line of about a megabyte at 2n, made of each regex-hostile unit
LONG_LINE_UNITS = ["字", "[", "[^", "【", "表", "|", "*", "```", "<think>", "</think>", " ", "[1", "#", "_a ",
                   "**a", "`a", "。", "a. ", "e.g. ", "句子。[1]", "啊啊啊啊啊啊x", "a<think>x</think>b",
                   # bracket, emphasis and backtick runs (issue 12 item 2) and every citation notation
                   "![", "[a", "](", "[x](", "![a](", "[[1]", "x[1]", "\\[", "*a*", "***a", "a`", "``a", "_a",
                   "a_b_", "1*", "［1］", "〔2,4〕", "¹", "标尺¹", "⁽³⁾", "<sup>1</sup>", "^1^", "(Ref. 1) ",
                   "文献1", "m²", "T ∈ [3, 8] s "]
# the same units mixed at random: no repetition rule removes the run before inline parsing
HOSTILE_MIX = ["*", "**", "_", "[", "]", "`", "![", "](", "<", "^", "\\", "¹", "［", "(Ref. "]


@pytest.mark.parametrize("name", list(CASES))
def test_pathological_record_costs_linear_time(name):
    body, n = CASES[name]
    assert_linear(lambda k: builder(record(body(k))), n, name, repeat=1)


@pytest.mark.parametrize("unit", LONG_LINE_UNITS)
def test_one_megabyte_line_costs_linear_time(unit):
    """Measured at the size this machine builds in about 0.15 s, up to half a megabyte (so a
    megabyte at 2n); markdown-it alone needs seconds for a megabyte of `[`."""

    def make(k: int) -> Callable[[], None]:
        return builder(record(unit * k + "\n"))

    per_unit = len(unit.encode("utf-8"))
    n = calibrated(make, 16 * 1024 // per_unit, 512 * 1024 // per_unit)
    assert_linear(make, n, f"{unit!r} line", repeat=1, floor=0.02)


def _mixed(n: int, units: list[str]) -> str:
    """n units of `units` and letters in a fixed pseudo-random order."""
    state, out = 12345, []
    for _ in range(n):
        state = (state * 1103515245 + 12345) % 2**31
        out.append(units[state % len(units)] + "abcdefghij一二三四五六"[state % 16])
    return "".join(out)


def test_mixed_hostile_line_costs_linear_time():
    def make(k: int) -> Callable[[], None]:
        return builder(record(_mixed(k, HOSTILE_MIX) + "\n"))

    assert_linear(make, calibrated(make, 4_000, 200_000), "mixed hostile line", repeat=1, floor=0.02)


@pytest.mark.parametrize("mark", ["*", "**", "_", "["])
def test_deep_nesting_of_one_mark_costs_linear_time(mark):
    """`'*' * n + 'x' + '*' * n` nests n/2 levels of emphasis (issue 12 item 4)."""
    def make(k: int) -> Callable[[], None]:
        close = "](http://a.example)" if mark == "[" else mark
        return builder(record(mark * k + "x" + close * k + "\n"))

    assert_linear(make, calibrated(make, 1_000, 100_000), f"{mark!r} nest", repeat=1, floor=0.02)


# bracket runs cost about as much as prose in inline parsing: each `[` that cannot open a link
# is hidden from markdown-it's link scan (publisher/markdown/brackets.py). Before that, a
# megabyte of `[` cost 30 to 50 times a megabyte of prose.
BRACKET_UNITS = ["[", "[^", "![", "[a", "[x](", "![a](", "[[1]", "](", "【[", "[" * 20 + "x"]
MAX_BRACKET_COST = 10  # times the cost of the same number of bytes of prose


@pytest.mark.parametrize("unit", BRACKET_UNITS)
def test_bracket_runs_cost_about_what_prose_costs(unit):
    """A ratio of CPU times on this machine, not a wall-clock limit."""
    from publisher.assemble.blocks import parse_blocks
    from publisher.source import SourceLine
    from tests.hardening.cost import cpu_time

    size = 120_000
    prose = "深度学习方法在图像识别中取得了显著进展[3]，但其可解释性仍然不足；"

    def work(text: str) -> Callable[[], object]:
        lines = [SourceLine(1, text)]
        return lambda: parse_blocks(lines, frozenset(range(1, 50)))

    def sized(u: str) -> str:
        return u * (size // len(u.encode("utf-8")))

    work(sized(unit)[:1000])()  # warm up
    ratio = min(cpu_time(work(sized(unit))) / max(cpu_time(work(sized(prose))), 1e-4) for _ in range(2))
    assert ratio < MAX_BRACKET_COST, f"{unit!r}: {ratio:.1f} times the cost of prose"


def test_a_megabyte_of_prose_on_one_line_publishes():
    sentence = "深度学习方法在图像识别中取得了显著进展[3]，但其可解释性仍然不足；"
    line = sentence * (1024 * 1024 // len(sentence.encode("utf-8")))
    doc = build_document(record(line + "。\n"), name="line.txt")
    assert doc.sections and len(str(doc.to_dict())) > 900_000


def test_table_parser_costs_linear_time_in_separator_rows():
    """Measured on the parser alone, where the pipeline's linear work cannot hide it."""
    from publisher.markdown.pipe_tables import parse_table
    from publisher.source import SourceLine

    def make(k: int) -> Callable[[], object]:
        lines = [SourceLine(i + 1, "|---|---|" if i else "|a|b|") for i in range(k)]
        return lambda: parse_table(lines)

    assert_linear(make, 20_000, "parse_table on separator rows", repeat=1)


def test_citation_parser_costs_linear_time_in_markers():
    """`x [3]` is data or a citation depending on the few characters before the bracket;
    looking at the whole text before each marker made this quadratic."""
    from publisher.markdown.notation import split_citations

    def make(k: int) -> Callable[[], object]:
        text = "".join(f"句子。x [{i % 999 + 1}]" for i in range(k))
        return lambda: split_citations(text)

    assert_linear(make, 8_000, "split_citations", repeat=1)



def test_citation_context_costs_linear_time_in_markers():
    """The context checks (units, formulas, naming verbs, identifiers glued to a bracket, the
    prose after it) look at a fixed window around each marker, whatever follows it."""
    from publisher.markdown.notation import split_citations

    units = ["actions[3] is ", "记为[2]", "50 μg/L［7］", "LiCl[4]", "12%²", "路径^7,9^", "[7，13]", "buffers[2]   "]

    def make(k: int) -> Callable[[], object]:
        text = "".join(units[i % len(units)] for i in range(k))
        return lambda: split_citations(text, frozenset(range(1, 11)))

    assert_linear(make, 8_000, "split_citations in context", repeat=1)

def test_deep_list_nesting_costs_linear_time_in_its_size():
    """1000 levels of "- " indentation: the input grows with depth squared."""

    def body(depth: int) -> str:
        return "".join("  " * i + f"- item {i}\n" for i in range(depth))

    assert_linear(lambda k: builder(record(body(k))), 500, "deep list", repeat=1,
                  size=lambda k: len(body(k)))


def test_deep_nesting_keeps_every_item():
    doc = build_document(record("".join("  " * i + f"- item{i}\n" for i in range(1000)) + "\n之后的段落。\n"),
                         name="deep.txt")
    text = str(doc.to_dict())
    assert all(f"item{i}" in text for i in range(1000)) and "之后的段落" in text
    assert any(m.rule == "deep-nesting" for m in doc.report)


# --------------------------------------------------------------------------- size limits
def test_record_over_the_limit_is_refused_before_reading(tmp_path, capsys):
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.write(SAMPLES[0].read_bytes())
        fh.truncate(DEFAULT_MAX_BYTES + 1024 * 1024)  # 21 MB, the tail NUL-padded
    assert cli.main([str(big), "--to", "json", "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "huge.txt" in err[0] and "limit" in err[0] and "--max-size" in err[0]
    assert not (tmp_path / "out").exists()
    with pytest.raises(InputError, match="limit"):
        build_document(big.read_bytes(), name="huge.txt")


def test_five_megabyte_record_is_accepted_and_published(tmp_path):
    """A record of about 5 MB (the real samples' chapters many times over) publishes to JSON
    through the CLI, under the default limit, in a subprocess with a generous time-out."""
    text = SAMPLES[0].read_text(encoding="utf-8")
    head, rest = text.split("内容:\n", 1)
    content, refs = rest.split("# 参考文献:", 1)
    copies = 5 * 1024 * 1024 // len(content.encode("utf-8"))
    big = tmp_path / "five.txt"
    big.write_text(head + "内容:\n" + content * copies + "# 参考文献:" + refs, encoding="utf-8")
    assert 4.5 * 1024 * 1024 < big.stat().st_size < DEFAULT_MAX_BYTES
    proc = subprocess.run([sys.executable, "-m", "publisher", str(big), "--to", "json", "-q", "-o", str(tmp_path)],
                          cwd=ROOT, capture_output=True, timeout=240)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert (tmp_path / "five.json").stat().st_size > 100_000
