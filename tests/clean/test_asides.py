"""Asides (publisher/clean/asides.py): where a parenthesised or dashed remark stands in a
sentence, and the span that goes when it is chatter."""

from __future__ import annotations

import pytest

from publisher.clean.asides import asides
from publisher.clean.chatter import strip_chatter
from publisher.source import SourceLine


@pytest.mark.parametrize(("text", "found"), [
    ("冲击〔2，4〕。（注：本段做了扩写。）其频谱", ["（注：本段做了扩写。）"]),
    ("offset [11]. (Side note: brief.) Freshwater", ["(Side note: brief.)"]),
    ("| 相关仪 | 效果差（请核对）［8］ |", ["（请核对）"]),
    ("winter [17] — based on my knowledge.", ["based on my knowledge"]),
    ("三种方法——相关仪、听音杆——各有范围", ["相关仪、听音杆"]),
])
def test_asides_are_found(text: str, found: list[str]) -> None:
    assert [a for _, _, a in asides(text)] == found


@pytest.mark.parametrize("text", [
    "f(x) = a(1) + b[2](3)",  # calls and indices
    "表2（续） 各类传感器",  # a label's continuation
    "Table 3 (continued) Sensors",
    "“I can't (not here) delete files”",  # inside a quotation
    "from 1990—2000 and 0.2–0.4",  # ranges
    "[ASSISTANT — draft 2] Rewrote it",  # a dash inside a bracket
    "| a (b | c) |",  # a bracket across cells
])
def test_near_misses_are_no_asides(text: str) -> None:
    assert asides(text) == []


def test_the_cut_takes_one_of_the_spaces_around_it() -> None:
    text = "Offsets vary (as I noted before) by region."
    ((a, b, _),) = asides(text)
    assert text[:a] + text[b:] == "Offsets vary by region."
    text = "(Side note for you: brief.) Freshwater effects are large."
    ((a, b, _),) = asides(text)
    assert text[:a] + text[b:] == "Freshwater effects are large."


def test_a_removed_aside_is_reported_alone_and_its_sentence_kept() -> None:
    line = "The offset is about 400 years [11]. (Side note for you: I kept this part brief.) It varies [9]."
    kept, messages = strip_chatter([SourceLine(1, "## IV"), SourceLine(2, ""), SourceLine(3, line)])
    assert kept[-1].text == "The offset is about 400 years [11]. It varies [9]."
    (m,) = messages
    assert m.removed == "(Side note for you: I kept this part brief.)" and "author's sentence" in m.message


def test_an_aside_in_a_chatter_sentence_goes_with_it() -> None:
    line = "如需修改（例如扩写第三节），请告诉我。"
    kept, messages = strip_chatter([SourceLine(1, "正文句［1］。"), SourceLine(2, line)])
    assert [ln.text for ln in kept] == ["正文句［1］。"] and messages[0].removed == line
