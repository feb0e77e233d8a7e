"""Read a callback record: bytes -> Record (header, outline, content, supplied references).

Tolerant of what real records do (BOM, CRLF/CR endings, missing header lines, missing
outline or end marker, runs of blank lines); strict about what is not a record at all
(empty, binary, undecodable, oversized, no recognisable part), which raises InputError.
Every part keeps its source line numbers so that later reports can point into the file.
"""

from __future__ import annotations

import re
from datetime import datetime

from publisher.errors import InputError
from publisher.markdown.lexer import heading
from publisher.markdown.reasoning import outside_text, scan
from publisher.model import Message
from publisher.read.encoding import decode_bytes
from publisher.read.files import over_limit
from publisher.result import Result, message, said
from publisher.source import Record, SourceLine
from publisher.text import IDEOGRAPHS

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


# Header fields: "key: value" with either colon; several spellings per field.
_HEADER_KEYS: dict[str, tuple[str, ...]] = {
    "received": ("接收时间", "received", "received at", "time"),
    "topic": ("主题", "topic", "subject"),
    "uuid": ("uuid", "id", "record id"),
}
# possessive quantifiers (*+, ++): nothing to backtrack into, so a line of spaces is linear
_HEADER_RE = re.compile(rf"^\s*+([A-Za-z][A-Za-z ]*+|[{IDEOGRAPHS}]++)\s*+[:：]\s*+(.*)$")
_TITLE_RE = re.compile(r"^\s*(回调数据记录|callback (data )?record)\s*$", re.I)
_OUTLINE_RE = re.compile(r"^\s*(大纲|outline)\s*[:：]\s*$", re.I)
_CONTENT_RE = re.compile(r"^\s*(内容|正文|content)\s*[:：]\s*$", re.I)
_REFS_RE = re.compile(r"^\s*#{1,6}\s*(参考文献|references|bibliography)\s*[:：]\s*$", re.I)
_END_RE = re.compile(r"^\s*(对话结束|end of (the )?conversation|conversation (ended|end))\s*[。.]?\s*$", re.I)
# a closing reasoning tag with no opener never reaches back across these
_PART_MARKER_RE = re.compile(rf"{_TITLE_RE.pattern}|{_OUTLINE_RE.pattern}|{_CONTENT_RE.pattern}", re.I)
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Result[str]:
    """Bytes -> text with normalised line endings, or InputError (see `read.encoding`)."""
    if len(data) > max_bytes:
        raise over_limit(len(data), max_bytes, source)
    if not data.strip():
        raise InputError("file is empty", source)
    decoded = decode_bytes(data, source)
    text = decoded.text
    if not text.strip():
        raise InputError("file is empty", source)
    if "\x00" in text:
        raise InputError("binary data (NUL bytes), not a text record", source)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.lstrip("\ufeff")
    # Lone surrogates cannot come from UTF-8 bytes, but text given directly through the API can.
    text = text.encode("utf-8", "replace").decode("utf-8")
    bad = _BAD_CONTROL.findall(text)
    if len(bad) > max(16, len(text) // 100):
        raise InputError("binary data (control characters), not a text record", source)
    return Result(_BAD_CONTROL.sub("", text), decoded.messages)


def read_record(data: bytes | str, source: str = "<input>", max_bytes: int = DEFAULT_MAX_BYTES) -> Result[Record]:
    """Split a callback record into its parts. Raises InputError when it is not one.

    Structure comes first: reasoning blocks are found before any part marker is looked
    for, and a marker inside one is the model's text, not a marker. The supplied reference
    list is the last reference heading outside reasoning that nothing but entries, the end
    marker or the end of the file follows."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass").decode("utf-8", "replace").encode("utf-8")
    decoded = decode(data, source, max_bytes)
    lines = [SourceLine(i + 1, t) for i, t in enumerate(decoded.value.split("\n"))]
    outside = outside_text(lines, scan(lines, barrier=_PART_MARKER_RE))
    rec = Record(source=source)
    messages = list(decoded.messages)

    refs_at, end_at = _tail_markers(lines, outside, messages)
    part = "header"
    parts: dict[str, list[SourceLine]] = {"header": [], "outline": [], "content": [], "references": []}
    for k, line in enumerate(lines[:end_at]):
        t = outside[k]
        if k == refs_at:
            part = "references"
            continue
        if not t.strip() or part == "references":  # blank lines and entries: never a marker
            parts[part].append(line)
            continue
        if part == "header" and _TITLE_RE.match(t):
            rec.has_header = True
            continue
        if part == "header" and _OUTLINE_RE.match(t):
            part = "outline"
            continue
        if part in ("header", "outline") and _CONTENT_RE.match(t):
            part = "content"
            continue
        if _END_RE.match(t) and part != "header":
            messages.append(message("end-marker", "info", [line], said("end-of-conversation marker before the end removed")))
            continue
        parts[part].append(line)
    rec.end_marker = end_at < len(lines)

    _read_header(rec, parts["header"])
    rec.outline = parts["outline"]
    rec.content = parts["content"]
    rec.references = parts["references"]

    if not rec.content and rec.has_header and not rec.outline:
        # No markers at all: accept bare markdown that looks like an article (a heading and prose).
        body = [ln for ln in parts["header"] if not _HEADER_RE.match(ln.text) and not set(ln.text.strip()) <= {"="}]
        if any(ln.text.lstrip().startswith("#") for ln in body) and sum(len(ln.text) for ln in body) > 40:
            rec.content = body
    if not any(outside[ln.no - 1].strip() for ln in rec.content):
        if any(ln.text.strip() for ln in rec.content + rec.outline):
            raise InputError("no content to publish: the content section is empty or holds only reasoning", source)
        raise InputError("not a callback record (no outline and no content section found)", source)
    return Result(rec, messages)


def _tail_markers(lines: list[SourceLine], outside: list[str], messages: list[Message]) -> tuple[int, int]:
    """(index of the supplied reference heading or -1, index of the end marker or len(lines)).

    The end marker is the last end-marker line outside reasoning; what follows it is not read
    (and reported when it is text). The reference heading is the last one outside reasoning
    before it, when no heading follows it: a reference heading with chapters after it is the
    model's text, left in the content for the cleaning rules."""
    end_at = len(lines)
    for k in range(len(lines) - 1, -1, -1):
        if outside[k].strip() and _END_RE.match(outside[k]):
            end_at = k
            break
    after = [ln for ln in lines[end_at + 1 :] if ln.text.strip()]
    if after:
        messages.append(message("end-marker", "warning", after, said("text after the end-of-conversation marker not read")))
    for k in range(end_at - 1, -1, -1):
        t = outside[k]
        if _REFS_RE.match(t):
            return k, end_at
        if heading(t) or _CONTENT_RE.match(t) or _OUTLINE_RE.match(t):
            if any(_REFS_RE.match(outside[j]) for j in range(k)):
                messages.append(message("reference-heading", "warning", [lines[k]],
                                        said("a reference heading is followed by more content: not the supplied list")))
            return -1, end_at
    return -1, end_at


def _read_header(rec: Record, header: list[SourceLine]) -> None:
    for line in header:
        m = _HEADER_RE.match(line.text)
        if not m:
            continue
        key, value = m.group(1).strip().lower(), m.group(2).strip()
        for name, spellings in _HEADER_KEYS.items():
            if key in spellings and value and getattr(rec, name) is None:
                rec.has_header = True
                setattr(rec, name, _iso_time(value) if name == "received" else value)


def _iso_time(value: str) -> str:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).isoformat()
        except ValueError:
            continue
    return value
