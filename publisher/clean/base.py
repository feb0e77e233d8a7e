"""What every cleaning rule shares: the rule signature."""

from __future__ import annotations

from collections.abc import Callable

from publisher.markdown.lexer import Lines
from publisher.model import Message

# A rule takes the lines of one generation and returns the lines it keeps and what it did.
Rule = Callable[[Lines], tuple[Lines, list[Message]]]
