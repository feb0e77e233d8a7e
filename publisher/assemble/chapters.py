"""Assembly: cleaned generations + outline -> Document (title, abstract, chapters in order).

The outline decides which chapters exist and in which order. Content chapters are matched
to outline chapters by title; a chapter written twice keeps its more complete version;
content that matches no outline chapter is dropped; chapters never written are left out
(or shown as placeholders in draft mode). Everything is renumbered 1..N, N.M, N.M.K.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Literal

from publisher.assemble.blocks import parse_blocks
from publisher.assemble.headings import promote_headings
from publisher.assemble.outline import (
    Outline,
    normalise,
    number_label,
    similarity,
    split_keywords,
    strip_number,
)
from publisher.assemble.placing import (
    by_number,
    by_number_and_place,
    by_place,
    by_subsections,
    chapter_number,
    subsection_owner,
)
from publisher.assemble.substance import has_real_content, what_it_holds
from publisher.i18n import N_
from publisher.markdown.lexer import CAPTION_LINE_RE, CITE_RE, heading
from publisher.markdown.notation import Supplied
from publisher.model import (
    Block,
    Document,
    Emph,
    Message,
    Metadata,
    Paragraph,
    Section,
    Severity,
    Text,
    iter_blocks,
)
from publisher.result import Result, excerpt, message_at, said
from publisher.source import Record, SourceLine
from publisher.text import ABSTRACT_LABEL, IDEOGRAPH_RE, KEYWORDS_LABEL

# possessive quantifiers (*+): runs of spaces cannot be split two ways, so matching stays linear
ABSTRACT_RE = re.compile(rf"^\s*+[*_]*+\s*+({ABSTRACT_LABEL})\s*+[*_]*+\s*+[:：]?\s*+[*_]*+\s*+(.*)$", re.I)
KEYWORDS_RE = re.compile(rf"^\s*+[*_]*+\s*+({KEYWORDS_LABEL})\s*+[*_]*+\s*+[:：]\s*+[*_]*+\s*(.+)$", re.I)


@dataclass
class Candidate:
    """A run of content that starts at a chapter-level heading (or at no heading)."""

    title: str | None
    level: int
    line: int
    body: list[SourceLine] = field(default_factory=list)

    def size(self) -> int:
        return sum(len(ln.text.strip()) for ln in self.body)


@dataclass
class Front:
    title: str | None = None
    abstract: list[SourceLine] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)


def assemble(record: Record, generations: list[list[SourceLine]], outline: Outline, draft: bool = False,
             supplied: Supplied = None) -> Result[Document]:
    """The document in outline order, without tables numbered or citations renumbered yet.
    `supplied`: the numbers of the supplied reference list (evidence for citations)."""
    messages: list[Message] = []
    front = Front()
    candidates: list[Candidate] = []
    for gen in generations:
        rest = _take_front(gen, front, outline, messages)
        rest = promote_headings(rest, outline)
        candidates.extend(_split_candidates(rest, candidates, messages, front))
    language = _language(record, generations)
    doc = Document(
        title=front.title or outline.title or record.topic or PurePath(record.source).stem,
        language=language,
        metadata=Metadata(record.uuid, record.received, record.topic, PurePath(record.source).name),
        keywords=front.keywords or outline.keywords,
    )
    doc.abstract, msgs = parse_blocks(front.abstract, supplied)
    messages.extend(msgs)
    if outline.chapters:
        chosen = _choose(candidates, outline, messages, draft, language)
    else:
        chosen = []
        for cand in candidates:
            if cand.title is None or has_real_content(cand.body):
                chosen.append(cand)
                continue
            _report_empty(cand, cand.title, messages, draft)
            if draft:
                chosen.append(Candidate(cand.title, cand.level, cand.line, []))
    for cand in chosen:
        doc.sections.append(_build_section(cand, messages, supplied))
    _renumber(doc.sections, "")
    return Result(doc, messages)


# --------------------------------------------------------------------------- front matter
def _take_front(gen: list[SourceLine], front: Front, outline: Outline, messages: list[Message]) -> list[SourceLine]:
    """Consume the title heading, the abstract and the keywords line; return the rest."""
    rest: list[SourceLine] = []
    i = 0
    while i < len(gen):
        ln = gen[i]
        h = heading(ln.text)
        if h and h[0] == 1 and (front.title is None or normalise(h[1]) == normalise(front.title)):
            if front.title is None:
                front.title = strip_number(h[1]) if outline.title is None else h[1].strip().strip("*_ ")
            i += 1
            continue
        m = ABSTRACT_RE.match(h[1] if h else ln.text)
        is_marker = m and (h or ln.text.strip().startswith(("*", "_")) or m.group(2) or not front.abstract)
        if m and is_marker and not front.abstract and (h is None or len(h[1]) < 20):
            j = i + 1
            body = [SourceLine(ln.no, m.group(2))] if m.group(2).strip() else []
            while j < len(gen) and not heading(gen[j].text) and not KEYWORDS_RE.match(gen[j].text):
                body.append(gen[j])
                j += 1
            front.abstract = body
            i = j
            continue
        k = KEYWORDS_RE.match(ln.text)
        if k and not front.keywords:
            front.keywords = split_keywords(k.group(2))
            i += 1
            continue
        rest.append(ln)
        i += 1
    return rest


def _language(record: Record, generations: list[list[SourceLine]]) -> Literal["zh", "en"]:
    sample = "".join(ln.text for g in generations for ln in g[:200])[:20000] or "".join(
        ln.text for ln in record.outline
    )
    letters = sum(map(str.isalpha, sample)) or 1
    return "zh" if len(IDEOGRAPH_RE.findall(sample)) / letters > 0.15 else "en"


# --------------------------------------------------------------------------- candidates
def _split_candidates(
    gen: list[SourceLine], previous: list[Candidate], messages: list[Message], front: Front
) -> list[Candidate]:
    gen = [_caption_heading_to_line(ln) for ln in gen]
    levels = [h[0] for ln in gen if (h := heading(ln.text))]
    out: list[Candidate] = []
    if not levels:
        if any(ln.text.strip() for ln in gen):
            out.append(Candidate(None, 0, gen[0].no, list(gen)))
        return _attach_orphans(out, previous, messages, front)
    top = min(levels)
    current: Candidate | None = None
    for ln in gen:
        h = heading(ln.text)
        if h and h[0] <= top:
            current = Candidate(h[1], h[0], ln.no)
            out.append(current)
        elif current is None:
            if ln.text.strip():
                current = Candidate(None, 0, ln.no, [ln])
                out.append(current)
        else:
            current.body.append(ln)
    return _attach_orphans(out, previous, messages, front)


def _attach_orphans(
    out: list[Candidate], previous: list[Candidate], messages: list[Message], front: Front
) -> list[Candidate]:
    """Text before any heading of its generation continues the chapter before it; before the
    first chapter, with no abstract found, it is the abstract."""
    if out and out[0].title is None:
        orphan = out.pop(0)
        if not previous and not front.abstract:
            front.abstract = list(orphan.body)
            messages.append(
                message_at("orphan-text", "info", orphan.line, orphan.body[-1].no, excerpt(orphan.body),
                           said("text before the first chapter heading, with no abstract marker, used as the abstract"))
            )
        elif previous:
            previous[-1].body.extend([SourceLine(orphan.line, "")] + orphan.body)
            messages.append(
                message_at("orphan-text", "info", orphan.line, orphan.body[-1].no, excerpt(orphan.body),
                           said("text without a heading attached to the chapter before it"))
            )
        else:
            messages.append(
                message_at("orphan-text", "warning", orphan.line, orphan.body[-1].no, excerpt(orphan.body),
                           said("text before the first chapter heading dropped"), _text_of(orphan))
            )
    return out


def _clean_title(title: str, line: int, messages: list[Message]) -> str:
    """Heading text without its number, emphasis markers or citation markers."""
    bare = CITE_RE.sub("", title)
    if bare != title:
        messages.append(message_at("heading-citation", "info", line, line, title[:80],
                                   said("citation marker in a heading removed (headings carry no citations)")))
    return strip_number(bare.replace("**", "").replace("__", "")).strip()


def _caption_heading_to_line(ln: SourceLine) -> SourceLine:
    h = heading(ln.text)
    if h and CAPTION_LINE_RE.match(h[1].strip("*_ ")):
        return SourceLine(ln.no, h[1])
    return ln


# --------------------------------------------------------------------------- choose
def _choose(
    candidates: list[Candidate], outline: Outline, messages: list[Message], draft: bool, language: str
) -> list[Candidate]:
    slots: dict[int, list[Candidate]] = {}
    unplaced: list[Candidate] = []
    for cand in candidates:
        title = cand.title or ""
        k, _ = outline.best_chapter(title)
        if k >= 0:
            slots.setdefault(k, []).append(cand)
            continue
        k, _ = outline.best_subsection(title)
        if k >= 0 and k in slots:  # a sub-section written on its own: it continues its chapter
            _continue(slots[k][-1], cand)
            continue
        unplaced.append(cand)
    filled = {k for k, versions in slots.items() if any(has_real_content(c.body) for c in versions)}
    position = {id(c): i for i, c in enumerate(candidates)}
    placed = sorted((position[id(c)], k) for k, versions in slots.items() for c in versions)
    for cand in unplaced:
        title = cand.title or ""
        severity: Severity = "info"
        own, label = number_label(title), chapter_number(title, cand.body)  # label: own, else its sub-sections'
        k, how, shared = by_number(own, title, outline, filled), PLACED_BY_NUMBER, ""
        if k < 0 and has_real_content(cand.body):  # weaker evidence: a warning to check
            severity = "warning"
            k, names = by_subsections(label, cand.body, outline, filled)
            how, shared = PLACED_BY_SHARED_SUBSECTIONS, ("、" if IDEOGRAPH_RE.search(title) else ", ").join(names)
        if k < 0 and severity == "warning":
            k = by_number_and_place(label, position[id(cand)], outline, filled, placed)
            how = PLACED_BY_NUMBER_AND_PLACE if own else PLACED_BY_SUBSECTIONS
        if k < 0 and severity == "warning" and not label:
            k, how = by_place(title, cand.body, position[id(cand)], outline, filled, placed), PLACED_BY_PLACE
        if k >= 0:
            filled.add(k)
            placed = sorted(placed + [(position[id(cand)], k)])
            slots.setdefault(k, []).append(cand)
            messages.append(message_at("chapter-match", severity, cand.line, cand.line, excerpt(title),
                                       said(how, title=title, outline=outline.chapters[k].title,
                                            number=label or "", shared=shared)))
            continue
        owner = subsection_owner(title, position[id(cand)], outline, placed)
        if owner >= 0:  # `4.2 …` right after chapter 4: a sub-section written on its own
            _continue(candidates[owner], cand)
            continue
        messages.append(
            message_at("off-outline", "warning", cand.line, cand.body[-1].no if cand.body else cand.line,
                       excerpt(title), said("the text under “{title}” belongs to no chapter of the outline; left out",
                                            title=title), _text_of(cand))
        )
    chosen: list[Candidate] = []
    unwritten: list[int] = []  # missing-chapter messages waiting for the chapter that follows them
    for k, entry in enumerate(outline.chapters):
        written = slots.get(k, [])
        versions = [c for c in written if has_real_content(c.body)]
        if not versions:
            if not written:
                unwritten.append(len(messages))
                messages.append(message_at("missing-chapter", "warning", entry.line, entry.line, entry.title,
                                           said("chapter “{title}” of the outline was never written; left out",
                                                title=entry.title)))
            for cand in written:
                _report_empty(cand, entry.title, messages, draft)
            if draft:
                chosen.append(Candidate(entry.title, 2, entry.line, []))
            continue
        best = max(versions, key=lambda c: (_completeness(c, entry), c.line))
        for other in written:
            if other is not best:
                messages.append(
                    message_at("duplicate-chapter", "warning", other.line,
                               other.body[-1].no if other.body else other.line, excerpt(other.title or ""),
                               said("chapter “{title}” was written twice; kept the more complete version (line {line})",
                                    title=entry.title, line=str(best.line or "")),
                               _text_of(other), anchor_line=best.line or None)
                )
        best.title = entry.title if similarity(entry.title, best.title or "") < 1 else best.title
        chosen.append(best)
        for i in unwritten:  # the review draft notes a chapter never written on the next one's heading
            messages[i] = replace(messages[i], anchor_line=best.line or None)
        unwritten.clear()
    _report_moves(chosen, outline, messages)
    return chosen


def _continue(owner: Candidate, cand: Candidate) -> None:
    owner.body.append(SourceLine(cand.line, "#" * (owner.level + 1) + " " + (cand.title or "")))
    owner.body.extend(cand.body)


def _report_moves(chosen: list[Candidate], outline: Outline, messages: list[Message]) -> None:
    """A chapter that arrived after one that follows it in the outline was moved."""
    latest = 0
    for cand in chosen:
        if cand.line < latest and cand.body:
            messages.append(message_at("chapter-order", "info", cand.line, cand.line, excerpt(cand.title or ""),
                                       said("chapter “{title}” arrived out of order; moved to its place in the outline",
                                            title=cand.title or "")))
        latest = max(latest, cand.line)


PLACED_BY_NUMBER = N_("“{title}” placed as outline chapter “{outline}” by its number (the titles differ)")
PLACED_BY_NUMBER_AND_PLACE = N_("“{title}” placed as outline chapter “{outline}” by its number and its place between "
                                "the chapters around it; the titles differ, check it")
PLACED_BY_PLACE = N_("“{title}” placed as outline chapter “{outline}”, the one chapter missing between the chapters "
                     "around it, by its words; the titles differ, check it")
PLACED_BY_SHARED_SUBSECTIONS = N_("“{title}” placed as outline chapter “{outline}” by its sub-sections ({shared}); "
                                  "the titles differ, check it")
PLACED_BY_SUBSECTIONS = N_("“{title}” placed as outline chapter “{outline}” by the number {number} of its "
                           "sub-sections and its place between the chapters around it; the titles differ, check it")


def _report_empty(cand: Candidate, title: str, messages: list[Message], draft: bool) -> None:
    """A chapter with no real content (`substance.py`) is a chapter never written: left out
    with a warning, shown as a placeholder only in draft mode. (When another version of the
    chapter has content, the empty one is reported as the duplicate instead.)"""
    last = cand.body[-1].no if cand.body else cand.line
    what = (said("chapter “{title}” has no real content ({holds}); shown as a placeholder (draft)", title=title,
                 holds=[what_it_holds(cand.body)]) if draft else
            said("chapter “{title}” has no real content ({holds}); left out like a chapter never written", title=title,
                 holds=[what_it_holds(cand.body)]))
    messages.append(message_at("empty-chapter", "warning", cand.line, last, excerpt(title), what, _text_of(cand)))


def _text_of(cand: Candidate) -> str:
    head = [f"{'#' * max(cand.level, 1)} {cand.title}"] if cand.title else []
    return "\n".join(head + [ln.text for ln in cand.body]).strip()


def _completeness(cand: Candidate, entry: object) -> tuple[int, int]:
    subs = [h[1] for ln in cand.body if (h := heading(ln.text))]
    return (len(subs), cand.size())


# --------------------------------------------------------------------------- sections
def _build_section(cand: Candidate, messages: list[Message], supplied: Supplied = None) -> Section:
    root = Section("", _clean_title(cand.title or "", cand.line, messages), 1, line=cand.line)
    if not cand.body and cand.title:
        root.blocks = [Paragraph([Emph([Text("（本章未生成）" if IDEOGRAPH_RE.search(cand.title) else "(chapter not written)")])])]
        return root
    stack: list[tuple[int, Section]] = [(cand.level, root)]
    body: list[SourceLine] = []

    def flush() -> None:
        blocks, msgs = parse_blocks(body, supplied)
        stack[-1][1].blocks.extend(blocks)
        messages.extend(msgs)
        body.clear()

    for ln in cand.body:
        h = heading(ln.text)
        if h is None:
            body.append(ln)
            continue
        flush()
        while len(stack) > 1 and stack[-1][0] >= h[0]:
            stack.pop()
        parent = stack[-1][1]
        sec = Section("", _clean_title(h[1], ln.no, messages), parent.level + 1, line=ln.no)
        parent.sections.append(sec)
        stack.append((h[0], sec))
    flush()
    _drop_empty(root, messages)
    return root


def _drop_empty(sec: Section, messages: list[Message]) -> None:
    for sub in sec.sections:
        _drop_empty(sub, messages)
    kept = []
    for sub in sec.sections:
        if sub.blocks or sub.sections:
            kept.append(sub)
        else:
            messages.append(message_at("empty-section", "info", sub.line, sub.line, sub.title,
                                       said("heading “{title}” has no text under it; removed", title=sub.title)))
    sec.sections = kept


def _renumber(sections: list[Section], prefix: str) -> None:
    for k, sec in enumerate(sections, start=1):
        sec.number = f"{prefix}{k}"
        _renumber(sec.sections, sec.number + ".")


def all_blocks(doc: Document) -> list[Block]:
    return [b for blocks in doc.block_lists() for b in iter_blocks(blocks)]
