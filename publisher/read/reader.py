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
from publisher.read.files import over_limit
from publisher.result import Result
from publisher.source import Record, SourceLine

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


# Header fields: "key: value" with either colon; several spellings per field.
_HEADER_KEYS: dict[str, tuple[str, ...]] = {
    "received": ("接收时间", "received", "received at", "time"),
    "topic": ("主题", "topic", "subject"),
    "uuid": ("uuid", "id", "record id"),
}
# possessive quantifiers (*+, ++): nothing to backtrack into, so a line of spaces is linear
_HEADER_RE = re.compile(r"^\s*+([A-Za-z][A-Za-z ]*+|[\u4e00-\u9fff]++)\s*+[:：]\s*+(.*)$")
_TITLE_RE = re.compile(r"^\s*(回调数据记录|callback (data )?record)\s*$", re.I)
_OUTLINE_RE = re.compile(r"^\s*(大纲|outline)\s*[:：]\s*$", re.I)
_CONTENT_RE = re.compile(r"^\s*(内容|正文|content)\s*[:：]\s*$", re.I)
_REFS_RE = re.compile(r"^\s*#{1,6}\s*(参考文献|references|bibliography)\s*[:：]\s*$", re.I)
_END_RE = re.compile(r"^\s*(对话结束|end of (the )?conversation|conversation (ended|end))\s*[。.]?\s*$", re.I)
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Bytes -> text with normalised line endings, or InputError."""
    if len(data) > max_bytes:
        raise over_limit(len(data), max_bytes, source)
    if not data.strip():
        raise InputError("file is empty", source)
    if b"\x00" in data:
        raise InputError("binary data (NUL bytes), not a text record", source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (undecodable byte at offset {exc.start})", source, line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.lstrip("\ufeff")
    # Lone surrogates cannot come from UTF-8 bytes, but text given directly through the API can.
    text = text.encode("utf-8", "replace").decode("utf-8")
    bad = _BAD_CONTROL.findall(text)
    if len(bad) > max(16, len(text) // 100):
        raise InputError("binary data (control characters), not a text record", source)
    return _BAD_CONTROL.sub("", text)


def read_record(data: bytes | str, source: str = "<input>", max_bytes: int = DEFAULT_MAX_BYTES) -> Result[Record]:
    """Split a callback record into its parts. Raises InputError when it is not one."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass").decode("utf-8", "replace").encode("utf-8")
    text = decode(data, source, max_bytes)
    lines = [SourceLine(i + 1, t) for i, t in enumerate(text.split("\n"))]
    rec = Record(source=source)

    part = "header"
    parts: dict[str, list[SourceLine]] = {"header": [], "outline": [], "content": [], "references": []}
    for line in lines:
        t = line.text
        if not t.strip():  # blank lines: most of a long record, and never a marker
            parts[part].append(line)
            continue
        if part == "header" and _TITLE_RE.match(t):
            rec.has_header = True
            continue
        if part in ("header",) and _OUTLINE_RE.match(t):
            part = "outline"
            continue
        if part in ("header", "outline") and _CONTENT_RE.match(t):
            part = "content"
            continue
        if part in ("header", "outline", "content") and _REFS_RE.match(t):
            part = "references"
            continue
        if _END_RE.match(t) and part != "header":
            rec.end_marker = True
            break
        parts[part].append(line)

    _read_header(rec, parts["header"])
    rec.outline = parts["outline"]
    rec.content = parts["content"]
    rec.references = parts["references"]

    if not rec.content and rec.has_header and not rec.outline:
        # No markers at all: accept bare markdown that looks like an article (a heading and prose).
        body = [ln for ln in parts["header"] if not _HEADER_RE.match(ln.text) and not set(ln.text.strip()) <= {"="}]
        if any(ln.text.lstrip().startswith("#") for ln in body) and sum(len(ln.text) for ln in body) > 40:
            rec.content = body
    if not any(ln.text.strip() for ln in rec.content) and not any(ln.text.strip() for ln in rec.outline):
        raise InputError("not a callback record (no outline and no content section found)", source)
    return Result(rec, [])


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
