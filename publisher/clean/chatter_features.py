"""The features that make a sentence chatter, meta-talk or a refusal, and the scorer.

A sentence is judged by what it DOES, not by a list of phrases (definitions in
`publisher/clean/chatter.py`). Each feature below is one named entry with a weight:

- WORDING features (what the sentence says) add to the *text score* `t`: addressing the
  requester, offering to do more, asking for feedback, announcing or reporting on the text
  as a product, marking a continuation, leaving a placeholder, declining the task.
- PLACE features (where it stands) add to the total only when the wording already points to
  chatter (`t >= 2`): alone on its line, at the edge of a generation, wholly in brackets.
  A place never makes chatter of a sentence that says nothing chatter-like.
- CONTENT features (what it holds) subtract: citation markers, figures and units, technical
  terms, length, the authorial "we".

Quoted words are somebody else's: text inside quotation marks, and reported speech after a
speech verb and a colon, is taken out before the wording is judged (an article about AI
safety may quote a refusal).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from publisher.clean.chatter_process import PROCESS
from publisher.clean.chatter_requester import REQUESTER
from publisher.markdown.lexer import CITE_RE, split_sentences
from publisher.text import IDEOGRAPHS, QUOTE_MARKS

REMOVE_SCORE = 4  # at or above, with t >= REMOVE_TEXT: chatter, removed
REMOVE_TEXT = 3  # the wording alone must say it (one strong feature or two weaker ones)
WARN_SCORE = 2  # at or above, with t >= 2: possibly chatter, kept with a warning
VETO = "cites"  # the content feature that keeps a sentence whatever its wording

_ZH_NUM = "\\d一二三四五六七八九十百千万两"
_TAG_RE = re.compile(r"</?[A-Za-z][^<>\n]{0,60}>")  # <p>, </h3>: markup around a sentence says nothing


@dataclass(frozen=True)
class Sentence:
    """One sentence and what its place tells: the unit the scorer judges."""

    text: str
    alone: bool = False  # the only sentence of its line
    edge: bool = False  # in the first or last paragraph of its generation
    after_chatter: bool = False  # a neighbour in the same paragraph is chatter
    quoted: bool = False  # it continues reported speech opened earlier on its line ("X replied: …")


@dataclass(frozen=True)
class Feature:
    name: str
    weight: int
    test: Callable[[Sentence, str], bool]  # (sentence, its wording without quoted speech)
    doc: str


@dataclass
class Score:
    wording: int = 0  # t: what the sentence says
    total: int = 0  # t + place - content
    features: list[str] = field(default_factory=list)

    @property
    def remove(self) -> bool:
        """Surely chatter; a sentence that cites a source is never surely chatter."""
        return self.wording >= REMOVE_TEXT and self.total >= REMOVE_SCORE and f"-{VETO}" not in self.features

    @property
    def unsure(self) -> bool:
        return not self.remove and self.wording >= WARN_SCORE and self.total >= WARN_SCORE

    def why(self) -> str:
        return ", ".join(self.features)


PATTERNS: list[re.Pattern[str]] = []  # every feature's pattern, for the regex cost tests


def _compiled(pattern: str) -> re.Pattern[str]:
    rx = re.compile(pattern, re.I)
    PATTERNS.append(rx)
    return rx


def _has(pattern: str) -> Callable[[Sentence, str], bool]:
    rx = _compiled(pattern)
    return lambda s, bare: bool(rx.search(bare))


def _short_and(pattern: str, limit: int) -> Callable[[Sentence, str], bool]:
    rx = _compiled(pattern)
    return lambda s, bare: len(bare) <= limit and bool(rx.search(bare))


# --------------------------------------------------------------------------- wording
# Each pattern is one behaviour, written for its family: the verbs and nouns of that
# behaviour, Chinese and English, never one record's sentence.
_REVISE_ZH = (r"修改|调整|补充|扩展|扩写|润色|完善|改写|缩短|精简|压缩|翻译|继续|细化|展开|增加|增补|删减|更新|"
              r"改进|优化|重写|续写|生成|撰写|写")
_REVISE_EN = (r"expand|revise|shorten|add|adjust|rewrite|provide|tailor|elaborate|include|help|continue|make|"
              r"convert|translate|generate|draft|write|extend|condense|update|modify|produce|prepare|assist")
_TEXT_NOUN_EN = r"chapter|section|draft|text|response|answer|version|paragraph|part|output|content|revision|rewrite"
_WRITE_ZH = r"撰写|写作|写成|生成|改写|润色|扩写|续写|删去|删除了|删减了|精简了|重写|编写|起草"
# what may stand around a marker line: rules, dashes, emphasis, and one pair of brackets
_DECOR = r"[\s\-—–~～=*_·•.…:：|#]*+"
_OPEN = r"[（(\[【〔［<《]?"
_CLOSE = r"[)）\]】〕］>》]?"

# the writer reporting its edits; the English pronoun is told from "phase I", "type I" by its
# case and its place (a clause start), so it is matched on the text as written
_WRITER_EDITS_ZH = _compiled(
    r"(?<!自)我(?:已|已经|也|还|特意|均|都|同样|仅|只|并|并未|未|没有)?(?:保留|保持|沿用|删除|删去|去掉|添加|增加|补充|插入|省略|使用|"
    r"采用|遵循|按照|依照|引用|合并|调整|修改|改写|重写|润色|精简|压缩|扩充|扩写|更正|修正|统一|整理|规范|标注|重新编号|编号)了?[^。！？]{0,20}?"
    r"(?:引用|文献|标注|编号|格式|章节|段落|标题|篇幅|字数|措辞|表述|结构|表格|大纲|来源|资料)")
_WRITER_EDITS_EN = re.compile(
    r"(?:^|[,;:(—–-]\s*+|\b(?:and|but|so|also|here|now|where|as|then)\s++)I(?:'ve|’ve| have|'d|’d| had)?\s++"
    r"(?:also |now |deliberately |carefully |simply |just |only |not )?(?:kept|preserved|retained|left|maintained|added|"
    r"removed|deleted|inserted|omitted|dropped|used|followed|formatted|renumbered|numbered|merged|trimmed|cut|expanded|"
    r"shortened|condensed|rewritten|rewrote|revised|edited|fixed|corrected|adjusted|changed|updated|polished|translated|"
    r"ensured|made sure|avoided|included|cited)\b[^.!?]{0,40}?\b(?i:citations?|references?|sources|numbering|numbers|"
    r"headings?|markers?|brackets|format(?:ting)?|wording|length|word count|drafts?|version|outline|style|bibliography|"
    r"footnotes|reference list|structure|tables?|sections?|chapters?|paragraphs?)\b")
PATTERNS.append(_WRITER_EDITS_EN)


def _writer_edits(text: str, bare: str) -> bool:
    return bool(_WRITER_EDITS_ZH.search(bare) or _WRITER_EDITS_EN.search(_cased_wording(text)))

WORDING: tuple[Feature, ...] = (
    Feature("second-person", 1, _has(r"[你您]|\byou(?:r|rs|rself)?\b"),
            "addresses someone: 你/您/you (weak alone: a quoted guideline says 你必须…)"),
    Feature("writer-i", 1, _has(
        r"我(?![国省市区县院校军方们党部所司厂局行])|\bi(?:'m|'ve|'ll|'d|’m|’ve|’ll|’d)\b"
        r"|\bi (?:have|will|can|cannot|could|would|am|hope|apologi[sz]e|do not|don't|did|was|wrote|added|removed|"
        r"revised|kept|made|tried|focused|included|used|followed|should|must|need)\b|\b(?:me|my)\b"),
        "the writer as I/我 (not 我国/我们, not the authorial we)"),
    Feature("offers-more", 3, _has(
        rf"(?:如需|如果需要|如有需要|若需要?|需要的话|如(?:果)?(?:您|你)(?:希望|想|需要|愿意)|(?:您|你)如(?:果)?(?:希望|需要|想))"
        rf"[^。！？]{{0,30}}?(?:{_REVISE_ZH})"
        rf"|我(?:可以|能|还可以|也可以|很乐意|愿意|随时)(?:继续|进一步|再|为您|帮您|替您)?[^。！？]{{0,10}}?(?:{_REVISE_ZH}|提供)"
        rf"|(?:可以|可|能)(?:为|帮|替)(?:您|你)"
        rf"|\bif you(?:'d| would| will)? (?:like|want|need|prefer|wish)\b|\bshould you (?:need|want|wish|require)\b"
        rf"|\bi (?:can|could|would be happy to|'d be happy to|am happy to|'m happy to) (?:also |further |gladly )?"
        rf"(?:{_REVISE_EN})\b|\b(?:happy|glad) to (?:help|expand|revise|adjust|provide|assist|condense|shorten|trim|merge|split|rework)\b|\bfeel free to\b"),
        "offers to revise, expand or do more (如需…修改 / 我可以… / if you'd like / I can also…)"),
    Feature("asks-requester", 3, _has(
        r"请(?:随时|您)?(?:告诉|告知|联系|指示|吩咐|示知)(?:我(?!们)|(?=[您你。！？，,；;）)]|$))|(?:告诉|告知|通知)我|让我知道|是否需要我|需要我(?:为您|帮您|再|继续)"
        r"|要不要我|(?:您|你)(?:是否|是不是)?(?:希望|想要|需要|倾向)[^。！？]{0,30}?[？?]|请(?:您)?(?:审阅|过目|指正|反馈)"
        r"|请(?:您)?确认(?:以上|上述|本章|本节|内容|是否)|请稍候|请稍等|稍等片刻|(?:您|你)看(?:是否|这样|如何|怎么样|可以)"
        r"|(?:您|你)(?:是否)?满意|是否符合(?:您|你)"
        r"|\blet me know\b|\bwould you (?:like|prefer|want)\b|\bdo you (?:want|need|prefer)\b|\bshall i\b|\bshould i\b"
        r"|\bwhich (?:one|version|option|format) (?:do|would) you\b|\bis there anything\b|\b(?:any|your) (?:feedback|thoughts)\b"
        r"|\bplease (?:wait|hold on|review|confirm)\b|\bone moment\b"),
        "asks the requester for feedback, a choice or patience (请告诉我 / would you like / let me know)"),
    Feature("wishes-well", 3, _has(
        r"希望(?:以上|上述|这些|这份|这篇|此)(?:内容|回答|综述|文字|稿件|章节|部分)?[^。！？]{0,20}?(?:有所帮助|有帮助|有用|帮到)"
        r"|希望[^。！？]{0,20}?对(?:您|你)|祝(?:您|你)"
        r"|\bi hope (?:this|that|the above|it|these)\b|\bhope (?:this|that|it) helps\b|\bgood luck\b|\bhappy writing\b"),
        "hopes its answer helps the requester (希望以上内容对您有所帮助 / I hope this helps)"),
    Feature("announces-text", 3, _has(
        rf"^(?:以下|下面|如下|接下来)(?:是|为|即为|给出|提供|呈现)[^。！？]{{0,30}}?"
        rf"(?:第[{_ZH_NUM}]{{1,3}}(?:章|节|部分)|一章|一节|完整|修改后|改写后|润色后|续写|扩写|撰写|生成|您|你|要求|所需|最终版|新版|版本|草稿|初稿|稿件|全文)"
        rf"|(?:接下来|下面|现在|随后)(?:我|我们)?(?:将|会|来|就)?(?:为您|为你)?(?:继续|开始|着手|正式|马上|立即|立刻|接着){{0,2}}(?:{_WRITE_ZH}|输出)"
        rf"|^(?:here|below)(?:'s|’s| is| are)\b[^.!?:]{{0,60}}?\b(?:{_TEXT_NOUN_EN}|abstract|introduction|conclusion)s?\b"
        r"|^(?:the following|what follows) (?:is|are) (?:the|a|an|your) (?:revised|requested|rewritten|updated|expanded|"
        r"complete|full|final|new|continued)\b"
        # the piece named by its place in the output, and nothing but "follows": 第四章如下。/ Chapter 4 follows.
        rf"|^(?:第[{_ZH_NUM}]{{1,3}}(?:章|节|部分)|下一?(?:章|节|部分)|(?:本|该|此)(?:章|节|部分)(?:的)?(?:正文|全文)|续写部分)"
        rf"(?:的)?(?:内容|正文|全文)?(?:如下|见下(?:文)?)[。.:：]?$"
        r"|^(?:chapter|section|part) [0-9ivx]+ (?:follows|is (?:as follows|below))[.:]?$"),
        "announces the text that follows as a product delivered (以下是第三章的完整内容 / Here is the revised section)"),
    Feature("reports-writing", 2, _has(
        rf"(?:本章|本节|本段|本部分|该章|该节|此章|此节|这一?章|这一?节|这部分|这一部分|以上|上述|上文|全文|正文)"
        rf"(?:内容|部分|章节|段落|文字)?[^。！？]{{0,20}}?(?:{_WRITE_ZH})"
        rf"|完成(?:了)?(?:本章|本节|该章|全文|以上)?(?:的)?(?:撰写|写作|生成|输出|编写|续写|改写)|(?:撰写|写作|生成|输出|改写)(?:完毕|结束)"
        rf"|(?:已|已经)(?:全部|完整)?(?:完成|写完|处理完毕)[。！!.]?$|^(?:任务|撰写|写作|输出)(?:已|已经)?(?:完成|结束)"
        rf"|\bi (?:have|'ve) (?:now )?(?:written|completed|drafted|revised|rewritten|expanded|shortened|generated|finished|"
        rf"produced|updated|added|removed|condensed|restructured|edited)\b"
        rf"|\b(?:this|the|the above|the requested|the following|your) (?:{_TEXT_NOUN_EN})s? (?:has|have|is|was|were) "
        rf"(?:now )?(?:been )?(?:fully |successfully )?(?:written|completed|complete|drafted|revised|rewritten|expanded|"
        rf"shortened|generated|processed|finished|produced|updated|finalised|finalized)\b"
        rf"|\b(?:that|this) completes\b|\bno further (?:output|action|change|edit|content|input)s? (?:is|are) "
        rf"(?:needed|required|necessary)\b|\bend of (?:chapter|section|output|response|draft)\b"
        rf"|\b(?:i )?(?:removed|deleted|rewrote|reworded|shortened|condensed) (?:the|some|a few|redundant|repeated|duplicate)\b"),
        "reports what was written or changed (本章已按要求完成撰写 / I have completed the chapter / that completes…)"),
    Feature("measures-text", 3, _has(
        rf"(?:本章|本节|本段|全文|正文|以上|上述|该章|此章|篇幅|字数)[^。！？]{{0,20}}?[{_ZH_NUM}]+\s*(?:余)?(?:个)?(?:字|词)(?![{IDEOGRAPHS}])"
        rf"|(?:引用|参考)(?:了)?(?:文献)?[{_ZH_NUM}]+\s*(?:篇|条|处)"
        r"|\bword count\b|\b(?:this|the) (?:chapter|section|text|draft|response) (?:is|has|contains) (?:approximately |about |around "
        r"|roughly |~)?\d[\d,]* words\b|\b\d+ references (?:cited|used)\b"),
        "measures the text itself: a word count, the number of references used (正文约1200字)"),
    Feature("cites-task-inputs", 2, _has(
        r"(?:根据|依据|基于|来自|源于|参考|按照|结合|现有|所给|提供的|给定的|上述|以上)的?(?:检索|搜索)结果|(?:检索|搜索)结果(?:中|里)?(?:缺少|没有|未|并未|不足|有限)"
        r"|(?:您|你)(?:所)?(?:提供|给出|给定|上传|指定)的|(?:所)?(?:提供|给定|给出)的(?:大纲|资料|文献|材料|参考|信息|结构|要求|提纲)"
        r"|(?:已|已经)?(?:按|根据|依据|遵循)(?:照)?(?:您的?|你的?)?要求(?=[^。！？]{0,6}(?:完成|撰写|写|生成|修改|改写|整理|输出|调整|补充))"
        r"|(?:您|你)的要求|\b(?:the|your) requested\b|DocumentSearch|知识库|写作要求|大纲要求"
        r"|\b(?:from|in|on|based on|according to) the (?:provided |supplied |given )?(?:search|retrieval|retrieved) results\b"
        r"|\bsearch results (?:you|i) \b|\bthe retrieved (?:documents|sources|papers|references) (?:you|provided|supplied)\b"
        r"|\b(?:the |your )?(?:provided|supplied|given) (?:sources|documents|outline|references|materials|results|instructions|"
        r"structure|guidelines|context|data)\b|\bas (?:you )?requested\b|\bper your\b|\byour (?:outline|instructions|request|"
        r"requirements|prompt)\b|\byou (?:provided|supplied|gave|requested|asked)\b"),
        "refers to the task's inputs as the writer's source (根据您提供的大纲 / 检索结果 / as requested)"),
    Feature("speaks-of-answer", 2, _has(
        r"本回答|这个回答|以上回答|这份(?:综述|稿件|文稿)|此稿|\bthis (?:response|answer|reply|draft)\b"
        r"|\bthe (?:above|following) (?:response|answer|draft|text)\b|\bmy (?:response|answer|draft)\b"),
        "calls the text an answer, a draft or a response"),
    Feature("continuation", 4, _has(
        r"^[（(\[【〔]?\s*(?:续|续上|续前|续上文|续前文|接上|接上文|接前文|接上页|上接|未完待续|待续|continued|cont(?:'|’)?d\.?|"
        r"continuation|to be continued)\s*[)）\]】〕]?\s*[。.…:：]?$"
        r"|^[（(\[【〔]?\s*(?:接上文|接上一?(?:部分|节|章|段)|续上文|紧接上文)(?:继续|内容)?\s*[)）\]】〕]?\s*[。.…:：]?$"
        rf"|^[（(\[【〔]?\s*(?:上接|接|续|承接|紧接|续接)(?:第[{_ZH_NUM}]{{1,3}}(?:章|节|部分)|前一?(?:章|节|部分)|上一?(?:章|节|部分|段))"
        r"(?:内容)?\s*[)）\]】〕]?\s*[。.…:：]?$"
        r"|^[（(\[【〔]?\s*(?:continued|continuing) from (?:chapter|section|part) [0-9ivx]+\s*[)）\]】〕]?\s*[.…:]?$"
        r"|(?:下面|接下来|现在|随后)(?:我)?(?:将|会|来)?(?:继续|接着)(?:撰写|写|生成|输出|完成|编写|给出)"),
        "marks a continuation of the text: （续）, 接上文, (continued), 下面继续撰写…"),
    Feature("resumes-output", 4, _short_and(
        rf"^{_DECOR}{_OPEN}{_DECOR}(?:接续|续接|接着|继续|续写|承接|紧接|接|续)"
        r"(?:上一?(?:段|部分|节|章|次|轮|条|页)|上文|前文|前面|上次|之前|此前|中断处|断点)?的?"
        r"(?:输出|内容|回答|回复|生成|文本|文字|写作|撰写|部分|段落)?(?:继续|内容|输出|撰写|写作)?"
        rf"{_DECOR}{_CLOSE}{_DECOR}$"
        rf"|^{_DECOR}{_OPEN}{_DECOR}(?:resum\w*+|continu\w*+|pick(?:ing|ed|s)? up|carry(?:ing)? on|restart\w*+)\b[^.!?]{{0,50}}?"
        r"\b(?:draft|output|response|answer|generation|where (?:it|i|we|this|the \w+) (?:left off|stopped|was cut off|broke off|"
        r"ended|paused)|(?:was |got )?cut off|truncat\w*+|interrupt\w*+|from (?:above|before|the previous|my previous|the last)"
        r"|previous (?:output|response|answer|part|message|section|chapter)|rest of the (?:draft|text|chapter|section|review))"
        rf"\b[^.!?]{{0,40}}?{_DECOR}{_CLOSE}{_DECOR}$"
        # what follows, named by its place in the output rather than its topic: ——以下接第三章——
        rf"|^{_DECOR}{_OPEN}{_DECOR}(?:以下|下面|下文|后文|此处|下接|后接)(?:接|续|承接|紧接|继续|接续|续写|转入|进入)"
        rf"(?:第[{_ZH_NUM}]{{1,3}}(?:章|节|部分)|下一?(?:章|节|部分)|上文|前文|上一?(?:章|节|部分))(?:内容)?{_DECOR}{_CLOSE}{_DECOR}$"
        rf"|^{_DECOR}{_OPEN}{_DECOR}(?:continued|continues|to be continued) (?:below|in (?:the )?next (?:chapter|section|part|output|message)"
        rf"|with (?:chapter|section|part) [0-9ivx]+){_DECOR}{_CLOSE}{_DECOR}$", 80),
        "marks where the output resumes, alone in any decoration (—— 接续上一段输出 ——, [Resuming the draft where it was cut off])"),
    Feature("locates-text", 3, _has(
        rf"^{_OPEN}(?:以上|上文|上述|前文|前面)(?:部分|内容|文字)?(?:即|就|便)?(?:为|是|即为|就是)"
        rf"(?:全文|本文|本章|本节|正文|第[{_ZH_NUM}]{{1,3}}(?:章|节|部分))?的?(?:全部|完整|结论|引言|总结|讨论|主体|核心)?"
        rf"(?:内容|部分|章节)?了?[。.!！]?{_CLOSE}[。.]?$"
        rf"|^{_OPEN}(?:本章|本节|全文|正文|本文|本部分|第[{_ZH_NUM}]{{1,3}}(?:章|节|部分))(?:内容)?(?:完|结束|完毕|到此结束|至此结束|至此完毕)了?"
        rf"[。.!！]?{_CLOSE}[。.]?$"
        rf"|^(?:至此|到此)[，,]?[^。！？]{{0,8}}?(?:全文|本章|本节|第[{_ZH_NUM}]{{1,3}}(?:章|节|部分))[^。！？]{{0,6}}?(?:结束|完毕|写完)"
        # a piece named by its place, in decoration, with the next one named too: ——以上为第三部分，接下来是第六部分——
        rf"|^{_DECOR}{_OPEN}{_DECOR}(?:以上|上文|前面)(?:为|是|即为)第[{_ZH_NUM}]{{1,3}}(?:章|节|部分)(?:内容)?[，,；;]?"
        rf"(?:(?:接下来|下面|以下|下文)(?:是|为|进入|接)第[{_ZH_NUM}]{{1,3}}(?:章|节|部分)(?:内容)?)?{_DECOR}{_CLOSE}{_DECOR}$"
        rf"|^(?:this|that) (?:concludes|completes|ends|wraps up) (?:the |this |my )?(?:final |last )?(?:{_TEXT_NOUN_EN}|review|article)\b"
        rf"|^(?:the )?above (?:is|was|constitutes|completes) (?:the )?(?:full |complete |entire |whole |final )?(?:{_TEXT_NOUN_EN})\b"),
        "says where the text stands instead of the topic (以上为第三章全部内容 / 本节完 / This concludes the chapter)"),
    Feature("writer-edits", 3, lambda s, bare: _writer_edits(s.text, bare),
        "the writer as I reporting what it did to the text (I've kept the citations as supplied / 我保留了原有的引用编号)"),
    Feature("awaits-input", 3, _has(
        r"\b(?:will|can|shall|'ll|would) (?:be )?(?:write|written|complete|completed|draft|drafted|finish|finished|add|added|"
        r"fill(?:ed)? in|expand(?:ed)?|provided?)\b[^.!?]{0,60}?\b(?:once|when|after|as soon as|if|until) you(?:'ve| have)? "
        r"(?:send|provide|share|upload|supply|confirm|give|attach|paste|sent|provided|shared|uploaded|supplied|confirmed)\b"
        r"|\b(?:once|when|after|as soon as) you (?:send|provide|share|upload|supply|paste|attach)\b[^.!?]{0,60}?\bi(?:'ll| will| can)\b"
        r"|(?:待|等|在|一旦|收到|拿到)(?:您|你)[^。！？]{0,15}?(?:提供|发送|上传|补充|确认|给出|发来|提交)[^。！？]{0,20}?(?:后|之后|以后)"
        r"[^。！？]{0,15}?(?:撰写|补写|补充|完成|写|续写|生成|编写|展开)"),
        "puts the writing off until the requester sends something (will be written once you send the sources / 待您提供资料后再撰写)"),
    Feature("continues-from", 3, _has(
        r"^(?:continuing (?:from|with|on from)|continued from|picking up (?:from|where))"
        r"|^(?:接上文|接上一?(?:部分|节|章|段)|续上文)(?:继续|内容)?\s*[，,:：。]"),
        "opens by continuing from the previous output (Continuing from above, …)"),
    Feature("placeholder", 4, _short_and(
        r"(?<![有尚仍亟期等接对款招看善虐静坐])待(?:后续|日后|稍后|之后|进一步)?(?:补充|完善|续写|撰写|填写|添加|补写|编写|补全|生成|写作)"
        r"|(?<![有尚仍亟期等接对款招看善虐静坐])待(?:作者|笔者|编者|用户|研究者)[^。！？]{0,20}?(?:提供|补充|确认|上传|给出)[^。！？]{0,20}?"
        r"(?:后|之后|以后)(?:再)?(?:撰写|补写|补充|完成|续写|编写|写作|展开)"
        r"|(?:内容|本章|本节|此处|该节|该章|此节|此章|本部分|该部分)(?:暂缺|暂无|略|省略|尚未(?:撰写|生成|编写))"
        r"|^[（(\[【]?\s*(?:略|此处略|内容略)\s*[)）\]】]?$|敬请期待|(?:本章|本节|此节|该节|内容|本部分)正在(?:撰写|编写|生成)中"
        r"|\btbd\b|\btba\b|\btodo\b|\bplaceholder\b|\bcoming soon\b|\blorem ipsum\b|\[insert [^\]]{0,40}\]"
        r"|\bto be filled in (?:later|soon|afterwards|in a later (?:draft|version|revision))\b"
        r"|\bawaiting (?:sources|input|content|material|references|your)\b"
        rf"|^{_OPEN}(?:this |the )?(?:chapter|section|subsection|part|content|text)(?: of (?:the|this) (?:review|article|paper|chapter|report))?"
        r"\s*+(?:is |are |will |remains |still |[-—–:：,]\s*+)*+(?:pending|forthcoming|to follow|coming soon|not yet (?:written|available|"
        r"drafted|complete)|under construction|in preparation|(?:to )?be (?:filled in|written|completed|added|provided|drafted|expanded|"
        r"supplied|inserted|done|continued)|(?:is |remains |yet )?to be (?:completed|written|added|expanded|provided|filled))\b"
        rf"|^{_DECOR}{_OPEN}{_DECOR}(?:pending|forthcoming|to follow|to be (?:filled in|written|completed|added|provided|drafted|continued)"
        rf"(?: later| soon)?|coming soon|under construction|work in progress)\W*+$", 120),
        "a placeholder note instead of text (（待补充） / TBD / this section will be completed later)"),
    Feature("apologises", 2, _has(r"抱歉|对不起|\bsorry\b|\bapologi[sz]e\b|\bmy apologies\b"),
            "apologises to the requester"),
    Feature("declines", 3, _has(
        r"(?:我|本助手)[^。！？]{0,10}?(?:无法|不能|不便|难以|没办法|没有办法|不可以|做不到)(?:为您|为你|向您)?[^。！？]{0,6}?"
        r"(?:提供|完成|撰写|回答|给出|生成|展开|继续|满足|就|写|编写|论述|协助|帮助)"
        r"|^作为(?:一个)?(?:ai|人工智能)(?:助手|语言模型|模型)?[，,]"
        r"|我(?:不会|绝不会?|拒绝|不打算)(?:为您|为你|向您)?(?:提供|撰写|编写|生成|协助|帮助|给出)"
        r"|\bi (?:will not|won't|won’t|refuse to|shall not|am not going to|'m not going to) (?:provide|write|produce|generate|"
        r"draft|complete|help|assist) (?:it|this|that|them|one|such|the requested|this section|this chapter)\b"
        r"|\bi (?:cannot|can't|can’t|can ?not|am unable to|'m unable to|am not able to|'m not able to|won't be able to|"
        r"will not be able to|must decline|do not have (?:enough|sufficient|access)|don't have (?:enough|sufficient|access))\b"
        r"|^as an ai(?: language model| assistant| model)?,|^as a (?:large )?language model,|\bunable to (?:provide|write|complete|generate|verify|produce) "
        r"(?:this|the|a|an|reliable)\b"),
        "declines the task (我无法…给出 / I cannot provide / as an AI…)"),
    Feature("redirects", 2, _has(
        r"建议(?:您|你)(?:自行|直接)?(?:查阅|参考|咨询|补充|核实|阅读|检索|查询|联系)|请(?:您|你)?自行(?:查阅|补充|核实|检索|查询|参考)"
        r"|\b(?:i )?(?:recommend|suggest) (?:that )?you (?:consult|check|refer|review|verify|read|look)\b"
        r"|\bplease (?:consult|refer to) (?:the original|a|an|the relevant|your)\b"),
        "sends the requester elsewhere instead of writing (建议您自行查阅 / I recommend you consult)"),
    Feature("interjection", 2, _has(
        r"^(?:sure|certainly|of course|absolutely|okay|ok|great|alright|no problem|understood|got it)\s*!"
        r"|^(?:sure|okay|ok|alright|got it|no problem)\s*(?:[,.]|[—–]|\s-\s)"
        r"|^(?:好的|没问题|明白了?|收到|好嘞|当然可以|当然没问题|可以的)\s*[，,!！。~～]"),
        "opens with a conversational interjection (好的，/ Sure! / Certainly!)"),
    Feature("only-interjection", 2, _has(
        r"^(?:sure|certainly|of course|absolutely|okay|ok|great|alright|no problem|understood|got it|好的|没问题|明白了?|收到|"
        r"好嘞|当然可以)\s*[!,.！，。~～]*$"),
        "is nothing but an interjection"),
    Feature("note-label", 1, _has(r"^[（(\[【]?\s*(?:注|备注|说明|附注|提示|note|n\.?b\.?|p\.?s\.?)\s*[:：]"),
            "an aside labelled Note / 注 (weak: authors write table notes too)"),
    Feature("after-chatter", 1, lambda s, bare: s.after_chatter,
            "a neighbour in the same paragraph is chatter (chatter comes in runs)"),
) + tuple(Feature(name, weight, _has(pattern), doc) for name, weight, pattern, doc in PROCESS + REQUESTER)  # process, requester

# --------------------------------------------------------------------------- place
_BRACKETED_RE = re.compile(r"^\s*[（(\[【〔［].*[)）\]】〕］]\s*[。.]?\s*$")
PLACE: tuple[Feature, ...] = (
    Feature("alone-on-line", 1, lambda s, bare: s.alone, "the sentence is its whole line"),
    Feature("generation-edge", 1, lambda s, bare: s.edge, "it stands at the start or end of a generation"),
    Feature("bracketed", 1, lambda s, bare: bool(_BRACKETED_RE.match(_TAG_RE.sub("", s.text))),
            "it is wholly in brackets, an aside"),
)

# --------------------------------------------------------------------------- content
# (?<!…): a number is matched from its first character only (linear on long digit runs)
_MEASURED_RE = re.compile(rf"(?<![.{_ZH_NUM}])(?:\d+(?:\.\d+)*|[{_ZH_NUM}]+)\s*(?:余)?(?:个)?(?:字|词|篇|章|节)|(?<!\d)\d+[- ]?(?:words?|characters|references|chapters?|sections?)\b"
                          r"|(?:第|chapter |section |表|table |图|figure |fig\. )\s*\d+", re.I)
_FIGURE_RE = re.compile(r"\d")
_ACRONYM_RE = re.compile(r"\b(?!(?:AI|OK|TBD|TODO|FAQ|PS|NB|I)\b)[A-Z]{2,}[A-Za-z0-9-]*")
_WE_RE = re.compile(r"\bwe\b|\bour\b", re.I)
LONG_SENTENCE = 120  # characters; chatter is short

CONTENT: tuple[Feature, ...] = (
    Feature(VETO, 3, lambda s, bare: bool(CITE_RE.search(s.text)),
            "carries a citation marker: never removed, at most reported"),
    Feature("figures", 1, lambda s, bare: bool(_FIGURE_RE.search(_MEASURED_RE.sub("", bare))),
            "holds figures (not a word count or a chapter number)"),
    Feature("technical-terms", 1, lambda s, bare: bool(_ACRONYM_RE.search(s.text)), "holds acronyms or technical terms"),
    Feature("long", 1, lambda s, bare: len(bare) > LONG_SENTENCE, "is long, as argument is and chatter is not"),
    Feature("authorial-we", 1, lambda s, bare: bool(_WE_RE.search(bare)), "speaks as the authors' we"),
)


# --------------------------------------------------------------------------- quoted speech
_QUOTED_RE = re.compile("|".join(f"{re.escape(o)}[^{re.escape(c)}]*(?:{re.escape(c)}|$)" for o, c in QUOTE_MARKS.items()
                                 if o != '"') + r'|"[^"]*"')
_REPORTED_RE = re.compile(
    r"(?:回答|回复|答复|答道|说|称|表示|输出|写道|拒绝道|提示|"
    r"\brespond(?:s|ed)?|\brepl(?:y|ies|ied)|\banswer(?:s|ed)?|\bsay(?:s)?|\bsaid|\boutputs?|\breads)\s*[:：].*$",
    re.I,
)


_OPENING_INTERJECTION_RE = re.compile(
    r"^(?:(?:sure|certainly|of course|absolutely|okay|ok|great|alright|no problem|understood|got it)\s*+(?:[!,.]|[—–]|-\s)"
    r"|(?:好的|没问题|明白了?|收到|好嘞|当然可以|当然没问题|可以的)\s*+[，,!！。~～])\s*+"
)


def wording(text: str) -> str:
    """The sentence's own words: markdown and citations out, quoted and reported speech out
    (an unclosed quotation runs to the end of the sentence), lower case."""
    return _cased_wording(text).lower()


def _cased_wording(text: str) -> str:
    bare = _REPORTED_RE.sub("", _QUOTED_RE.sub("", _TAG_RE.sub("", text)))
    bare = CITE_RE.sub("", bare)
    return re.sub(r"^[\s>*_#`-]+|[*_`]+", "", bare).strip()


@lru_cache(maxsize=8192)
def opens_reported_speech(text: str) -> bool:
    """The sentence introduces somebody's words after a speech verb and a colon: what follows
    on its line is reported speech too."""
    return bool(_REPORTED_RE.search(_QUOTED_RE.sub("", text)))


# features that depend on the sentence's place, not its text: judged for every occurrence
_BY_PLACE = frozenset({"after-chatter", "alone-on-line", "generation-edge"})
_RAW_WORDING = frozenset({"interjection", "only-interjection"})  # judged on the text before an interjection is cut
_WORDING_BY_PLACE, _PLACE_BY_PLACE = (tuple(f for f in table if f.name in _BY_PLACE) for table in (WORDING, PLACE))


@lru_cache(maxsize=8192)
def _text_features(text: str) -> tuple[tuple[Feature, ...], tuple[Feature, ...], tuple[Feature, ...]]:
    """The wording, place and content features a sentence's text has wherever it stands (cached)."""
    s = Sentence(text)
    bare = wording(text)
    core = _OPENING_INTERJECTION_RE.sub("", bare)  # "好的，以下是…" is judged as "以下是…"
    said = tuple(f for f in WORDING if f.name not in _BY_PLACE and f.test(s, bare if f.name in _RAW_WORDING else core))
    placed = tuple(f for f in PLACE if f.name not in _BY_PLACE and f.test(s, bare))
    holds = tuple(f for f in CONTENT if f.test(s, bare))
    return said, placed, holds


def score(sentence: Sentence) -> Score:
    wording, total, features = _score(sentence)
    return Score(wording, total, list(features))


@lru_cache(maxsize=16384)  # every round of the chatter rule and its warnings judge the same sentences
def _score(sentence: Sentence) -> tuple[int, int, tuple[str, ...]]:
    if sentence.quoted:
        return 0, 0, ()
    said, placed, holds = _text_features(sentence.text)
    said += tuple(f for f in _WORDING_BY_PLACE if f.test(sentence, ""))
    wording = sum(f.weight for f in said)
    total, features = wording, [f.name for f in said]
    if wording >= WARN_SCORE:
        for f in placed + tuple(f for f in _PLACE_BY_PLACE if f.test(sentence, "")):
            total += f.weight
            features.append(f.name)
    if wording:
        for f in holds:
            total -= f.weight
            features.append(f"-{f.name}")
    return wording, total, tuple(features)


def score_text(text: str) -> list[Score]:
    """Each sentence of a piece of text scored on its wording alone (no place known)."""
    return [score(Sentence(s.strip())) for s in split_sentences(text) if s.strip()]
