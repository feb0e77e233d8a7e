"""The context around a citation-shaped marker: is it a citation, or the author's data?

`notation` finds the marker shapes; the tests here look at a fixed window of text around one
(WINDOW characters) and say what its neighbours make it:

- an INDEX: a bracket glued to a short identifier or after an operator (`x[2]`, `a=[1,2]`),
  or glued to a longer identifier in the middle of an English sentence that is code
  (`input_buffer[12] before`) or a plural whose element the sentence is about
  (`actions[3] is the first call`); but not after an acronym (`CNN[3]`), a unit after a
  number (`50 μg/L［7］`) or a chemical formula (`LiCl[4]`), nor a full-width bracket (code
  writes ASCII brackets);
- a VALUE: a bracket after a naming verb (`调值记为[214]`, `denoted [35]`): a transcription
  or a literal, never a source;
- an INTERVAL or COORDINATES: after a math operator, a pair after a coordinate word or
  before a unit or an interval word;
- an EXPONENT, an ISOTOPE or a CHARGE: a superscript glued to a digit, a unit symbol, a
  one-letter symbol or an element, or followed by a letter or a sign. A superscript after
  `%`, `‰`, `℃`, a CJK unit or a formula's subscript (`12%²`, `2000升²`, `CH₄⁵`) is a
  citation: no exponent goes there (areas and volumes are written 平方米, 立方米, so
  `米²`/`米³` stay exponents; a charge has its sign, `SO₄²⁻`).
"""

from __future__ import annotations

import re

from publisher.text import ELEMENT_SYMBOLS, SENTENCE_END, SUPERSCRIPT_DIGITS, SUPERSCRIPTS, UNIT_SYMBOLS, WIDE

WINDOW = 24  # characters of context looked at around a marker
MAX_SHORT_IDENT = 4  # letters of an identifier that indexes whatever follows it (x[1], arr[3])

_SENTENCE_PUNCT = SENTENCE_END + "．"
# x[1], arr[3], a=[1,2], f([1]): a short identifier or an operator right before the bracket
_BEFORE_INDEX = re.compile(
    rf"(?:(?<![A-Za-z0-9_])(?!al$)(?P<ident>[A-Za-z_][A-Za-z0-9_]{{0,{MAX_SHORT_IDENT - 1}}})|[=:(\[{{<$@\-+*/])$"
)
# a name, not an index: an acronym (`CNN`) or a capitalised name with capitals inside (`ViT`)
_NAME = re.compile(r"[A-Z]{2,4}|[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*")
# a longer identifier glued to an ASCII bracket, then more of an English sentence: an index
_LONG_IDENT_BEFORE = re.compile(rf"(?<![A-Za-z0-9_.])[a-z_][A-Za-z0-9_]{{{MAX_SHORT_IDENT},}}$")
# ... written as code (`input_buffer`, `numItems`, `stage2`), or a plural noun whose element
# the sentence goes on about in the singular (`actions[3] is`): a citation after a plural noun
# takes its verb in the plural (`studies[3] show`)
_CODE_IDENT = re.compile(r"[A-Za-z0-9]*(?:_|[a-z][A-Z]|[A-Za-z][0-9])")
_PLURAL = re.compile(r"[a-z]{3,}[^isu]s$")  # not -is, -ss, -us (analysis, class, status)
_PROSE_AFTER = re.compile(r"\A[ \t]++[a-z]{2,}\b")  # \A: matched at one place, never searched
_SINGULAR_VERB_AFTER = re.compile(
    r"\A[ \t]++(?:is|was|has|does|holds|contains|returns|stores|points|refers|equals|becomes|remains)\b"
)
# a unit after a number (`50 μg/L`, `3 mL`, `20 kPa·s`): its letters are no identifier
_UNIT_BEFORE = re.compile(r"[0-9][ \t\u00a0]*+(?P<unit>[A-Za-zμµΩ]++(?:[/·][A-Za-zμµΩ]++)*+)$")
# a chemical formula: element symbols with counts (`LiCl`, `Li₂S`, `H2O`, `CO₂`)
_FORMULA_BEFORE = re.compile(r"(?<![A-Za-z0-9_])(?:[A-Z][a-z]?[0-9₀-₉]*+){1,8}$")
_FORMULA_PART = re.compile(r"([A-Z][a-z]?)([0-9₀-₉]*)")
# a naming verb before a bracket: what follows is a value (`记为[214]`, `k 取[2, 5]`, `set to [0]`);
# not a word that ends in 取 (提取 extraction, 获取, 采取 …: a topic a source is cited for)
_TAKE_COMPOUNDS = "提获采选抽读萃吸录争汲攫截索摄听窃夺"
_VALUE_VERB_BEFORE = re.compile(
    rf"(?:记[为作]|设(?:定?为)|取[为值]|(?<![{_TAKE_COMPOUNDS}])取|定为|写为|表示为|赋值为|等于|"
    r"(?<![A-Za-z])(?i:denoted(?:\s+(?:as|by))?|written\s+as|set\s+to|equals?))[ \t]*+$"
)
MATH_OPERATORS = "∈∉∋=≠≈≡≤≥<>⊂⊆⊃⊇×÷±∓→↦∀∃"
# words that name a location or an interval: a pair `[a, b]` after one is coordinates
_COORD_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])(?i:interval|range|cell|coordinates?|point|position|element|entry|index|grid|matrix|"
    r"vector|array|pixel|node|location|window|domain|bounds)"
    r"|区间|坐标|网格|矩阵|向量|数组|下标|索引|像素|取值|介于|位于|(?:范围|位置|元素|单元格?)[为是在于:：])"
    r"[为是在于取:：]?$"
)
_UNIT_AFTER = re.compile(r"(?P<unit>[A-Za-zμµΩ°℃%‰][A-Za-z0-9μµΩ/·⁻¹²³]*)")
_INTERVAL_AFTER = re.compile(r"(?:区间|之间|之内|范围|以内|内)")
_CJK_UNIT_BEFORE = re.compile(r"(?:[0-9０-９][ \t]*|(?P<per>/))[千厘毫微纳平方立]?(?P<unit>[米克升秒吨亩])$")
_NO_EXPONENT = "%％‰℃℉°"  # a superscript after one of these is no power
_SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"  # the end of a formula (`CO₂`): a superscript after one is no power
_TOKEN_BEFORE = re.compile(r"[^\W\d_]{1,12}$")  # a word of letters (wide ones are cut off below)
_SUP_FOLLOWERS = re.compile(rf"[A-Za-z0-9⁺⁻⁼ᵃ-ᵿ·/^_{SUPERSCRIPT_DIGITS}]")
_OPERATORS_BEFORE = "=≈≠<>≤≥+±×÷·/^*"
_SUPERSCRIPT_SIGNS = SUPERSCRIPT_DIGITS + "⁺⁻⁼⁽⁾ⁱⁿ"
_WIDE_RE = re.compile(f"[{WIDE}]")
_WIDE_TAIL = re.compile(f"^.*[{WIDE}]")  # a CJK character ends the word before a superscript


def window_before(text: str, i: int, before: str) -> str:
    """The WINDOW characters before position `i`, reaching into `before` (the text that
    precedes `text` in its paragraph)."""
    head = text[max(0, i - WINDOW) : i]
    return head if i >= WINDOW else before[-(WINDOW - i) :] + head


def ends_with(text: str, chars: str) -> bool:
    """The last character of `text` is one of `chars` (never true of an empty text)."""
    return bool(text) and text[-1] in chars


def is_index(text: str, start: int, before: str) -> bool:
    """`x[2]`, `arr[3]`, `a=[1,2]`, `actions[3] is …`: the square bracket at `start` indexes
    what is glued to it."""
    if text[start] != "[":
        return False  # code writes ASCII brackets: `名称［3］` is no index
    window = window_before(text, start, before)
    index = _BEFORE_INDEX.search(window)
    if index is None:
        return _long_identifier(text, start, window)
    ident = index.group("ident")
    if not ident:
        return True  # an operator: `a=[1,2]`, `f([1])`
    return not (_NAME.fullmatch(ident) or _unit(window) or _formula(window))


def _long_identifier(text: str, start: int, window: str) -> bool:
    """`actions[3] is the first call`, `input_buffer[12] before …`: a lower-case identifier
    of more than MAX_SHORT_IDENT characters glued to `[n]` in the middle of an English
    sentence, written as code or a plural noun followed by a singular verb. A citation glued
    to a word ends a clause (`methods[3].`), or the sentence goes on in the plural
    (`studies[3] show`)."""
    ident = _LONG_IDENT_BEFORE.search(window)
    if ident is None:
        return False
    close = text.find("]", start, start + WINDOW)
    after = text[close + 1 : close + 1 + WINDOW] if close > 0 else ""
    if _CODE_IDENT.match(ident.group()):
        return bool(_PROSE_AFTER.match(after))
    return bool(_PLURAL.search(ident.group()) and _SINGULAR_VERB_AFTER.match(after))


def _unit(window: str) -> bool:
    """The window ends with a unit after a number: `50 μg/L`, `3 mL`."""
    m = _UNIT_BEFORE.search(window)
    if m is None or (len(m.group("unit")) == 1 and m.group("unit").isupper()):
        return False  # a lone capital (`2 A[3]`) is more often a matrix than a unit
    return all(part in UNIT_SYMBOLS for part in re.split(r"[/·]", m.group("unit")))


def _formula_parts(window: str) -> list[tuple[str, str]]:
    """(element symbol, count) of the chemical formula the window ends with; [] when it ends
    with none, or with letters that are not all element symbols."""
    m = _FORMULA_BEFORE.search(window)
    parts = _FORMULA_PART.findall(m.group()) if m else []
    return parts if all(symbol in ELEMENT_SYMBOLS for symbol, _ in parts) else []


def _formula(window: str) -> bool:
    """The window ends with a chemical formula of two elements or more, or one with a count
    (`LiCl`, `H2O`, `Li₂S`); one bare symbol (`C[2]`) stays an identifier."""
    parts = _formula_parts(window)
    return len(parts) >= 2 or any(count for _, count in parts)


def _compound(window: str) -> bool:
    """The window ends with a formula of two element symbols or more (`CH₄`, `CO₂`)."""
    return len(_formula_parts(window)) >= 2


def after_value_verb(window: str) -> bool:
    """`调值记为[214]`, `denoted [35]`: a naming verb right before the bracket."""
    return bool(_VALUE_VERB_BEFORE.search(window))


def coordinates_before(window: str) -> bool:
    """A coordinate or interval word right before a pair: `cell [3, 4]`, `区间[3, 8]`."""
    return bool(_COORD_BEFORE.search(window))


def unit_or_interval_after(text: str, end: int) -> bool:
    """A unit or an interval word right after a pair: `[3, 8] s`, `[3, 8]之间`."""
    after = text[end : end + WINDOW]
    if _INTERVAL_AFTER.match(after):
        return True
    spaced = after.lstrip(" \t\u00a0")
    unit = _UNIT_AFTER.match(spaced) if len(after) - len(spaced) <= 1 else None
    if unit is None:
        return False
    token = unit.group("unit").split("/")[0].split("·")[0].rstrip("⁻¹²³")
    return token in UNIT_SYMBOLS or bool(token) and token[0] in "%‰°℃"


def superscript_context(text: str, start: int, end: int, before: str, spaced: bool) -> bool:
    """A superscript number is a citation after a word or a CJK character, after the clause's
    punctuation, or after `%`, `‰`, `℃`; not glued to a number, a unit, a symbol or a sign
    (an exponent), nor before a letter or a sign (an isotope, a charge)."""
    if _SUP_FOLLOWERS.match(text, end):
        return False
    window = window_before(text, start, before)
    if spaced:
        window = window.rstrip(" \t")
    prev = window[-1:]
    if not prev or prev.isspace():
        return False
    if prev in _NO_EXPONENT:
        return True  # `12%²`
    if prev in _SUBSCRIPT_DIGITS:  # `CH₄⁵` cites (a charge has its sign, `SO₄²⁻`, and fails above);
        return _compound(window)  # `σ₁²`, `x₁²`, `N₂²` are powers
    if prev.isdigit() or prev in ")]}" or prev in _SUPERSCRIPT_SIGNS or prev in _OPERATORS_BEFORE:
        return False
    token = _TOKEN_BEFORE.search(window)
    word = _WIDE_TAIL.sub("", token.group()) if token else ""
    if word:
        head = window[: len(window) - len(word)].rstrip(" \t")
        if len(word) == 1 or word in UNIT_SYMBOLS or word in ELEMENT_SYMBOLS:
            return False
        return not (head[-1:].isdigit() or ends_with(head, _OPERATORS_BEFORE))
    unit = _CJK_UNIT_BEFORE.search(window)
    if unit:  # `2000升²` is a citation; `30米²` an area, `9.8米/秒²` an acceleration
        return not unit.group("per") and (unit.group("unit") != "米" or _digits(text[start:end]) not in ("2", "3"))
    return bool(_WIDE_RE.match(prev)) or prev in _SENTENCE_PUNCT or prev in "\"'”’»›"


def _digits(marker: str) -> str:
    """The digits of a superscript marker, as plain digits (`²`, `^2^`, `<sup>2</sup>` -> `2`)."""
    return re.sub(r"[^0-9]", "", marker.translate(SUPERSCRIPTS))
