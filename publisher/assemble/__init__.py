"""Stage 3, assemble: cleaned generations + outline -> Document (chapters in outline order)."""

from publisher.assemble.chapters import assemble
from publisher.assemble.outline import Outline, parse_outline

__all__ = ["Outline", "assemble", "parse_outline"]
