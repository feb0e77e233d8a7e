"""prompt-leakage: instructions the pipeline gave the model, echoed into the article.

A leaked block starts at a marker: a heading that names an instruction part (结构要求,
写作目标, Instructions…), a 【…】 bracket label, an imperative addressed to the writer
(请根据以下信息撰写…, You are an expert…), a "要求：" line, or a fenced blob of the input
data (JSON with title/sections/content keys). It runs on over the list, fence and
instruction lines that belong to it, and for a heading, over everything under it.
"""

from __future__ import annotations

import json
import re

from publisher.markdown.lexer import FENCE_RE, LIST_RE, Lines, fenced, heading
from publisher.model import Message
from publisher.result import message
from publisher.source import SourceLine

RULE = "prompt-leakage"

_HEADING_WORDS = (
    r"结构要求|写作要求|输出要求|格式要求|格式规范|写作规范|引用规范|输出规范|写作目标|任务说明|任务要求|任务描述|"
    r"输入数据块?|输入信息|背景信息|角色设定|系统提示|提示词|注意事项|约束条件|写作指导|写作指南|撰写要求|"
    r"文献检索结果|检索结果|DocumentSearch|instructions?|requirements|output (format|requirements|spec(ification)?s?)|"
    r"writing (goals?|guidelines|instructions)|task( description)?|system prompt|constraints|input data|"
    r"style guide|formatting rules"
)
# possessive quantifiers (*+): runs of spaces and stars are matched one way only (linear)
HEADING_RE = re.compile(rf"^[\s*#【\[]*+({_HEADING_WORDS})[\s*】\]]*+(（.*?）|\(.*?\))?[\s*]*+[:：]?\s*+$", re.I)
BRACKET_RE = re.compile(
    r"^\s*[*]*【[^】]{0,20}(输入|数据|写作|输出|任务|要求|规范|指令|说明|角色|背景|约束|目标|格式|示例|检索)[^】]{0,20}】"
)
IMPERATIVE_RE = re.compile(
    r"^[*#>\s-]*+("  # possessive: no alternative starts with these characters
    r"请(根据|基于|按照|依据|结合|严格|以|参考|务必|注意|使用|在|将|确保|勿|不要)[^。]{0,60}(撰写|写作|生成|输出|遵守|遵循|格式|要求|规范|引用|编写)|"
    r"请(撰写|续写|写作|生成|输出|完成|编写|起草)(综述|本章|本节|第.{1,4}[章节]|以下|一篇|一段|一个)|"
    r"(你|您)是一[位名个].{0,30}(专家|作者|助手|学者)|"
    r"以下为(输入数据|检索结果|参考资料|写作要求)|"
    r"(要求|注意|输出要求|写作要求|格式要求)\s*[:：]\s*$|"
    r"you are (an?|the) .{0,40}(expert|writer|assistant|author|researcher)|"
    r"please (write|draft|compose|produce|follow|use|ensure|strictly)\b|"
    r"(write|draft) (a|an|the) .{0,60}(section|chapter|review|introduction)\b.*(based on|using|following)|"
    r"(requirements|instructions|output format|constraints)\s*:\s*$"
    r")",
    re.I,
)
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
        if not keep[i]:
            i += 1
            continue
        end = _leak_extent(lines, i, in_fence)
        cut = None if end is not None or in_fence[i] else tail_marker(lines[i].text)
        if cut is not None and i + 1 < len(lines) and LIST_RE.match(next_text(lines, i)):
            # keep the sentences before the instruction; drop the instruction and its list
            end = _block_end(lines, i, in_fence)
            gone = [SourceLine(lines[i].no, lines[i].text[cut:])] + lines[i + 1 : end]
            lines[i] = SourceLine(lines[i].no, lines[i].text[:cut])
            for k in range(i + 1, end):
                keep[k] = False
            messages.append(message(RULE, "warning", gone, "leaked prompt instructions removed"))
            i = end
            continue
        if end is None:
            i += 1
            continue
        for k in range(i, end):
            keep[k] = False
        messages.append(message(RULE, "warning", lines[i:end], "leaked prompt instructions removed"))
        i = end
    return [ln for ln, k in zip(lines, keep, strict=True) if k], messages


def _leak_extent(lines: Lines, i: int, in_fence: list[bool]) -> int | None:
    """Index one past the leaked block starting at line i, or None when i starts none."""
    text = lines[i].text
    h = heading(text)
    if h is not None:
        level, title = h
        if not (HEADING_RE.match(title) or IMPERATIVE_RE.match(title) or BRACKET_RE.match(title)):
            return None
        j = i + 1
        while j < len(lines):
            hj = heading(lines[j].text)
            if hj is not None and not in_fence[j] and not _is_marker(lines[j].text) and (
                hj[0] <= level or SECTION_NUMBER_RE.match(hj[1])
            ):
                break
            j += 1
        return j
    if FENCE_RE.match(text) and in_fence[i]:
        j = i + 1
        while j < len(lines) and in_fence[j] and not (FENCE_RE.match(lines[j].text) and j > i):
            j += 1
        body = "\n".join(ln.text for ln in lines[i + 1 : j])
        return j + 1 if _is_input_blob(body) else None
    if in_fence[i]:
        return None
    if _is_marker(text):
        return _block_end(lines, i, in_fence)
    return None


def tail_marker(text: str) -> int | None:
    """Where an instruction sentence that ends the line begins ("…。请严格遵循以下格式与规范："),
    when the line ends with a colon that introduces a list of rules."""
    stripped = text.rstrip()
    if not stripped.endswith(("：", ":")):
        return None
    cut = max(stripped.rfind("。"), stripped.rfind("！"), stripped.rfind("？"), stripped.rfind(". "))
    tail = stripped[cut + 1 :] if cut >= 0 else stripped
    return cut + 1 if cut >= 0 and IMPERATIVE_RE.match(tail) else None


def next_text(lines: Lines, i: int) -> str:
    return next((ln.text for ln in lines[i + 1 :] if ln.text.strip()), "")


def _is_marker(text: str) -> bool:
    return bool(BRACKET_RE.match(text) or IMPERATIVE_RE.match(text) or HEADING_RE.match(text.strip()))


def _block_end(lines: Lines, i: int, in_fence: list[bool]) -> int:
    """A non-heading marker owns the rest of its paragraph and the list, fence and
    instruction lines that follow it."""
    j = i + 1
    while j < len(lines) and lines[j].text.strip() and heading(lines[j].text) is None and not FENCE_RE.match(lines[j].text):
        j += 1
    while j < len(lines):
        t = lines[j].text
        if heading(t) is not None and not in_fence[j]:
            break
        if t.strip() and not (
            in_fence[j] or FENCE_RE.match(t) or LIST_RE.match(t) or t.startswith(("  ", "\t")) or _is_marker(t)
        ):
            break
        j += 1
    while j > i + 1 and not lines[j - 1].text.strip():
        j -= 1
    return j


def _is_input_blob(body: str) -> bool:
    if len(_INPUT_KEYS_RE.findall(body)) >= 2:
        return True
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and bool({"title", "sections", "content", "outline"} & set(data))
