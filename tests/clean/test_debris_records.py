"""Whole records with the machinery and chatter families in forms set 2 of the unseen records
showed (issue 11): tool-use transcripts, calls under other key names, an exchange with the
machinery between generations, continuation markers in any decoration, statements about the
text, placeholder chapters. Built inline, published as a user would; the author's text and
the near-misses next to the debris must survive."""

from __future__ import annotations

from publisher.model import Document
from publisher.pipeline import build_document
from tests.clean.test_structure_records import text_of

SEP = "\n\n<think>\n\n</think>\n\n"


def _record(outline: str, chapters: list[str], refs: str) -> str:
    return (f"回调数据记录\n==============================\n主题: t\nUUID: u\n\n大纲:\n{outline}\n内容:\n"
            f"{SEP.join(chapters)}\n\n# 参考文献:\n{refs}\n\n对话结束\n")


def _report(doc: Document, rule: str) -> str:
    return "\n".join(m.removed or m.excerpt for m in doc.report if m.rule == rule)


EN_OUTLINE = "# Platform Work\n## 1. Introduction\n## 2. Evidence\n## 3. Policy Design\n## 4. Conclusions\n"
EN_CHAPTERS = [
    "[Resuming the draft where it was cut off]\n\n## 1. Introduction\n\n"
    "The remainder of this review is organised as follows. Minimum pay standards for app-based work are new [1].",
    "## 2. Evidence\n\nAction: scholar_search\nAction Input: {\"query\": \"driver pay standard\", \"top_k\": 5}\n"
    "Observation: 5 documents retrieved.\n\nEarnings per hour online rose after the standard [2].\n\n"
    "```json\n{\"tool\": \"fetch_series\", \"args\": {\"city\": \"Seattle\"}}\n```\n\n"
    "Action: regulators should publish the formula they use [2].\n\n"
    "I've kept the citations exactly as supplied.",
    "## 3. Policy Design\n\n_Section pending — to be filled in later._",
    "## 4. Conclusions\n\nIndexation keeps the floor meaningful [3].\n\nThis concludes the chapter.\n\n"
    "User: Now write the abstract, please.\nAssistant: Sure, here is the abstract.",
]
EN_REFS = "[1] A. 2020.\n[2] B. 2021.\n[3] C. 2022."


def test_an_english_record_loses_its_machinery_and_meta_talk_and_keeps_its_author_text() -> None:
    doc = build_document(_record(EN_OUTLINE, EN_CHAPTERS, EN_REFS), name="en.txt")
    text = text_of(doc)
    for debris in ("scholar_search", "top_k", "documents retrieved", "fetch_series", "Seattle", "Resuming the draft",
                   "kept the citations", "to be filled in later", "This concludes", "write the abstract", "here is the"):
        assert debris not in text, debris
    for kept in ("The remainder of this review is organised as follows", "Earnings per hour online rose",
                 "Action: regulators should publish the formula", "Indexation keeps the floor meaningful"):
        assert kept in text, kept
    assert [s.title for s in doc.sections] == ["Introduction", "Evidence", "Conclusions"]
    assert any(m.rule == "empty-chapter" and "Policy Design" in m.message for m in doc.report)
    machinery = _report(doc, "machinery")
    assert "Observation: 5 documents retrieved." in machinery and "fetch_series" in machinery
    assert "Now write the abstract" in machinery


ZH_OUTLINE = "# 十五分钟生活圈\n## 1. 引言\n## 2. 理论基础\n## 3. 可达性测度\n## 4. 公众参与\n## 5. 结论\n"
ZH_CHAPTERS = [
    "## 1. 引言\n\n本章首先介绍生活圈的概念，随后讨论其测度方法[1]。",
    "## 2. 理论基础\n\n生活圈思想可追溯至邻里单位理论[2]。\n\n用户：请继续写第四章，注意篇幅。\nAI：好的，以下是第四章。",
    "—— 接续上一段输出 ——\n\n## 3. 可达性测度\n\n"
    "```json\n{\"function\": \"poi_density\", \"parameters\": {\"city\": \"上海\", \"radius_m\": 1000}}\n```\n\n"
    "工具调用：search_papers({\"query\": \"等时圈\"})\n观察：检索到4篇文献。\n\n"
    "基于真实路网的等时圈更能反映实际出行范围[3]。\n\n（以上为第三章全部内容。）",
    "## 4. 公众参与\n\n（内容待补充）",
    "## 5. 结论\n\n生活圈规划需要兼顾公平与效率[1]。以上为本研究的主要结论。\n\n以上为全文的结论部分。若您希望调整篇幅，请随时告诉我。",
]
ZH_REFS = "[1] 甲. 2020.\n[2] 乙. 2021.\n[3] 丙. 2022."


def test_a_chinese_record_loses_its_machinery_and_meta_talk_and_keeps_its_author_text() -> None:
    doc = build_document(_record(ZH_OUTLINE, ZH_CHAPTERS, ZH_REFS), name="zh.txt")
    text = text_of(doc)
    for debris in ("请继续写第四章", "以下是第四章", "接续上一段输出", "poi_density", "radius_m", "search_papers", "检索到4篇",
                   "以上为第三章全部内容", "以上为全文的结论部分", "内容待补充", "调整篇幅"):
        assert debris not in text, debris
    for kept in ("本章首先介绍生活圈的概念", "生活圈思想可追溯至邻里单位理论", "基于真实路网的等时圈",
                 "以上为本研究的主要结论"):
        assert kept in text, kept
    assert [s.title for s in doc.sections] == ["引言", "理论基础", "可达性测度", "结论"]
    assert any(m.rule == "empty-chapter" and "公众参与" in m.message for m in doc.report)
    assert "请继续写第四章" in _report(doc, "machinery")
    chatter = _report(doc, "assistant-chatter")
    assert "接续上一段输出" in chatter and "以上为第三章全部内容" in chatter and "好的，以下是第四章。" in chatter
