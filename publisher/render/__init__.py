"""Writers: one module per output format behind one small interface.

A writer is a module in this package exposing `render(doc, options) -> Result[Output]`
(the messages say what the writer could not carry over, e.g. an unsafe link it dropped). The table
`publisher.formats.FORMATS` names each format's module; modules are imported on first
use so that `publish --to json` never pays for pandoc, python-docx or typst.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from publisher.formats import FORMATS
from publisher.model import Document
from publisher.render.journal import Journal
from publisher.result import Result

# bytes for a single file; {relative path: bytes} for a folder (sphinx)
Output = bytes | dict[str, bytes]


@dataclass(frozen=True)
class RenderOptions:
    toc: bool = False  # table of contents (docx/pdf; html always has one)
    fragment: bool = False  # html: the article body alone, for a CMS
    draft: bool = False  # show visible placeholders for chapters never written
    font_dirs: tuple[Path, ...] = ()  # pdf: extra font folders
    timeout: float = 120.0  # seconds for one external conversion (pandoc, typst)
    templates: Path | None = None  # a copy of templates/ to restyle every output
    report_in_html: bool = False  # html: the processing report at the end of the standalone page
    pandoc_citations: bool = False  # md: `[@ref-N]` citations and a CSL JSON bibliography
    review: bool = False  # docx: the report as tracked deletions and comments (render/review.py)
    margin_notes: bool = False  # html: each report line beside the block it concerns (the draft page)
    csl: Path | None = None  # a CSL style (file, or a shipped one by name) for the reference list (citeproc.py)
    journal: Journal | None = None  # jats: the journal's <journal-meta>, and the Publishing DTD (journal.py)


class Writer(Protocol):
    def render(self, doc: Document, options: RenderOptions) -> Result[Output]: ...


def writer_for(name: str) -> Writer:
    return importlib.import_module(f"publisher.render.{FORMATS[name].module}")


def render(doc: Document, name: str, options: RenderOptions | None = None) -> Result[Output]:
    options = options or RenderOptions()
    if options.csl is not None:
        from publisher.render.citeproc import UNSTYLED, styled  # pandoc only when a style is asked for

        if name not in UNSTYLED:
            doc = styled(doc, options.csl, options.timeout)
    return writer_for(name).render(doc, options)
