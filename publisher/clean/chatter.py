"""assistant-chatter: the model talking to its operator instead of writing the article.

A short paragraph that is chatter goes whole; in a long paragraph only the chatter
sentences go, so that an article sentence sharing a line with chatter survives.
"""

from __future__ import annotations

import re

from publisher.markdown.lexer import Lines, fenced, heading, paragraphs, plain
from publisher.model import Message
from publisher.result import message
from publisher.source import SourceLine

RULE = "assistant-chatter"

CHATTER_RE = re.compile(
    r"("
    # English
    r"^(the )?requested (chapter|section|content|text)s? (has|have) been|"
    r"no further (outputs?|actions?|changes|edits|content) (are|is) (needed|required|necessary)|"
    r"^(sure|certainly|of course|absolutely|okay|ok|great)\s*[!,.]|"
    r"^(here|below) (is|are) (the|your|a|an)\b.{0,60}\b(section|chapter|review|draft|text|version|content|"
    r"introduction|conclusion|abstract)\b|"
    r"\blet me know if\b|\bfeel free to (ask|reach|let)\b|"
    r"^i (have|'ve) (now )?(completed|written|finished|drafted|revised|updated|produced)\b|"
    r"^i hope (this|that|the above)\b|^hope (this|that) helps|"
    r"^as an ai\b|^as a (large )?language model\b|"
    r"\bif you (need|want|would like|require) (any )?(further|more|additional|other)\b|"
    r"^(this|the above) (chapter|section|draft) (is|has been) (complete|completed|finished|written)|"
    r"^(end of (chapter|section|output))\b|"
    r"^note:.{0,120}\b(you (provided|requested|asked)|as requested|documentsearch|the (provided|supplied) (sources|results|references))|"
    r"\b(as you requested|that you provided)\b|"
    # Chinese
    r"^(好的|当然|没问题|明白了?|收到)[，,!！。:：]|"
    r"^(以下|下面)(是|为)(根据|按照|依据|基于)?.{0,30}(要求|撰写|生成|修改|完善|整理|补充)(的|后的)?.{0,20}[：:。]?$|"
    r"^以上(是|为|即为|就是)(根据|按照|依据)?.{0,30}(要求|撰写|生成|内容|章节|部分|全部)|"
    r"如(需|果需要|有需要)(进一步|继续|其他)?(修改|调整|补充|扩展|润色|帮助)|"
    r"(请|欢迎)(随时)?(告诉|告知|联系)我|"
    r"希望(以上|这些|本)?(内容|回答)?(对您|能)(有所)?帮助|"
    r"^(本|该)(章节?|部分|节)(内容)?(已|已经)(全部)?(完成|撰写完毕|生成完毕|处理完毕)|"
    r"^(任务|撰写|写作)(已|已经)完成|"
    r"^以上(内容|章节|部分|文字|各节)?.{0,12}(根据|依据|基于|按照|参考).{0,24}(撰写|生成|完成|写成|整理)|"
    r"^根据(您|你)(提供|给出|给定)的.{0,30}(我|以下|下面|撰写|如下)|"
    r"我(已|已经)?(撰写|完成|生成|写好|整理)了?(本章|本节|该章|这一章|以下|如下)|"
    r"^(接下来|下面|现在)(我|我们)?(将|会|来)(撰写|继续|写|生成|完成)|"
    r"^[（(]?\s*注\s*[:：].{0,60}(本章|本节|正文|字数|约\s*\d+\s*字|共引用)"
    r")",
    re.I,
)
_SENTENCE_RE = re.compile(r"[^。！？!?.]*[。！？!?.]+[”’\"')）]*|[^。！？!?.]+$")
SHORT_PARAGRAPH = 300


def is_chatter(text: str) -> bool:
    return bool(CHATTER_RE.search(plain(text)))


def strip_chatter(lines: Lines) -> tuple[Lines, list[Message]]:
    out: Lines = []
    messages: list[Message] = []
    in_fence = fenced(lines)
    last = 0
    for start, end in paragraphs(lines):
        out.extend(lines[last:start])
        last = end
        block = lines[start:end]
        if any(in_fence[start:end]) or heading(block[0].text):
            out.extend(block)
            continue
        text = " ".join(ln.text.strip() for ln in block)
        if len(text) <= SHORT_PARAGRAPH and any(is_chatter(s) for s in _sentences(text)):
            messages.append(message(RULE, "info", block, "assistant chatter removed"))
            continue
        for ln in block:
            kept = [s for s in _sentences(ln.text) if not is_chatter(s)]
            if len("".join(kept)) != len(ln.text):
                gone = [s for s in _sentences(ln.text) if is_chatter(s)]
                messages.append(message(RULE, "info", [SourceLine(ln.no, " ".join(gone))], "assistant chatter removed"))
                if "".join(kept).strip():
                    out.append(SourceLine(ln.no, "".join(kept).rstrip()))
            else:
                out.append(ln)
    out.extend(lines[last:])
    return out, messages


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_RE.findall(text) if s]
