"""Whether a written chapter has real content: the test that makes an empty chapter a missing one.

Definition: a chapter has REAL CONTENT when something under its heading is the author's:
a sentence that is not (surely) chatter, a table row, a code block. A chapter WITHOUT real
content is one whose body is
- nothing, or headings only (sub-section titles with no text under any of them);
- a placeholder note standing in for text, in any wording and emphasis ("（待补充）", "TBD",
  "to be completed", "此处内容待完善", "_Section pending — to be filled in later._",
  "Content forthcoming", "此节待撰写");
- a refusal ("抱歉，我无法…") or other chatter only, surely so by the chatter scorer
  (`publisher/clean/chatter_features.py`), such as chatter waiting for input ("This part
  will be written once you send the remaining sources. In the meantime, let me know…");
- captions with no table, stray rules, emphasis marks, tags and template tokens.
It is a chapter never written: left out and reported, a visible placeholder only in draft
mode. Cleaning usually removes the chatter and placeholders first (each with its own report
line), so most such chapters arrive as headings only; the scorer is asked again here so that
the decision holds when cleaning rules are switched off. A sentence in the chatter middle
band (possibly chatter) counts as content: when unsure, the chapter is kept.
"""

from __future__ import annotations

import re

from publisher.clean.chatter_features import Sentence, score
from publisher.i18n import N_
from publisher.markdown.lexer import CAPTION_LINE_RE, heading, is_table_row, split_sentences
from publisher.source import SourceLine

_RULE_RE = re.compile(r"^\s*([-*_=]\s*){3,}$")
# tags and template tokens (<br>, <|end|>, <｜end▁of▁sentence｜>) carry no words
_TAG_RE = re.compile(r"<[^<>\n]{0,80}>")
_WORD_RE = re.compile(r"\w")


def has_real_content(body: list[SourceLine]) -> bool:
    return any(_is_content_line(ln.text) for ln in body)


def what_it_holds(body: list[SourceLine]) -> str:
    """In words, what an empty chapter holds instead of content (for its report line)."""
    texts = [ln.text.strip() for ln in body if ln.text.strip()]
    prose = [t for t in texts if heading(t) is None and _WORD_RE.search(_TAG_RE.sub("", t))]
    if not prose:
        if any(heading(t) is not None for t in texts):
            return N_("headings only")
        return N_("markup only") if texts else N_("no text under its heading once cleaned")
    features = {f for t in prose for s in _sentences(t) for f in score(Sentence(s, alone=True)).features}
    if "placeholder" in features:
        return N_("only a placeholder note")
    if features & {"declines", "apologises", "redirects"}:
        return N_("only a refusal")
    return N_("only remarks addressed to the requester")


def _is_content_line(text: str) -> bool:
    t = text.strip()
    if not t or heading(t) is not None or _RULE_RE.match(t) or not _WORD_RE.search(_TAG_RE.sub("", t)):
        return False
    if is_table_row(t) or t.startswith(("```", "~~~")):
        return True
    if CAPTION_LINE_RE.match(t):
        return False
    units = _sentences(t)
    return any(not score(Sentence(s, alone=len(units) == 1)).remove for s in units)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in split_sentences(text) if s.strip()]
