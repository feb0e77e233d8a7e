"""Where in the published article each report line is: the chapter (number and title) and the
paragraph, as an author counts them, found from the source lines the line names.

The stages know source lines; the author knows chapters and paragraphs. After the citation
stage every chapter carries the source line of its heading and every block the line it
starts on, so a report line at source line L is in the published chapter whose heading is
the last one at or before L (in source order, since chapters may have been moved), and at
the last paragraph of that chapter that starts at or before L. A line is given no place
when it is about a whole chapter (it names the chapter itself), when it spans several
chapters (a summary), when it lies outside the content, or inside text that was not published as that chapter (a dropped copy, text off
the outline: the spans of those report lines).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace

from publisher.model import Document, ListBlock, Message, Paragraph, Quote, Section

# report lines about whole chapters, or about the record as a whole: they name what they are about
UNPLACED_RULES = frozenset({
    "missing-chapter", "lost-chapter", "content-loss", "empty-chapter", "off-outline", "duplicate-chapter",
    "chapter-order", "chapter-match", "orphan-text", "empty-section", "encoding", "end-marker",
    "reference-heading", "reference-entry", "uncited-reference", "merged-reference",
})
# report lines whose span is text not published as the chapter before it
_ELSEWHERE_RULES = frozenset({"off-outline", "duplicate-chapter", "orphan-text", "empty-chapter"})


@dataclass(frozen=True)
class _Chapter:
    section: Section
    paragraphs: list[int]  # the source line of each paragraph (a list or quote is one), in reading order


def place_report(doc: Document, report: list[Message], content_end: int | None) -> list[Message]:
    """The report with `chapter`, `chapter_title` and `paragraph` filled in where they are
    known (a place a stage gave is kept); `content_end`: the last source line of the content."""
    chapters = sorted((c for c in _chapters(doc) if c.section.line), key=lambda c: c.section.line or 0)
    starts = [c.section.line or 0 for c in chapters]
    elsewhere = [(m.line, m.end_line or m.line) for m in report if m.rule in _ELSEWHERE_RULES and m.line]
    out = []
    for m in report:
        line = m.line
        if m.chapter is not None or m.rule in UNPLACED_RULES or not line or (content_end and line > content_end):
            out.append(m)
            continue
        k = bisect_right(starts, line) - 1
        spans_chapters = bisect_right(starts, m.end_line or line) - 1 != k  # a summary over several
        if k < 0 or spans_chapters or not chapters[k].section.number or any(a <= line <= b for a, b in elsewhere):
            out.append(m)
            continue
        chapter = chapters[k]
        before = [no for no in chapter.paragraphs if no <= line]
        paragraph = len(before) if before and line > (chapter.section.line or 0) else None
        out.append(replace(m, chapter=chapter.section.number, chapter_title=chapter.section.title,
                           paragraph=paragraph))
    return out


def _chapters(doc: Document) -> list[_Chapter]:
    out = []
    for chapter in doc.sections:
        lines: list[int] = []
        _paragraph_lines(chapter, lines)
        out.append(_Chapter(chapter, lines))
    return out


def _paragraph_lines(section: Section, lines: list[int]) -> None:
    lines.extend(b.line for b in section.blocks if isinstance(b, Paragraph | ListBlock | Quote) and b.line)
    for sub in section.sections:
        _paragraph_lines(sub, lines)
