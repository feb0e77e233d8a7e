"""The test corpus every whole-record writer test runs on: the samples, the nasty records
(tests/fixtures/records) and the unseen set 1 records that publish (each with an .expect.json)."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def corpus() -> list[Path]:
    records = sorted((ROOT / "samples").glob("*.txt"))
    for folder in (ROOT / "tests/fixtures/records", ROOT / "tests/fixtures/unseen/set1"):
        for path in sorted(folder.glob("*.txt")):
            expect = path.with_suffix(".expect.json")
            if expect.exists() and not json.loads(expect.read_text(encoding="utf-8")).get("refuse"):
                records.append(path)
    return records


CORPUS = corpus()
IDS = [p.name for p in CORPUS]
