"""Every module-level regex of the reader, the cleaning rules, notation, tables and
assembly stays linear on regex-hostile strings: long runs of `[`, `[^`, `【`, `表`, `|`,
`*`, backticks, `<think>`, spaces, after each prefix that makes an anchored pattern start
matching. A pattern found here super-linear is a denial of service by one crafted line."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import publisher
from tests.hardening.cost import assert_linear, cpu_time

# every module that reads the record: all stages before render, and what sits below them
MODULES = [
    m.name for m in pkgutil.walk_packages(publisher.__path__, "publisher.")
    if not m.name.startswith(("publisher.render", "publisher.service", "publisher.__main__"))
]


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found: dict[int, tuple[str, re.Pattern[str]]] = {}
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.setdefault(id(value), (f"{name}.{attr}", value))
    return sorted(found.values(), key=lambda x: x[0])


UNITS = ["[", "[^", "【", "表", "|", "*", "```", "<think>", " ", "\t", "#", "[1,", "【1，", "-", "。", "_", "`",
         "a ", "分析", "**", "(", "1."]
PREFIXES = ["", "# ", "表1 ", "Table 1", "结构要求", "请根据", "关键词：", "**摘要**", "[1", "|", "（发布时间：",
            "如表", "x"]
N = 1500


@pytest.mark.parametrize(("name", "pattern"), _patterns(), ids=[n for n, _ in _patterns()])
def test_pattern_is_linear_on_hostile_strings(name, pattern):
    for prefix in PREFIXES:
        for unit in UNITS:
            for suffix in ("", "\x01"):  # \x01: nothing matches it, so the pattern must fail and backtrack

                def make(size: int, prefix: str = prefix, unit: str = unit, suffix: str = suffix):
                    text = prefix + unit * (size // len(unit)) + suffix
                    return lambda: (pattern.match(text), pattern.findall(text))

                assert_linear(make, N, f"{name} on {prefix!r} + {unit!r}*n + {suffix!r}", floor=0.002, repeat=1)


def test_the_check_sees_a_backtracking_pattern():
    """The check must see a backtracking pattern at a size where it costs more than the floor.
    The pattern is cubic on a run of spaces (doubling the input costs ~8x, where a quadratic
    one measured between 3.0x and 4.9x here, too close to the 3x limit for a loaded machine),
    and the size is doubled until it costs 20 ms, ten times the floor on any machine."""
    bad = re.compile(r"^\s*[*\s]*[\s*]*x")

    def make(n: int):
        text = " " * n
        return lambda: bad.match(text)

    n = 100
    while cpu_time(make(n), 1) < 0.02 and n < 64 * N:
        n *= 2
    with pytest.raises(AssertionError, match="super-linear"):
        assert_linear(make, n, "bad", floor=0.002, repeat=3)
