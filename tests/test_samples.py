"""End to end on the two real records in samples/: the "Done when" of the foundation and
citation issues, asserted on the model and on the JSON the CLI writes."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import jsonschema
import pytest

from publisher.model import Cite, Document, Paragraph, inline_text, iter_blocks
from publisher.pipeline import build_document
from publisher.render import render

ROOT = Path(__file__).parent.parent
S000 = ROOT / "samples" / "000_0a9243bf99b5b6c4.txt"
S001 = ROOT / "samples" / "001_a67d181a6c549fd0.txt"
SCHEMA = json.loads((ROOT / "publisher" / "schema" / "document.schema.json").read_text(encoding="utf-8"))
DEBRIS = [
    r"</?think>", r"\[\^\d+\]", r"requested chapter has been fully processed", r"No further outputs",
    r"结构要求", r"【输入数据块", r"【写作目标】", r"【输出规范】", r"请根据以下信息撰写", r"DocumentSearch",
    r"Smith J, et al", r"Johnson K, et al", r"Patel R, et al", r"表X", r"(分析\s*){6,}", r"```",
    r"^---$", r"引用文献",
]


@cache
def doc_of(path: Path) -> Document:
    return build_document(path)


def published_json(path: Path) -> dict:  # type: ignore[type-arg]
    data = json.loads(render(doc_of(path), "json").value)
    data.pop("report")
    return data


def cites_in_order(doc: Document) -> list[list[int]]:
    out: list[list[int]] = []
    for blocks in doc.block_lists():
        for b in iter_blocks(blocks):
            for inl in getattr(b, "inlines", []):
                if isinstance(inl, Cite):
                    out.append(inl.numbers)
    return out


def test_000_chapters_in_outline_order() -> None:
    doc = doc_of(S000)
    assert [s.title for s in doc.sections] == [
        "引言", "训练方法与优化策略", "图像识别应用场景拓展", "研究背景与现状分析", "方法论与技术框架",
        "技术进展与创新点", "应用案例与实践效果", "标准化与监管挑战", "未来展望与研究方向", "结论",
    ]
    assert [s.number for s in doc.sections] == [str(i) for i in range(1, 11)]
    assert [s.number for s in doc.sections[3].sections] == ["4.1", "4.2", "4.3"]


def test_000_report_names_missing_chapters_and_off_outline_material() -> None:
    report = doc_of(S000).report
    missing = {m.excerpt for m in report if m.rule == "missing-chapter"}
    assert missing == {"深度学习模型架构演进", "真实世界证据与挑战", "方法学质量与偏倚分析"}
    off = " ".join(m.message for m in report if m.rule == "off-outline")
    assert "文献综述：深度学习在医学影像分析中的应用与挑战" in off
    assert "人工智能在医学影像诊断中的应用研究综述" in off


def test_001_all_nine_chapters_and_truncation_cut() -> None:
    doc = doc_of(S001)
    assert [s.title for s in doc.sections] == [
        "引言", "技术发展与方法创新", "应用场景与案例分析", "模型性能与评估", "真实世界证据与挑战",
        "可解释性与模型透明度", "未来发展方向", "标准化与监管", "结论与展望",
    ]
    ch8 = doc.sections[7]
    last = [b for s in [ch8, *doc.walk_sections()] if s.number.startswith("8") for b in s.blocks][-1]
    assert isinstance(last, Paragraph)
    text = inline_text(last.inlines)
    assert text.endswith("旨在提升深度学习模型的可靠性与一致性。")
    assert "可追溯" not in text
    trunc = [m for m in doc.report if m.rule == "truncated-ending"]
    assert len(trunc) == 1 and "可追溯" in trunc[0].excerpt and trunc[0].line == 351


@pytest.mark.parametrize("path", [S000, S001], ids=["000", "001"])
def test_no_debris_reaches_the_json(path: Path) -> None:
    text = json.dumps(published_json(path), ensure_ascii=False, indent=0)
    for pattern in DEBRIS:
        assert not re.search(pattern, text, re.M), pattern


@pytest.mark.parametrize("path", [S000, S001], ids=["000", "001"])
def test_json_is_valid_against_the_schema(path: Path) -> None:
    jsonschema.validate(json.loads(render(doc_of(path), "json").value), SCHEMA)


def test_000_vancouver_order_and_reference_list() -> None:
    doc = doc_of(S000)
    groups = cites_in_order(doc)
    assert groups[:3] == [[1], [2], [3]]  # the abstract's [4], [3], [8]
    assert [r.supplied for r in doc.references][:3] == [[4], [3], [8]]
    first_seen: list[int] = []
    for g in groups:
        first_seen.extend(n for n in g if n not in first_seen)
    assert first_seen == list(range(1, len(doc.references) + 1))
    merged = [r for r in doc.references if len(r.supplied) > 1]
    assert sorted(r.supplied for r in merged) == [[5, 6], [22, 23]]
    hotel = next(r for r in doc.references if r.supplied == [22, 23])
    assert ".pdf" not in hotel.text and ".md" not in hotel.text
    assert all("**" not in r.text for r in doc.references)
    stamped = next(r for r in doc.references if r.supplied == [8])
    assert stamped.date == "2024-12-31" and "发布时间" not in stamped.text


def test_001_abstract_citations_and_merge() -> None:
    doc = doc_of(S001)
    abstract = [inl.numbers for b in doc.abstract for inl in getattr(b, "inlines", []) if isinstance(inl, Cite)]
    assert abstract == [[1], [2], [1, 3], [4]]
    assert any(r.supplied == [11, 12] for r in doc.references)


def test_001_only_table_is_model_compression() -> None:
    doc = doc_of(S001)
    tables = doc.tables()
    assert [(t.number, t.caption, len(t.rows), len(t.header)) for t in tables] == [(1, "模型压缩技术比较", 3, 4)]
    text = json.dumps(published_json(S001), ensure_ascii=False)
    assert "表1 比较了多种模型压缩方法" in text  # the sentence pointing at it, with its final number
    for gone in ["表2 展示了", "表3 对比了", "表4 对比了", "不同自监督学习方法在图像分类任务中的性能对比"]:
        assert gone not in text
    rules = [m.rule for m in doc.report]
    assert rules.count("placeholder-table") == 1 and rules.count("orphan-caption") >= 2


def test_000_table_and_reference_title() -> None:
    doc = doc_of(S000)
    assert [(t.number, t.caption) for t in doc.tables()] == [(1, "自动驾驶图像识别技术对比")]
    assert doc.language == "zh" and doc.labels()["references"] == "参考文献"
    assert doc.keywords == ["深度学习", "图像识别", "卷积神经网络", "目标检测", "迁移学习"]
    assert doc.metadata.uuid == "716fac140c95455d92021e32554fb6d5"
    assert doc.metadata.received == "2025-11-21T19:18:36"


def test_every_citation_links_to_an_entry_and_every_entry_is_cited() -> None:
    for path in (S000, S001):
        doc = doc_of(path)
        numbers = {n for g in cites_in_order(doc) for n in g}
        assert numbers == {r.number for r in doc.references}


@pytest.mark.parametrize("path", [S000, S001], ids=["000", "001"])
def test_caption_is_not_left_as_a_paragraph(path: Path) -> None:
    doc = doc_of(path)
    for blocks in doc.block_lists():
        for b in blocks:
            if isinstance(b, Paragraph):
                text = inline_text(b.inlines)
                assert not any(t.caption and text.endswith(t.caption) for t in doc.tables()), text
