"""The shared text helpers: what "the same text" means for references (fold with punctuation
folded away) and width folding that keeps positions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publisher.text import fold, fold_width


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("基于AFC数据的地铁进出站客流特征分析", "基于ＡＦＣ数据的地铁进出站客流特征分析"),
        ("Permeable reactive barriers: a review", "Permeable  reactive barriers： a review"),
        ("过硫酸盐活化（综述）", "过硫酸盐活化(综述)"),
        ("Deep Learning for Soil Moisture", "deep learning for soil moisture"),
        ("基于 LSTM 的土壤水分预测　研究", "基于LSTM的土壤水分预测研究"),
        ("“双碳”目标", '"双碳"目标'),
        ("土壤水分监测.  ２０２２.", "土壤水分监测. 2022."),
        ("【综述】深度学习", "[综述]深度学习"),
        ("方法一、方法二。", "方法一,方法二."),
        ("ﬁnite element", "finite element"),  # ligature
    ],
)
def test_same_text_folds_the_same(a: str, b: str) -> None:
    assert fold(a, punctuation=True) == fold(b, punctuation=True)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("YOLOv5在遥感中的应用", "YOLOv8在遥感中的应用"),
        ("微塑料研究进展（上）", "微塑料研究进展（下）"),
        ("统计学习方法", "深度学习方法"),
    ],
)
def test_different_text_stays_different(a: str, b: str) -> None:
    assert fold(a, punctuation=True) != fold(b, punctuation=True)


@given(st.text(max_size=80))
def test_fold_width_keeps_every_position(text: str) -> None:
    folded = fold_width(text)
    assert len(folded) == len(text)
    assert all(a == b or 0xFF01 <= ord(a) <= 0xFF5E or a == "\u3000" for a, b in zip(text, folded, strict=True))


def test_fold_width_turns_full_width_ascii_to_half_width() -> None:
    assert fold_width("２０２２年，ＡＢ（１）　x") == "2022年,AB(1) x"
