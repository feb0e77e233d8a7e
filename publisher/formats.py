"""The output formats, in one table: name, writer module, file extension, media type.

Below everything: pure data, cheap to import (the CLI's --help reads it before anything
else is loaded). `publisher.render` finds each writer through this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    module: str  # under publisher.render
    extension: str  # of the output file; "" = the output is a folder
    media_type: str
    summary: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", "json_writer", ".json", "application/json", "the document model and its report (the CMS contract)"),
        Format("html", "html", ".html", "text/html; charset=utf-8", "a standalone web page"),
        Format("md", "markdown", ".md", "text/markdown; charset=utf-8", "Pandoc markdown"),
        Format("docx", "docx", ".docx",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word, for editing"),
        Format("pdf", "pdf", ".pdf", "application/pdf", "print-ready A4"),
        Format("jats", "jats", ".xml", "application/xml; charset=utf-8", "JATS XML"),
        Format("sphinx", "sphinx", "", "application/zip", "a Sphinx project folder"),
        Format("csljson", "csl_json", ".csl.json", "application/vnd.citationstyles.csl+json",
               "the published references as CSL JSON (citeproc, Zotero)"),
        Format("ris", "ris", ".ris", "application/x-research-info-systems",
               "the published references as RIS (EndNote, Zotero, Mendeley)"),
        Format("bib", "bibtex", ".bib", "application/x-bibtex; charset=utf-8",
               "the published references as BibTeX (BibLaTeX, JabRef)"),
    )
}
ALL_FORMATS = list(FORMATS)
