"""Whole small records, one per family of numbering, normalisation and partial debris:
published as a user would, checked on the document and its report."""

from __future__ import annotations

from publisher.model import Document, Paragraph, Table, inline_text, iter_blocks
from publisher.pipeline import build_document
from publisher.result import localised
from publisher.text import fold


def record(outline: str, content: str, refs: str = "[1] 甲. 2024.\n[2] 乙. 2023.\n[3] 丙. 2022.") -> str:
    return (
        "回调数据记录\n==============================\n接收时间: 2025-01-02 03:04:05\n主题: 测试主题\nUUID: abc\n\n"
        f"大纲:\n{outline}\n内容:\n{content}\n\n# 参考文献:\n{refs}\n\n对话结束\n"
    )


def paragraphs(doc: Document) -> list[str]:
    return [inline_text(b.inlines) for blocks in doc.block_lists() for b in iter_blocks(blocks) if isinstance(b, Paragraph)]


def rules(doc: Document) -> list[str]:
    return [m.rule for m in doc.report]


def test_english_numbering_styles_match_the_outline_and_captions_below_keep_their_titles() -> None:
    outline = ("# Structural Health Monitoring\n## 1. Introduction\n## 2. Sensing Technologies\n### 2.1 Strain\n"
               "### 2.2 Vibration\n## 3. Conclusions\n")
    content = (
        "# Structural Health Monitoring\n\n**Keywords**: monopile; scour; fibre Bragg gratings (FBG, OFDR); SHM\n\n"
        "<think>\n</think>\n## Chapter 1. Introduction\n\nOffshore wind relies on monopiles [1].\n\n"
        "<think>\n</think>\n## II. Sensing Technologies\n\n### (a) Strain\n\nGauges are listed in Table 4.\n\n"
        "| Sensor | Rate (Hz) |\n|---|---|\n| Foil gauge | 100 |\n| FBG | 1000 |\n\n"
        "Table 4. Typical specifications of strain sensors\n\n### (b) Vibration\n\nAccelerometers sample at 50 Hz [2].\n\n"
        "<think>\n</think>\n## Section 3 — Conclusions\n\nMonitoring pays for itself [3].\n"
    )
    doc = build_document(record(outline, content), name="t.txt")
    assert [s.title for s in doc.sections] == ["Introduction", "Sensing Technologies", "Conclusions"]
    assert [s.title for s in doc.sections[1].sections] == ["Strain", "Vibration"]
    assert [s.number for s in doc.sections[1].sections] == ["2.1", "2.2"]
    assert doc.keywords == ["monopile", "scour", "fibre Bragg gratings (FBG, OFDR)", "SHM"]
    assert [(t.number, t.caption, len(t.rows)) for t in doc.tables()] == [(1, "Typical specifications of strain sensors", 2)]
    assert "Gauges are listed in Table 1." in paragraphs(doc)
    assert not any("Table 4" in p for p in paragraphs(doc))
    assert "off-outline" not in rules(doc) and "orphan-caption" not in rules(doc)


def test_titles_that_differ_in_width_and_spacing_name_the_same_chapter() -> None:
    outline = "# 标题\n## 1. ＡＩ辅助诊断\n## 2. 数据集：构建与标注\n## 3. 结论\n"
    content = ("### 一、AI 辅助诊断\n\n句子一[1]。\n\n<think>\n</think>\n### 二、数据集: 构建 与 标注\n\n句子二[2]。\n\n"
               "<think>\n</think>\n### 三、结论\n\n句子三[3]。\n")
    doc = build_document(record(outline, content), name="t.txt")
    same = [fold(t, punctuation=True) for t in ("ＡＩ辅助诊断", "数据集：构建与标注", "结论")]
    assert [fold(s.title, punctuation=True) for s in doc.sections] == same
    assert "off-outline" not in rules(doc) and "missing-chapter" not in rules(doc)


def test_keywords_split_on_the_lists_own_separator() -> None:
    outline = "# 标题\n## 1. 引言\n"
    for line, want in (("**关键词**：氯代酚；2,4-二氯苯酚；原位化学氧化", ["氯代酚", "2,4-二氯苯酚", "原位化学氧化"]),
                       ("**关键词**：钙钛矿，稳定性，Cs,FA混合阳离子", ["钙钛矿", "稳定性", "Cs,FA混合阳离子"]),
                       ("**关键词**：土壤墒情\u3000智慧灌溉\u3000水肥一体化", ["土壤墒情", "智慧灌溉", "水肥一体化"])):
        doc = build_document(record(outline, f"# 标题\n\n{line}\n\n<think>\n</think>\n### 1 引言\n\n句子[1]。\n"), name="t.txt")
        assert doc.keywords == want


def test_loops_keep_one_copy_and_a_table_cut_mid_row_keeps_its_complete_rows() -> None:
    outline = "# 标题\n## 1. 引言\n## 2. 方法\n"
    loop = "碳库年龄的大小取决于流域基岩中碳酸盐的含量。"
    content = (
        "### 1 引言\n\n湖泊沉积物常受硬水效应影响[1]。" + loop * 2 + "\n" + (loop + "\n") * 18 + "\n"
        "刷卡记录聚合后形成客流序列序列序列序列序列序列序列序列。封装需兼顾性能、透光率和成本、透光率和成本、透光率和成本、透光率和成本。\n\n"
        "<think>\n</think>\n### 2 方法\n\n表X归纳了研究方向[2]。\n\n表X 研究方向\n\n"
        "| 方向 | 技术 | 成熟度 |\n|---|---|---|\n| 可解释预测 | 注意力 | 中 |\n| 迁移 | 迁移学习 | 低 |\n| 实时在线学"
    )
    doc = build_document(record(outline, content), name="t.txt")
    text = "\n".join(paragraphs(doc))
    assert text.count(loop) == 1
    assert "客流序列。" in text and "序列序列" not in text
    assert "兼顾性能、透光率和成本。" in text and "成本、透光率" not in text
    tables = doc.tables()
    assert [(t.number, t.caption, len(t.rows)) for t in tables] == [(1, "研究方向", 2)]
    assert "实时在线学" not in str(doc.to_dict()["sections"])
    assert "表1归纳了研究方向。" in text
    messages = [localised(m, "en") for m in doc.report if m.rule in ("repetition", "truncated-ending")]
    assert any("repeated 20 times" in m for m in messages)
    assert any("table row" in m for m in messages)


def test_a_numbered_discussion_of_authors_is_no_invented_reference_list() -> None:
    outline = "# 标题\n## 1. 相关工作\n"
    items = ["1. Smith J, et al. 提出了一种基于注意力的分割方法[1]。", "2. Wang L, et al. 在此基础上引入了多尺度特征[2]。",
             "3. Zhang Y, et al. 通过知识蒸馏压缩了模型[3]。"]
    doc = build_document(record(outline, "### 1 相关工作\n\n代表性工作如下：\n\n" + "\n".join(items) + "\n"), name="t.txt")
    text = str(doc.to_dict()["sections"])
    assert all(s in text for s in ("提出了一种基于注意力的分割方法", "引入了多尺度特征", "通过知识蒸馏压缩了模型"))
    assert "invented-references" not in rules(doc)
    assert [r.supplied for r in doc.references] == [[1], [2], [3]]


def test_a_model_written_bibliography_still_goes() -> None:
    outline = "# 标题\n## 1. 相关工作\n"
    bib = ("1. Smith J, et al. Deep learning for imaging. J Med Imaging 2020;12(3):45-56.\n"
           "2. Lee K, et al. Attention for segmentation. Radiology 2021;300(2):345-357.\n")
    doc = build_document(record(outline, "### 1 相关工作\n\n分割方法进展迅速[1]。\n\n" + bib), name="t.txt")
    assert "Deep learning for imaging" not in str(doc.to_dict()["sections"])
    assert "invented-references" in rules(doc)


def test_every_table_in_a_record_with_mixed_caption_sides_gets_its_caption() -> None:
    outline = "# 标题\n## 1. 方法\n"
    content = ("### 1 方法\n\n表1 第一组\n\n| 甲 | 乙 |\n|---|---|\n| 子 | 丑 |\n\n表2 第二组\n\n"
               "| 丙 | 丁 |\n|---|---|\n| 寅 | 卯 |\n\n第三组数据如下[1]。\n\n| 戊 | 己 |\n|---|---|\n| 辰 | 巳 |\n\n表 3 第三组\n")
    doc = build_document(record(outline, content), name="t.txt")
    assert [(t.number, t.caption) for t in doc.tables()] == [(1, "第一组"), (2, "第二组"), (3, "第三组")]
    assert all(isinstance(b, Table) or "第" not in inline_text(b.inlines) or "如下" in inline_text(b.inlines)
               for b in doc.sections[0].blocks if isinstance(b, Table | Paragraph))
