"""Assembly, tables and citations on small records written inline."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.model import Cite, Document, Paragraph, inline_text, iter_blocks
from publisher.pipeline import BuildOptions, build_document


def record(outline: str, content: str, refs: str = "[1] 甲. 2024.\n[2] 乙. 2023.\n[3] 丙. 2022.") -> str:
    return (
        "回调数据记录\n==============================\n接收时间: 2025-01-02 03:04:05\n主题: 测试主题\nUUID: abc\n\n"
        f"大纲:\n{outline}\n内容:\n{content}\n\n# 参考文献:\n{refs}\n\n对话结束\n"
    )


OUTLINE = "# 测试标题\n## 1. 引言\n## 2. 研究背景与现状\n## 3. 结论\n"


def texts(doc: Document) -> str:
    out = []
    for blocks in doc.block_lists():
        for b in iter_blocks(blocks):
            if isinstance(b, Paragraph):
                out.append(inline_text(b.inlines))
    return "\n".join(out)


def cites(doc: Document) -> list[list[int]]:
    return [i.numbers for blocks in doc.block_lists() for b in iter_blocks(blocks)
            for i in getattr(b, "inlines", []) if isinstance(i, Cite)]


def test_wording_differences_match_and_order_follows_outline() -> None:
    doc = build_document(record(OUTLINE, "### 3 结论\n\n结论句[^2]。\n\n<think>\n</think>\n\n### 1 引言\n\n引言句[^1]。\n\n"
                                "<think>\n</think>\n### 2 研究现状与背景\n\n背景句[^3]。\n"), name="t.txt")
    assert [s.title for s in doc.sections] == ["引言", "研究背景与现状", "结论"]
    assert cites(doc) == [[1], [2], [3]]
    assert [r.supplied for r in doc.references] == [[1], [3], [2]]
    assert any(m.rule == "chapter-order" for m in doc.report)


def test_no_outline_keeps_content_order() -> None:
    doc = build_document(record("", "### 3 结论\n\n结论句。\n\n### 1 引言\n\n引言句。\n"), name="t.txt")
    assert [(s.number, s.title) for s in doc.sections] == [("1", "结论"), ("2", "引言")]


def test_draft_mode_shows_placeholder_for_missing_chapter() -> None:
    rec = record(OUTLINE, "### 1 引言\n\n引言句。\n\n### 3 结论\n\n结论句。\n")
    assert [s.title for s in build_document(rec, name="t").sections] == ["引言", "结论"]
    draft = build_document(rec, name="t", options=BuildOptions(draft=True))
    assert [s.title for s in draft.sections] == ["引言", "研究背景与现状", "结论"]
    assert "未生成" in inline_text(draft.sections[1].blocks[0].inlines)  # type: ignore[union-attr]


def test_citation_without_supplied_entry_is_dropped_and_reported() -> None:
    doc = build_document(record(OUTLINE, "### 1 引言\n\n句子[^1][^9]。另一句[7]。\n"), name="t")
    assert cites(doc) == [[1]]
    assert "[9]" not in texts(doc) and "[7]" not in texts(doc)
    dropped = sorted(m.excerpt for m in doc.report if m.rule == "dropped-citation")
    assert dropped == ["[7]", "[9]"]


def test_uncited_entries_reported_and_optionally_listed() -> None:
    rec = record(OUTLINE, "### 1 引言\n\n句子[^2]。\n")
    doc = build_document(rec, name="t")
    assert [r.supplied for r in doc.references] == [[2]]
    assert sum(m.rule == "uncited-reference" for m in doc.report) == 2
    full = build_document(rec, name="t", options=BuildOptions(include_uncited=True))
    assert [(r.number, r.cited) for r in full.references] == [(1, True), (2, False), (3, False)]


def test_heading_citations_and_dangling_table_pointer() -> None:
    doc = build_document(record(OUTLINE, "### 1 引言[^1]\n\n#### 1.1 背景[^2]\n\n如表X所示，差异明显[^3]。\n"), name="t")
    assert doc.sections[0].title == "引言" and doc.sections[0].sections[0].title == "背景"
    assert "如表X所示" not in texts(doc) and "差异明显" in texts(doc)
    assert any(m.rule == "table-reference" for m in doc.report)


def test_duplicate_chapter_keeps_the_complete_copy() -> None:
    content = ("### 1 引言\n\n#### 1.1 甲\n\n完整的第一节。\n\n#### 1.2 乙\n\n完整的第二节。\n\n<think>\n</think>\n"
               "### 1 引言\n\n#### 1.1 甲\n\n被截断的副本，没有写")
    doc = build_document(record(OUTLINE, content), name="t")
    assert "完整的第二节" in texts(doc) and "被截断的副本" not in texts(doc)
    assert any(m.rule == "duplicate-chapter" for m in doc.report)


def test_english_record_uses_english_labels() -> None:
    rec = ("Outline:\n# A Review\n## 1. Introduction\n## 2. Methods\nContent:\n# A Review\n**Abstract** Short [1].\n\n"
           "**Keywords**: a; b\n\n## 1 Introduction\n\nText [2].\n\n## 2 Methods\n\nTable 1: Results\n| a | b |\n|---|---|\n"
           "| 1.5 | x |\n\nTable 1 shows it.\n\n# References:\n[1] One. 2020.\n[2] Two. 2021.\n")
    doc = build_document(rec, name="en.txt")
    assert doc.language == "en" and doc.labels()["references"] == "References"
    assert doc.keywords == ["a", "b"]
    assert [(t.number, t.caption) for t in doc.tables()] == [(1, "Results")]
    assert "Table 1 shows it." in texts(doc)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=4), min_size=1, max_size=25))
def test_vancouver_numbering_is_a_bijection_in_order_of_first_citation(groups: list[list[int]]) -> None:
    refs = "\n".join(f"[{n}] 来源{n}. 20{n:02d}." for n in range(1, 9))  # 9..12 are not supplied
    body = "".join(f"第{i}句" + "".join(f"[^{n}]" for n in g) + "。" for i, g in enumerate(groups))
    doc = build_document(record(OUTLINE, f"### 1 引言\n\n{body}\n", refs), name="t")
    supplied_order: list[int] = []
    for g in groups:
        supplied_order.extend(n for n in g if n <= 8 and n not in supplied_order)
    assert [r.supplied[0] for r in doc.references] == supplied_order
    assert [r.number for r in doc.references] == list(range(1, len(supplied_order) + 1))
    first: list[int] = []
    for g in cites(doc):
        assert g == sorted(set(g))
        first.extend(n for n in g if n not in first)
    assert first == list(range(1, len(supplied_order) + 1))


def test_bold_lines_naming_outline_chapters_are_headings() -> None:
    doc = build_document(record(OUTLINE, "**1 引言**\n\n引言句。\n\n**3 结论**\n\n结论句。\n"), name="t")
    assert [s.title for s in doc.sections] == ["引言", "结论"]


def test_text_without_any_heading_is_kept_as_the_abstract() -> None:
    doc = build_document(record("", "只有一段没有标题的文字[^1]。\n"), name="t")
    assert "只有一段没有标题的文字" in texts(doc)
    assert any(m.rule == "orphan-text" for m in doc.report)


def test_a_renamed_chapter_is_placed_by_its_number_when_its_slot_is_free() -> None:
    doc = build_document(record(OUTLINE, "### 1 引言\n\n引言句。\n\n### 3 总结\n\n结论句。\n\n### 4 无关的综述\n\n别的。\n"), name="t")
    assert [s.title for s in doc.sections] == ["引言", "结论"]
    assert any(m.rule == "chapter-match" for m in doc.report)
    assert any(m.rule == "off-outline" and "无关的综述" in m.message for m in doc.report)


def test_pipe_rows_inside_a_code_fence_stay_code() -> None:
    """The lexer decides what is fenced for every stage: a table cut out of a code block
    would publish half the code as a table."""
    from publisher.assemble.blocks import parse_blocks
    from publisher.model import CodeBlock
    from publisher.source import SourceLine

    text = "```text\n| a | b |\n|---|---|\n| 1 | 2 |\n```\n\n| x | y |\n|---|---|\n| 3 | 4 |\n"
    blocks, _ = parse_blocks([SourceLine(i + 1, t) for i, t in enumerate(text.split("\n"))])
    assert [type(b).__name__ for b in blocks] == ["CodeBlock", "Table"]
    code = blocks[0]
    assert isinstance(code, CodeBlock) and "| 1 | 2 |" in code.text


def test_a_heading_inside_a_quote_becomes_bold_and_is_reported() -> None:
    from publisher.assemble.blocks import parse_blocks
    from publisher.model import Quote, Strong
    from publisher.source import SourceLine

    blocks, messages = parse_blocks([SourceLine(5, "> ## 引用中的标题"), SourceLine(6, "> 引用正文。")])
    quote = blocks[0]
    assert isinstance(quote, Quote) and isinstance(quote.blocks[0].inlines[0], Strong)  # type: ignore[union-attr]
    assert [(m.rule, m.line) for m in messages] == [("nested-heading", 5)]
