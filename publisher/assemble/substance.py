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
- a writer's note only: the writer as I speaking of the text or its writing, holding
  nothing of the topic (no citation, no figure): "下面这一节我打算先列出要点、再逐条展开。",
  "In this section I will first list the main points.";
- captions with no table, stray rules, emphasis marks, tags and template tokens.
It is a chapter never written: left out and reported, a visible placeholder only in draft
mode. Cleaning usually removes the chatter and placeholders first (each with its own report
line), so most such chapters arrive as headings only; the scorer is asked again here so that
the decision holds when cleaning rules are switched off. A sentence in the chatter middle
band (possibly chatter) counts as content, unless it is a writer's note: when unsure, the
chapter is kept. A placeholder note is judged by `publisher/clean/placeholders.py`.
"""

from __future__ import annotations

import re

from publisher.clean.chatter_features import Sentence, score
from publisher.clean.placeholders import is_placeholder_note, is_placeholder_sentence
from publisher.i18n import N_
from publisher.markdown.lexer import CAPTION_LINE_RE, CITE_RE, heading, is_table_row, split_sentences
from publisher.source import SourceLine

_RULE_RE = re.compile(r"^\s*([-*_=]\s*){3,}$")
# tags and template tokens (<br>, <|end|>, <｜end▁of▁sentence｜>) carry no words
_TAG_RE = re.compile(r"<[^<>\n]{0,80}>")
_WORD_RE = re.compile(r"\w")
# the writer as I (not 我国 / 我们, the authors' we), and the text or its writing as its object
_WRITER_RE = re.compile(r"我(?![国省市区县院校军方们党部所司厂局行])|(?-i:\bI\b)|\bI['’](?:ll|m|ve|d)\b|\b(?:me|my)\b", re.I)
_WRITING_RE = re.compile(
    r"(?:本|这一?|此|该|下一?|上一?|下面|后面)(?:章节|小节|章|节|部分|段|轮)|要点|正文|篇幅|提纲|大纲|展开|撰写|写作|补上|列出"
    r"|\b(?:chapter|section|part|paragraph|points?|draft|outline|write|writing|expand|list|cover|sketch)\b",
    re.I,
)
# what makes a note hold something of the topic after all
_TOPIC_EVIDENCE = frozenset({"-cites", "-figures", "-technical-terms"})


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
    if "placeholder" in features or any(is_placeholder_note(t) for t in prose):
        return N_("only a placeholder note")
    if all(_is_writers_note(s) for t in prose for s in _sentences(t)):
        return N_("only a writer's note")
    if features & {"declines", "apologises", "redirects"}:
        return N_("only a refusal")
    return N_("only remarks addressed to the requester")


def _is_content_line(text: str) -> bool:
    t = text.strip()
    if not t or heading(t) is not None or _RULE_RE.match(t) or not _WORD_RE.search(_TAG_RE.sub("", t)):
        return False
    if is_table_row(t) or t.startswith(("```", "~~~")):
        return True
    if CAPTION_LINE_RE.match(t) or is_placeholder_note(t):
        return False
    units = _sentences(t)
    return any(_is_content_sentence(s, alone=len(units) == 1) for s in units)


def _is_content_sentence(text: str, alone: bool) -> bool:
    return not (score(Sentence(text, alone=alone)).remove or is_placeholder_sentence(text) or _is_writers_note(text))


def _is_writers_note(text: str) -> bool:
    """The writer as I speaking of the text or its writing, with nothing of the topic."""
    if not (_WRITER_RE.search(text) and _WRITING_RE.search(text)) or CITE_RE.search(text):
        return False
    return not _TOPIC_EVIDENCE & set(score(Sentence(text)).features)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in split_sentences(text) if s.strip()]
