"""Structure first: the reader finds reasoning blocks before it looks for part markers."""

from __future__ import annotations

import subprocess
import sys

import pytest

from publisher.errors import InputError
from publisher.pipeline import build
from publisher.read import read_record
from tests.hardening.records import ROOT

OUTLINE = "大纲:\n# 地下水修复综述\n## 1 引言\n## 2 修复技术\n## 3 结论\n"
SUPPLIED = "# 参考文献:\n[1] 地下水污染调查. 2021.\n[2] 原位化学氧化. 2022.\n[3] 可渗透反应墙. 2023.\n对话结束\n"


def chapters(text: str) -> list[str]:
    return [s.title for s in build(text, name="r.txt").value.sections]


def supplied(text: str) -> list[str]:
    return [ln.text for ln in read_record(text, "r.txt").value.references if ln.text.strip()]


@pytest.mark.parametrize("wrapper", [
    ("<think>", "</think>"),
    ('<reasoning mode="plan">', "</reasoning>"),
    ("[THINKING]", "[/THINKING]"),
    ("【思考】", "【/思考】"),
    ("<|begin_of_thought|>", "<|end_of_thought|>"),
    ("<scratchpad>", "</scratchpad>"),
])
def test_a_reference_heading_inside_reasoning_does_not_cut_the_record(wrapper):
    opener, closer = wrapper
    text = (OUTLINE + "内容:\n## 1 引言\n地下水中检出氯代酚[1]。\n\n"
            f"{opener}\n先整理引用过的文献：\n\n# 参考文献:\n\n[1] 假的条目. 1999.\n\n下一章写修复技术。\n{closer}\n\n"
            "## 2 修复技术\n原位化学氧化可快速降解污染物[2]。\n\n## 3 结论\n可渗透反应墙适合长期运行[3]。\n\n" + SUPPLIED)
    assert chapters(text) == ["引言", "修复技术", "结论"]
    assert supplied(text) == ["[1] 地下水污染调查. 2021.", "[2] 原位化学氧化. 2022.", "[3] 可渗透反应墙. 2023."]
    refs = build(text, name="r.txt").value.references
    assert [r.text for r in refs] == ["地下水污染调查. 2021.", "原位化学氧化. 2022.", "可渗透反应墙. 2023."]


def test_a_reference_heading_with_chapters_after_it_is_not_the_supplied_list():
    text = (OUTLINE + "内容:\n## 1 引言\n地下水中检出氯代酚[1]。\n\n# 参考文献:\n[1] 编造的条目. 2000.\n\n"
            "## 2 修复技术\n原位化学氧化可快速降解污染物[2]。\n\n## 3 结论\n可渗透反应墙适合长期运行[3]。\n\n" + SUPPLIED)
    assert chapters(text) == ["引言", "修复技术", "结论"]
    assert supplied(text)[0] == "[1] 地下水污染调查. 2021."


def test_the_last_reference_heading_wins_and_an_earlier_one_stays_content():
    text = (OUTLINE + "内容:\n## 1 引言\n正文[1]。\n# 参考文献:\n[1] 编造. 2000.\n对话结束\n"
            "## 2 修复技术\n正文[2]。\n" + SUPPLIED)
    record = read_record(text, "r.txt")
    assert [ln.text for ln in record.value.references if ln.text.strip()][0] == "[1] 地下水污染调查. 2021."
    assert any("编造" in ln.text for ln in record.value.content)
    assert any(m.rule == "end-marker" for m in record.messages)  # the early end marker is reported


def test_a_reasoning_block_never_closed_does_not_hide_the_supplied_list():
    text = OUTLINE + "内容:\n## 1 引言\n正文[1]。\n<think>\n也许还要补充……\n\n" + SUPPLIED
    assert supplied(text)[0] == "[1] 地下水污染调查. 2021."


def test_part_markers_inside_reasoning_are_the_models_text():
    text = OUTLINE + "内容:\n<think>\n大纲:\n内容:\n对话结束\n</think>\n## 1 引言\n正文[1]。\n" + SUPPLIED
    record = read_record(text, "r.txt").value
    assert record.end_marker and [ln.text for ln in record.content if ln.text.strip()][-1] == "正文[1]。"


def test_text_after_the_end_marker_is_reported_not_silently_dropped():
    result = read_record(OUTLINE + "内容:\n## 1 引言\n正文[1]。\n" + SUPPLIED + "多出来的一行\n", "r.txt")
    assert any(m.rule == "end-marker" and "not read" in m.message for m in result.messages)


@pytest.mark.parametrize("content", ["", "<think>\n\n</think>\n<think>\n\n</think>\n", "<think>\n只是计划。\n</think>\n"])
def test_a_record_without_content_is_refused(content):
    with pytest.raises(InputError, match="no content to publish"):
        read_record(OUTLINE + "内容:\n" + content + SUPPLIED, "r.txt")


def test_a_record_whose_content_is_all_debris_is_refused():
    text = OUTLINE + "内容:\n<|im_start|>assistant\n## 1 引言\n---\n<|im_end|>\n" + SUPPLIED
    with pytest.raises(InputError, match="no content to publish"):
        build(text, name="r.txt")


def test_the_cli_refuses_a_record_without_content_in_one_line(tmp_path):
    path = tmp_path / "empty-content.txt"
    path.write_text(OUTLINE + "内容:\n\n" + SUPPLIED, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "publisher", str(path), "--to", "json", "-o", str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, timeout=120)
    err = proc.stderr.decode().strip().splitlines()
    assert proc.returncode == 1 and len(err) == 1 and "no content to publish" in err[0]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
