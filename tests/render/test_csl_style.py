"""`--csl STYLE`: the reference list in DOCX, PDF and HTML reads exactly as pandoc's citeproc
formats the same entries in that style, and nothing else in the document changes (the
in-text numbers stay the publisher's)."""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import lxml.html
import pytest

from publisher.errors import UsageError
from publisher.model import Document
from publisher.pipeline import build_document
from publisher.render import RenderOptions, render
from publisher.render.citeproc import style_path
from publisher.render.pandoc_run import pandoc_path
from tests.render.corpus import ROOT
from tests.render.review_xml import document_xml

W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
RECORDS = [ROOT / "tests/fixtures/records/zh_rich_references_review.txt", ROOT / "samples/001_a67d181a6c549fd0.txt",
           ROOT / "tests/fixtures/records/en_chinese_markers.txt"]
STYLES = ["gb7714", "vancouver"]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@cache
def citeproc_entries(path: Path, style: str, tmp: Path) -> list[str]:
    """citeproc's own formatting of the published entries, without its labels."""
    doc = build_document(path)
    folder = tmp / f"{path.stem}-{style}"
    folder.mkdir(exist_ok=True)
    (folder / "refs.json").write_bytes(render(doc, "csljson").value)  # type: ignore[arg-type]
    text = " ".join(f"[@{r.anchor()}]" for r in doc.references if r.cited)
    lang = {"zh": "zh-CN", "en": "en-US"}[doc.language]
    run = subprocess.run([pandoc_path(), "--citeproc", f"--csl={style_path(style)}", "--bibliography=refs.json",
                          f"-Mlang={lang}", "-t", "plain", "--wrap=none"], input=text, capture_output=True,
                         text=True, cwd=folder, check=True, timeout=60)
    assert run.stderr == ""
    entries = run.stdout.strip().split("\n\n")[1:]
    return [re.sub(r"^(\[\d+\]|\d+\.)\s*", "", e) for e in entries]


@cache
def outputs(path: Path, style: str | None) -> tuple[Document, bytes, bytes, bytes]:
    doc = build_document(path)
    options = RenderOptions(csl=Path(style) if style else None)
    docx, pdf, html = (render(doc, fmt, options).value for fmt in ("docx", "pdf", "html"))
    return doc, docx, pdf, html  # type: ignore[return-value]


def docx_parts(data: bytes) -> tuple[list[str], list[str]]:
    """(the body's other paragraphs, the reference entries without their labels)."""
    others, entries = [], []
    for p in document_xml(data).iter(f"{{{W['w']}}}p"):
        text = "".join(t if isinstance(t, str) else "\t" for t in p.xpath(".//w:t/text() | .//w:tab", namespaces=W))
        if p.xpath("w:pPr/w:pStyle[@w:val='Bibliography']", namespaces=W):
            entries.append(text.split("\t", 1)[1])
        else:
            others.append(text)
    return others, entries


def html_parts(data: bytes) -> tuple[str, list[str]]:
    tree = lxml.html.fromstring(data)
    entries = []
    for li in tree.xpath("//ol[@class='references']/li"):
        entries.append(" ".join(t for t in li.xpath("text()")).strip())
    for section in tree.xpath("//section[@id='references']"):
        section.getparent().remove(section)
    return tree.text_content(), entries


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


@pytest.mark.slow
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("path", RECORDS, ids=[p.stem for p in RECORDS])
def test_the_reference_list_reads_as_citeproc_formats_it(path: Path, style: str, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    want = citeproc_entries(path, style, tmp_path_factory.getbasetemp())
    doc, docx, pdf, html = outputs(path, style)
    assert len(want) == len([r for r in doc.references if r.cited])
    _, entries = docx_parts(docx)
    assert [squeeze(e) for e in entries] == [squeeze(e) for e in want]
    _, html_entries = html_parts(html)
    assert [squeeze(e) for e in html_entries] == [squeeze(e) for e in want]
    text = squeeze(pdf_text(pdf))
    for entry in want:
        assert squeeze(entry) in text


@pytest.mark.slow
@pytest.mark.parametrize("path", RECORDS, ids=[p.stem for p in RECORDS])
def test_nothing_but_the_reference_list_changes(path: Path) -> None:
    doc, docx, pdf, html = outputs(path, "gb7714")
    _, docx0, pdf0, html0 = outputs(path, None)
    assert docx_parts(docx)[0] == docx_parts(docx0)[0]  # every other paragraph, in-text numbers included
    assert docx_parts(docx)[1] != docx_parts(docx0)[1]
    assert html_parts(html)[0] == html_parts(html0)[0]
    heading = doc.labels()["references"]
    assert pdf_text(pdf).rsplit(heading, 1)[0] == pdf_text(pdf0).rsplit(heading, 1)[0]


def test_a_style_that_does_not_exist_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--csl"):
        style_path("no-such-style")
    assert style_path("GB7714").name == "china-national-standard-gb-t-7714-2015-numeric.csl"
