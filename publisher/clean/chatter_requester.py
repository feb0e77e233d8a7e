"""Chatter that speaks to the requester about what happens next: the wording features the
scorer adds for it.

Each family below is one feature entry (name, weight, pattern, doc), read by
`chatter_features.py` with the others (kept apart: that module is near the size limit).

- ADDRESSES THE REQUESTER'S USE OF THE TEXT: what the requester will do with it, not what it
  says ("方便您转给家长阅读", "供您参考", "so you can forward it to the parents").
- OFFERS MORE ON REQUEST: an offer conditioned on the requester's need, closed by "tell me"
  with nobody else named ("如您需要原文链接可再告知", "如需全文可随时告诉我").
- ASKS FOR INPUT TO GO ON: the writer asks for material and says it will continue once it
  has it ("Please share them and I'll continue from there.", "请提供相关条文，我再继续撰写").

Near-misses (kept): an author's sentence about who reads the guidance ("这份指南语言浅显，方便
家长阅读", "so that parents can follow it"), "如需帮助，请告知医护人员" (somebody else is told),
"如需进一步了解，可参阅[3]", "Participants were asked to share their diaries so that the team
could continue the analysis", a request quoted in an article about chatbots (quoted speech is
taken out before judging).
"""

from __future__ import annotations

_USE_ZH = (r"转给|转发|转交|分享|发给|发送给|交给|打印|复制|粘贴|直接使用|使用|引用|提交|汇报|修改|编辑|参考|"
           r"放入|放进|插入|用于")
_USE_EN = r"forward|share|pass|send|print|hand|paste|copy|submit|drop|insert|reuse|use|circulate|present"
_INPUT_EN = r"share|send|provide|upload|paste|supply|attach|give me|forward"
_GO_ON_EN = r"continue|proceed|carry on|go on|finish|complete|pick up|write|draft|fill in|resume|expand"
_INPUT_ZH = r"提供|发送|发来|上传|补充|给出|贴出|告知|粘贴|转发"
_GO_ON_ZH = r"继续|完成|撰写|补写|续写|补全|补齐|写|展开|修改|完善"

# (name, weight, pattern, doc); patterns are matched on the sentence's own lower-cased words
REQUESTER: tuple[tuple[str, int, str, str], ...] = (
    ("requester-use", 2,  # second person is in every wording, so it weighs with "second-person"
     rf"(?:方便|便于|以便|供|好让|让)(?:您|你)[^。！？，,]{{0,6}}?(?:{_USE_ZH})"
     rf"|\bso (?:that )?you (?:can|could|may) (?:easily |directly |simply )?(?:{_USE_EN})\b"
     rf"|\bfor you to (?:{_USE_EN})\b|\bready for you to (?:{_USE_EN})\b",
     "speaks of what the requester will do with the text (方便您转给家长阅读 / 供您参考 / so you can forward it)"),
    ("offers-on-request", 3,
     r"(?:如|如果|若|假如|倘若)(?:您|你)?(?:还)?(?:需|需要|希望|想要?|有需要|有兴趣)[^。！？]{0,20}?"
     r"(?:可|可以|请|欢迎|随时|再|尽管)*+(?:告知|告诉)我?(?:一声)?(?=[。！？，,；;）)]|$)",
     "offers more if the requester needs it, and asks to be told (如您需要原文链接可再告知 / 如需全文可随时告诉我)"),
    ("asks-for-input", 3,
     rf"\b(?:please |just |kindly )?(?:{_INPUT_EN}) (?:it|them|these|those|this|that|the \w+(?: \w+)?|your \w+(?: \w+)?)"
     rf"[^.!?]{{0,30}}?(?:,? and|,? so (?:that )?|;) i(?:'ll| will| can| could)(?: then| happily| gladly)? (?:{_GO_ON_EN})\b"
     rf"|请(?:您|你)?(?:{_INPUT_ZH})[^。！？]{{0,20}}?[，,；;]?(?:以便|之后|后)?我(?:再|就|将|会|便|可以|才能)+(?:{_GO_ON_ZH})",
     "asks the requester for input and says it will go on once it has it (Please share them and I'll continue / 请提供…我再继续)"),
)
