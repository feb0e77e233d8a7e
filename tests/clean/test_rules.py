"""Each cleaning rule on its own, against the fixture cases in tests/fixtures/clean/<rule>.txt."""

from __future__ import annotations

import pytest

from publisher.clean import RULE_NAMES, apply_rule
from publisher.source import SourceLine
from tests.casefile import Case, cases_in

CASES = [(rule, case) for rule in RULE_NAMES for case in cases_in("clean", f"{rule}.txt")]


def lines_of(text: str) -> list[SourceLine]:
    return [SourceLine(i + 1, t) for i, t in enumerate(text.split("\n"))]


def significant(lines: list[str]) -> list[str]:
    return [ln.rstrip() for ln in lines if ln.strip()]


def test_every_rule_has_cases() -> None:
    have = {rule for rule, _ in CASES}
    assert have == set(RULE_NAMES), f"rules without fixture cases: {set(RULE_NAMES) - have}"
    for rule in RULE_NAMES:
        assert sum(1 for r, _ in CASES if r == rule) >= 10, rule


@pytest.mark.parametrize(("rule", "case"), CASES, ids=[str(c) for _, c in CASES])
def test_rule_case(rule: str, case: Case) -> None:
    source = case.text("input")
    kept, messages = apply_rule(rule, lines_of(source))
    got = significant([ln.text for ln in kept])
    want = significant(case.sections.get("expect", []))
    assert got == want
    changed = significant(source.split("\n")) != want
    if changed:
        assert messages, "a rule that changes the text must say so in the report"
        assert all(m.rule == rule for m in messages)
    else:
        assert not messages, f"nothing to remove, yet the rule reported {messages}"


@pytest.mark.parametrize(("rule", "case"), CASES, ids=[str(c) for _, c in CASES])
def test_rule_is_idempotent(rule: str, case: Case) -> None:
    once, _ = apply_rule(rule, lines_of(case.text("input")))
    twice, messages = apply_rule(rule, once)
    assert [ln.text for ln in twice] == [ln.text for ln in once]
    assert not messages
