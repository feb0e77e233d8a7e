"""placeholder: a note standing in for text that was never written.

Definition (the family, whatever the wording, Chinese or English, in any brackets, emphasis
or HTML). A PLACEHOLDER NOTE says of the text itself that it is not there: its STATUS is
to be added / completed / filled in, not yet written or generated, pending, forthcoming,
coming soon, left blank, omitted (待补充 / 待完善 / 尚未生成 / 后续补全 / 暂缺 / 内容略 /
敬请期待 / 正在撰写中). A sentence is such a note when
- it is the status alone: "（待补充）", "_TBD_", "To be added.", "【略】", "Pending.";
- it says the status OF THE TEXT: a word for the text (本章 / 本节 / 此处 / 正文 / 内容 /
  this section / the chapter / the content) and, after it in the same sentence, its status
  ("本章正文尚未生成，后续补全", "This section intentionally left blank pending data",
  "The content of this part will be added later");
- or it holds a marker that is never prose: TBD, TODO, lorem ipsum, "[insert … here]".
A LINE is removed when it holds such a note, cites nothing, is short, and each of its other
sentences only speaks of the text or its heading ("此处仅保留章节标题"). Table rows,
headings, captions and fenced lines are other rules' business.

NOT a placeholder (near-misses kept): a status said of the topic ("该机制尚待进一步验证",
"the mechanism remains to be determined", "results pending regulatory review [5]",
"A forthcoming standard will set limits…"); 略 inside a word (策略, 忽略, 略高于); a
sentence that cites; a note inside a paragraph of content (the chatter rule weighs single
sentences).

It runs after assistant-chatter, whose placeholder feature takes the common short notes (and
refusals, "本节暂不撰写" after an apology) as chatter; this rule takes the family whole. The
assemble stage asks `is_placeholder_note` again (`publisher/assemble/substance.py`), so a
chapter holding only a note is a chapter never written even with this rule switched off.
"""

from __future__ import annotations

import re

from publisher.markdown.lexer import (
    CAPTION_LINE_RE,
    CITE_RE,
    Lines,
    fenced,
    heading,
    is_table_row,
    split_sentences,
)
from publisher.model import Message
from publisher.result import message, said
from publisher.text import IDEOGRAPHS

RULE = "placeholder"
MAX_NOTE = 120  # visible characters: a placeholder note is short
MAX_REMARK = 40  # and so is a remark beside it about the text ("此处仅保留章节标题")

# the writing verbs a status names (待补充, 尚未生成, 后续补全)
# (not 完成 or 更新: "该项目尚未完成", "数据尚未更新" are said of the topic)
_ZH_WRITE = "补充|完善|补全|补写|补齐|补上|填写|填充|填入|撰写|续写|编写|添加|生成|写作|写完|写"
_ZH_STATUS = (
    rf"(?<![有尚亟期等接对款招看善虐静坐])待(?:后续|日后|稍后|之后|今后|进一步|定稿后)?(?:{_ZH_WRITE}|填|续)"
    rf"|(?:尚未|暂未|还未|仍未|未能|暂不)(?:{_ZH_WRITE}|给出|提供|展开)"
    rf"|(?:后续|稍后|日后|随后|之后|今后|以后|下一?(?:轮|版|稿|次))(?:再|将|会|另行|继续)?(?:{_ZH_WRITE})"
    r"|正在(?:撰写|编写|生成|完善|补充)中?|敬请期待|占位(?:符|文字)?"
)
# an omission, said only right after a word for the text (内容略, 本节从略): 略 alone is in 策略, 略高于
_ZH_OMITTED = r"(?:暂缺|暂无|空缺|留空|空白|从略|省略|略去|略)"
# a word for the text: anywhere when it can only mean the text (本节, 正文), at the start of the
# sentence when it may mean the topic too (内容: "课程内容尚未…"; 该部分: "该部分农户…")
_ZH_TEXT = (
    r"(?:(?:本|此|该|这一?|下一?)(?:章节|小节|章|节)|本(?:部分|段)|(?:此|该|这一?)部分(?=的?(?:内容|正文))|正文|此处"
    r"|^(?:具体|详细|相关|章节)?内容)(?:的)?(?:正文|内容|文字)?"
)
_EN_STATUS = (
    r"\bto be (?:added|completed|written|filled(?: in)?|provided|expanded|drafted|supplied|inserted|continued|finished"
    r"|updated|done)\b|\b(?:pending|forthcoming|to follow|coming soon)\b"
    r"|\bnot yet (?:written|available|drafted|complete|completed|generated|included|provided|filled in)\b"
    r"|\b(?:intentionally |deliberately )?left (?:blank|empty)\b|\bunder construction\b|\bwork in progress\b"
    r"|\bin preparation\b|\bomitted\b|\bwill be (?:added|completed|written|filled in|provided|expanded|supplied"
    r"|inserted|drafted)\b"
)
_EN_NOUN = r"(?:chapter|section|subsection|part|paragraph|content|contents|text|body|discussion)"
# a word for the text: at the start of the sentence, or with a demonstrative anywhere (not "water content")
_EN_TEXT = (
    rf"^(?:the |this |that |current |remaining |rest of (?:the |this )?)?{_EN_NOUN}\b"
    r"|\b(?:this|the present) (?:chapter|section|subsection|part|paragraph)\b"
)
_BARE_RE = re.compile(
    rf"^(?:{_ZH_TEXT})?(?:{_ZH_STATUS}|{_ZH_OMITTED}|待定|未完待续|待续)$"
    r"|^(?:(?:text|content|section|chapter) )?(?:to be (?:added|completed|written|filled in|continued|provided)"
    r"(?: later| soon)?|pending|forthcoming|to follow|coming soon|tbd|tba|todo|tk|n/?a|blank|omitted"
    r"|under construction|work in progress)(?: here)?$",
    re.I,
)
_OF_TEXT_RE = re.compile(
    rf"(?:{_ZH_TEXT})[^。！？；;]{{0,14}}?(?:{_ZH_STATUS})|(?:{_ZH_TEXT}){_ZH_OMITTED}(?![{IDEOGRAPHS}])"
    rf"|(?:{_EN_TEXT})[^.!?;]{{0,50}}?(?:{_EN_STATUS})",
    re.I,
)
_MARKER_RE = re.compile(
    r"(?-i:^(?:TBD|TBA|TODO|FIXME)(?:\s*+[:：—–-]|$)|\b(?:TBD|TBA|TODO|FIXME)$)|\blorem ipsum\b|\[\s*(?:insert|add|placeholder)\b[^\]]{0,60}\]"
    r"|\bplaceholder text\b|[【\[]\s*(?:此处)?(?:待补充|待填写?|待完善|占位)\s*[】\]]",
    re.I,
)
# what only speaks of the text or its heading, beside a placeholder note (此处仅保留章节标题)
_ABOUT_TEXT_RE = re.compile(rf"(?:{_ZH_TEXT}|标题)|\b(?:heading|title|{_EN_NOUN})\b", re.I)
# decoration around a note: tags, emphasis, brackets, dashes, a "Note:" label
_TAG_RE = re.compile(r"<[^<>\n]{0,80}>")
_DECOR = " \t\u3000*_~`>#-—–=·•.…:：()（）[]【】〔〕「」『』<>《》\"'“”‘’!！。,，"
_LABEL_RE = re.compile(r"^(?:注|备注|说明|提示|note|n\.?b\.?|editor'?s note)\s*[:：]\s*", re.I)


def bare(text: str) -> str:
    """A sentence without its decoration: tags, emphasis, brackets, edge punctuation, a note label."""
    t = _TAG_RE.sub("", text).strip()
    for _ in range(3):  # "（注：**待补充**）": decoration nests
        t = _LABEL_RE.sub("", t.strip(_DECOR)).strip()
    return t


def is_placeholder_sentence(sentence: str) -> bool:
    """Whether one sentence is a placeholder note (see the module's definition)."""
    if CITE_RE.search(sentence):
        return False
    b = bare(sentence)
    if not b:
        return False
    return bool(_BARE_RE.match(b) or _OF_TEXT_RE.search(b) or _MARKER_RE.search(b) or _MARKER_RE.search(sentence))


def is_placeholder_note(text: str) -> bool:
    """Whether a whole line (or paragraph) is a placeholder note standing in for text."""
    t = _TAG_RE.sub("", text).strip() if len(text) <= 4 * MAX_NOTE else ""  # a long line is no note
    if not t or CITE_RE.search(t) or len(bare(t)) > MAX_NOTE:
        return False
    sentences = [s for s in (x.strip() for x in split_sentences(t)) if bare(s)]
    notes = [is_placeholder_sentence(s) for s in sentences]
    if not any(notes):
        return is_placeholder_sentence(t)  # a note split by its own brackets ("（待补充。）")
    return all(n or _is_remark(s) for s, n in zip(sentences, notes, strict=True))


def _is_remark(sentence: str) -> bool:
    b = bare(sentence)
    return len(b) <= MAX_REMARK and bool(_ABOUT_TEXT_RE.search(b))


def strip_placeholders(lines: Lines) -> tuple[Lines, list[Message]]:
    in_fence = fenced(lines)
    kept: Lines = []
    messages: list[Message] = []
    for i, ln in enumerate(lines):
        t = ln.text.strip()
        skip = in_fence[i] or not t or heading(t) is not None or is_table_row(t)
        if not skip and is_placeholder_note(t) and not CAPTION_LINE_RE.match(bare(t)):
            messages.append(message(RULE, "info", [ln], said("placeholder note standing in for text removed"), ln.text))
            continue
        kept.append(ln)
    return kept, messages
