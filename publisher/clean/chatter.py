"""assistant-chatter: the model talking to its requester, about its text, or declining.

Definition (the family, whatever the wording; Chinese and English alike). A sentence is
chatter when it
- ADDRESSES THE REQUESTER: speaks to "you" (你/您/you) as the person who asked for the text,
  offers to revise, expand or do more, asks for feedback, a choice or patience, hopes it
  helped;
- TALKS ABOUT THE TEXT INSTEAD OF THE TOPIC: announces the text that follows as a delivered
  product ("以下是第三章的完整内容：", "Here is the revised section:"), reports what was
  written or changed ("本章已按要求完成撰写", "I have removed the repeated sentences"; the
  first person singular reporting what it did to the text is a strong sign: "I've kept the
  citations exactly as supplied", "我保留了原有的引用编号"), says where the text stands
  ("以上为第三章全部内容。", "本节完", "This concludes the chapter."), measures it (a word
  count), names the task's inputs as its source ("根据您提供的大纲", "the search results you
  provided"), marks a continuation or a resumed output, alone in any decoration ("（续）",
  "接上文", "—— 接续上一段输出 ——", "[Resuming the draft where it was cut off]", "Continuing
  from above, …"), stands in for missing text (a placeholder note: "（待补充）", "TBD",
  "_Section pending — to be filled in later._", "Content forthcoming") or puts the writing off
  until the requester sends something ("This part will be written once you send the sources");
- DECLINES THE TASK: apologises, says it cannot write this, sends the requester elsewhere
  ("抱歉，我无法…，建议您自行查阅…", "I cannot provide…").
Where it stands weighs in (the edge of a generation, alone on its line, wholly in
brackets), and so does what it holds: citation markers, figures, technical terms, length
and the authors' "we" make a sentence content.

NOT chatter (near-misses kept unchanged): an author's sentence that says 以下 / 以上 / below /
as follows about the topic ("以下从三个方面展开讨论", "以上为本研究的主要结论"); the article's
own roadmap ("本章首先介绍…，随后讨论…", "The remainder of this review is organised as
follows"); continuing, resuming or pending as the topic ("Resuming exercise after a cardiac
event…", "results pending regulatory review"); the first person about the topic, not the
writing ("I have structured this review around three questions"); a refusal QUOTED in an article about AI safety (quoted and reported
speech is taken out before judging); a second-person guideline quoted from a standard or
handbook ("你必须佩戴…": second person alone is weak); a rhetorical question; "如需进一步
了解…，可参阅…[5]" (it cites).

How it decides (`chatter_features.py`: each feature a named, weighted table entry): a
sentence whose wording scores high enough is removed, ONLY that sentence, never its
neighbour on the same line or the line above; an opening interjection ("好的，", "Sure!")
before author text goes alone. An aside in brackets or dashes (`asides.py`) inside an author's
sentence, a list item or a table cell is judged as its own unit and goes alone ("…冲击〔2，4〕。
（注：为满足字数要求，本段做了扩写。）其频谱…"); in a chatter sentence it goes with it. The writing
process (plans, progress, the cut, the model's own basis, its own checking) has its features in
`chatter_process.py`; what the requester will do next (use the text, ask for more, send input) in
`chatter_requester.py`. A sentence in the middle band is KEPT and reported as a
warning by `unsure_chatter` (the pipeline runs it once on the cleaned text): removing an author's sentence is
worse than keeping a line of chatter. Every removal is a report line with the whole text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from publisher.clean.asides import asides
from publisher.clean.chatter_features import Score, Sentence, opens_reported_speech, score
from publisher.clean.chatter_words import feature_terms
from publisher.i18n import N_
from publisher.markdown.lexer import (
    CAPTION_LINE_RE,
    CITE_RE,
    Lines,
    fenced,
    heading,
    is_fence_line,
    is_table_row,
    paragraphs,
    split_sentences,
)
from publisher.model import Message
from publisher.result import message, said
from publisher.source import SourceLine

RULE = "assistant-chatter"
MAX_ROUNDS = 4  # removing chatter can bring the next sentence to an edge; judged again, at most this often

_INTERJECTION_PREFIX_RE = re.compile(
    r"^(?P<lead>\s*+[>*_-]*\s*+)(?P<word>(?:sure|certainly|of course|absolutely|okay|ok|great|alright|no problem|"
    r"understood|got it)\s*+(?:[!,]|[—–])|(?:好的|没问题|明白了?|收到|好嘞|当然可以|当然没问题|可以的)\s*+[，,!！~～])\s*+",
    re.I,
)


@dataclass
class _Unit:
    """A sentence of a line (or an aside inside one), where it is, and its score."""

    row: int  # index of its line in its paragraph
    start: int  # where it starts on its line
    piece: str  # the sentence as written, with the spaces after it (an aside: its cut span)
    sentence: Sentence
    score: Score
    aside: bool = False  # an aside in an author's sentence or a table cell, judged on its own

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.start + len(self.piece)


def strip_chatter(lines: Lines) -> tuple[Lines, list[Message]]:
    """Remove the chatter sentences of one generation (never a whole line for one of them)."""
    lines = list(lines)
    messages: list[Message] = []
    for _ in range(MAX_ROUNDS):
        lines, found = _one_round(lines)
        messages.extend(found)
        if not found:
            break
    return lines, messages


def unsure_chatter(lines: Lines) -> list[Message]:
    """Warnings for the kept sentences that look like chatter but not surely (the middle band)."""
    out: list[Message] = []
    for base, para in _judge(lines):
        for u in para:
            if u.score.unsure:
                out.append(message(RULE, "warning", [SourceLine(lines[base + u.row].no, u.piece.strip())],
                                   said("possibly a remark from the assistant, kept ({why}); check it", why=feature_terms(u.score.features))))
    return out


def is_chatter(text: str) -> bool:
    """The sentences of `text` are all surely chatter, judged on their wording alone."""
    units = [s.strip() for s in split_sentences(text) if s.strip()]
    return bool(units) and all(score(Sentence(u, alone=len(units) == 1)).remove for u in units)


# --------------------------------------------------------------------------- one round
def _one_round(lines: Lines) -> tuple[Lines, list[Message]]:
    messages: list[Message] = []
    cut: dict[int, list[tuple[int, int]]] = {}  # row -> spans removed from it
    for base, para in _judge(lines):
        # a placeholder aside stands in for a missing value ("降水量为（待补充）mm"): cutting it
        # would leave a hole in the author's sentence, so it stays for the placeholder rules
        gone = [u for u in para if u.score.remove and not (u.aside and "placeholder" in u.score.features)]
        prefixes = [u for u in para if not u.score.remove and not u.aside and "interjection" in u.score.features
                    and _INTERJECTION_PREFIX_RE.match(u.piece)]
        if not gone and not prefixes:
            continue
        spans: list[tuple[int, int, int]] = []  # (row, start, end)
        for u in gone:
            spans.append((base + u.row, *u.span))
        for u in prefixes:
            m = _INTERJECTION_PREFIX_RE.match(u.piece)
            assert m is not None
            spans.append((base + u.row, u.start + m.start("word"), u.start + m.end()))
        outer: list[tuple[int, int, int]] = []  # spans are nested or apart: keep the outermost
        for row, a, b in sorted(spans, key=lambda s: (s[0], s[1], -s[2])):
            if not (outer and outer[-1][0] == row and b <= outer[-1][2]):  # not an aside of a removed sentence
                outer.append((row, a, b))
        spans = outer
        for row, a, b in spans:
            cut.setdefault(row, []).append((a, b))
        rows = sorted({row for row, _, _ in spans})
        pieces = {row: [lines[row].text[a:b].strip() for r, a, b in spans if r == row] for row in rows}
        why = sorted({f for u in gone for f in u.score.features if not f.startswith("-")}) or ["interjection"]
        aside = bool(gone) and all(u.aside for u in gone)
        template = (N_("a remark from the assistant inside an author's sentence, removed ({why})") if aside
                    else N_("a remark from the assistant, not part of the article, removed ({why})"))
        messages.append(message(RULE, "info", [SourceLine(lines[r].no, " ".join(pieces[r])) for r in rows],
                                said(template, why=feature_terms(why)), " ".join(p for r in rows for p in pieces[r])))
    out: Lines = []
    for row, ln in enumerate(lines):
        if row not in cut:
            out.append(ln)
            continue
        text, pos = [], 0
        for a, b in sorted(cut[row]):
            text.append(ln.text[pos:a])
            pos = max(pos, b)
        new = ("".join(text) + ln.text[pos:]).rstrip()
        if new.strip() and not _only_marks(new):
            out.append(SourceLine(ln.no, new))
    return out, messages


def _only_marks(text: str) -> bool:
    """What is left of a line is only list or table marks: the line goes."""
    return not re.sub(r"[\s>*+|:-]|^\d+[.)]", "", text)


def _judge(lines: Lines) -> list[tuple[int, tuple[_Unit, ...]]]:
    """(first row, flagged units) of every paragraph with units (its sentences and the
    asides in them and in table cells), scored in their place; rows are counted from the
    paragraph's first. Only the units the rule and its warnings act on are returned."""
    in_fence = fenced(lines)
    paras: list[tuple[int, tuple[str, ...], tuple[bool, ...]]] = []
    prose: list[int] = []  # indices in `paras` of the paragraphs with sentences (not only asides)
    for start, end in paragraphs(lines):
        texts = tuple(ln.text for ln in lines[start:end])
        fences = tuple(in_fence[start:end])
        units = [_pieces(text, f) for text, f in zip(texts, fences, strict=True)]
        if any(units):
            if any(not aside for row in units for _, _, aside, *_ in row):
                prose.append(len(paras))
            paras.append((start, texts, fences))
    edges = {prose[0], prose[-1]} if prose else set()
    return [(start, _judge_paragraph(texts, fences, k in edges)) for k, (start, texts, fences) in enumerate(paras)]


@lru_cache(maxsize=4096)
def _judge_paragraph(texts: tuple[str, ...], fences: tuple[bool, ...], edge: bool) -> tuple[_Unit, ...]:
    """The flagged units of one paragraph: removed, unsure, or opening with an interjection.
    A sentence next to a removed one is judged again with that neighbour known (chatter comes
    in runs). The judgement depends on nothing but the paragraph's lines and whether it is at
    an edge, so it is cached: every round of the rule, its second look and the warnings after
    it meet the same paragraphs again (most paragraphs flag nothing: an empty tuple each)."""
    para = [_Unit(row, start, piece, Sentence(words, alone, edge, quoted=quoted), Score(), aside)
            for row, (text, f) in enumerate(zip(texts, fences, strict=True))
            for start, piece, aside, words, alone, quoted in _pieces(text, f)]
    for u in para:
        u.score = score(u.sentence)
    # a run of chatter spreads from each removed sentence to its neighbours; each
    # sentence is judged again at most once (linear however long the run); an aside
    # is judged on its own and spreads nothing
    todo = [i for i, u in enumerate(para) if u.score.remove and not u.aside]
    while todo:
        i = todo.pop()
        for j in (i - 1, i + 1):
            if 0 <= j < len(para) and not para[j].aside and not para[j].sentence.after_chatter \
                    and not para[j].score.remove:
                n = para[j]
                n.sentence = Sentence(n.sentence.text, n.sentence.alone, edge, True, n.sentence.quoted)
                n.score = score(n.sentence)
                if n.score.remove:
                    todo.append(j)
    return tuple(u for u in para if u.score.remove or u.score.unsure or "interjection" in u.score.features)


_Piece = tuple[int, str, bool, str, bool, bool]  # start, piece, aside; the sentence judged: text, alone, quoted


@lru_cache(maxsize=16384)
def _pieces(text: str, fenced_line: bool) -> tuple[_Piece, ...]:
    """(start, piece, aside, and the text, alone and quoted of the sentence judged) of each unit
    of a line: they depend on its text alone, so they are cached (every paragraph a rule's
    removal changes is judged again). Plain tuples: the collector need not walk them."""
    if is_table_row(text) and not fenced_line:
        return tuple((a, text[a:b], True, aside.strip(), False, False) for a, b, aside in asides(text))
    if not _is_prose(text, fenced_line):
        return ()
    units: list[_Piece] = []
    pieces = [p for p in split_sentences(text) if p.strip()]
    quoted, at = False, 0
    for piece in pieces:
        at = text.index(piece, at)
        inner = [] if quoted else asides(piece)
        host = _without(piece, inner)
        if inner and _HAS_WORDS_RE.search(CITE_RE.sub("", host)):
            units.append((at, piece, False, host.strip(), len(pieces) == 1, False))
            units.extend((at + a, piece[a:b], True, aside.strip(), False, False) for a, b, aside in inner)
        else:
            units.append((at, piece, False, piece.strip(), len(pieces) == 1, quoted))
        quoted = quoted or opens_reported_speech(piece)
        at += len(piece)
    return tuple(units)


_HAS_WORDS_RE = re.compile(r"[^\W\d_]{2}")


def _without(text: str, spans: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for a, b, _ in spans:
        out.append(text[pos:a])
        pos = b
    return "".join(out) + text[pos:]


def _is_prose(text: str, fenced_line: bool) -> bool:
    """Lines the rule judges: not headings, fences, table rows, captions or quotations."""
    t = text.strip()
    return bool(t) and not (fenced_line or is_fence_line(SourceLine(0, text)) or heading(text) is not None
                            or is_table_row(text) or CAPTION_LINE_RE.match(t) or t.startswith(">"))
