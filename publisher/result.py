"""What every stage returns: `Result(value, messages)`, and the helpers that make report lines.

A stage never prints and never drops silently: whatever it changed in the author's text is a
Message in its Result, and the pipeline concatenates them into the report (as mammoth does).
Below every stage: imports only the model and the source lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from publisher.model import Message, Severity
from publisher.source import SourceLine

T = TypeVar("T")
U = TypeVar("U")

EXCERPT_CHARS = 80


@dataclass(frozen=True)
class Result(Generic[T]):
    """A stage's value and the report lines it produced."""

    value: T
    messages: list[Message] = field(default_factory=list)

    def then(self, messages: list[Message], value: U) -> Result[U]:
        """A later value, with this result's messages followed by `messages`."""
        return Result(value, self.messages + messages)


def excerpt(lines: Iterable[SourceLine] | str) -> str:
    text = lines if isinstance(lines, str) else " ".join(ln.text.strip() for ln in lines if ln.text.strip())
    # only the start is shown: normalising a whole megabyte line for every message of it
    # would make a rule quadratic in the line's length
    text = re.sub(r"\s+", " ", text.strip()[: EXCERPT_CHARS * 4]).strip()
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def message(rule: str, severity: Severity, lines: list[SourceLine], what: str, removed: str | None = None) -> Message:
    """A report line about some source lines: their range and an excerpt of their text
    (`removed`: the whole text taken out, for the JSON report)."""
    nos = [ln.no for ln in lines] or [0]
    return Message(rule, severity, min(nos) or None, max(nos) or None, excerpt(lines), what, removed)
