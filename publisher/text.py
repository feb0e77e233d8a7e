"""Character classes and punctuation that every stage and writer agrees on (one home each).

Below every stage: imports nothing from publisher.
"""

from __future__ import annotations

import re

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

# Labels of the front matter, Chinese and English (regex alternatives, no groups).
ABSTRACT_LABEL = r"摘\s*+要|abstract|summary"
KEYWORDS_LABEL = r"关键词|关键字|key\s*+words?"
REFERENCES_LABEL = r"参考文献|references|bibliography"

# Tag names of reasoning blocks that pipelines are known to emit.
REASONING_TAGS = ("think", "thinking", "thought", "thoughts", "reasoning", "reflection", "scratchpad", "analysis")


def is_wide(char: str) -> bool:
    return bool(char) and bool(WIDE_RE.match(char))
