"""Chatter about the writing process: the wording features the scorer adds for it.

The model, between pieces of an article, talks about the job it is doing rather than the
topic. Each family below is one feature entry (name, weight, pattern, doc), read by
`chatter_features.py` with the others (kept here: that module is near the size limit).

- PLANS THE WRITING: the writer as I saying what it will do to the text, in terms of the
  text's form rather than its topic ("下面这一节我打算先列出要点、再逐条展开", "I'll keep it to
  about the same length"), or putting the rest off to the next turn of the conversation
  ("具体内容我将在下一轮对话中补上", "in my next message").
- MARKS PROGRESS: a part of the output named as done or next ("Section 4 complete.", "Intro
  done.", "Threat model next", "(Section 3, continued — part 2 of 2)", "第三章已写完").
- RESUMES: talk about the cut in the output ("As I was saying before the cut-off:",
  "继续上次中断的地方往下写：").
- GIVES ITS OWN BASIS: the model telling where a claim came from as its own knowledge or the
  task's search results, or saying it found none ("此条为我根据常识补充", "based on my general
  knowledge", "检索结果中并无直接依据", "I wasn't able to find a source for this figure").
- LOCATES A PART OF THE OUTPUT in an opening clause, the rest of the sentence going on to
  something else ("以上就是第一部分的内容，我已尽量…", "That's all for part one; …"); weak alone.
- REPORTS ITS OWN CHECKING: the text's items said to be checked with nobody named as the
  checker ("上述法规条文均已核对", "I have double-checked the citations"); weak alone.
- ASKS THE REQUESTER TO CHECK OR COMPLETE: "请您根据实际数据再核对一遍", "请您替换为实际值",
  "please double-check the figures", "replace these with your own data".

Near-misses (kept): an author's roadmap that names the topic ("In this section I will outline
the main arguments", "本章首先介绍…"), "to our knowledge", "to my knowledge, no study has…",
"以上为本研究的主要结论，…", "所有数据均已由两名研究者独立核对", "研究者核对了…", "The samples
have been verified by two analysts", a guideline quoted from a standard ("请在寒潮来临前…", "请于操作前确认阀门已关闭"), "Phase 1
complete" in a project's history, "the next step is…".
"""

from __future__ import annotations

_TEXT_FORM_ZH = r"要点|提纲|大纲|框架|段落|内容|正文|篇幅|字数|这一?[章节段部]|本[章节段]|下一?[章节段部]|各[章节]|每[章节]"
_WRITE_ZH = r"列出|列|写|撰写|展开|补上|补充|补全|补齐|续写|编写|输出|给出|整理|梳理|完成|压缩|扩写|精简"
_OPEN = r"[(\[（【]?\s*+"
_CLOSE = r"\s*+[)\]）】]?[.。]?"
_PART_EN = (r"section|chapter|part|intro|introduction|conclusions?|abstract|summary|outline|draft|background|discussion|"
            r"methods|results|overview|references|bibliography|table")

# (name, weight, pattern, doc); patterns are matched on the sentence's own lower-cased words
PROCESS: tuple[tuple[str, int, str, str], ...] = (
    ("plans-writing", 3,  # or reports the form it gave the text
     rf"我(?:打算|准备|计划|将会?|会|想|先|接下来|随后|稍后|下面)[^。！？]{{0,8}}?(?:先|首先|再|然后)?(?:{_WRITE_ZH})[^。！？]{{0,6}}?"
     rf"(?:{_TEXT_FORM_ZH})"
     rf"|(?:{_TEXT_FORM_ZH})[^。！？]{{0,4}}?我(?:打算|准备|计划|将会?|想)(?:先|首先)?(?:{_WRITE_ZH})"
     r"|\bi(?:'ll| will| am going to|'m going to| plan to| intend to| shall)(?: now| also| first| then| next| try to)?"
     r" (?:keep (?:it|this|them|the (?:section|chapter|length|text)) (?:to|under|at|around|short|brief|concise)"
     r"|(?:list|jot down) the (?:key |main )?points|flesh (?:it|this|them) out|fill (?:it|this|them) in)\b"
     r"|\bi(?:'ve| have)? (?:kept|made|left) (?:it|this|that|(?:this|that|the) (?:part|section|chapter|text|paragraph))"
     r" (?:brief|short|concise|shorter|general|high-level)\b"
     r"|\bunless (?:told|instructed|asked) otherwise\b|\bunless you (?:say|tell me|want|prefer|would like|'d like)\b",
     "plans the writing in terms of the text's form (我打算先列出要点 / I'll keep it to about the same length)"),
    ("defers-to-next-turn", 3,
     r"(?:下一|下)(?:轮|次|条)(?:对话|回答|回复|输出|消息|生成)|在(?:后续|之后的)(?:对话|回复|回答)中"
     r"|\bin (?:my|the|a) (?:next|following|later|subsequent) (?:message|turn|reply|response|output|answer)\b",
     "puts the writing off to the next turn of the conversation (在下一轮对话中补上 / in my next message)"),
    ("marks-progress", 4,
     rf"^{_OPEN}(?:the )?(?:{_PART_EN})(?: [0-9ivx]+(?:\.\d+)*)?(?: is| has been| now)? (?:done|complete|completed|finished|"
     rf"drafted|wrapped up)(?:\s*+[.!;,]|{_CLOSE}$)"
     rf"|^{_OPEN}(?:{_PART_EN}) [0-9ivx]+(?:\.\d+)*+\s*+[,:—–-]?\s*+(?:continued|cont(?:'|’)?d\.?|resumed)\b"
     rf"|^{_OPEN}(?:\w++[\s,:—–-]++){{0,5}}part \d+ of \d+\W*$"
     r"|^(?:第[\d一二三四五六七八九十]{1,3}[章节部分]|本章|本节|这一?[章节]|引言|绪论|结论|摘要|前言)(?:部分)?(?:已经?|均已)?"
     r"(?:写完|写好|完成|结束|完毕)了?(?:[。！.!；;，,]|$)",
     "marks the progress of the output (Section 4 complete. / Intro done. / part 2 of 2 / 第三章已写完)"),
    ("names-next-part", 2,
     r"^[^.!?;,，。；]{1,40}? (?:is |are |comes? |goes )?(?:next|up next)\s*+(?:[,;:]|$)|^next up\b|\b(?:moving|turning) on to (?:the next (?:section|chapter|part)|(?:section|chapter|part) [0-9ivx]+)\b|^(?:下一[章节](?:是|为|写)|接下来写)",
     "names the part of the output that comes next (Threat model next, / Nutritional strategies are next;)"),
    ("resumes-talk", 3,
     r"\bas i was saying\b|\bwhere i (?:left off|stopped|was cut off)\b|\bbefore the (?:cut-?off|interruption|break)\b"
     r"|\bafter the (?:cut-?off|interruption)\b|\bpicking up where\b"
     r"|(?:继续|接着|从)(?:上次|上一次|刚才|之前|前面|上一轮)[^。！？]{0,6}?(?:中断|断开|停下|截断|停止|断掉)的?(?:地方|位置|处)"
     r"|继续往下写|接着往下写|往下写[：:]?$",
     "talks about the cut in its output (As I was saying before the cut-off / 继续上次中断的地方往下写)"),
    ("own-basis", 3,
     r"我(?:是|只是)?(?:根据|依据|凭|基于|按)(?:自己的|我的)?(?:常识|经验|知识|理解|记忆|推测|推断|印象)"
     r"|(?:根据|依据|基于|凭)我(?:自己)?的(?:知识|训练|理解|常识|经验|记忆)|我的(?:训练数据|知识截止)"
     r"|\b(?:based on|from|according to|drawing on) my (?:own )?(?:general )?(?:knowledge|training|understanding|memory|recollection)\b"
     r"|\bmy training data\b|\bknowledge cut-?off\b|我(?:没有|没能|未能|无法|并未)(?:找到|检索到|查到|核实)[^。！？]{0,10}?(?:来源|出处|文献|依据|资料)"
     r"|\bi (?:was not able to|wasn't able to|was unable to|could not|couldn't|did not|didn't) (?:find|locate|verify|confirm)\b"
     r"[^.!?]{0,30}?\b(?:source|reference|citation|evidence)"
     r"|(?:检索|搜索)(?:结果|资料)(?:中|里)?(?:并无|无|没有|未见|找不到)|\b(?:the )?(?:retrieved|search) (?:results|sources) "
     r"(?:do not|don't|did not|say little|contain no|give no|offer no)\b",
     "gives the model's own basis for a claim (此条为我根据常识补充 / based on my knowledge / 检索结果中并无依据)"),
    ("asks-to-check", 3,
     r"请(?:您|你)[^。！？]{0,15}?(?:再|自行|进一步|仔细|重新|务必)(?:核对|核实|校对|复核|核查|确认|检查|验证)"
     r"|请(?:您|你)?(?:核对|核实|校对|复核|核查|验证)[^。！？]{0,10}?(?:数据|数值|引用|文献|出处|来源|一遍|一下|以上|上述)"
     r"|请(?:您|你)[^。！？]{0,10}?(?:替换|填入|改)为?(?:实际|真实|最新|具体|准确|您的|你的)"
     r"|\breplace (?:it|this|these|them|the \w+) with (?:your own\b|(?:the )?(?:actual|real) (?:data|values|figures|numbers|results))"
     r"|\bplease (?:double-?check|verify|check|confirm)\b[^.!?]{0,40}?\b(?:figures|numbers|values|data|citations|references|"
     r"facts|details|these|this)\b|\byou (?:may|might|should|will) (?:want to )?(?:double-?check|verify)\b",
     "asks the requester to check or complete the text (请您根据实际数据再核对一遍 / 请您替换为实际值 / please double-check)"),
    ("locates-part", 2,  # the clause form of "locates-text": weak, the rest of the sentence must say it too
     r"^[（(\[【]?(?:以上|上文|上述|前文|前面)(?:部分|内容|文字)?(?:即|就|便)?(?:为|是|即为|就是)"
     r"(?:全文|本文|本章|本节|正文|第[\d一二三四五六七八九十]{1,3}(?:章|节|部分))的?(?:全部|完整)?(?:内容|部分)?[，,；;]"
     r"|^(?:that|this)(?:'s|’s| is| was| concludes| completes| ends) (?:all (?:for|of) |the end of )?(?:the |this |my )?"
     r"(?:(?:first|second|third|fourth|fifth|final|last|opening) (?:part|section|chapter|installment|instalment)"
     r"|(?:part|section|chapter) (?:one|two|three|four|five|\d+|[ivx]+))\b",
     "locates a part of the output in an opening clause (以上就是第一部分的内容，… / That's all for part one)"),
    ("reports-checking", 2,
     r"(?:上述|以上|前述|文中|本文|所列|所引|引用的?|这些|全部|所有)[^。！？，,]{0,8}?(?:条文|条款|法规|引用|引文|文献|出处|来源|"
     r"链接|原文|数据|数值|信息|内容)(?:均|都|皆|全部|一律)?已经?"
     r"(?:逐一|逐条|仔细|认真|再次|反复|一一)?(?:核对|核实|校对|复核|核查|查证)(?:过|无误|完毕)?(?=[。！？，,；;）)]|$)"
     r"|我(?:已|已经)(?:都|均|也|还)?(?:逐一|逐条|仔细|认真|再次|反复|一一)?(?:核对|核实|校对|复核|核查|查证|验证)(?:过|了)?"
     r"|\bi(?:'ve|’ve| have)? (?:also |carefully |personally |already )?(?:double-checked|checked|verified|cross-checked|"
     r"confirmed|fact-checked)\b[^.!?]{0,30}?\b(?:citations?|references?|quotes|quotations|sources|links|figures|numbers|"
     r"dates|facts|statutes|provisions|details)\b",
     "reports that the writer checked its own text (上述法规条文均已核对 / I have double-checked the citations)"),
)
