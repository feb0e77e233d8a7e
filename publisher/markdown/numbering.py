"""Numbering shapes: the number prefix of a heading, a table caption line, a pointer to a table.

**A numbering prefix** is the label an author (or a model) put before a title to number it;
it is not part of the title, and the publisher numbers afresh. The grammar, whatever the style:

- arabic, one or more levels: `1` `1.` `1.1` `1.1.` `1、` `1)` `1）` `1:`; a bare number
  (no mark after it) only when a space follows it;
- Chinese numerals with a mark or a space: `一、` `三．` `十二 `;
- any number in parentheses or brackets: `(1)` `（一）` `(a)` `(iv)` `【二】` `〔3〕`;
- ordinal forms: `第一章` `第1节` `第三部分` `第2篇`;
- English words: `Chapter 1` `Section 2.3` `Sec. 4` `Part A` `Part II` (optionally followed by
  `.` `:` or a dash);
- Roman numerals and single letters with a mark: `I.` `II.` `iv)` `A.` `B)`; the Unicode
  Roman numerals (`Ⅲ.` `ⅳ)`, NFKC `III.`) with a mark or a space;
- circled numbers `①`, and `§ 2.1`.

Prefixes can stack (`Chapter 3 — 3. Methods`); all of them go.

**Not a prefix** (the near-misses; the number is part of the title): a number glued to what
follows with no mark and no space (`3种方法`, `2024年`, `5G网络`, `3D打印`, `19世纪`), a
multi-level number glued to a measure word (`1.5倍`, `2.5万`) or to a Latin letter (`2.5D`),
a number of three or more digits or starting with 0 (`100 Years`, `0.5 mm`), a number with a
thousands space (`3 000 samples`), a letter or Roman numeral followed by a lower-case word
(`E. coli`, `C. elegans`: species names), and numbers that do not stand at the start
(`COVID-19…`). A prefix alone is no title and stays. When unsure the title keeps its text: a
title that lost a word is worse than a number shown twice. (Known ambiguity: `10 Years of …`
reads as chapter 10; an English title that starts with a small number and a space is rare.)

**A caption line** is a table label and its number, in any style, and an optional title:
`表1 标题`, `表 1：标题`, `表3-1 标题`, `表 2.1 标题`, `表X 表格：标题`, `表X-1 标题`,
`表一 标题`, `Table 2. Title`, `Table X: Title`, `TABLE II Title`, `Tab. 3 Title`,
`**表2**：标题`, `*Table 2.* Title`. A line that starts with a label but reads as a sentence
(`表1比较了…。`, `Table 2 shows that … .`) is a sentence, not a caption: the grammar asks for
a mark or a space after the number, and `is_caption_line` for a short single phrase (at most
MAX_CAPTION characters, MAX_LATIN_CAPTION in Latin script, no sentence ending inside) that ends
without a full stop unless a mark follows the label (`Table 2. Title.` is a caption).

**A pointer** to a table is the same label inside running text (`如表3-1所示`, `见表 2`,
`Table 2.1 shows`, `Tables 2 and 3`, `Tab. 4`); a compound that ends in 表 (`发表`, `代表`,
`列表`: `发表2篇`) is not one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from publisher.text import CJK_NUMERALS, MEASURE_WORDS, SENTENCE_END, WIDE

_ZH = f"[{CJK_NUMERALS}]"
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
# a number glued to one of these is a quantity (1.5倍): after a space ("1 分析方法") it is not
_QUANTITY_RE = re.compile(rf"^[{MEASURE_WORDS}]")

# Each alternative is one prefix shape; the title starts where the match ends. Possessive
# pieces keep the match linear on long runs of digits, dots and spaces.
PREFIX_RE = re.compile(
    r"^[*_\s]*+(?:"
    # 第一章 第1节 第三部分
    rf"第\s*+(?P<ordinal>{_ZH}++|\d{{1,3}}+)\s*+(?:章|节|部分|篇|讲|编|卷|部)(?:\s*+[、.．:：—–-])?"
    # Chapter 1 / Section 2.3 / Sec. 4 / Part A / Part II
    r"|(?i:chapter|section|sec\.|part|unit)\s++(?P<word>[1-9]\d?+(?:\.\d{1,3}+)*+|[IVXLC]{1,6}+\b|[A-Z]\b)"
    r"(?:\s*+[.:：—–-](?!\d))?"
    # (1) （一） (a) (iv) 【二】 〔3〕
    rf"|[(（【〔](?P<paren>\d{{1,2}}|{_ZH}{{1,3}}|[A-Za-z]|[ivxIVX]{{1,4}})[)）】〕]"
    # 1.1  1.1.  1.1研究背景 (more than one level: a prefix even when glued to the title)
    r"|(?P<dotted>[1-9]\d?+(?:[.．]\d{1,3}+)++)[.．、)）]?(?![\d.．A-Za-z%])"
    # 1.  1、  1)  1：
    r"|(?P<marked>[1-9]\d?+)[.．、)）:：](?!\d)"
    # a bare number with a space after it: 1 引言
    r"|(?P<bare>[1-9]\d?+)(?=[ \t\u3000])"
    # 一、 三． 十二 (a space after a Chinese numeral also numbers a title)
    rf"|(?P<zh>{_ZH}{{1,3}}+)(?:[、.．:：]|(?=[ \t\u3000]))"
    # I. II) iv. A. B)   followed by an upper-case letter, a digit or a CJK character
    r"|(?P<letter>[IVXLC]{1,6}+|[ivx]{1,4}+|[A-H]|[a-h])[.)、](?=\s*+(?:[A-Z0-9]|[^\x00-\x7f]))"
    # Ⅲ. ⅳ) Ⅻ、 (the Unicode Roman numerals, one character each up to twelve) with a mark or a space
    r"|(?P<uroman>[\u2160-\u216b\u2170-\u217b]{1,3}+)(?:[.．)）、:：]|(?=[ \t\u3000]))"
    # ① … ⑳, § 2.1
    r"|(?P<circled>[\u2460-\u2473])|§\s*+(?P<section>\d{1,2}+(?:\.\d{1,3}+)*+)"
    r")[*_]*+[ \t\u3000]*+"
)
_UNMARKED_END = f"0123456789{CJK_NUMERALS}"
# Ⅰ..Ⅻ and ⅰ..ⅻ: one code point per number
_UNICODE_ROMAN = {chr(0x2160 + k): k + 1 for k in range(12)} | {chr(0x2170 + k): k + 1 for k in range(12)}


def _split_prefix(title: str) -> tuple[re.Match[str], str] | None:
    """The first numbering prefix of a title and the text after it, or None (near-misses
    included: a prefix that would leave nothing, or a number with no mark that is a quantity)."""
    m = PREFIX_RE.match(title)
    if not m:
        return None
    rest = title[m.end():]
    if not rest.strip(" *_"):
        return None
    glued = m.group(0)[-1:] in _UNMARKED_END  # a number with no mark and no space after it
    if (glued and _QUANTITY_RE.match(rest)) or (m.group("bare") and rest[:1].isdigit()):
        return None  # "1.5倍", "2.5万", "3 000 samples": quantities, not labels
    return m, rest


def strip_numbering(title: str) -> str:
    """The title without its numbering prefixes: `2.1 标题` -> `标题`, `（一）标题` -> `标题`,
    `Chapter 3 — Methods` -> `Methods`; near-misses (`5G网络`, `2024年…`) unchanged."""
    text = title.strip().strip("*_ ").strip()
    for _ in range(3):  # stacked prefixes; each pass removes one
        split = _split_prefix(text)
        if split is None:
            break
        text = split[1].strip().strip("*_ ").strip()
    return text


def numbering_label(title: str) -> str:
    """The top-level number a title's prefix gives ("3. 方法", "第三章", "Chapter 3", "III."
    -> "3"), or "" (no prefix, or one that names no number)."""
    split = _split_prefix(title.strip().strip("*_ ").strip())
    if split is None:
        return ""
    m = split[0]
    if m.group("uroman"):
        return str(sum(_UNICODE_ROMAN[c] for c in m.group("uroman")))
    for name in ("ordinal", "word", "paren", "dotted", "marked", "bare", "zh", "letter", "section"):
        value = m.group(name)
        if value:
            n = _number_value(value.split(".")[0].split("．")[0])
            return str(n) if n else ""
    if m.group("circled"):
        return str(ord(m.group("circled")) - 0x2460 + 1)
    return ""


def _number_value(label: str) -> int:
    """1 for `1`, `一`, `I`, `i`, `A`; 0 when the label is no number."""
    if label.isdigit():
        return int(label)
    if all(c in CJK_NUMERALS for c in label):
        return _cjk_value(label)
    low = label.lower()
    if all(c in _ROMAN_VALUES for c in low) and (len(low) > 1 or low in "ivxlc"):
        return _roman_value(low)
    if len(label) == 1 and label.isalpha():
        return ord(low) - ord("a") + 1
    return 0


def _cjk_value(label: str) -> int:
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    total, current = 0, 0
    for c in label:
        if c in digits:
            current = digits[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        elif c == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def _roman_value(label: str) -> int:
    values = [_ROMAN_VALUES[c] for c in label]
    return sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values))


# --------------------------------------------------------------------------- tables
# a table number as authors write it: 1, 3-1, 2.1, X (the placeholder), X-1 (a placeholder
# chapter), 一, II
TABLE_NUMBER = (
    rf"(?:\d{{1,3}}+(?:[-－–—.．]\d{{1,3}}+)*+|[xXＸ](?![A-Za-z])(?:[-－–—.．]\d{{1,3}}+)*+|{_ZH}{{1,3}}+"
    rf"|[IVX]{{1,5}}+(?![A-Za-z]))"
)
_ZH_LABEL = r"表"
_EN_LABEL = r"(?:[Tt]able|TABLE|[Tt]ab\.)"

CAPTION_LINE_RE = re.compile(
    rf"^[*_]*+\s*+(?:{_ZH_LABEL}\s*+(?P<zh>{TABLE_NUMBER})|{_EN_LABEL}\s*+(?P<en>{TABLE_NUMBER}))"
    # after the number: a mark (`：` `.` `、` a dash) and/or the end of emphasis, or a space
    r"(?P<sep>[*_]*+\s*+[:：.．、|—–-](?!\d)[*_]*+\s*+|[*_]++\s*+|\s++|[*_]*+\s*+$)"
    r"(?:(?:表格|(?i:table))\s*+[:：]\s*+)?"
    # the title ends at its last character that is not a space or emphasis mark; a lazy
    # title before a [*_\s]* tail would rescan the tail at every character (quadratic)
    r"(?P<title>[^\s*_](?:.*[^\s*_])?)?[\s*_]*$",
)


MAX_CAPTION = 80  # characters: a longer line in the caption grammar is a sentence
MAX_LATIN_CAPTION = 160  # the same for a caption in Latin script (words take more characters)
_MARK_RE = re.compile(r"[:：.．|—–*_-]")
# a caption is one phrase: no sentence ends inside it (`。` anywhere, `. ` before a capital in
# the title)
_INNER_STOP_RE = re.compile(r"[。！？][^。！？]")
_INNER_LATIN_STOP_RE = re.compile(r"[.!?]\s++[A-Z]")
_WIDE_RE = re.compile(f"[{WIDE}]")


@dataclass(frozen=True)
class Caption:
    label: str  # the number as the author wrote it ("3-1", "X", "2"); ours replaces it
    title: str  # "" when the line is only a label
    marked: bool  # a mark (`:` `.` emphasis) after the label: a caption, even with a final stop


def parse_caption(text: str) -> Caption | None:
    """The caption a line is, or None (see `tables.captions.is_caption` for the judgement
    of a whole paragraph: length and final stop)."""
    m = CAPTION_LINE_RE.match(text.strip())
    if not m:
        return None
    marked = bool(_MARK_RE.search(m.group("sep")))  # `、` continues a list (表1、表2…): no mark
    return Caption(m.group("zh") or m.group("en") or "", (m.group("title") or "").strip(), marked)


def same_table_number(a: str, b: str) -> bool:
    """`3-1` and `3－1` and `3.1` are one number; `X` stands for no number."""
    return _number_key(a) == _number_key(b) and _number_key(a) != "x"


def _number_key(label: str) -> str:
    key = re.sub(r"[-－–—.．]", "-", label.strip()).lower()
    return "x" if key == "ｘ" else key


# a pointer in running text: 表3-1, 表 2, 如表X所示, Table 2.1, Tables 2 and 3, Tab. 4. Not in a
# compound ending in 表 (发表2篇, 代表3种, 列表1 …).
_NOT_TABLE_BEFORE = "代发仪电水列外年课时图报量清价"
TABLE_REF_RE = re.compile(
    rf"(?<![{_NOT_TABLE_BEFORE}])(?P<zh_pre>表\s*+)(?P<zh>{TABLE_NUMBER})(?![0-9A-Za-z_])"
    rf"|(?P<en_pre>\b{_EN_LABEL}s?\s*+)(?P<en>{TABLE_NUMBER})\b"
    rf"(?P<more>(?:\s*+(?:,|and|&|or|to|–|-)\s++{TABLE_NUMBER}\b)*+)"
)
_MORE_NUMBER_RE = re.compile(TABLE_NUMBER)


def ref_numbers(m: re.Match[str]) -> list[str]:
    """The table numbers one pointer names (`Tables 2 and 3` names two)."""
    first = m.group("zh") or m.group("en")
    more = m.group("more") or ""
    return [first] + [x.group(0) for x in _MORE_NUMBER_RE.finditer(more)]


def is_caption_line(text: str) -> bool:
    """A line that is a caption whatever surrounds it: in the grammar, short, one phrase, and
    not a sentence (a final stop only after a marked label: `Table 2. Title.`)."""
    t = text.strip()
    c = parse_caption(t)
    if c is None or _INNER_STOP_RE.search(t) or not (c.marked or t[-1:] not in SENTENCE_END):
        return False
    if _WIDE_RE.search(t):
        return len(t) <= MAX_CAPTION
    return len(t) <= MAX_LATIN_CAPTION and not _INNER_LATIN_STOP_RE.search(c.title)
