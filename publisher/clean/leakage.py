"""prompt-leakage: the pipeline's instructions to the writer, echoed into the article.

Definition (the family, whatever the wording): text ADDRESSED TO THE WRITER rather than the
reader, or handed to the writer as material. A leaked block starts at a MARKER and runs over
the LEAK MATERIAL that follows it:
- markers: a heading that names a part of the prompt (结构要求, 写作目标, 输出规范, 检索结果,
  Instructions, Output format…); a 【…】 label of the prompt; an instruction sentence
  (请根据以下信息撰写…, You are an expert…, Write the following section…); a line that
  introduces a list of rules ("要求：", "Requirements:"); a fenced blob of the pipeline's
  input data (JSON with title/sections/content/outline keys);
- leak material: format rules and requirement lists (list items and their indented lines),
  instruction sentences (an obligation or imperative about writing, citing, formatting,
  wording: 不得使用第一人称 / Each subsection must cite…), input data (fences, JSON
  lines, `key: value` lines, URLs, numbered search hits), further markers. Under a marker
  HEADING the first paragraph is taken too unless it cites a source (a writing goal is prose).

NOT leakage, and never taken with a block: the author's sentences. A marker sentence glued
before author text on the same line takes only itself; a block ends at the first line of
author prose even without a blank line before it; the author's sentences before an
instruction on the same line stay. A heading such as "Requirements" or "注意事项" whose body
holds no leak material is the author's heading, left alone; a prompt quoted inside a closed
code block is content. Every removal is reported with the whole removed text.
"""

from __future__ import annotations

import json
import re

from publisher.markdown.lexer import CITE_RE, FENCE_RE, LIST_RE, Lines, fenced, heading, split_sentences
from publisher.model import Message
from publisher.result import message, said
from publisher.source import SourceLine
from publisher.text import IDEOGRAPHS

RULE = "prompt-leakage"

# the parts of a prompt that an article never has as a heading (the rest need leak material under them)
_PROMPT_ONLY_WORDS = (
    r"结构要求|写作要求|输出要求|格式要求|格式规范|写作规范|引用规范|输出规范|写作目标|任务说明|任务要求|任务描述|输入数据块?|"
    r"角色设定|系统提示|提示词|写作指导|写作指南|撰写要求|DocumentSearch|system prompt|output (format|requirements|spec)|"
    r"writing (goals?|guidelines|instructions)|formatting rules"
)
_HEADING_WORDS = (
    r"结构要求|写作要求|输出要求|格式要求|格式规范|写作规范|引用规范|输出规范|写作目标|任务说明|任务要求|任务描述|"
    r"输入数据块?|输入信息|背景信息|角色设定|系统提示|提示词|注意事项|约束条件|写作指导|写作指南|撰写要求|"
    r"文献检索结果|检索结果|DocumentSearch|instructions?|requirements|output (format|requirements|spec(ification)?s?)|"
    r"writing (goals?|guidelines|instructions)|task( description)?|system prompt|constraints|input data|"
    r"style guide|formatting rules|search results"
)
# possessive quantifiers (*+): runs of spaces and stars are matched one way only (linear)
HEADING_RE = re.compile(rf"^[\s*#【\[]*+({_HEADING_WORDS})[\s*】\]]*+(（.*?）|\(.*?\))?[\s*]*+[:：]?\s*+$", re.I)
PROMPT_ONLY_RE = re.compile(rf"(?:{_PROMPT_ONLY_WORDS})", re.I)
BRACKET_RE = re.compile(
    r"^\s*[*]*【[^】]{0,20}(输入|数据|写作|输出|任务|要求|规范|指令|说明|角色|背景|约束|目标|格式|示例|检索)[^】]{0,20}】"
)
_WRITING_OBJECT = (r"撰写|写作|生成|输出|编写|续写|起草|引用格式|引用规范|格式要求|写作要求|输出要求|写作规范|输出规范|格式规范|"
                   r"以下格式|以下要求|以下规范|下列要求|以下信息|以下内容|以下数据|输入数据")
IMPERATIVE_RE = re.compile(
    r"^[*#>\s-]*+("  # possessive: no alternative starts with these characters
    rf"请(根据|基于|按照|依据|结合|严格|以|参考|务必|注意|使用|在|将|确保|勿|不要)[^。]{{0,60}}({_WRITING_OBJECT})|"
    r"请(撰写|续写|写作|生成|输出|完成|编写|起草)(综述|本章|本节|第.{1,4}[章节]|以下|一篇|一段|一个)|"
    r"(你|您)是一[位名个].{0,30}(专家|作者|助手|学者)|"
    r"以下为(输入数据|检索结果|参考资料|写作要求)|"
    r"(要求|注意|输出要求|写作要求|格式要求)\s*[:：]\s*$|"
    r"you are (an?|the) .{0,40}(expert|writer|assistant|author|researcher)|"
    r"please (write|draft|compose|produce)\b|please (follow|use|ensure|strictly)\b.{0,60}\b(format|citation|style|"
    r"guideline|instruction|following|markdown|section|reference)|"
    r"(write|draft) (a|an|the) .{0,60}(section|chapter|review|introduction)\b.*(based on|using|following)|"
    r"(write|draft|compose|continue with|rewrite) (chapter|section) \d|(撰写|续写|编写)第.{1,4}[章节]|"
    r"(requirements|instructions|output format|constraints)\s*:\s*$"
    r")",
    re.I,
)
# an instruction about the writing itself: an obligation or imperative, and what it governs
INSTRUCTION_RE = re.compile(
    r"(?:请|须|必须|务必|不得|不要|禁止|严禁|应当|应该|需要|需|避免|确保|仅允许|只能|切勿|不可|不能|一律|统一)"
    r"[^。；;]{0,30}?(?:撰写|写作|输出|格式|引用|文献|字数|段落|标题|章节|小节|语言|markdown|编号|综述|正文|表格|第一人称|"
    r"总结性|结论性|编造|虚构|中文|英文|学术)"
    r"|每(?:个|一)?(?:小节|章节|段落|部分|主题)[^。；;]{0,12}?(?:不少于|不超过|至少|字|引用)"
    r"|^(?:please )?(?:do not|don't|never|avoid|ensure|make sure|use|write|include|cite|follow|keep|begin|start|end|output|"
    r"return|respond|format|limit)\b[^.;]{0,80}?\b(?:sections?|chapters?|paragraphs?|headings?|citations?|cite|references?|"
    r"words?|format|markdown|bullets?|language|tone|style|first[- ]person|output|sources?|numbered)\b"
    r"|\b(?:must|should|shall)\b[^.;]{0,40}?\b(?:cite|citations?|words|paragraphs?|headings?|markdown|first[- ]person|"
    r"reference list|output|format|academic)\b",
    re.I,
)
# input data and search hits: JSON punctuation, "key: value", URLs, numbered hits with a title
DATA_RE = re.compile(
    r'^\s*[{}\[\]]|^\s*"[^"]{1,40}"\s*:|^\s*[\w' + IDEOGRAPHS + r' ]{1,16}[:：]\s*\S|https?://|^\s*\[\d{1,3}\]\s*\S'
)
# a word every marker (BRACKET_RE, IMPERATIVE_RE) holds: lines without one are not split at all
_MARKER_ZH = ("【", "请", "你是", "您是", "以下为", "要求", "注意", "撰写", "续写", "编写")
_MARKER_EN = ("you are", "please", "write", "draft", "compose", "continue", "requirements", "instructions",
              "output format", "constraints")
_MARKER_WORD_RE = re.compile("|".join(_MARKER_ZH + _MARKER_EN), re.I)
# the same words, for a cheaper test: the Chinese ones by a search, the English ones in the line
# lower-cased (what re.I matches, but for three letters that lower() does not fold: ſ, İ, ı)
_MARKER_ZH_RE = re.compile("|".join(_MARKER_ZH))
_HIT_NUMBER_RE = re.compile(r"^\s*[\[［【]\d{1,3}[\]］】]")  # "[1] 标题：…" numbers a search hit, cites nothing
# a numbered heading ("3 Methods", "2.1 背景") is article structure, never part of a prompt
SECTION_NUMBER_RE = re.compile(r"^\d+(\.\d+)*\.?\s+\S")
# JSON or pseudo-JSON with the keys of the pipeline's input data block.
_INPUT_KEYS_RE = re.compile(r'"(title|sections|content|outline|references|query|documents)"\s*:')


def strip_prompt_leakage(lines: Lines) -> tuple[Lines, list[Message]]:
    lines = list(lines)
    keep = [True] * len(lines)
    messages: list[Message] = []
    in_fence = fenced(lines)
    i = 0
    while i < len(lines):
        h = heading(lines[i].text)
        if h is not None or FENCE_RE.match(lines[i].text):
            end = _heading_block_end(lines, i, h, in_fence) if h is not None else _blob_end(lines, i, in_fence)
            if end is None:
                i += 1
                continue
            for k in range(i, end):
                keep[k] = False
            gone = lines[i:end]
            messages.append(message(RULE, "warning", gone, said("instructions from the writing prompt that leaked into the text removed"), _joined(gone)))
            i = end
            continue
        if in_fence[i]:
            i += 1
            continue
        found = _marker_in_line(lines[i].text)
        if found is None:
            i += 1
            continue
        before, taken, after = found
        end = i + 1 if after.strip() else _material_end(lines, i + 1, in_fence)
        gone = [SourceLine(lines[i].no, taken.strip())] + lines[i + 1 : end]
        rest = (before + after).rstrip()
        if rest.strip():
            lines[i] = SourceLine(lines[i].no, rest)
        else:
            keep[i] = False
        for k in range(i + 1, end):
            keep[k] = False
        messages.append(message(RULE, "warning", gone, said("instructions from the writing prompt that leaked into the text removed"), _joined(gone)))
        i = end
    return [ln for ln, k in zip(lines, keep, strict=True) if k], messages


def is_instruction(text: str) -> bool:
    """A sentence or line addressed to the writer: a marker, or a rule about the writing."""
    t = text.strip()
    return bool(_is_marker(t) or INSTRUCTION_RE.search(t))


def is_prompt_marker(text: str) -> bool:
    """A line that can only be the pipeline's prompt: a 【…】 label of the prompt, an
    instruction to write (请根据以下信息撰写… / You are an expert…), a prompt heading."""
    return _is_marker(text.strip())


# --------------------------------------------------------------------------- extents
def _marker_in_line(text: str) -> tuple[str, str, str] | None:
    """(author text before, the instruction sentences, author text after) when a sentence of
    the line is a marker; the instruction runs over the marker and the instruction
    sentences right after it."""
    if HEADING_RE.match(text.strip()):
        return "", text, ""
    if not _may_hold_marker(text):  # no marker can start anywhere on the line
        return None
    pieces = split_sentences(text)
    start = next((k for k, p in enumerate(pieces) if _is_marker(p.strip())), None)
    if start is None:
        return None
    end = start + 1
    while end < len(pieces) and is_instruction(pieces[end]):
        end += 1
    return "".join(pieces[:start]), "".join(pieces[start:end]), "".join(pieces[end:])


def _may_hold_marker(text: str) -> bool:
    """`_MARKER_WORD_RE.search(text)`, at a third of its cost on long lines."""
    if _MARKER_ZH_RE.search(text):
        return True
    if "ſ" in text or "İ" in text or "ı" in text:
        return bool(_MARKER_WORD_RE.search(text))
    low = text.lower()
    return any(word in low for word in _MARKER_EN)


def _heading_block_end(lines: Lines, i: int, h: tuple[int, str], in_fence: list[bool]) -> int | None:
    """A marker heading owns its first paragraph (unless it cites: then it is the author's)
    and the leak material after it; a heading whose body holds none is the author's."""
    level, title = h
    if in_fence[i] or SECTION_NUMBER_RE.match(title) or not _is_marker(title):
        return None
    j = _skip_blank(lines, i + 1)
    prose = j < len(lines) and heading(lines[j].text) is None and not in_fence[j] and not _is_material(lines[j].text)
    if prose and CITE_RE.search(lines[j].text) and not is_instruction(lines[j].text):
        end = j  # the author's paragraph: nothing under the heading is the prompt's
    else:
        if prose:
            while j < len(lines) and lines[j].text.strip() and heading(lines[j].text) is None:
                j += 1
        end = _material_end(lines, j, in_fence, level)
    if any(ln.text.strip() for ln in lines[i + 1 : end]):
        return end
    return i + 1 if PROMPT_ONLY_RE.search(title) else None


def _blob_end(lines: Lines, i: int, in_fence: list[bool]) -> int | None:
    """A closed fence that holds the pipeline's input data."""
    if not in_fence[i]:
        return None
    j = i + 1
    while j < len(lines) and in_fence[j] and not FENCE_RE.match(lines[j].text):
        j += 1
    body = "\n".join(ln.text for ln in lines[i + 1 : j])
    return j + 1 if _is_input_blob(body) else None


def _material_end(lines: Lines, j: int, in_fence: list[bool], level: int = 7) -> int:
    """Index one past the leak material that starts at j (blank lines inside it included,
    trailing ones not). It stops at author prose, at a heading that is no marker (for a
    heading block: at one of its level or above, or a numbered one), at the end."""
    end = j
    while j < len(lines):
        t = lines[j].text
        h = heading(t)
        if h is not None and not in_fence[j]:
            if h[0] <= level or SECTION_NUMBER_RE.match(h[1]):
                break
            under = _skip_blank(lines, j + 1)
            if not _is_marker(h[1]) and not (under < len(lines) and heading(lines[under].text) is None
                                             and _is_material(lines[under].text)):
                break
        elif t.strip() and not (in_fence[j] or _is_material(t)):
            break
        j += 1
        if t.strip():
            end = j
    return end


def _is_material(text: str) -> bool:
    """Leak material: list items, fences, indented lines, instructions, input data; a line that
    cites a source is the author's unless it is a list item or an instruction."""
    if FENCE_RE.match(text) or LIST_RE.match(text) or text.startswith(("  ", "\t")) or is_instruction(text):
        return True
    return bool(DATA_RE.search(text)) and not CITE_RE.search(_HIT_NUMBER_RE.sub("", text))


def _skip_blank(lines: Lines, j: int) -> int:
    while j < len(lines) and not lines[j].text.strip():
        j += 1
    return j


def _is_marker(text: str) -> bool:
    return bool(BRACKET_RE.match(text) or IMPERATIVE_RE.match(text) or HEADING_RE.match(text.strip()))


def _is_input_blob(body: str) -> bool:
    if len(_INPUT_KEYS_RE.findall(body)) >= 2:
        return True
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and bool({"title", "sections", "content", "outline"} & set(data))


def _joined(gone: Lines) -> str:
    return "\n".join(ln.text for ln in gone).strip()
