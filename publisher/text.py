"""Character classes and punctuation that every stage and writer agrees on (one home each).

Below every stage: imports nothing from publisher.
"""

from __future__ import annotations

import re
import unicodedata

# Han ideographs (the unified block, extension A and the compatibility block).
IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# East Asian wide text: Han, kana, Hangul, CJK punctuation and full-width forms. Text that
# needs a CJK face, counts double in a column, and joins a line break without a space.
WIDE = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
IDEOGRAPH_RE = re.compile(f"[{IDEOGRAPHS}]")
# BCP 47 tags of the two document languages: the one spelling every writer puts in its output.
LANG_TAGS = {"zh": "zh-CN", "en": "en-US"}
# The interface's language (the service's pages): a script, not a region, since the same
# Simplified Chinese pages serve every Chinese reader.
UI_LANG_TAGS = {"zh": "zh-Hans", "en": "en"}
WIDE_RE = re.compile(f"[{WIDE}]")

# A sentence ends at one of these (a semicolon does not end a chapter, so it is not here).
FULL_STOPS = "。！？!?.…"
# Punctuation that closes a clause: what a citation marker moves before, where a sentence
# may be split for judging.
SENTENCE_END = FULL_STOPS + "；;"
# A full stop that ends one of these abbreviations does not end the sentence.
ABBREVIATION_RE = re.compile(
    r"(?<![A-Za-z])(?:al|e\.g|i\.e|etc|vs|fig|figs|no|nos|dr|mr|ms|ca|cf|p|pp|vol|ref|refs|eq|eqs)\.$", re.I
)
# What may follow a sentence end and still belong to the sentence.
CLOSERS = "\"'”’）)」』】]》*_ "
# Marks that enclose quoted or parenthetical text (opener -> closer): a sentence is never
# split inside them, so a quoted refusal or a bracketed note stays one unit.
PAIRED_MARKS = {
    "“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "（": "）", "(": ")", "【": "】", "〔": "〕", "［": "］",
    "[": "]",
}
# The quotation marks among them: what is inside is somebody's words, not the writer's.
QUOTE_MARKS = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"'}

# Measure words and units: a number directly before one of these is a quantity ("3种方法",
# "2024年", "5倍"), not a numbering label.
MEASURE_WORDS = "年月日时分秒个种类项次篇位名家份条批组台套倍层级维度型代届期例株只万亿千百"
# Chinese numerals as numbering labels use them (一、 （三） 第十二章).
CJK_NUMERALS = "一二三四五六七八九十百零〇两"

# Labels of the front matter, Chinese and English (regex alternatives, no groups).
ABSTRACT_LABEL = r"摘\s*+要|abstract|summary"
KEYWORDS_LABEL = r"关键词|关键字|key\s*+words?"
REFERENCES_LABEL = r"参考文献|references|bibliography"

# Tag names of reasoning blocks that pipelines are known to emit.
REASONING_TAGS = ("think", "thinking", "thought", "thoughts", "reasoning", "reflection", "scratchpad", "analysis")


def is_wide(char: str) -> bool:
    return bool(char) and bool(WIDE_RE.match(char))


_NON_WORD_RE = re.compile(r"[\W_]+")
# CJK punctuation that NFKC leaves wide, folded to its narrow counterpart (the two common
# ones by str.replace, which is many times faster than str.translate)
_WIDE_PUNCTUATION = str.maketrans("「」『』【】〔〕《》〈〉", "\"\"\"\"[][]<><>")
_RARE_WIDE_RE = re.compile("[「」『』【】〔〕《》〈〉]")


def fold(text: str, *, punctuation: bool = False) -> str:
    """Text reduced to what makes it the same text: Unicode NFKC (full-width letters, digits
    and punctuation become half-width, ligatures and superscripts plain; `。、【】「」《》`,
    which NFKC keeps wide, too), case folded, whitespace removed; with `punctuation=True`
    punctuation is removed too (for titles).

    Two strings are "the same text" (duplicate references, outline/content titles, copies
    in a repetition loop) when their folds are equal."""
    folded = "".join(unicodedata.normalize("NFKC", text).split()).casefold().replace("。", ".").replace("、", ",")
    if _RARE_WIDE_RE.search(folded):
        folded = folded.translate(_WIDE_PUNCTUATION)
    return _NON_WORD_RE.sub("", folded) if punctuation else folded


# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space, one character for one: text
# folded with this keeps every position, so a match in the folded text cuts the original.
_WIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold_width(text: str) -> str:
    """Full-width ASCII letters, digits and punctuation to half width, position for position."""
    return text.translate(_WIDTH_TABLE)


# --------------------------------------------------------------------------- symbols
# Superscript characters (digits, signs, parentheses) and their plain forms.
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPTS = str.maketrans(dict(zip(SUPERSCRIPT_DIGITS + "⁺⁻⁼⁽⁾", "0123456789+-=()", strict=True)))
TO_SUPERSCRIPT = str.maketrans(dict(zip("0123456789+-=()−", SUPERSCRIPT_DIGITS + "⁺⁻⁼⁽⁾⁻", strict=True)))
TO_SUBSCRIPT = str.maketrans(dict(zip("0123456789+-=()−", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎₋", strict=True)))
# Unit symbols that take an exponent (m², s⁻¹): a superscript glued to one is no citation.
_UNITS = (
    "m cm mm km nm dm um μm µm pm s ms us μs µs ns min h d g kg mg ug μg µg ng t L l mL ml uL μL µL "
    "mol mmol umol μmol µmol nmol M mM uM μM µM K Pa kPa MPa GPa hPa bar mbar Hz kHz MHz GHz N kN J kJ MJ "
    "W kW MW GW V mV kV A mA uA μA Ω kΩ MΩ eV keV MeV GeV cd lm lx ha ft yd mi lb Bq Gy Sv Da kDa bp kb "
    "Mb B KB MB GB TB dB rad sr ppm ppb"
)
UNIT_SYMBOLS = frozenset(_UNITS.split())
# Chemical element symbols: a superscript glued to one is a charge or a mass number.
_ELEMENTS = (
    "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr "
    "Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm "
    "Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No "
    "Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og"
)
ELEMENT_SYMBOLS = frozenset(_ELEMENTS.split())
