"""The silent-loss guard: a warning, with its cause named, when the article keeps much less of
the record's text than the record holds, or loses an outline chapter that has text.

What the guard measures. PROSE is the author's running text counted in word characters
(Han ideographs, letters, digits) of paragraphs, list items, table cells, captions,
keywords and the abstract; headings, code blocks, citation markers, tags and URLs are not
prose. The guard compares
- RECORD PROSE: the prose of the record's content lines, plus any text the reader left after
  a reference heading that is not a supplied entry (content swallowed by a wrong split);
- EXPECTED DEBRIS: what is meant to go and so is no loss: the prose that cleaning rules
  removed as debris by definition (closed reasoning blocks, loops, stray rules, junk
  headings, surely-chatter: `EXPECTED_DEBRIS`) and the text of chapters with no real content;
- PUBLISHED PROSE: the prose of the published document.
The kept share is published / (record − expected debris). Below `MIN_SHARE` (half) the guard
warns ("content-loss") and names what took the rest: each cleaning rule by the lines its
report lines cover, each assembly decision by the text it reports removed, the reading
split, later stages, and "no rule" for a loss nothing in the report accounts for.

Chapters: an outline chapter that has text in the content (a content heading that names it,
by title, by number or by one of its sub-sections, with real content under it outside
debris) but is not published, and whose text is nowhere in the article, gets its own
warning ("lost-chapter") naming it and what took it; more than one such chapter is a
content-loss warning as well. `--strict` fails on these warnings as on any other.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from publisher.assemble.headings import promote_headings
from publisher.assemble.outline import (
    MATCH_THRESHOLD,
    Outline,
    OutlineEntry,
    normalise,
    number_label,
    similarity,
)
from publisher.assemble.substance import has_real_content
from publisher.markdown.lexer import CITE_RE, fenced, heading, split_sentences
from publisher.model import (
    LABELS,
    Block,
    CodeBlock,
    Document,
    ListBlock,
    Message,
    Paragraph,
    Quote,
    Section,
    Table,
    inline_text,
    iter_blocks,
)
from publisher.result import Said, message_at, said, said_n
from publisher.source import Record, SourceLine

MIN_SHARE = 0.5  # the article keeps at least this share of the record's prose, or a warning
MIN_PROSE = 200  # below this many characters a share says little: only chapters are checked
# rule -> the severity at which its removals are debris by definition (None: any)
EXPECTED_DEBRIS: dict[str, str | None] = {
    "reasoning-tags": "info",  # a closed block; one that never closes and runs on is a decision
    "repetition": None,
    "stray-rule": None,
    "junk-heading": None,
    "assistant-chatter": "info",
    "empty-chapter": None,
}
READ_SPLIT = "the reference-list split (text after a reference heading that is no supplied entry)"
LATER = "later stages (tables, captions)"
UNREPORTED = "no rule (nothing in the report accounts for it)"

_NOT_WORD_RE = re.compile(r"[\W_]+")
_NOT_PROSE_RE = re.compile(r"<[^<>\n]{0,80}>|https?://\S+")
_ENTRY_RE = re.compile(r"^\s*(?:[-*]\s*)?[\[［【]\s*\d{1,4}\s*[\]］】]|^\s*\d{1,4}[.、)]\s")
_SPACE_RE = re.compile(r"\s+")
TITLE_CHARS = 120  # titles are compared on their start only (bounded cost)
PROBE_CHARS = 12  # a lost chapter's text is looked for in the article by a sentence this long


def prose(text: str) -> int:
    """Word characters of a piece of running text, without markers, tags and URLs."""
    return len(_NOT_WORD_RE.sub("", _NOT_PROSE_RE.sub("", CITE_RE.sub("", text))))


@dataclass
class Loss:
    record: int  # prose of the record's content (and swallowed text)
    expected: int  # of it, debris removed by definition
    published: int
    causes: Counter[str]  # cause -> prose it took

    @property
    def base(self) -> int:
        return self.record - self.expected

    @property
    def share(self) -> float:
        return self.published / self.base if self.base > 0 else 1.0


def check_loss(record: Record, generations: list[list[SourceLine]], cleaning: list[Message], outline: Outline,
               doc: Document, later: list[Message]) -> list[Message]:
    """The guard's warnings for one published record: `cleaning` are the cleaning stage's report
    lines, `later` those of the stages after it."""
    raw, swallowed = record.content, _swallowed(record.references)
    kept = {ln.no: ln.text for gen in generations for ln in gen}
    owner = _owners(raw, kept, cleaning)
    loss = measure(raw, swallowed, kept, owner, doc, later)
    # the chapter headings assembly reads, plain numbered lines included (`assemble/headings.py`)
    lost = _lost_chapters(promote_headings(raw + swallowed, outline), {ln.no for ln in swallowed}, owner, outline,
                          doc, later)
    out = [message_at("lost-chapter", "warning", line, line, title,
                      said("chapter “{title}” of the outline has text in the content (line {line}) but is not "
                           "published; taken by {cause}", title=title, line=str(line), cause=cause))
           for title, line, cause in lost]
    if (loss.base >= MIN_PROSE and loss.share < MIN_SHARE) or len(lost) > 1:
        nos = [ln.no for ln in raw + swallowed] or [0]
        out.append(message_at("content-loss", "warning", min(nos) or None, max(nos) or None,
                              f"{loss.published}/{loss.base}", _loss_text(loss, lost)))
    return out


def measure(raw: list[SourceLine], swallowed: list[SourceLine], kept: dict[int, str], owner: dict[int, Message],
            doc: Document, later: list[Message]) -> Loss:
    causes: Counter[str] = Counter()
    expected = record_prose = 0
    in_code = fenced(raw)
    for k, ln in enumerate(raw):
        if in_code[k] or heading(ln.text) is not None:
            continue
        have = prose(ln.text)
        record_prose += have
        now = kept.get(ln.no)
        gone = have if now is None else 0 if now == ln.text else have - prose(now)  # most lines are kept as they were
        if gone <= 0:
            continue
        m = owner.get(ln.no)
        if m is not None and _is_debris(m):
            expected += gone
        else:
            causes[m.rule if m is not None else UNREPORTED] += gone
    for ln in swallowed:
        n = prose(ln.text)
        record_prose += n
        causes[READ_SPLIT] += n
    for m in later:  # assembly's decisions report the whole text they dropped
        if m.removed is None:
            continue
        n = prose("\n".join(t for t in m.removed.split("\n") if heading(t) is None))
        if _is_debris(m):
            expected += n
        else:
            causes[m.rule] += n
    published = document_prose(doc)
    rest = record_prose - expected - published - sum(causes.values())
    if rest > 0:
        causes[LATER] += rest
    return Loss(record_prose, expected, published, causes)


def document_prose(doc: Document) -> int:
    return sum(prose(k) for k in doc.keywords) + sum(_blocks_prose(blocks) for blocks in doc.block_lists())


def _blocks_prose(blocks: Sequence[Block]) -> int:
    total = 0
    for b in blocks:
        if isinstance(b, Paragraph):
            total += prose(inline_text(b.inlines))
        elif isinstance(b, Table):
            cells = list(b.header) + [c for row in b.rows for c in row]
            total += prose(b.caption) + sum(prose(inline_text(c)) for c in cells)
        elif isinstance(b, ListBlock):
            total += sum(_blocks_prose(item) for item in b.items)
        elif isinstance(b, Quote):
            total += _blocks_prose(b.blocks)
        elif isinstance(b, CodeBlock):
            continue
    return total


def _loss_text(loss: Loss, lost: list[tuple[str, int, str]]) -> Said:
    taken = ", ".join(f"{cause} {n / max(loss.base, 1):.0%}" for cause, n in loss.causes.most_common(4) if n > 0)
    share = round(loss.share * 100)
    titles = "、".join(f"“{t}”" for t, _, _ in lost)
    if loss.base > 0 and len(lost) > 1:
        return said_n("the article keeps {share}% of the content's prose ({published} of {base} characters, debris "
                      "not counted); {n} chapter of the outline with text in the content is not "
                      "published ({titles}); taken by: {taken}",
                      "the article keeps {share}% of the content's prose ({published} of {base} characters, debris "
                      "not counted); {n} chapters of the outline with text in the content are not "
                      "published ({titles}); taken by: {taken}", len(lost), share=share, published=loss.published,
                      base=loss.base, titles=titles, taken=taken)
    if len(lost) > 1:
        return said_n("{n} chapter of the outline with text in the content is not published ({titles}); taken by: "
                      "{taken}", "{n} chapters of the outline with text in the content are not published ({titles}); "
                      "taken by: {taken}", len(lost), titles=titles, taken=taken)
    return said("the article keeps {share}% of the content's prose ({published} of {base} characters, debris not "
                "counted); taken by: {taken}", share=share, published=loss.published, base=loss.base, taken=taken)


# --------------------------------------------------------------------------- attribution
def _swallowed(references: list[SourceLine]) -> list[SourceLine]:
    """Lines after the supplied reference heading from its first heading on that are not
    entries: content the reader took for part of the list."""
    start = next((k for k, ln in enumerate(references) if heading(ln.text) is not None), None)
    if start is None:
        return []
    return [ln for ln in references[start:] if ln.text.strip() and not _ENTRY_RE.match(ln.text)]


def _owners(raw: list[SourceLine], kept: dict[int, str], messages: list[Message]) -> dict[int, Message]:
    """For each content line that cleaning removed or changed, the most specific report line
    that covers it (the shortest span: a summary spanning the whole content comes last). Each
    line is assigned once: a union-find over the next free line keeps it near-linear."""
    nos = sorted(ln.no for ln in raw if kept.get(ln.no) != ln.text)
    nxt = list(range(len(nos) + 1))

    def free(i: int) -> int:
        while nxt[i] != i:
            nxt[i] = nxt[nxt[i]]
            i = nxt[i]
        return i

    owner: dict[int, Message] = {}
    spans = [m for m in messages if m.line is not None]
    for m in sorted(spans, key=lambda m: (m.end_line or m.line or 0) - (m.line or 0)):
        last = m.end_line or m.line or 0
        i = free(_first_at_or_after(nos, m.line or 0))
        while i < len(nos) and nos[i] <= last:
            owner[nos[i]] = m
            nxt[i] = i + 1
            i = free(i + 1)
    return owner


def _first_at_or_after(nos: list[int], no: int) -> int:
    lo, hi = 0, len(nos)
    while lo < hi:
        mid = (lo + hi) // 2
        if nos[mid] < no:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _is_debris(m: Message) -> bool:
    if m.rule not in EXPECTED_DEBRIS:
        return False
    severity = EXPECTED_DEBRIS[m.rule]
    return severity is None or m.severity == severity


# --------------------------------------------------------------------------- chapters
def _lost_chapters(lines: list[SourceLine], swallowed: set[int], owner: dict[int, Message], outline: Outline,
                   doc: Document, later: list[Message]) -> list[tuple[str, int, str]]:
    """(outline title, content line, cause) for each unpublished outline chapter with text."""
    published = {normalise(s.title) for s in doc.sections if not _is_placeholder(s)}
    missing = [k for k, e in enumerate(outline.chapters) if normalise(e.title) not in published]
    if not missing:
        return []
    article: str | None = None  # the article's text folded: made when a chapter's text is first looked for
    by_no = {ln.no: ln.text for ln in lines}
    levels = [h[0] for s in doc.sections if s.line in by_no and (h := heading(by_no[s.line])) is not None]
    chapter_level = max(levels, default=6)  # deeper numbered headings are sub-sections, not chapters
    in_code = fenced(lines)
    heads = [(i, h) for i, ln in enumerate(lines) if not in_code[i] and (h := heading(ln.text)) is not None
             and not _is_debris_line(owner, ln.no)]
    ends = _section_ends(heads, len(lines))
    found: dict[int, tuple[str, int, str]] = {}
    for n, (i, (level, title)) in enumerate(heads):
        k = _names_chapter(title[:TITLE_CHARS], outline, missing, by_label=level <= chapter_level)
        if k is None or k in found:
            continue
        end = ends[n]
        body = [ln for ln in lines[i + 1 : end] if not _is_debris_line(owner, ln.no)]
        if not has_real_content(body):
            continue
        article = _article_text(doc) if article is None else article
        if _in_article(body, article):
            continue
        found[k] = (outline.chapters[k].title, lines[i].no, _cause(lines[i].no, body, swallowed, owner, later))
    return [found[k] for k in sorted(found)]


def _section_ends(heads: list[tuple[int, tuple[int, str]]], total: int) -> list[int]:
    """For each heading, the line index where its section ends: the next heading of its level
    or above (one pass with a stack)."""
    ends = [total] * len(heads)
    open_: list[int] = []
    for n, (i, (level, _)) in enumerate(heads):
        while open_ and heads[open_[-1]][1][0] >= level:
            ends[open_.pop()] = i
        open_.append(n)
    return ends


_PLACEHOLDERS = {labels["missing"] for labels in LABELS.values()}


def _is_placeholder(section: Section) -> bool:
    """A chapter shown in draft mode only as "chapter not written" is not published."""
    blocks = section.blocks
    return (not section.sections and len(blocks) == 1 and isinstance(blocks[0], Paragraph)
            and inline_text(blocks[0].inlines).strip() in _PLACEHOLDERS)


def _names_chapter(title: str, outline: Outline, missing: list[int], by_label: bool) -> int | None:
    """The missing outline chapter a content heading names: by its title, its number (a
    chapter-level heading only), or the title of one of its sub-sections."""
    label = number_label(title) if by_label else ""
    plain = normalise(title)
    best, score = None, MATCH_THRESHOLD
    for k in missing:
        entry = outline.chapters[k]
        if label and entry.label == label:
            return k
        if any(normalise(d.title[:TITLE_CHARS]) == plain for d in _descendants(entry)):
            return k  # a sub-section of it, under the very same title
        s = similarity(title, entry.title[:TITLE_CHARS])
        if s >= score:
            best, score = k, s
    return best


def _descendants(entry: OutlineEntry) -> list[OutlineEntry]:
    out: list[OutlineEntry] = []
    for c in entry.children:
        out += [c] + _descendants(c)
    return out


def _cause(line: int, body: list[SourceLine], swallowed: set[int], owner: dict[int, Message],
           later: list[Message]) -> str:
    if line in swallowed:
        return READ_SPLIT
    for m in later:
        if m.line is not None and m.line <= line <= (m.end_line or m.line) and m.removed is not None:
            return m.rule  # its own report line, at the same source line, says what it did in words
    rules = Counter(owner[ln.no].rule for ln in body if ln.no in owner and prose(ln.text))
    if rules:
        return ", ".join(rule for rule, _ in rules.most_common(2))
    return UNREPORTED


def _is_debris_line(owner: dict[int, Message], no: int) -> bool:
    m = owner.get(no)
    return m is not None and _is_debris(m)


def _fold(text: str) -> str:
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", CITE_RE.sub("", text))).replace("*", "")


def _article_text(doc: Document) -> str:
    parts = [inline_text(b.inlines) for blocks in doc.block_lists() for b in iter_blocks(blocks)
             if isinstance(b, Paragraph)]
    return _fold("".join(parts))


def _in_article(body: list[SourceLine], article: str) -> bool:
    """The chapter's text was published elsewhere (under another chapter): not lost."""
    for ln in body:
        for s in split_sentences(ln.text):
            probe = _fold(s)
            if len(probe) >= PROBE_CHARS and heading(ln.text) is None:
                return probe[:40] in article
    return False
