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
WIDE_RE = re.compile(f"[{WIDE}]")

# A sentence ends at one of these (a semicolon does not end a chapter, so it is not here).
FULL_STOPS = "。！？!?.…"
# Punctuation that closes a clause: what a citation marker moves before, where a sentence
# may be split for judging.
SENTENCE_END = FULL_STOPS + "；;"
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
