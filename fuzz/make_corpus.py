"""Seed corpus for fuzz/fuzz_pipeline.py: the real samples, each sample's chapters as small
records (small inputs fuzz faster), every fixture case wrapped into a record, the fixture
records and the hardening regressions. Run from the project root:

    .venv/bin/python fuzz/make_corpus.py        # writes fuzz/corpus/<sha1>
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.casefile import load_cases  # noqa: E402

OUT = ROOT / "fuzz" / "corpus"
HEAD = ("回调数据记录\n==============================\n接收时间: 2025-11-21 19:18:36\n主题: T\nUUID: abc\n\n"
        "大纲:\n# T\n## 1. 引言\n## 2. 方法\n内容:\n")
TAIL = "\n# 参考文献:\n[1] A. 2024.\n[2] B. 2023.\n[3] C.\n对话结束\n"


# bracket, emphasis and backtick runs, deep nests and every citation notation (issue 12 items 2, 4)
HOSTILE_RUNS = [
    "[" * 300, "[^" * 200, "![" * 200, "![a](" * 100, "[x](" * 100, "*" * 300 + "x" + "*" * 300,
    "**" * 150 + "x" + "**" * 150, "_" * 300 + "x" + "_" * 300, "`" * 300, "``a" * 100, "a`" * 100,
    "[" * 100 + "x" + "](http://a.example)" * 100, "\\[" * 200, "<" * 200, "^" * 200,
    "标尺¹。¹⁴C m² 10⁻³ ⁽³⁾ ⁴⁻⁶ ¹˒² Ca²⁺ δ¹³C［1］〔2,4〕【3】〖5〗［１２］",
    "grading<sup>5</sup> SOH<sup>2,3</sup> m<sup>2</sup> <sup>[4]</sup> (Ref. 7) (Refs. 2–4) （文献3、5） 据文献5报道",
    "weakest^1^ AMR ^2^ m^2^ [^1024] [1203] [0] [2021] T ∈ [3, 8] s, cell [3, 4], x[2][3], a=[1,2]",
]


def put(data: bytes) -> None:
    (OUT / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for sample in sorted((ROOT / "samples").glob("*.txt")):
        data = sample.read_bytes()
        put(data)
        for piece in re.split(r"<think>\n\n</think>", data.decode("utf-8")):
            put((HEAD + piece[:4000] + TAIL).encode("utf-8"))
    for fixture in sorted((ROOT / "tests" / "fixtures").rglob("*.txt")):
        try:
            cases = load_cases(fixture)
        except (ValueError, KeyError, UnicodeDecodeError):
            continue  # not a case file (a whole record): added below
        for case in cases:
            put((HEAD + case.text("input") + TAIL).encode("utf-8"))
    for record in sorted((ROOT / "tests" / "fixtures" / "records").glob("*.txt")):
        put(record.read_bytes())
    for regression in sorted((ROOT / "tests" / "hardening" / "regressions").glob("*.txt")):
        put(regression.read_bytes())
    for run in HOSTILE_RUNS:  # small seeds: the fuzzer grows them
        put((HEAD + "## 1. 引言\n" + run + "\n" + TAIL).encode("utf-8"))
    print(f"{len(list(OUT.iterdir()))} inputs in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
