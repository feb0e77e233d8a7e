"""prompt-leakage looks at a line only when one of its marker words is in it; the cheap test
(`_may_hold_marker`) must say what the case-insensitive pattern says, for every casing and for
the letters re.IGNORECASE folds that str.lower() does not (ſ, İ, ı)."""

from __future__ import annotations

import pytest

from publisher.clean.leakage import _MARKER_EN, _MARKER_WORD_RE, _may_hold_marker

LINES = [
    "请根据以下大纲撰写第三章。",
    "本研究的要求与注意事项见附录。",
    "深度学习在图像识别领域取得显著突破[1]。",
    "Please write the next section.",
    "PLEASE WRITE THE NEXT SECTION.",
    "You Are an expert reviewer.",
    "Output Format: markdown",
    "pleaſe, thanks",  # long s: re.IGNORECASE folds it to s
    "İnstructions follow",  # dotted capital I
    "ınstructions follow",  # dotless small i
    "The rewrite rules of the grammar",  # 'write' inside a word: the pattern has no word boundary
    "plea se wri te dra ft",  # near misses: no marker word
    "Results for the CNN and ResNet models (Table 2).",
    "",
]


@pytest.mark.parametrize("text", LINES + [w.upper() for w in _MARKER_EN] + [w.title() for w in _MARKER_EN])
def test_prefilter_says_what_the_pattern_says(text: str) -> None:
    assert _may_hold_marker(text) is bool(_MARKER_WORD_RE.search(text))


def test_prefilter_is_not_always_true() -> None:
    assert not _may_hold_marker("plea se wri te dra ft")
    assert not _may_hold_marker("深度学习在图像识别领域取得显著突破[1]。")
