"""Bytes -> text: which encoding a record was written in, decided by what explains its bytes.

A record is read, in this order, as
1. the encoding its byte-order mark names (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. UTF-8, when every byte sequence is valid UTF-8;
3. UTF-8 with a few stray bytes: the file holds at least as many valid multi-byte UTF-8
   sequences as invalid bytes (a legacy encoding read as UTF-8 gives far more invalid bytes
   than valid sequences). Each stray byte is taken as Windows-1252, the encoding that puts
   curly quotes and dashes at 0x80-0x9F where a pasted fragment brings them (0x93 -> “),
   and reported with its line; valid sequences around it are untouched;
4. the encoding charset-normalizer finds (GB18030/GBK, Big5, Shift-JIS, Windows-125x, UTF-16
   without a mark …), reported; GB2312 and GBK are read as GB18030, their superset.
What none of these explains is refused: a one-line error, no guess.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from publisher.errors import InputError
from publisher.model import Message
from publisher.result import message_at, said, said_n

# Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# Detected names read as a superset that decodes every file the narrower one does.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "ascii": "utf-8"}
STRAY_RULE = "stray-bytes"
MAX_STRAY_MESSAGES = 20  # one per stray byte up to this, then one summary


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    messages: list[Message]


def decode_bytes(data: bytes, source: str) -> Decoded:
    """The text of a record's bytes, or InputError when no plausible decoding explains them."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(encoding), encoding, [])
            except UnicodeDecodeError as exc:
                raise InputError(f"{_name(encoding)} byte-order mark, but the text is not {_name(encoding)} "
                                 f"(bad bytes at offset {exc.start + len(bom)})", source) from None
    try:
        return Decoded(data.decode("utf-8"), "utf-8", [])
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            return _cut_inside_a_character(data, exc.start)
    if b"\x00" not in data:
        stray = _utf8_with_stray_bytes(data)
        if stray is not None:
            return stray
    return _detected(data, source)


def _cut_inside_a_character(data: bytes, start: int) -> Decoded:
    """A file cut off in the middle of its last character: the part before is read."""
    head = decode_bytes(data[:start], "") if start else Decoded("", "utf-8", [])
    line = data.count(b"\n", 0, start) + 1
    cut = message_at(STRAY_RULE, "warning", line, line, _context(head.text, len(head.text)),
                     said_n("the file ends inside a character ({n} byte of it); that byte dropped",
                            "the file ends inside a character ({n} bytes of it); those bytes dropped", len(data) - start))
    return Decoded(head.text, head.encoding, head.messages + [cut])


def _name(encoding: str) -> str:
    return encoding.upper().replace("-LE", " LE").replace("-BE", " BE")


def _utf8_with_stray_bytes(data: bytes) -> Decoded | None:
    """UTF-8 with each invalid byte taken as Windows-1252, when valid multi-byte sequences
    are at least as many as invalid bytes; otherwise None (another encoding explains it)."""
    # surrogateescape keeps each invalid byte as U+DC80+byte: linear, and no shared state
    escaped = data.decode("utf-8", "surrogateescape")
    strays = [m.start() for m in _ESCAPED_RE.finditer(escaped)]
    valid_multibyte = sum(1 for ch in escaped if ord(ch) > 0x7F) - len(strays)
    if valid_multibyte < len(strays):
        return None
    messages = _stray_messages(escaped, strays)
    text = _ESCAPED_RE.sub(lambda m: _cp1252(ord(m.group()) - 0xDC00), escaped)
    return Decoded(text, "utf-8", messages)


_ESCAPED_RE = re.compile("[\udc80-\udcff]")


def _cp1252(byte: int) -> str:
    return bytes([byte]).decode("cp1252", "replace")


def _stray_messages(escaped: str, strays: list[int]) -> list[Message]:
    messages: list[Message] = []
    line, pos = 1, 0
    for offset in strays[:MAX_STRAY_MESSAGES]:
        line += escaped.count("\n", pos, offset)
        pos = offset
        byte = ord(escaped[offset]) - 0xDC00
        char = _cp1252(byte)
        code = f"0x{byte:02X}"
        what = (said("byte {byte} is not UTF-8; read as Windows-1252 “{char}”", byte=code, char=char)
                if char != "\ufffd" else
                said("byte {byte} is not UTF-8 and has no Windows-1252 character; replaced by \ufffd", byte=code))
        messages.append(message_at(STRAY_RULE, "warning", line, line, _context(escaped, offset), what))
    if len(strays) > MAX_STRAY_MESSAGES:
        rest = len(strays) - MAX_STRAY_MESSAGES
        messages.append(message_at(STRAY_RULE, "warning", None, None, "",
                                   said_n("{n} more byte that is not UTF-8 read as Windows-1252",
                                          "{n} more bytes that are not UTF-8 read as Windows-1252", rest)))
    return messages


def _context(escaped: str, offset: int) -> str:
    start = max(escaped.rfind("\n", 0, offset) + 1, offset - 30)
    end = escaped.find("\n", offset)
    end = min(end if end >= 0 else len(escaped), offset + 30)
    return _ESCAPED_RE.sub(lambda m: _cp1252(ord(m.group()) - 0xDC00), escaped[start:end]).strip()


def _detected(data: bytes, source: str) -> Decoded:
    # imported here: a UTF-8 record, nearly every one, never needs it (~10 ms of start-up)
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        if b"\x00" in data:
            raise InputError("binary data (NUL bytes), not a text record", source)
        raise InputError("not text in any encoding it could be read as (not UTF-8, UTF-16, GB18030 …)", source)
    encoding = _SUPERSETS.get(match.encoding, match.encoding)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise InputError(f"not UTF-8, and not valid {match.encoding} either", source) from None
    note = message_at("encoding", "info", None, None, "", said("not UTF-8: read as {encoding}", encoding=encoding.upper()))
    return Decoded(text, encoding, [note])
