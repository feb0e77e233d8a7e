"""Which link targets the model keeps and a writer may emit: http(s) and mailto only."""

from __future__ import annotations

import re
from urllib.parse import quote

# The URL must start with the scheme, with nothing before it: browsers drop leading blanks
# and control characters (and tabs or newlines anywhere) before they read the scheme.
# Inner spaces are harmless once the scheme is fixed; control characters never belong.
_SAFE_URL = re.compile(r"(?:https?://|mailto:)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_url(url: str) -> str | None:
    """The URL if a browser would open it as http(s) or mailto, else None (keep the text only)."""
    if _SAFE_URL.match(url) and not _CONTROL.search(url):
        return url
    return None


# Characters a URL may keep as they are: RFC 3986 reserved and unreserved ones, and `%`
# (already-encoded octets). Everything else (spaces, <, >, quotes, backticks, parentheses)
# is percent-encoded, so the URL cannot end a markdown link or an rst hyperlink early.
_URL_KEEP = "/:?#[]@!$&'*+,;=%~-._"


def quote_url(url: str) -> str:
    return quote(url, safe=_URL_KEEP)
