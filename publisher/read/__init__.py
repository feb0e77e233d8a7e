"""Stage 1, read: bytes -> Record (header, outline, content, supplied references)."""

from publisher.read.files import read_file, read_stream
from publisher.read.reader import DEFAULT_MAX_BYTES, decode, read_record

__all__ = ["DEFAULT_MAX_BYTES", "decode", "read_file", "read_record", "read_stream"]
