"""Deterministic and idempotent: the same record gives the same JSON bytes whatever the
hash seed and time zone; cleaning a cleaned record changes nothing and reports nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given

from publisher.clean import clean_content, join_generations
from publisher.errors import PublishError
from publisher.read import read_record
from publisher.source import SourceLine
from tests.hardening.profile import examples
from tests.hardening.records import ROOT, all_records, mutated_lines, regressions

ENVIRONMENTS = [
    {"PYTHONHASHSEED": "0", "TZ": "UTC", "LC_ALL": "C.UTF-8"},
    {"PYTHONHASHSEED": "12345", "TZ": "Asia/Shanghai", "LC_ALL": "C.UTF-8"},
    {"PYTHONHASHSEED": "random", "TZ": "America/Los_Angeles", "LANG": "en_US.UTF-8"},
]


def _publish_json(records: list[Path], out: Path, env: dict[str, str]) -> dict[str, bytes]:
    out.mkdir()
    full = {k: v for k, v in os.environ.items() if k not in ("PYTHONHASHSEED", "TZ", "LC_ALL", "LANG")}
    full.update(env, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "publisher", *map(str, records), "--to", "json", "-o", str(out), "-q"],
                          env=full, capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_json_is_byte_identical_across_hash_seeds_and_time_zones(tmp_path):
    records = all_records()
    runs = [_publish_json(records, tmp_path / f"run{i}", env) for i, env in enumerate(ENVIRONMENTS)]
    assert len(runs[0]) == len(records)
    for other in runs[1:]:
        assert other.keys() == runs[0].keys()
        for name in runs[0]:
            assert other[name] == runs[0][name], f"{name} differs between environments"


# --------------------------------------------------------------------------- idempotence
def reclean(lines: list[str]) -> tuple[list[list[str]], list[list[str]], list[str]]:
    """(generations after cleaning, after cleaning them again, messages of the second pass).

    The cleaned generations are joined with the separator the pipeline puts between them;
    those separator lines are numbered 0, so a note about them alone (the empty-pair
    summary) is no change to author text and is not counted."""
    record = read_record("\n".join(lines), "r.txt").value
    first = clean_content(record.content)
    second = clean_content(join_generations(first.value))
    notes = [f"{m.rule} {m.line}-{m.end_line}: {m.message}: {m.excerpt}" for m in second.messages if m.line]
    return ([[ln.text for ln in g] for g in first.value],
            [[ln.text for ln in g] for g in second.value], notes)


@pytest.mark.parametrize("path", all_records() + regressions(), ids=lambda p: p.name)
def test_cleaning_a_cleaned_record_changes_nothing(path):
    text = path.read_bytes().decode("utf-8-sig", "replace").replace("\r\n", "\n")
    before, after, notes = reclean(text.split("\n"))
    assert notes == []
    assert after == before


@examples(300)
@given(mutated_lines())
def test_cleaning_a_cleaned_mutated_record_changes_nothing(lines):
    try:
        before, after, notes = reclean(lines)
    except PublishError:
        return
    assert notes == []
    assert after == before


def test_the_idempotence_check_sees_a_rule_that_keeps_changing(monkeypatch):
    """The check can fail: a rule that trims one more character every pass is caught."""
    import publisher.clean as clean
    from publisher.model import Message

    def nibble(lines):
        out = [SourceLine(ln.no, ln.text[:-1]) if ln.text.endswith("。") else ln for ln in lines]
        changed = [ln for ln, o in zip(lines, out, strict=True) if ln.text != o.text]
        return out, [Message("nibble", "info", c.no, c.no, c.text, "x") for c in changed[:1]]

    monkeypatch.setattr(clean, "RULES", clean.RULES + [("nibble", nibble)])
    _, _, notes = reclean(all_records()[0].read_text(encoding="utf-8").split("\n"))
    assert notes
