"""Refuse, before pandoc and typst run, a PDF that could not be laid out under the child's cap
(or unlink its citations when that is enough).

Typst's memory grows with the text it lays out, and the compiler child is capped
(`typst_run.MEMORY_CAP`): a record past what the cap holds used to run for a minute or more
(pandoc, then typst's layout) before the child died at the cap. The cost is estimated from the
pandoc AST instead, and a record over it fails at once with one line.

Measured with typst 0.15.2 and pandoc 3.9 on the corpus records (bench.corpus, Chinese
articles, the article template; `BENCHMARKS.md`, P4): the compiler's peak grows linearly with
the characters of text: ~120 MB at the start (fonts, template), ~520 bytes per character of
a paragraph without a link; a record of 2 MB (540 000 characters) peaks at 600 MB, one of
10 MB (2.8 million) at 2.5 GB. A paragraph holding a citation link costs ~70% more per
character (~900 bytes): a link to a label is resolved only once a first layout has placed
the label, so typst lays such a paragraph out twice and keeps both layouts memoised until
the end. The constants below err a few percent high of those peaks. So a
record over the cap with its citation links, but under it without them, gets a PDF whose
citation numbers are coloured text instead of links: the same look (the template's link
colour), no jump to the reference list, and a report line saying so (the 10 MB corpus record:
2.5 GB with links, ~1.6 GB without).

pandoc's typst writer takes time growing with the square of the length of one unbroken run of
text (a Str, text without a space): 33 000 characters ~4 s of CPU, 100 000 ~35 s; a 10 MB
paragraph without a break never finished within the 120 s time-out. A run longer than
MAX_RUN (~1.5 s) is refused too. (Ordinary prose, its words or clauses parted by spaces,
costs pandoc ~2.5 s per million characters even in one paragraph.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from publisher.errors import RenderError
from publisher.render.notes import Notes
from publisher.render.typst_run import MEMORY_CAP
from publisher.result import Message, message_at, said

MB = 1024**2
BASE_BYTES = 150 * MB  # the compiler with fonts and template, before any text
BYTES_PER_CHAR = 550  # a character of a paragraph without a link
BYTES_PER_LINKED_CHAR = 950  # a character of a paragraph typst lays out twice (it holds a link)
BUDGET = MEMORY_CAP  # the estimate may reach the cap: the estimate errs high (see the tests)
MAX_RUN = 20_000  # characters of one unbroken run of text pandoc's typst writer is given

_PARAGRAPHS = frozenset({"Para", "Plain", "Header"})
CITATION_TARGET = "#ref-"  # where pandoc_ast points a citation's link
# In place of a citation's link: its text in the colour article.typ gives links.
_COLOUR_IMPORT = {"t": "RawBlock", "c": ["typst", '#import "article.typ": link-colour']}
_COLOUR_OPEN = {"t": "RawInline", "c": ["typst", "#text(fill: link-colour)["]}
_COLOUR_CLOSE = {"t": "RawInline", "c": ["typst", "]"]}


@dataclass
class LayoutSize:
    """What drives typst's memory and pandoc's time, counted on the pandoc AST."""

    chars: int = 0  # characters of text (Str, Code, spaces), in all
    linked_chars: int = 0  # of those, characters of paragraphs holding a link to a place in the document
    longest_run: int = 0  # characters of the longest Str

    def estimate(self) -> int:
        """Bytes the typst compiler is expected to peak at."""
        plain = self.chars - self.linked_chars
        return BASE_BYTES + BYTES_PER_CHAR * plain + BYTES_PER_LINKED_CHAR * self.linked_chars

    def estimate_unlinked(self) -> int:
        """The same with the citations unlinked (the only links to a place in the document)."""
        return BASE_BYTES + BYTES_PER_CHAR * self.chars


def measure(ast: dict[str, Any]) -> LayoutSize:
    size = LayoutSize()
    _count(ast["blocks"], size)
    return size


def check_layout_size(ast: dict[str, Any], source: str | None, notes: Notes | None = None) -> LayoutSize:
    """Raise RenderError ("record too large for PDF ...") when the PDF of `ast` cannot be made
    under the compiler's cap or pandoc's time-out; unlink its citations (in place, with a line
    in `notes`) when that brings it under; return the size."""
    size = measure(ast)
    if size.longest_run > MAX_RUN:
        raise RenderError(
            f"record too large for PDF (one run of {size.longest_run:,} characters without a space "
            f"or break; the PDF takes at most {MAX_RUN:,})",
            source,
        )
    if size.estimate() > BUDGET and size.estimate_unlinked() <= BUDGET and notes is not None:
        unlink_citations(ast)
        notes.add(unlinked_citations(notes.fmt))
    elif size.estimate() > BUDGET:
        raise RenderError(
            f"record too large for PDF (typst would need about {size.estimate() / 1024**3:.1f} GB "
            f"for {size.chars:,} characters; its memory cap is {MEMORY_CAP / 1024**3:g} GB)",
            source,
        )
    return size


def unlink_citations(ast: dict[str, Any]) -> None:
    """Set every citation link of `ast` as its text in the link colour, in place."""
    stack: list[Any] = [ast["blocks"]]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            if any(_is_citation_link(node) for node in item):
                item[:] = [part for node in item for part in _unlinked(node)]
            stack.extend(item)
        elif isinstance(item, dict) and "c" in item:
            stack.append(item["c"])
    ast["blocks"].insert(0, _COLOUR_IMPORT)


def _is_citation_link(node: Any) -> bool:
    return isinstance(node, dict) and node.get("t") == "Link" and node["c"][2][0].startswith(CITATION_TARGET)


def _unlinked(node: Any) -> list[Any]:
    return [_COLOUR_OPEN, *node["c"][1], _COLOUR_CLOSE] if _is_citation_link(node) else [node]


def unlinked_citations(fmt: str) -> Message:
    return message_at(
        "pdf-citations-unlinked", "warning", None, None, "",
        said("{format}: the record is too large for typst to link each citation to its reference "
             "within its memory cap; the citation numbers are coloured text, not links", format=fmt),
    )


_LEAVES = frozenset({"Str", "Space", "SoftBreak", "LineBreak", "Code"})  # inline nodes whose content is text


def _nodes(value: Any, inside: Callable[[dict[str, Any]], bool]) -> Iterator[dict[str, Any]]:
    """Every AST node in `value` and, where `inside(node)`, in its content; without recursion
    (a deep list nesting must not exhaust the stack)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            yield item
            if "c" in item and inside(item):
                stack.append(item["c"])


def _count(value: Any, size: LayoutSize) -> None:
    for node in _nodes(value, lambda n: n.get("t") not in _PARAGRAPHS and n.get("t") != "CodeBlock"):
        kind = node.get("t")
        if kind in _PARAGRAPHS:
            chars, linked, longest = _paragraph(node)
            size.chars += chars
            size.linked_chars += chars if linked else 0
            size.longest_run = max(size.longest_run, longest)
        elif kind == "CodeBlock":
            size.chars += len(node["c"][1])


def _paragraph(block: dict[str, Any]) -> tuple[int, bool, int]:
    """Characters of text, whether a link is among them, the longest Str."""
    chars, linked, longest = 0, False, 0
    for node in _nodes(block.get("c"), lambda n: n.get("t") not in _LEAVES):
        kind = node.get("t")
        if kind == "Str":
            chars += len(node["c"])
            longest = max(longest, len(node["c"]))
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            chars += 1
        elif kind == "Code":
            chars += len(node["c"][1])
        else:
            linked = linked or (kind == "Link" and node["c"][2][0].startswith("#"))
    return chars, linked, longest

