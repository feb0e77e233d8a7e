"""DOCX: the format authors download and edit in Word or WPS.

pandoc writes the document from the shared AST (pandoc_ast) with the styles of
templates/reference.docx; docx_post then adds what pandoc cannot say (SEQ fields in table
captions, three-line tables, plain superscript citation links, a TOC field, language and
core properties) and rewrites the zip so that the same document always gives the same bytes.
"""

from __future__ import annotations

import zipfile

from lxml import etree

from publisher.errors import RenderError
from publisher.model import Document
from publisher.render import Output, RenderOptions
from publisher.render.docx_post import post_process
from publisher.render.pandoc_ast import to_pandoc
from publisher.render.pandoc_run import run_pandoc
from publisher.render.template_dir import template_path
from publisher.result import Result


def render(doc: Document, options: RenderOptions) -> Result[Output]:
    return Result(_render(doc, options))


def _render(doc: Document, options: RenderOptions) -> bytes:
    reference = template_path(options.templates, "reference.docx", doc.metadata.source)
    ast = to_pandoc(doc, options, "docx")
    # highlighting would give code its own colour scheme; a manuscript wants plain code
    args = [f"--reference-doc={reference}", "--syntax-highlighting=none"]
    raw = run_pandoc(ast, "docx", args, timeout=options.timeout, source=doc.metadata.source)
    try:
        return post_process(raw, doc, options)
    except (ValueError, KeyError, AssertionError, etree.LxmlError, zipfile.BadZipFile) as exc:
        # a pandoc output this post-processor was not written for (another pandoc version)
        raise RenderError(
            f"could not finish the DOCX: {type(exc).__name__}: {exc}", doc.metadata.source
        ) from None
