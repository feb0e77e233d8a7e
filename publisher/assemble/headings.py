"""Headings the author wrote without Markdown heading marks, read as headings.

A model sometimes marks a chapter heading by emphasis or by its number alone instead of
`#`. Such a line is read as the heading it is only on strong evidence, because a line of
prose or a list item read as a heading would cut a chapter in two:

- **A bold line** (`**3 结论**`, the whole line bold) that names an outline chapter or
  sub-section.
- **A plain line** (`Chapter 1 Introduction`, `II. Lattice-Based Schemes`,
  `3) Hash-Based Signatures`, `第三章 结论`) when all of these hold: it stands alone (a
  blank line or the edge of its generation before and after it); it starts with a numbering
  prefix of a known style (`publisher.markdown.numbering`); the rest is a title, not a
  sentence (no full stop at its end, none inside, at most MAX_TITLE characters); the rest
  names an outline chapter; and the number agrees with that chapter's (its number in the
  outline, or its place in it).

Near-misses, kept as text: a numbered list item that is a sentence (`1) Hash-based
signatures are the most conservative choice.`), a numbered line whose number is not the
chapter's (`2. Introduction` in a list of steps when Introduction is chapter 1), a short
line of prose with no number (`Hash-Based Signatures`), a line inside a paragraph or a
code fence, and a run of such lines with only blank lines between them (a list of the
chapters, as in a table of contents, is not their headings).
"""

from __future__ import annotations

import re

from publisher.assemble.outline import Outline, number_label, strip_number
from publisher.markdown.lexer import fenced, heading, is_table_row
from publisher.source import SourceLine
from publisher.text import FULL_STOPS, SENTENCE_END

MAX_TITLE = 80
_BOLD_LINE_RE = re.compile(r"^\s*(\*\*|__)(?P<t>[^*_]{1,60})\1\s*$")
# a sentence ends inside the line: a full stop followed by more text
_INNER_STOP_RE = re.compile(rf"[{re.escape(FULL_STOPS)}](?:\s+\S|[^\s\d.])")


def promote_headings(gen: list[SourceLine], outline: Outline) -> list[SourceLine]:
    """The generation with its bold and plain chapter headings written as Markdown headings."""
    if not outline.chapters:
        return gen
    out = [_bold_heading(ln, outline) for ln in gen]
    plain = _plain_headings(out, outline)
    if not plain:
        return out
    level = "#" * _chapter_level(out, outline)
    return [SourceLine(ln.no, f"{level} {ln.text.strip()}") if k in plain else ln for k, ln in enumerate(out)]


def _bold_heading(ln: SourceLine, outline: Outline) -> SourceLine:
    """A bold line that names an outline chapter (or sub-section) is that heading."""
    m = _BOLD_LINE_RE.match(ln.text)
    if not m:
        return ln
    title = m.group("t").strip()
    if outline.best_chapter(title)[0] >= 0:
        return SourceLine(ln.no, "## " + title)
    if outline.best_subsection(title)[0] >= 0:
        return SourceLine(ln.no, "### " + title)
    return ln


def _plain_headings(gen: list[SourceLine], outline: Outline) -> set[int]:
    """The indices of the plain lines that are chapter headings (see the module's rule)."""
    in_fence = fenced(gen)
    found = [k for k, ln in enumerate(gen) if not in_fence[k] and _alone(gen, k) and _names_chapter(ln.text, outline)]
    # a run of them with nothing but blank lines between is a list of the chapters
    listed: set[int] = set()
    for a, b in zip(found, found[1:], strict=False):
        if all(not gen[j].text.strip() for j in range(a + 1, b)):
            listed.update((a, b))
    return set(found) - listed


def _alone(gen: list[SourceLine], k: int) -> bool:
    return (k == 0 or not gen[k - 1].text.strip()) and (k + 1 == len(gen) or not gen[k + 1].text.strip())


def _names_chapter(text: str, outline: Outline) -> bool:
    line = text.strip()
    if not line or heading(line) or is_table_row(line) or line.startswith((">", "*", "_", "-", "+")):
        return False
    title = strip_number(line)
    label = number_label(line)
    if title == line or not label or len(title) > MAX_TITLE:
        return False
    if title[-1] in SENTENCE_END or _INNER_STOP_RE.search(title):
        return False
    k, _ = outline.best_chapter(title)
    return k >= 0 and label in (outline.chapters[k].label, str(k + 1))


def _chapter_level(gen: list[SourceLine], outline: Outline) -> int:
    """The level the generation's own chapter headings have (2 when it has none)."""
    levels = [h[0] for ln in gen if (h := heading(ln.text)) and h[0] > 1 and outline.best_chapter(h[1])[0] >= 0]
    return min(levels, default=2)
