"""The marker shapes every stage strips from text it only judges (`ANY_MARKER_RE`, the lexer's
CITE_RE): each notation goes whole, and what only looks like one stays. The pattern is written
so that every alternative starts with a character test (`^[` and a superscript after a stop
use a look back); these cases hold its matches to what they were."""

from __future__ import annotations

import pytest

from publisher.markdown.lexer import CITE_RE

CASES = [
    ("结果[1]。", "结果。"),
    ("见^[2]", "见"),  # a caret before the bracket goes with it
    ("^^[1]", "^"),  # only one caret belongs to the marker
    ("a ^ [1]", "a ^ "),  # a caret apart from the bracket is text
    ("[^3] note", " note"),
    ("a^3^ b", "a b"),
    ("【参考文献5】", ""),
    ("（参考文献 3, 4）", ""),
    ("<sup>7</sup>", ""),
    ("schemes.² Next", "schemes. Next"),  # a superscript right after a stop
    ("end。¹˒² x", "end。 x"),
    ("H₂O.¹⁰ and", "H₂O. and"),
    ("m² area", "m² area"),  # a unit's exponent: no stop before it
    ("¹⁴C dating", "¹⁴C dating"),  # an isotope
    ("x^[a]", "x^[a]"),  # no number
    ("[1^]", "[1^]"),
    ("^]", "^]"),
]


@pytest.mark.parametrize(("text", "stripped"), CASES)
def test_marker_shapes(text: str, stripped: str) -> None:
    assert CITE_RE.sub("", text) == stripped
