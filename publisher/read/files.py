"""Bytes from a file or a stream, refused as soon as they pass the size limit.

The size is counted while reading, never taken from `st_size`: devices, FIFOs and /proc
files report 0, and a growing file can pass it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from publisher.errors import InputError

CHUNK = 1 << 20


def over_limit(size: int, max_bytes: int, source: str) -> InputError:
    return InputError(f"file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:.0f} MB limit "
                      "(raise it with --max-size)", source)


def read_stream(stream: BinaryIO, source: str, max_bytes: int) -> bytes:
    """All of a stream, or InputError once more than `max_bytes` arrived."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(CHUNK, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise InputError(f"input is over the {max_bytes / 1048576:.0f} MB limit (raise it with --max-size)", source)


def read_file(path: str | Path, source: str, max_bytes: int) -> bytes:
    """A record file's bytes, with one-line errors for what cannot be read."""
    try:
        size = os.stat(path).st_size
        if size > max_bytes:  # a regular file that says it is too big: refuse before reading
            raise over_limit(size, max_bytes, source)
        with open(path, "rb") as fh:
            return read_stream(fh, source, max_bytes)
    except IsADirectoryError:
        raise InputError("is a folder, not a record file", source) from None
    except FileNotFoundError:
        raise InputError("no such file", source) from None
    except PermissionError:
        raise InputError("permission denied", source) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", source) from None
