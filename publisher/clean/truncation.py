"""truncated-ending: a generation that stops mid-sentence is cut back to its last full stop.

Only the last block of a generation is judged. Prose is complete when it ends with a
sentence end (`publisher.text.FULL_STOPS`, closing quotes and citations allowed after it);
a generation may end with a list, a heading, a table caption or a keywords line without
any punctuation.

A generation that stops inside a table row keeps the table's complete rows: the last row is
broken when it does not close with a pipe although every other row of the table does (`| 噻虫啉
| 14600 | 低` under closed rows: even with all its cells, its last cell may be cut mid-word), or
when it has fewer cells than the header while some other row closes (`| FBG array | strain,
tempera` under a four-column header). That row goes, with its dangling text. A row that closes
is complete (a short closed row is a ragged row for the table repair, not a truncation), and so
is a full row of a table whose author does not always close rows.
"""

from __future__ import annotations

import re

from publisher.markdown.lexer import (
    CITE_RE,
    CLOSERS,
    FENCE_RE,
    LIST_RE,
    Lines,
    ends_sentence,
    heading,
    is_table_row,
    paragraphs,
)
from publisher.markdown.numbering import is_caption_line
from publisher.markdown.pipe_tables import split_row
from publisher.model import Message
from publisher.result import excerpt, message, said
from publisher.source import SourceLine
from publisher.text import FULL_STOPS, KEYWORDS_LABEL

RULE = "truncated-ending"
KEYWORDS_RE = re.compile(rf"^[*_\s]*({KEYWORDS_LABEL})[*_\s]*[:：]", re.I)
_STRONG_ONLY_RE = re.compile(r"^\s*(\*\*|__)[^*_]+(\*\*|__)\s*$")
# a sentence ends at one of these, possibly followed by closing quotes/brackets and citations
_END_RE = re.compile(rf"[{re.escape(FULL_STOPS)}][{re.escape(CLOSERS)}]*(?:{CITE_RE.pattern})*[{re.escape(CLOSERS)}]*")
_ABBREVIATION_RE = re.compile(r"(\bal|\be\.g|\bi\.e|\betc|\bvs|\bfig|\bno|\bdr|\bmr|\bms|\bca|\bcf|\bp|\bpp|\bvol)\.$", re.I)


def _is_sentence_end(text: str, m: re.Match[str]) -> bool:
    return ends_sentence(text, m.start())


def is_complete(text: str) -> bool:
    t = CITE_RE.sub("", text).rstrip().rstrip(CLOSERS + " ")
    t = CITE_RE.sub("", t).rstrip()
    return not t or (t[-1] in FULL_STOPS and not _ABBREVIATION_RE.search(t))


def cut_truncated_ending(lines: Lines) -> tuple[Lines, list[Message]]:
    # A paragraph with no complete sentence goes whole and the one before it is judged in
    # turn: the chapter then ends with a complete sentence, and cutting again changes nothing.
    messages: list[Message] = []
    out = list(lines)
    gone: set[int] = set()
    for start, end in reversed(paragraphs(lines)):
        block = lines[start:end]
        if _broken_last_row(block):
            gone.add(end - 1)
            messages.append(message(RULE, "warning", [block[-1]],
                                    said("the chapter stops inside a table row; the unfinished row was removed")))
            if len(block) > 1:
                break
            continue
        rows = [k for k, ln in enumerate(block) if is_table_row(ln.text)]
        if rows and rows[-1] < len(block) - 1:  # prose right under a table: only that is judged
            start, block = start + rows[-1] + 1, block[rows[-1] + 1 :]
        if _ends_well(block):
            break
        cut = _last_sentence_end(block)
        if cut is None:
            gone.update(range(start, end))
            messages.append(message(RULE, "warning", block, said("the chapter stops in the middle of a sentence; the unfinished paragraph “{text}” was removed", text=excerpt(block))))
            if rows:
                break  # the table above it ends the chapter well
            continue
        k, at = cut
        out[start + k] = SourceLine(block[k].no, block[k].text[:at])
        rest = [SourceLine(block[k].no, block[k].text[at:])] + block[k + 1 :]
        gone.update(range(start + k + 1, end))
        messages.append(message(RULE, "warning", rest, said("the chapter stops in the middle of a sentence; the unfinished sentence “{text}” was cut", text=excerpt(rest))))
        break
    return [ln for i, ln in enumerate(out) if i not in gone], messages


def _broken_last_row(block: Lines) -> bool:
    """Whether the block ends with a table row cut off in the middle (see the module doc)."""
    last = block[-1].text.strip()
    if not is_table_row(last) or last.endswith(("|", "｜")):
        return False
    rows = [ln.text.strip() for ln in block if is_table_row(ln.text)]
    if len(rows) == 1:
        return last.startswith(("|", "｜"))  # the header itself was cut off
    closed = [r.endswith(("|", "｜")) for r in rows[:-1]]
    if all(closed):
        return True  # it stopped before the closing pipe: its last cell may be cut mid-word too
    return any(closed) and len(split_row(last)) < len(split_row(rows[0]))


def _ends_well(block: Lines) -> bool:
    """Whether a last block needs no cut: not prose, or prose ending with a full stop."""
    first = block[0].text
    return bool(
        heading(first)
        or LIST_RE.match(first)
        or LIST_RE.match(block[-1].text)
        or is_table_row(block[-1].text)
        or FENCE_RE.match(first)
        or FENCE_RE.match(block[-1].text)  # a code block's closing line is no sentence
        or first.lstrip().startswith(">")
        or KEYWORDS_RE.match(first)
        or is_caption_line(block[-1].text)  # a caption below the last table is no sentence
        or _STRONG_ONLY_RE.match(block[-1].text)
        or is_complete(block[-1].text)
    )


def _last_sentence_end(block: Lines) -> tuple[int, int] | None:
    """(line index in the block, offset) just after its last sentence end, searching back."""
    for k in range(len(block) - 1, -1, -1):
        ends = [m for m in _END_RE.finditer(block[k].text) if _is_sentence_end(block[k].text, m)]
        if ends:
            return k, ends[-1].end()
    return None
