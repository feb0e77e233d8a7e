"""Citation groups in a run of inlines: adjacent markers merge into one group, a marker
attaches to the word before it (a superscript takes no space) and moves before the clause's
punctuation (`方法。[3]` -> `方法[3]。`), but not before the full stop of an abbreviation
(`et al.[3]`, `Ref. [5]`). Used when citations are read (`notation`) and again after the
citation stage drops the numbers no supplied entry has.
"""

from __future__ import annotations

import re

from publisher.model import Cite, Inline, Text
from publisher.text import ABBREVIATION_RE, SENTENCE_END

_SENTENCE_PUNCT = SENTENCE_END + "．"
_GAP_RE = re.compile(r"^[ \t]*$")


def normalise_cites(inlines: list[Inline]) -> list[Inline]:
    """Merge adjacent Cite groups (only spaces between), attach each to the word before it
    (`results [3]` -> `results[3]`: a superscript marker takes no space) and move them
    before the clause's punctuation."""
    if not any(isinstance(item, Cite) for item in inlines):
        return _joined(inlines)
    # the items given are never changed: a merged group is a new Cite (of numbers that were
    # valid in their own groups), an unmerged one is passed on as it is
    merged: list[Inline] = []
    for item in inlines:
        if isinstance(item, Text) and not item.text:
            continue
        if isinstance(item, Cite) and merged:
            prev = merged[-1]
            if isinstance(prev, Cite):
                merged[-1] = _merged(prev, item)
                continue
            if (
                isinstance(prev, Text)
                and _GAP_RE.match(prev.text)
                and len(merged) >= 2
                and isinstance(merged[-2], Cite)
            ):
                merged.pop()
                cite = merged[-1]
                assert isinstance(cite, Cite)
                merged[-1] = _merged(cite, item)
                continue
        if isinstance(item, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + item.text)
            continue
        if isinstance(item, Cite) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text.rstrip(" \t\u00a0"))
        merged.append(item)
    return _move_before_punctuation(merged)


def _merged(a: Cite, b: Cite) -> Cite:
    return Cite(_union(a.numbers, b.numbers))


def _joined(inlines: list[Inline]) -> list[Inline]:
    """Adjacent texts as one, empty ones dropped."""
    out: list[Inline] = []
    for item in inlines:
        if isinstance(item, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + item.text)
        elif not (isinstance(item, Text) and not item.text):
            out.append(item)
    return [x for x in out if not (isinstance(x, Text) and not x.text)]


def _move_before_punctuation(inlines: list[Inline]) -> list[Inline]:
    out = list(inlines)
    for i, item in enumerate(out):
        if not isinstance(item, Cite) or i == 0 or not isinstance(out[i - 1], Text):
            continue
        prev = out[i - 1]
        assert isinstance(prev, Text)
        stripped = prev.text.rstrip()
        if stripped and stripped[-1] in _SENTENCE_PUNCT and not ABBREVIATION_RE.search(stripped[-8:]):
            punct = stripped[-1]
            out[i - 1] = Text(stripped[:-1])
            after = out[i + 1] if i + 1 < len(out) else None
            tail = prev.text[len(stripped) :]
            if isinstance(after, Text):
                out[i + 1] = Text(punct + tail + after.text)
            else:
                out.insert(i + 1, Text(punct + tail))
    return [x for x in out if not (isinstance(x, Text) and not x.text)]


def _union(a: list[int], b: list[int]) -> list[int]:
    seen = list(a)
    for n in b:
        if n not in seen:
            seen.append(n)
    return seen
