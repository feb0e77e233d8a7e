"""Download file names from article titles, Chinese included.

`Content-Disposition` carries two names (RFC 6266): `filename=` a plain-ASCII fallback for
old clients, and `filename*=UTF-8''...` the real title, percent-encoded (RFC 5987/8187),
which every current browser prefers.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# Characters no file system or shell should get in a name, plus controls.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_SPACES = re.compile(r"\s+")
_NOT_ASCII_NAME = re.compile(r"[^A-Za-z0-9._ -]+")
MAX_STEM = 80  # characters; long Chinese titles still fit every file system's 255 bytes


def file_stem(title: str) -> str:
    """The title as a file name stem: unsafe characters removed, invisible format characters
    too (bidi overrides such as U+202E would make `evil\u202etxt.exe` read as `evilexe.txt`),
    length bounded."""
    visible = "".join(ch for ch in title if unicodedata.category(ch) != "Cf")
    stem = _SPACES.sub(" ", _UNSAFE.sub(" ", visible)).strip(" .")
    return stem[:MAX_STEM].rstrip(" .") or "article"


def ascii_stem(stem: str) -> str:
    """A plain-ASCII stand-in: accents folded, everything else dropped."""
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    plain = _SPACES.sub(" ", _NOT_ASCII_NAME.sub(" ", folded)).strip(" .-")
    return plain or "article"


def content_disposition(title: str, extension: str, disposition: str = "attachment") -> str:
    stem = file_stem(title)
    fallback = ascii_stem(stem) + extension
    encoded = quote(stem + extension, safe="")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
