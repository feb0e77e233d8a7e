"""The benchmark's corpus generator: deterministic, varied, and every record publishes.

No timing here: the benchmark itself is `python -m bench.run` (see BENCHMARKS.md).
"""

from __future__ import annotations

from collections import Counter

from bench import corpus
from publisher.api import publish
from publisher.model import Paragraph, inline_text

KB = 1024


def small_corpus(seed: int) -> list[tuple[str, str]]:
    return list(corpus.generate(8, seed, 10 * KB, 60 * KB))


def test_the_same_seed_gives_the_same_records() -> None:
    assert small_corpus(7) == small_corpus(7)
    assert small_corpus(7) != small_corpus(8)


def test_records_reach_their_sizes() -> None:
    for size in (10 * KB, 100 * KB, 400 * KB):
        text = corpus.record_of_size(size)
        assert size * 0.9 <= len(text.encode("utf-8")) <= size * 1.5
    assert corpus.record_of_size(100 * KB, seed=3) == corpus.record_of_size(100 * KB, seed=3)


def test_records_vary_and_carry_debris() -> None:
    texts = [text for _, text in corpus.generate(30, 1, 10 * KB, 40 * KB)]
    assert len(set(texts)) == len(texts)
    joined = "\n".join(texts)
    for debris in ("结构要求", "【输入数据块】", "表X 表格", "Smith J, et al.", "好的，用户让我"):
        assert debris in joined, debris
    assert any(t.startswith("\ufeff") for t in texts) or any("\r\n" in t for t in texts)


def test_every_record_publishes_and_the_debris_is_reported() -> None:
    rules: Counter[str] = Counter()
    for name, text in small_corpus(1):
        result = publish(text.encode("utf-8"), "json", name=name)
        assert result.document.sections, name
        assert result.outputs["json"].startswith(b"{")
        rules.update(m.rule for m in result.report)
    for rule in ("reasoning-tags", "prompt-leakage", "placeholder-table"):
        assert rules[rule], (rule, rules)


def test_a_one_paragraph_record_publishes_one_long_paragraph() -> None:
    text = corpus.one_paragraph_record(200 * KB, seed=2)
    assert text == corpus.one_paragraph_record(200 * KB, seed=2) != corpus.one_paragraph_record(200 * KB, seed=3)
    assert 200 * KB <= len(text.encode("utf-8")) <= 220 * KB
    longest = max(text.splitlines(), key=len)
    assert len(longest.encode("utf-8")) > 180 * KB and not any(char.isascii() for char in longest)
    doc = publish(text.encode("utf-8"), "json", name="long.txt").document
    paragraphs = [b for s in doc.sections for b in s.blocks if isinstance(b, Paragraph)]
    assert max(len(inline_text(p.inlines)) for p in paragraphs) > 180 * KB // 3  # kept whole
