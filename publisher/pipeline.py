"""The stages in order, each returning `Result(value, messages)`:

    record.txt -> read -> clean -> assemble -> tables -> cite -> Document (+ report)
                  read/   clean/   assemble/   tables/   cite/      -> guard.py (silent loss)

`build(...)` runs them once and concatenates their messages into the document's report;
every writer in `render/` then renders that one document. A stage never changes what an
earlier stage returned. What each package may import: the model, `source`, `text`,
`result`, `errors` and `markdown/` (below every stage), and the stages before it; only
`render/` imports pandoc, python-docx, lxml, typst (jinja2 also in `service/`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from publisher.assemble import assemble, parse_outline
from publisher.cite import number_citations, parse_supplied
from publisher.clean import clean_content, has_publishable_text
from publisher.clean.chatter import unsure_chatter
from publisher.errors import InputError
from publisher.guard import check_loss
from publisher.model import Document
from publisher.places import place_report
from publisher.read import DEFAULT_MAX_BYTES, read_file, read_record
from publisher.result import Result, localised_message
from publisher.tables import resolve_tables


@dataclass(frozen=True)
class BuildOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    draft: bool = False  # placeholders for chapters never written
    include_uncited: bool = False  # list uncited supplied entries after the cited ones
    skip_rules: frozenset[str] = frozenset()  # cleaning rules not to run, by name


def build(
    source: Path | bytes | str | None = None,
    *,
    path: str | Path | None = None,
    text: str | None = None,
    name: str | None = None,
    options: BuildOptions | None = None,
) -> Result[Document]:
    """A record -> the finished document model, with every stage's messages.

    Give the record one way: `path=` (a file), `text=` (its text), or positionally a `Path`
    (a file), `bytes` (its content) or `str` (its text, never taken for a path).
    """
    opts = options or BuildOptions()
    data, label = _input(source, path, text, name, opts.max_bytes)
    record = read_record(data, label, opts.max_bytes)
    cleaned = clean_content(record.value.content, opts.skip_rules)
    if not has_publishable_text(cleaned.value):
        raise InputError("no content to publish: everything in the content section is debris "
                         f"({', '.join(sorted({m.rule for m in cleaned.messages}))})", label)
    # sentences cleaning kept that may be chatter: reported once, as warnings (no change made)
    unsure = [] if "assistant-chatter" in opts.skip_rules else [m for g in cleaned.value for m in unsure_chatter(g)]
    outline = parse_outline(record.value.outline)
    supplied = parse_supplied(record.value.references)
    # the supplied numbers are evidence for ambiguous citation notations (`²` after a word)
    numbers = frozenset(supplied.value) or None
    assembled = assemble(record.value, cleaned.value, outline, draft=opts.draft, supplied=numbers)
    tabled = resolve_tables(assembled.value)
    cited = number_citations(tabled.value, supplied.value, include_uncited=opts.include_uncited)
    later = [m for r in (assembled, tabled, supplied, cited) for m in r.messages]
    # the silent-loss guard: what the article lost against what the record holds, cause named
    lost = check_loss(record.value, cleaned.value, cleaned.messages, outline, cited.value, later)
    messages = record.messages + cleaned.messages + unsure + later + lost
    # each line at its place in the article, in the document's language (English beside it)
    content_end = max((ln.no for ln in record.value.content), default=None)
    placed = place_report(cited.value, messages, content_end)
    messages = [localised_message(m, cited.value.language) for m in placed]
    return Result(replace(cited.value, report=messages), messages)


def build_document(
    source: Path | bytes | str | None = None,
    *,
    path: str | Path | None = None,
    text: str | None = None,
    name: str | None = None,
    options: BuildOptions | None = None,
) -> Document:
    """`build(...)`'s document; its report holds every message."""
    return build(source, path=path, text=text, name=name, options=options).value


def _input(
    source: Path | bytes | str | None, path: str | Path | None, text: str | None, name: str | None, max_bytes: int
) -> tuple[bytes | str, str]:
    given = [x for x in (source, path, text) if x is not None]
    if len(given) != 1:
        raise TypeError("give the record exactly one way: a Path, bytes, str text, path= or text=")
    if isinstance(source, Path) or path is not None:
        file = Path(path if path is not None else source)  # type: ignore[arg-type]
        label = name or str(file)
        return read_file(file, label, max_bytes), label
    data = text if text is not None else source
    assert isinstance(data, bytes | str)
    return data, name or "<input>"
