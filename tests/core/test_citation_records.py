"""Citations through the whole pipeline, on small records written inline: numbers above 999
(issue 12 item 10), the supplied numbers as evidence, inline superscripts that are not
citations."""

from __future__ import annotations

from publisher.model import Cite, Document, inline_text, iter_blocks
from publisher.pipeline import build_document

OUTLINE = "# 测试标题\n## 1. 引言\n"


def record(body: str, refs: str) -> str:
    return (
        "回调数据记录\n==============================\n接收时间: 2025-01-02 03:04:05\n主题: 测试主题\nUUID: abc\n\n"
        f"大纲:\n{OUTLINE}\n内容:\n## 1. 引言\n\n{body}\n\n# 参考文献:\n{refs}\n\n对话结束\n"
    )


def entries(n: int) -> str:
    return "\n".join(f"[{i}] Entry number {i}. 2020." for i in range(1, n + 1))


def text_of(doc: Document) -> str:
    return "\n".join(inline_text(b.inlines) for blocks in doc.block_lists() for b in iter_blocks(blocks)
                     if hasattr(b, "inlines"))


def cites(doc: Document) -> list[list[int]]:
    return [i.numbers for blocks in doc.block_lists() for b in iter_blocks(blocks)
            for i in getattr(b, "inlines", []) if isinstance(i, Cite)]


def test_citations_above_999_are_cited_when_the_list_has_them() -> None:
    body = "大样本研究支持这一结论[1203]。国家统计年鉴[^1024]给出了数据，多项研究［1001-1003］一致。据公报[2021]，趋势明显。"
    doc = build_document(record(body, entries(1500)), name="big.txt")
    assert [r.supplied for r in doc.references] == [[1203], [1024], [1001], [1002], [1003]]
    assert cites(doc) == [[1], [2], [3, 4, 5]]
    text = text_of(doc)
    assert "[1203]" not in text and "1024" not in text and "[2021]" in text
    uncited = [m.message for m in doc.report if m.rule == "uncited-reference"]
    assert not any("[1203]" in m or "[1024]" in m or "[1001]" in m for m in uncited)


def test_a_number_above_999_without_an_entry_is_a_year() -> None:
    doc = build_document(record("该报告[2021]指出，相关研究[1]持续增加。", entries(3)), name="t.txt")
    assert "[2021]" in text_of(doc) and cites(doc) == [[1]]
    assert not any(m.rule == "dropped-citation" for m in doc.report)


def test_the_supplied_list_decides_a_bare_superscript() -> None:
    body = "该方法已被广泛采用²。该结论已被多次引用¹⁵。"
    doc = build_document(record(body, entries(12)), name="t.txt")
    assert cites(doc) == [[1]] and [r.supplied for r in doc.references] == [[2]]
    assert "多次引用¹⁵。" in text_of(doc)


def test_inline_superscripts_that_are_not_citations_publish_as_characters() -> None:
    body = "样方面积为4 m<sup>2</sup>，水分子H<sub>2</sub>O的含量以m^3^计，文献综述见<sup>1</sup>。"
    doc = build_document(record(body, entries(3)), name="t.txt")
    text = text_of(doc)
    assert "4 m²" in text and "H₂O" in text and "以m³计" in text and "<sup>" not in text
    assert cites(doc) == [[1]]


def test_a_group_partly_beyond_the_list_keeps_its_supplied_numbers_and_reports_the_others() -> None:
    body = "该方法在岩溶管道中易受脱气影响［7，13］。传播路径仍有争议^2,9^。样品按编号^3,35^排列。"
    doc = build_document(record(body, entries(8)), name="t.txt")
    assert [r.supplied for r in doc.references] == [[7], [2]]
    assert cites(doc) == [[1], [2]]
    dropped = " ".join(m.message + m.excerpt for m in doc.report if m.rule == "dropped-citation")
    assert "13" in dropped and "9" in dropped
    assert "^3,35^" in text_of(doc) or "3,35" in text_of(doc)  # far beyond the list: the author's data


def test_values_after_naming_verbs_and_indices_mid_sentence_stay_text() -> None:
    body = ("上声调值记为[3]，阳平调值记为[5]，限值为50 μg/L［2］。"
            "In the trace, actions[4] is the first call, as earlier methods [6] showed for detection[1].")
    doc = build_document(record(body, entries(8)), name="t.txt")
    text = text_of(doc)
    assert "记为[3]" in text and "记为[5]" in text and "actions[4] is" in text
    assert [r.supplied for r in doc.references] == [[2], [6], [1]]
