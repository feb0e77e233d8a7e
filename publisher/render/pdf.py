"""PDF writer: the model -> pandoc JSON AST -> Typst markup (pandoc) -> PDF (typst).

No LaTeX. pandoc's typst writer escapes every Str, so text from the record is typeset as
text; the few places where pandoc's escaping falls short are patched on the AST first
(typst_escape.py). Title, keywords and labels never pass through Typst markup at
all: they reach templates/pdf/article.typ as strings in `sys.inputs`. typst compiles with
the template folder as its root, so a document cannot read any other file, and sees only
the font folders `fonts.find_fonts` found, so a Chinese document without a CJK face is an
error rather than a page of empty boxes. A record whose PDF typst could not lay out under its
memory cap is refused before pandoc runs (typst_budget.py).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from publisher.errors import RenderError
from publisher.model import Document
from publisher.render import Output, RenderOptions
from publisher.render.fonts import CJK_SANS, CJK_SERIF, FontSet, find_fonts
from publisher.render.notes import Notes, clean_text, illegal_characters, running_title
from publisher.render.pandoc_ast import to_pandoc
from publisher.render.pandoc_run import run_pandoc
from publisher.render.template_dir import template_path
from publisher.render.typst_budget import check_layout_size
from publisher.render.typst_escape import guard_typst_syntax
from publisher.render.typst_run import compile_pdf
from publisher.result import Result
from publisher.text import WIDE_RE

# The main file: two fixed lines, then pandoc's body. Nothing from the record is spliced
# into these lines; the configuration travels as a JSON string in sys.inputs.
MAIN = '#import "article.typ": article\n#show: article.with(json(bytes(sys.inputs.config)))\n\n'

# Latin faces embedded in typst itself, so they are always there.
LATIN_SERIF = "Libertinus Serif"
MONO = "DejaVu Sans Mono"

FRONT_IDS = ("abstract", "keywords")  # the divs pandoc_ast puts before the first chapter


def render(doc: Document, options: RenderOptions) -> Result[Output]:
    notes = Notes("pdf")
    data = _render(doc, options, notes)
    return Result(data, illegal_characters(doc, "pdf") + notes.messages)


def _render(doc: Document, options: RenderOptions, notes: Notes) -> bytes:
    fonts = find_fonts(options.font_dirs)
    ast = guard_typst_syntax(to_pandoc(doc, options, "pdf", notes))
    if options.toc:
        insert_toc(ast)
    source = doc.metadata.source
    check_layout_size(ast, source, notes)  # before a minute of pandoc and typst, not at the cap
    body = run_pandoc(ast, "typst", ["--wrap=none"], timeout=options.timeout, source=source).decode("utf-8")
    needs_cjk = doc.language == "zh" or bool(WIDE_RE.search(body + doc.title + "".join(doc.keywords)))
    if needs_cjk and not fonts.has_cjk:
        raise RenderError(
            f"no CJK font found for the PDF (wanted {CJK_SERIF[0]} / {CJK_SANS[0]}): "
            "install fonts-noto-cjk or pass a font folder",
            source,
        )
    config = typst_config(doc, fonts)
    root = template_path(options.templates, "pdf/article.typ", source).parent
    return compile_pdf(
        MAIN + body,
        root=root,
        font_dirs=fonts.dirs,
        inputs={"config": json.dumps(config, ensure_ascii=False, sort_keys=True)},
        timeout=options.timeout,
        origin=source,
    )


def typst_config(doc: Document, fonts: FontSet) -> dict[str, Any]:
    """What article.typ needs beyond the body, as plain data (see the comment at its top)."""
    zh = doc.language == "zh"
    cjk_serif = [fonts.serif] if fonts.serif else []
    cjk_sans = [fonts.sans] if fonts.sans else []
    # Chinese text sets Latin in the CJK face too, so both scripts share one design;
    # English text sets Latin in Libertinus and falls back to the CJK face for any Han.
    body = [*cjk_serif, LATIN_SERIF] if zh else [LATIN_SERIF, *cjk_serif]
    heading = [*cjk_sans, LATIN_SERIF] if zh else [LATIN_SERIF, *cjk_sans]
    return {
        "lang": doc.language,
        "title": clean_text(doc.title),
        "running": running_title(doc),
        "keywords": [clean_text(k) for k in doc.keywords],
        "date": pdf_date(doc.metadata.received),
        "contents": doc.labels()["contents"],
        "fonts": {"body": body, "heading": heading, "mono": [MONO, *cjk_sans]},
    }


def pdf_date(received: str | None) -> dict[str, int] | None:
    """The record's reception time as typst datetime fields; None leaves the PDF undated.

    A fixed date (never the clock) keeps the same record giving the same bytes.
    """
    if not received:
        return None
    try:
        when = datetime.fromisoformat(received)
    except ValueError:
        return None
    return {
        "year": when.year,
        "month": when.month,
        "day": when.day,
        "hour": when.hour,
        "minute": when.minute,
        "second": when.second,
    }


def insert_toc(ast: dict[str, Any]) -> None:
    """Put an empty div with id "toc" after the abstract and keywords; article.typ puts the
    table of contents there."""
    blocks = ast["blocks"]
    at = 0
    while at < len(blocks) and blocks[at]["t"] == "Div" and blocks[at]["c"][0][0] in FRONT_IDS:
        at += 1
    blocks.insert(at, {"t": "Div", "c": [["toc", [], []], []]})
