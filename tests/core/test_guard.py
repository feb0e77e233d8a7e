"""The silent-loss guard (issue 11 item 9) and the placing of chapters worded unlike the
outline, on whole records built inline and on the real records of the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher import cli
from publisher.guard import MIN_SHARE, document_prose, prose
from publisher.model import Document
from publisher.pipeline import BuildOptions, build_document
from publisher.result import localised
from tests.core.test_assemble import record, texts
from tests.hardening.records import all_records

OUTLINE = "# 测试标题\n## 1. 引言\n## 2. 研究背景\n### 2.1 国内研究现状\n## 3. 方法\n## 4. 结论\n"
SEP = "\n\n<think>\n</think>\n\n"
PARA = "这是一段足够长的作者正文，用来让保护规则的比例有意义，并且包含具体的研究对象与结论[^1]。"


def _chapter(heading: str, n: int = 3) -> str:
    """A chapter of n paragraphs, each its own text (the guard looks for lost text by its words)."""
    tag = heading.split("\n")[0].lstrip("# ")
    return f"{heading}\n\n" + "\n\n".join(f"关于{tag}的第{k + 1}段：{PARA}" for k in range(n))


def _warnings(doc: Document, rule: str) -> list[str]:
    return [localised(m, "en") for m in doc.report if m.rule == rule and m.severity == "warning"]


def test_prose_counts_words_not_markup() -> None:
    assert prose("**深度学习**[^3]在<br>图像识别中 https://x.org/a 很好。") == len("深度学习在图像识别中很好")
    assert prose("Deep   learning [3], 2024.") == len("Deeplearning2024")


def test_an_article_that_keeps_less_than_half_is_a_warning_naming_the_cause() -> None:
    content = SEP.join([_chapter("## 1 引言", 1), _chapter("## 遥感影像分类研究", 6), _chapter("## 深度学习模型", 6),
                        _chapter("## 4 结论", 1)])
    doc = build_document(record(OUTLINE, content), name="t.txt")
    (loss,) = _warnings(doc, "content-loss")
    assert "off-outline" in loss and "keeps" in loss
    assert document_prose(doc) < MIN_SHARE * prose(content)


def test_an_outline_chapter_with_text_that_is_lost_is_named() -> None:
    """Worded very differently and numbered unlike the outline: dropped as off-outline, but
    its sub-section names the outline chapter, so the loss is reported with its cause."""
    content = SEP.join([_chapter("## 1 引言", 2), _chapter("## 相关工作\n\n### 国内研究现状", 2),
                        _chapter("## 3 方法", 2), _chapter("## 4 结论", 2)])
    doc = build_document(record(OUTLINE, content), name="t.txt")
    assert [s.title for s in doc.sections] == ["引言", "方法", "结论"]
    (lost,) = _warnings(doc, "lost-chapter")
    assert "研究背景" in lost and "off-outline" in lost


def test_two_lost_chapters_are_a_content_loss_warning_too() -> None:
    content = SEP.join([_chapter("## 1 引言", 2), _chapter("## 相关工作\n\n### 国内研究现状", 2),
                        _chapter("## 技术路线\n\n### 实验设计", 2), _chapter("## 4 结论", 2)])
    doc = build_document(record(OUTLINE.replace("## 3. 方法", "## 3. 方法\n### 3.1 实验设计"), content),
                         name="t.txt")
    assert len(_warnings(doc, "lost-chapter")) == 2
    (loss,) = _warnings(doc, "content-loss")
    assert "2 chapters of the outline" in loss


def test_a_draft_placeholder_is_no_published_chapter() -> None:
    content = SEP.join([_chapter("## 1 引言", 2), _chapter("## 相关工作\n\n### 国内研究现状", 2),
                        _chapter("## 3 方法", 2), _chapter("## 4 结论", 2)])
    doc = build_document(record(OUTLINE, content), name="t.txt", options=BuildOptions(draft=True))
    assert [s.title for s in doc.sections] == ["引言", "研究背景", "方法", "结论"]
    assert len(_warnings(doc, "lost-chapter")) == 1


def test_strict_fails_on_the_guard(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = SEP.join([_chapter("## 1 引言", 2), _chapter("## 相关工作\n\n### 国内研究现状", 2),
                        _chapter("## 3 方法", 2), _chapter("## 4 结论", 2)])
    path = tmp_path / "r.txt"
    path.write_text(record(OUTLINE, content), encoding="utf-8")
    assert cli.main([str(path), "--to", "json", "-o", str(tmp_path / "out"), "--strict"]) == 3
    assert "lost-chapter" in capsys.readouterr().err


def test_debris_is_no_loss() -> None:
    """Reasoning, loops, chatter and an empty chapter go without any guard warning."""
    loop = "\n".join(["分析"] * 80)
    content = SEP.join([_chapter("## 1 引言", 1), "<think>\n" + "这是模型很长的思考过程。" * 60 + "\n</think>",
                        _chapter("## 2 研究背景", 1) + "\n\n" + loop, "## 3 方法\n\n（本章内容待补充）",
                        _chapter("## 4 结论", 1) + "\n\n希望以上内容对您有所帮助，如需修改请随时告诉我。"])
    doc = build_document(record(OUTLINE, content), name="t.txt")
    assert not _warnings(doc, "content-loss") and not _warnings(doc, "lost-chapter")


def test_text_published_under_another_chapter_is_not_lost() -> None:
    content = SEP.join([_chapter("## 1 引言", 1) + "\n\n### 国内研究现状\n\n国内研究起步较晚但发展迅速[^2]。",
                        _chapter("## 3 方法", 1), _chapter("## 4 结论", 1)])
    doc = build_document(record(OUTLINE, content), name="t.txt")
    assert "国内研究起步较晚" in texts(doc) and not _warnings(doc, "lost-chapter")


def test_a_chapter_worded_unlike_the_outline_is_placed_by_number_and_place() -> None:
    outline = "# 标题\n## 1. 引言\n## 2. 传感技术\n## 3. 决策模型\n## 4. 水肥一体化调控策略\n## 5. 总结与展望\n"
    content = SEP.join([_chapter(f"## {h}", 1) for h in ("1 引言", "2 传感技术", "3 决策模型", "4 灌溉与施肥的协同管控",
                                                         "5 总结与展望")])
    doc = build_document(record(outline, content), name="t.txt")
    assert [s.title for s in doc.sections] == ["引言", "传感技术", "决策模型", "水肥一体化调控策略", "总结与展望"]
    assert any(m.rule == "chapter-match" and m.severity == "warning" for m in doc.report)


def test_a_numbered_chapter_out_of_its_place_is_not_placed_by_place() -> None:
    outline = "# 标题\n## 1. 引言\n## 2. 传感技术\n## 3. 决策模型\n"
    content = SEP.join([_chapter(f"## {h}", 1) for h in ("1 引言", "3 决策模型", "2 完全无关的医学影像综述")])
    doc = build_document(record(outline, content), name="t.txt")
    assert [s.title for s in doc.sections] == ["引言", "决策模型"]


ENGLISH = "# Title\n## 1. Introduction\n## 2. Methods\n## 3. Rhythm\n## 4. Neural Signatures of Prediction Error\n## 5. Outlook\n"


def _unnumbered(heading: str, subsections: tuple[str, ...]) -> str:
    body = "\n\n".join(f"### {sub}\n\nHarmonically unexpected chords elicit an early negativity [^1]." for sub in subsections)
    return f"## {heading}\n\n{body}"


def _english(middle: str, before: tuple[str, ...] = ("1 Introduction", "2 Methods", "3 Rhythm"),
             after: tuple[str, ...] = ("5 Outlook",)) -> Document:
    chapters = [_chapter(f"## {h}", 1) for h in before] + [middle] + [_chapter(f"## {h}", 1) for h in after]
    return build_document(record(ENGLISH, SEP.join(chapters)), name="t.txt")


@pytest.mark.parametrize("subsections", [
    ("4.1 Mismatch negativity and ERAN", "4.2 Prediction error and pleasure"),
    ("4.1. Mismatch negativity", "Background", "4.2) Pleasure"),  # an unnumbered one says nothing
    ("§ 4.1 Mismatch negativity",),
    ("1.5倍 的时间窗", "4.2 Pleasure"),  # a quantity is no number
], ids=["dotted", "mixed", "section-sign", "quantity"])
def test_an_unnumbered_chapter_takes_the_number_of_its_subsections(subsections: tuple[str, ...]) -> None:
    """Issue 11 set 2: a chapter headed unlike its outline title, with no number of its own,
    is placed by the number its sub-sections carry and its place between its neighbours."""
    doc = _english(_unnumbered("When Expectations Fail: Electrophysiological Evidence", subsections))
    assert [s.title for s in doc.sections] == ["Introduction", "Methods", "Rhythm", "Neural Signatures of Prediction Error",
                                               "Outlook"]
    assert "Harmonically unexpected chords" in texts(doc)
    (placed,) = [m for m in doc.report if m.rule == "chapter-match"]
    assert placed.severity == "warning" and "the number 4 of its sub-sections" in localised(placed, "en")


@pytest.mark.parametrize(("subsections", "before", "after"), [
    (("4.1 Mismatch negativity", "5.2 Pleasure"), ("1 Introduction", "2 Methods", "3 Rhythm"), ("5 Outlook",)),
    (("(一) Mismatch negativity", "(二) Pleasure"), ("1 Introduction", "2 Methods", "3 Rhythm"), ("5 Outlook",)),
    (("4.1 Mismatch negativity", "4.2 Pleasure"), ("1 Introduction",), ("2 Methods", "3 Rhythm", "5 Outlook")),
], ids=["they-disagree", "no-chapter-number", "out-of-its-place"])
def test_subsection_numbers_that_say_nothing_leave_the_chapter_off_outline(
        subsections: tuple[str, ...], before: tuple[str, ...], after: tuple[str, ...]) -> None:
    doc = _english(_unnumbered("A Mini-Review of Something Else", subsections), before, after)
    assert [s.title for s in doc.sections] == ["Introduction", "Methods", "Rhythm", "Outlook"]
    assert any(m.rule == "off-outline" for m in doc.report)


@pytest.mark.parametrize("path", all_records(), ids=lambda p: p.name)
def test_the_corpus_records_lose_nothing_silently(path: Path) -> None:
    doc = build_document(path, name=path.name)
    assert not _warnings(doc, "content-loss") and not _warnings(doc, "lost-chapter")


SUBSECTIONS_OUTLINE = ("# 标题\n## 第1章 引言\n## 第2章 成本构成\n## 第3章 退货处理模式\n### 3.1 直接退回模式\n"
                       "### 3.2 海外仓本地化处理模式\n## 第4章 回收中心选址与网络设计\n### 4.1 选址模型\n### 4.2 求解算法\n"
                       "## 第5章 总结与展望\n")


def _with_subsections(heading: str, subsections: tuple[str, ...]) -> str:
    body = "\n\n".join(f"#### {sub}\n\n关于{sub}：{PARA}" for sub in subsections)
    return f"### {heading}\n\n{body}"


def _returns(middle: str) -> Document:
    """Chapter 4 (worded unlike the outline) arrives before chapter 3."""
    chapters = [_chapter("### 1 引言", 1), _chapter("### 2 成本构成", 1), middle,
                _with_subsections("3 退货处理模式", ("3.1 直接退回模式", "3.2 海外仓本地化处理模式")),
                _chapter("### 5 总结与展望", 1)]
    return build_document(record(SUBSECTIONS_OUTLINE, SEP.join(chapters)), name="t.txt")


@pytest.mark.parametrize("heading", ["4 退货集散节点该建在哪里：一个多目标规划视角", "退货集散节点该建在哪里"],
                         ids=["number-agrees", "no-number"])
def test_a_chapter_is_placed_by_the_outline_subsections_its_subheadings_name(heading: str) -> None:
    """Issue 11 set 4/09: its number agrees (or it has none) but it arrives before chapter 3
    and its title shares nothing with the outline's; its sub-headings name both outline
    sub-sections of the unwritten chapter 4. Published there, in outline order, with a warning."""
    doc = _returns(_with_subsections(heading, ("4.1 选址模型", "4.2 求解算法")))
    assert [s.title for s in doc.sections] == ["引言", "成本构成", "退货处理模式", "回收中心选址与网络设计", "总结与展望"]
    assert [s.title for s in doc.sections[3].sections] == ["选址模型", "求解算法"]
    (placed,) = [m for m in doc.report if m.rule == "chapter-match"]
    assert placed.severity == "warning" and "选址模型" in placed.message and "求解算法" in placed.message
    assert not _warnings(doc, "lost-chapter") and not _warnings(doc, "off-outline")


@pytest.mark.parametrize(("heading", "subsections"), [
    ("医学影像中的深度学习", ("4.1 选址模型", "4.2 卷积网络")),
    ("医学影像中的深度学习", ("选址模型", "选址模型的扩展")),
    ("7 医学影像中的深度学习", ("7.1 选址模型", "7.2 求解算法")),
], ids=["one-shared-subheading", "one-outline-subsection-twice", "number-disagrees"])
def test_a_chapter_that_shares_too_little_with_an_outline_chapter_stays_off_outline(
        heading: str, subsections: tuple[str, ...]) -> None:
    """Near-misses: one shared sub-heading (or one outline sub-section named twice) is no
    evidence; two shared under another number is another chapter."""
    doc = _returns(_with_subsections(heading, subsections))
    assert [s.title for s in doc.sections] == ["引言", "成本构成", "退货处理模式", "总结与展望"]
    assert any(m.rule == "off-outline" for m in doc.report)
