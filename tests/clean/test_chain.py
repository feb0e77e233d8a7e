"""The chain driver: one pass of every rule, second looks by the rules that need them."""

from __future__ import annotations

import pytest

import publisher.clean as clean
from publisher.clean import clean_content, join_generations
from publisher.source import SourceLine


def lines_of(text: str) -> list[SourceLine]:
    return [SourceLine(i + 1, t) for i, t in enumerate(text.split("\n"))]


def texts(generations: list[list[SourceLine]]) -> list[list[str]]:
    return [[ln.text for ln in g] for g in generations]


# a cut at the end makes the labelled line the generation's last paragraph: only then is it
# the machinery's role label at the edge (inside a chapter a labelled line is kept)
EDGE_EXPOSED = "## 1 引言\n\n正文句子[1]。\n\nAssistant: 以下是修改后的内容。\n\n这是一个没有结束的段落"


def test_a_rule_that_weighs_the_edges_looks_again_when_a_later_cut_moves_an_edge() -> None:
    once = clean_content(lines_of(EDGE_EXPOSED))
    twice = clean_content(join_generations(once.value))
    assert texts(twice.value) == texts(once.value)
    assert [m.rule for m in twice.messages if m.line] == []
    assert not any("Assistant:" in ln.text for g in once.value for ln in g)


def test_without_the_edge_look_the_same_record_is_not_idempotent(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: with no edge rules the second clean still finds the label."""
    monkeypatch.setattr(clean, "EDGE_RULES", frozenset())
    once = clean_content(lines_of(EDGE_EXPOSED))
    twice = clean_content(join_generations(once.value))
    assert [m.rule for m in twice.messages if m.line]


def test_later_passes_run_only_the_second_look_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counting(name: str, rule):  # type: ignore[no-untyped-def]
        def run(lines):  # type: ignore[no-untyped-def]
            calls.append(name)
            return rule(lines)
        return run

    monkeypatch.setattr(clean, "RULES", [(name, counting(name, rule)) for name, rule in clean.RULES])
    clean_content(lines_of("## 1 引言\n\n正文句子[1]。\n\n#####\n\n这是一个没有结束的段落"))
    expensive = {"repetition", "prompt-leakage", "invented-references", "markup"}
    assert all(calls.count(name) == 1 for name in expensive)
    assert calls.count("truncated-ending") >= 2
