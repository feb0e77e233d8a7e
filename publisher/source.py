"""The record as the reader found it: source lines with their numbers, and the parts.

Below every stage: the reader makes these, every later stage reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceLine:
    """One line of the record with its 1-based line number in the file."""

    no: int
    text: str


@dataclass
class Record:
    source: str
    received: str | None = None  # ISO 8601
    topic: str | None = None
    uuid: str | None = None
    outline: list[SourceLine] = field(default_factory=list)
    content: list[SourceLine] = field(default_factory=list)
    references: list[SourceLine] = field(default_factory=list)
    end_marker: bool = False
    has_header: bool = False
