"""DOCX: the format authors download and edit in Word or WPS.

pandoc writes the document from the shared AST (pandoc_ast) with the styles of
templates/reference.docx (or the copy given as `RenderOptions.templates`); docx_post then adds,
through python-docx, what pandoc cannot say (SEQ fields in table captions and REF fields to
them, three-line tables, plain superscript citation links, a TOC field, the running title,
language, compatibility and core properties) and rewrites the zip so that the same document
always gives the same bytes. With `RenderOptions.review` the report is laid onto the text as
tracked deletions and comments (review.py, review_ast.py, docx_review.py).
"""

from __future__ import annotations

import zipfile

from lxml import etree

from publisher.errors import RenderError
from publisher.model import Document
from publisher.render import Output, RenderOptions
from publisher.render.docx_post import post_process
from publisher.render.notes import Notes, illegal_characters
from publisher.render.pandoc_ast import to_pandoc
from publisher.render.pandoc_run import run_pandoc
from publisher.render.review import plan_review
from publisher.render.review_ast import to_pandoc_review
from publisher.render.template_dir import template_path
from publisher.result import Result


def render(doc: Document, options: RenderOptions) -> Result[Output]:
    notes = Notes("docx")
    data = _render(doc, options, notes)
    return Result(data, illegal_characters(doc, "docx") + notes.messages)


def _render(doc: Document, options: RenderOptions, notes: Notes) -> bytes:
    reference = template_path(options.templates, "reference.docx", doc.metadata.source)
    ast = to_pandoc_review(plan_review(doc), options, notes) if options.review else to_pandoc(doc, options, "docx", notes)
    # highlighting would give code its own colour scheme; a manuscript wants plain code
    args = [f"--reference-doc={reference}", "--syntax-highlighting=none"]
    raw = run_pandoc(ast, "docx", args, timeout=options.timeout, source=doc.metadata.source)
    try:
        return post_process(raw, doc, options)
    except (ValueError, KeyError, AssertionError, AttributeError, etree.LxmlError, zipfile.BadZipFile) as exc:
        # a pandoc output this post-processor was not written for (another pandoc version)
        raise RenderError(
            f"could not finish the DOCX: {type(exc).__name__}: {exc}", doc.metadata.source
        ) from None
