"""Refuse, before pandoc and typst run, a PDF that could not be laid out under the child's cap.

Typst's memory grows with the text it lays out, and the compiler child is capped
(`typst_run.MEMORY_CAP`): a record past what the cap holds used to run for a minute or more
(pandoc, then typst's layout) before the child died at the cap. The cost is estimated from the
pandoc AST instead, and a record over it fails at once with one line.

Measured with typst 0.15.2 and pandoc 3.9 on the corpus records (bench.corpus, Chinese
articles, the article template; `BENCHMARKS.md`, P4): the compiler's peak grows linearly with
the characters of text, ~120 MB at the start (fonts, template) and ~520 bytes per character
of a paragraph without a link; a record of 2 MB (540 000 characters) peaks at 600 MB, one of
10 MB (2.8 million) at 2.5 GB. A paragraph holding a citation link costs ~70% more per
character (900 bytes): a link to a label is resolved only once a first layout has placed the label, so
typst lays such a paragraph out twice and keeps both layouts memoised until the end.

pandoc's typst writer takes time growing with the square of the length of one unbroken run of
text (a Str, text without a space): 33 000 characters ~4 s of CPU, 100 000 ~35 s; a 10 MB
paragraph without a break never finished within the 120 s time-out. A run longer than
MAX_RUN (~1.5 s) is refused too. (Ordinary prose, its words or clauses parted by spaces,
costs pandoc ~2.5 s per million characters even in one paragraph.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from publisher.errors import RenderError
from publisher.render.typst_run import MEMORY_CAP

MB = 1024**2
BASE_BYTES = 150 * MB  # the compiler with fonts and template, before any text
BYTES_PER_CHAR = 550  # a character of a paragraph without a link
BYTES_PER_LINKED_CHAR = 950  # a character of a paragraph typst lays out twice (it holds a link)
BUDGET = MEMORY_CAP  # the estimate may reach the cap: the estimate errs high (see the tests)
MAX_RUN = 20_000  # characters of one unbroken run of text pandoc's typst writer is given

_PARAGRAPHS = frozenset({"Para", "Plain", "Header"})


@dataclass
class LayoutSize:
    """What drives typst's memory and pandoc's time, counted on the pandoc AST."""

    chars: int = 0  # characters of text (Str, Code, spaces), in all
    linked_chars: int = 0  # of those, characters of paragraphs holding a link
    longest_run: int = 0  # characters of the longest Str

    def estimate(self) -> int:
        """Bytes the typst compiler is expected to peak at."""
        plain = self.chars - self.linked_chars
        return BASE_BYTES + BYTES_PER_CHAR * plain + BYTES_PER_LINKED_CHAR * self.linked_chars


def measure(ast: dict[str, Any]) -> LayoutSize:
    size = LayoutSize()
    _count(ast["blocks"], size)
    return size


def check_layout_size(ast: dict[str, Any], source: str | None) -> LayoutSize:
    """Raise RenderError ("record too large for PDF ...") when the PDF of `ast` cannot be made
    under the compiler's cap or pandoc's time-out; return the size otherwise."""
    size = measure(ast)
    if size.longest_run > MAX_RUN:
        raise RenderError(
            f"record too large for PDF (one run of {size.longest_run:,} characters without a space "
            f"or break; the PDF takes at most {MAX_RUN:,})",
            source,
        )
    if size.estimate() > BUDGET:
        raise RenderError(
            f"record too large for PDF (typst would need about {size.estimate() / 1024**3:.1f} GB "
            f"for {size.chars:,} characters; its memory cap is {MEMORY_CAP / 1024**3:g} GB)",
            source,
        )
    return size


def _count(value: Any, size: LayoutSize) -> None:
    """Walk the AST without recursion (a deep list nesting must not exhaust the stack)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            kind = item.get("t")
            if kind in _PARAGRAPHS:
                chars, linked, longest = _paragraph(item)
                size.chars += chars
                size.linked_chars += chars if linked else 0
                size.longest_run = max(size.longest_run, longest)
            elif kind == "CodeBlock":
                size.chars += len(item["c"][1])
            elif "c" in item:
                stack.append(item["c"])


def _paragraph(block: dict[str, Any]) -> tuple[int, bool, int]:
    """Characters of text, whether a link is among them, the longest Str."""
    chars, linked, longest = 0, False, 0
    stack: list[Any] = [block.get("c")]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            kind = item.get("t")
            if kind == "Str":
                chars += len(item["c"])
                longest = max(longest, len(item["c"]))
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                chars += 1
            elif kind == "Code":
                chars += len(item["c"][1])
            else:
                linked = linked or kind == "Link"
                if "c" in item:
                    stack.append(item["c"])
    return chars, linked, longest

