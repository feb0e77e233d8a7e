"""repetition: degenerate loops, where the model repeats a token, a phrase or a sentence.

What makes a loop, whatever its words (copies are compared as the same text: NFKC, case and
whitespace folded, `publisher.text.fold`):
- **a sentence loop**: the same sentence (or the same line with no sentence end) three or
  more times back to back: inside one line, across the lines of a paragraph, or across
  paragraphs with only blank lines between. Every copy but the first goes.
- **a phrase or token loop** inside a line: a unit of up to 24 characters with at least two
  word characters, repeated four or more times back to back (eight for a one-character unit),
  with or without separators (spaces, commas, `、`, semicolons) between the copies:
  `序列序列序列序列`, `透光率和成本、透光率和成本、…`, `the model the model …`. When the loop sits
  inside a sentence (the sentence has words before or after it), one copy stays and the
  sentence reads as the author began it; when it is a sentence or a line of its own (a
  runaway tail after a full stop), it goes whole.
- **a short-line loop**: a run of eight or more short lines (one word each, as in "分析 / 分析
  / …") in which most lines repeat: the whole run goes, stray distinct words in it included.

Not loops (the near-misses, kept): two copies of a sentence; rhetorical repetition
(`分析、分析再分析`); lists, tables and code (repeated cells, rows and statements are content);
a glued run of ASCII letters and digits (`CH2CH2CH2CH2`, `ATATATAT`: formulas and sequences);
units of digits only (`1, 1, 1, 1`); consecutive sentences that share a citation.

Finding a phrase loop costs time linear in the line: with the separators removed, a unit of
length L repeated k times is a run of (k-1)L characters each equal to the one L places on,
which `_loop_windows` finds for every L at C speed (XOR of the line with itself shifted);
only those windows go through the back-reference pattern that names the unit.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from publisher.markdown.lexer import (
    CITE_RE,
    FENCE_RE,
    LIST_RE,
    Lines,
    fenced,
    heading,
    is_table_row,
    split_sentences,
)
from publisher.model import Message
from publisher.result import message, said, said_n
from publisher.source import SourceLine
from publisher.text import FULL_STOPS, IDEOGRAPHS, fold

RULE = "repetition"
SHORT_LINE = 12  # characters; a "word per line" loop is made of lines this short
MIN_RUN = 8  # lines in a short-line loop
MIN_SENTENCE_COPIES = 3
MIN_PHRASE_COPIES = 4
MIN_CHAR_COPIES = 8  # a one-character unit
MAX_UNIT = 24
_SEPARATORS = r"\s,，、;；"
_SEPARATOR_RE = re.compile(f"[{_SEPARATORS}]+")
# A unit never starts with a separator and separators are taken possessively: a run of
# spaces could otherwise be split between unit and separators in very many ways. A unit has
# a letter or ideograph among its first characters (the lookahead): runs of brackets, stops
# or digits are never tried as loops.
IN_LINE_RE = re.compile(
    rf"((?![{_SEPARATORS}])(?=[\W\d_]{{0,{MAX_UNIT - 1}}}+[^\W\d_]).{{1,{MAX_UNIT}}}?)"
    rf"(?:[{_SEPARATORS}]*+\1){{{MIN_PHRASE_COPIES - 1},}}"
)
_WORD_RE = re.compile(rf"[^\W_]|[{IDEOGRAPHS}]")
_LETTER_RE = re.compile(rf"[^\W\d_]|[{IDEOGRAPHS}]")
_ASCII_TOKEN_RE = re.compile(r"[A-Za-z0-9]+")
# every run of text is matched once, its end punctuation optional: a run with no full stop
# would otherwise be rescanned from each of its characters (quadratic)


def strip_repetition(lines: Lines) -> tuple[Lines, list[Message]]:
    lines, m1 = _short_line_runs(lines)
    in_fence = fenced(lines)
    lines, m2 = _repeated_sentences(lines, in_fence)
    in_fence = fenced(lines)
    lines, m3 = _in_line_loops(lines, in_fence)
    return lines, m1 + m2 + m3


# --------------------------------------------------------------------------- short lines
def _is_plain_short(line: SourceLine) -> bool:
    t = line.text.strip()
    # a fence line is structure: removing it with a loop would orphan its partner
    return 0 < len(t) <= SHORT_LINE and not (
        heading(t) or LIST_RE.match(t) or is_table_row(t) or FENCE_RE.match(t)
    )


def _short_line_runs(lines: Lines) -> tuple[Lines, list[Message]]:
    out: Lines = []
    messages: list[Message] = []
    i = 0
    while i < len(lines):
        if not _is_plain_short(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and (_is_plain_short(lines[j]) or (not lines[j].text.strip() and j + 1 < len(lines)
                                                                 and _is_plain_short(lines[j + 1]))):
            j += 1
        run = [ln for ln in lines[i:j] if ln.text.strip()]
        values = [fold(ln.text) for ln in run]
        if len(run) >= MIN_RUN and len(set(values)) <= len(values) / 2:
            messages.append(message(RULE, "warning", run, said_n("repetition loop of {n} short line removed", "repetition loop of {n} short lines removed", len(run))))
        else:
            out.extend(lines[i:j])
        i = j
    return out, messages


# --------------------------------------------------------------------------- sentences
def _is_prose(text: str, fenced_line: bool) -> bool:
    """A line whose sentences can loop with the next line's (blank lines are skipped)."""
    return not (fenced_line or is_table_row(text) or heading(text) or LIST_RE.match(text) or FENCE_RE.match(text))


def _repeated_sentences(lines: Lines, in_fence: list[bool]) -> tuple[Lines, list[Message]]:
    """Runs of the same sentence, within and across the lines of prose: the first copy stays."""
    cut: dict[int, list[tuple[int, int]]] = {}  # line index -> spans removed from it
    messages: list[Message] = []
    run: list[tuple[int, int, int]] = []  # (line index, start, end) of the copies
    key = _Key("")

    def close() -> None:
        if len(run) >= MIN_SENTENCE_COPIES:
            for idx, a, b in run[1:]:
                cut.setdefault(idx, []).append((a, b))
            touched = sorted({idx for idx, _, _ in run})
            messages.append(message(RULE, "warning", [lines[k] for k in touched],
                                    said("sentence repeated {times} times; {copies} copies removed", times=len(run), copies=len(run) - 1)))
        run.clear()

    for idx, ln in enumerate(lines):
        if not ln.text.strip():
            continue
        if not _is_prose(ln.text, in_fence[idx]):
            close()
            key = _Key("")
            continue
        start = 0
        for sentence in split_sentences(ln.text):
            span = (idx, start, start + len(sentence))
            start += len(sentence)
            piece = _Key(sentence)
            if not piece.bare:
                continue
            if piece.same(key) and len(fold(piece.bare, punctuation=True)) >= 4:
                run.append(span)
                continue
            close()
            key = piece
            run.append(span)
    close()
    if not cut:
        return lines, messages
    out: Lines = []
    for idx, ln in enumerate(lines):
        spans = cut.get(idx)
        if not spans:
            out.append(ln)
            continue
        text = _without(ln.text, spans)
        if text.strip():
            out.append(SourceLine(ln.no, text))
    return out, messages


class _Key:
    """A sentence as compared: `fold`ed, computed only when the cheap test (the text without
    spaces, and its length: folding keeps lengths but for rare ligatures) cannot decide."""

    __slots__ = ("bare", "_folded")

    def __init__(self, text: str) -> None:
        self.bare = "".join(text.split())
        self._folded: str | None = None

    def folded(self) -> str:
        if self._folded is None:
            self._folded = fold(self.bare)
        return self._folded

    def same(self, other: _Key) -> bool:
        if self.bare == other.bare:
            return True
        return abs(len(self.bare) - len(other.bare)) <= 2 and self.folded() == other.folded()


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    pos = 0
    for a, b in sorted(spans):
        parts.append(text[pos:a])
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


# --------------------------------------------------------------------------- phrases
_ZERO_RUN_RE = re.compile(rb"\x00+")
_ASTRAL_RE = re.compile("[^\u0000-\uffff]")
_TRIM = " \t\u3000,，、;；"
# what ends a sentence that was nothing but a loop: it goes with the loop
_LOOP_SENTENCE_END_RE = re.compile(rf"[{_SEPARATORS}:：]*+[{FULL_STOPS}]*+\s*+")


def _loop_windows(text: str) -> list[tuple[int, int]]:
    """Spans of `text` where some unit of 1..MAX_UNIT characters may repeat back to back
    (MIN_PHRASE_COPIES times, MIN_CHAR_COPIES for one character; separators ignored): an
    exact necessary condition, computed with big-integer XOR at C speed. Merged, in order;
    usually none.

    With the separators gone (s), k copies of a unit of length L are a run of (k-1)L
    positions i with s[i] == s[i+L]: (k-1)L zero code units in s XOR (s shifted by L). Each
    character is one UTF-16 code unit (characters beyond the BMP all become one private-use
    character: more equal pairs, so the condition stays necessary)."""
    s = _ASTRAL_RE.sub("\ue000", _SEPARATOR_RE.sub("", text))
    n = len(s)
    if n < MIN_PHRASE_COPIES * 2:
        return []
    data = s.encode("utf-16-le")
    whole = int.from_bytes(data, "little")
    found: list[tuple[int, int]] = []
    for unit in range(1, min(MAX_UNIT, n // MIN_PHRASE_COPIES) + 1):
        width = 2 * (n - unit)
        # byte k of diff is zero where s[k // 2] and s[k // 2 + unit] share that byte
        diff = (whole ^ (whole >> (16 * unit))).to_bytes(2 * n, "little")[:width]
        copies = MIN_CHAR_COPIES if unit == 1 else MIN_PHRASE_COPIES
        zeros = b"\0" * (2 * (copies - 1) * unit)
        at = diff.find(zeros)
        while at != -1:
            end = _ZERO_RUN_RE.match(diff, at).end()  # type: ignore[union-attr]
            found.append((at // 2, min(n, (end + 1) // 2 + unit)))
            at = diff.find(zeros, end)
    return _text_spans(text, found) if found else []


def _text_spans(text: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of s (the text without separators) as merged spans of the text."""
    run_at: list[int] = [0]  # s index where each separator run sits
    removed: list[int] = [0]  # characters removed before it
    for m in _SEPARATOR_RE.finditer(text):
        run_at.append(m.start() - removed[-1])
        removed.append(removed[-1] + m.end() - m.start())

    def at(i: int) -> int:
        return i + removed[bisect_right(run_at, i) - 1]

    spans: list[tuple[int, int]] = []
    for a, b in sorted(found):
        start, end = at(a), at(b - 1) + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def _is_loop(m: re.Match[str]) -> bool:
    unit = _SEPARATOR_RE.sub("", m.group(1))
    copies = len(_SEPARATOR_RE.sub("", m.group(0))) // max(1, len(unit))
    if not _LETTER_RE.search(unit):
        return False  # digits and signs only: data, not a loop
    if len(_WORD_RE.findall(unit)) < 2 and copies < MIN_CHAR_COPIES:
        return False
    glued = not _SEPARATOR_RE.search(m.group(0))
    return not (glued and _ASCII_TOKEN_RE.fullmatch(m.group(0)))  # CH2CH2CH2CH2, ATATATAT


def _in_sentence(text: str, start: int, end: int) -> bool:
    """Whether the sentence around text[start:end] has words outside it."""
    cut = max(text.rfind(c, 0, start) for c in FULL_STOPS) + 1
    stops = [k for k in (text.find(c, end) for c in FULL_STOPS) if k >= 0]
    stop = min(stops, default=len(text))
    return any(_WORD_RE.search(CITE_RE.sub("", part)) for part in (text[cut:start], text[end:stop]))


def _loops_in(text: str, a: int, b: int) -> list[tuple[int, int, str]]:
    """(start, end, unit) of each loop inside text[a:b]. After a match that is no loop the
    search goes on near its end (a loop starting deeper inside a periodic run would have the
    run's period, and be no loop either), so each character is tried a bounded number of times."""
    found: list[tuple[int, int, str]] = []
    pos = a
    while pos < b:
        m = IN_LINE_RE.search(text, pos, b)
        if m is None:
            break
        if _is_loop(m):
            found.append((m.start(), m.end(), m.group(1)))
            pos = m.end()
        else:
            pos = max(m.start() + 1, m.end() - MIN_PHRASE_COPIES * MAX_UNIT)
    return found


def _collapse_loops(text: str, windows: list[tuple[int, int]]) -> tuple[str, int]:
    """The line with each phrase loop cut to one copy (inside a sentence) or removed (a
    sentence or tail of its own), and how many characters went."""
    found = [loop for a, b in windows for loop in _loops_in(text, a, b)]
    if not found:
        return text, 0
    parts: list[str] = []
    pos = 0
    for start, end, unit in found:
        if start < pos:
            continue  # inside the end of a loop sentence already taken
        parts.append(text[pos:start])
        if _in_sentence(text, start, end):
            parts.append(unit.rstrip(_TRIM))
        else:
            end = _LOOP_SENTENCE_END_RE.match(text, end).end()  # type: ignore[union-attr]
        pos = end
    parts.append(text[pos:])
    out = "".join(parts)
    return out, len(text) - len(out)


def _windows_by_line(lines: Lines, eligible: list[bool]) -> dict[int, list[tuple[int, int]]]:
    """Loop windows of the whole generation at once (one C-speed scan, not one per line),
    clipped to the eligible lines they fall on."""
    texts = [ln.text if ok else "" for ln, ok in zip(lines, eligible, strict=True)]
    starts: list[int] = []
    pos = 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1  # one NUL between lines; windows are clipped to their lines below
    out: dict[int, list[tuple[int, int]]] = {}
    k = 0
    for a, b in _loop_windows("\x00".join(texts)):
        while k + 1 < len(starts) and starts[k + 1] <= a:
            k += 1
        j = k
        while j < len(starts) and starts[j] < b:
            lo, hi = max(a, starts[j]) - starts[j], min(b, starts[j] + len(texts[j])) - starts[j]
            if lo < hi:
                out.setdefault(j, []).append((lo, hi))
            j += 1
    return out


def _in_line_loops(lines: Lines, in_fence: list[bool]) -> tuple[Lines, list[Message]]:
    eligible = [not f and not is_table_row(ln.text) for ln, f in zip(lines, in_fence, strict=True)]
    windows = _windows_by_line(lines, eligible)
    if not windows:
        return lines, []
    out: Lines = []
    messages: list[Message] = []
    for idx, ln in enumerate(lines):
        text, removed = _collapse_loops(ln.text, windows[idx]) if idx in windows else (ln.text, 0)
        if not removed:
            out.append(ln)
            continue
        if not text.strip():
            messages.append(message(RULE, "warning", [ln], said("line that is a repetition loop removed")))
            continue
        messages.append(message(RULE, "warning", [ln], said_n("repetition loop collapsed ({n} character removed)", "repetition loop collapsed ({n} characters removed)", removed)))
        out.append(SourceLine(ln.no, text))
    return out, messages
