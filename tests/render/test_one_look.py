"""The DOCX and the PDF of one article look like one journal: the same line spacing in the
body and bold headings in both (the running title: test_docx_word.py and test_pdf.py).

Measured on what was laid out, not read from our own settings: the PDF's baselines through
pdftotext's bounding boxes and its fonts through pdffonts / pdftohtml; the DOCX's from the
styles Word applies to the body."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from publisher.model import Document
from publisher.pipeline import build_document
from publisher.render import RenderOptions, render
from publisher.render.docx_xml import read_zip
from tests.render.test_docx import Docx, xp

ROOT = Path(__file__).resolve().parents[2]
RECORDS = {
    "zh": ROOT / "samples" / "000_0a9243bf99b5b6c4.txt",
    "en": ROOT / "tests" / "render" / "records" / "en_wide_table_ranges.txt",
}
LINE = re.compile(r'<line xMin="[^"]*" yMin="([^"]*)" xMax="[^"]*" yMax="([^"]*)">')


@cache
def document(lang: str) -> Document:
    return build_document(RECORDS[lang])


@cache
def pdf_of(lang: str) -> bytes:
    data = render(document(lang), "pdf", RenderOptions()).value
    assert isinstance(data, bytes)
    return data


def docx_of(lang: str) -> Docx:
    data = render(document(lang), "docx", RenderOptions()).value
    assert isinstance(data, bytes)
    return Docx(data, read_zip(data))


def pdf_body_pitch(data: bytes) -> float:
    """The distance from one line's bottom to the next that most lines of the PDF keep: the
    body text's line pitch, in points."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=data, capture_output=True,
                         check=True).stdout.decode("utf-8")
    pitches: Counter[float] = Counter()
    for page in xml.split("<page ")[1:]:
        bottoms = sorted({float(bottom) for _, bottom in LINE.findall(page)})
        pitches.update(round(b - a, 1) for a, b in zip(bottoms, bottoms[1:], strict=False))
    return pitches.most_common(1)[0][0]


def docx_body_line(d: Docx) -> float:
    """The exact line spacing, in points, of the style the body paragraphs use."""
    styles = d.xml("word/styles.xml")
    spacing = xp(styles, "w:style[@w:styleId='BodyText']/w:pPr/w:spacing")[0]
    assert spacing.get(qn("w:lineRule")) == "exact"
    return int(spacing.get(qn("w:line"))) / 20


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_body_lines_are_as_far_apart_in_the_pdf_as_in_the_docx(lang: str) -> None:
    docx_line = docx_body_line(docx_of(lang))
    assert docx_line == {"zh": 18, "en": 15}[lang]  # 五号 on 18 pt; 11 pt on 15 pt
    assert abs(pdf_body_pitch(pdf_of(lang)) - docx_line) <= 0.5


def pdf_fonts_by_tag(data: bytes, tmp_path: Path) -> dict[str, str]:
    """Subset tag ("TYWMHC") -> the full font name pdffonts reports ("NotoSansCJKsc-Bold")."""
    path = tmp_path / "a.pdf"
    path.write_bytes(data)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"^([A-Z]{6})\+(\S+)", listing, re.M))


def heading_fonts(data: bytes, doc: Document, tmp_path: Path) -> dict[str, set[str]]:
    """Each chapter heading's text -> the fonts it is set in, as pdftohtml places the text."""
    fonts = pdf_fonts_by_tag(data, tmp_path)
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", "-", "x"], input=data,
                         capture_output=True, check=True).stdout.decode("utf-8")
    family = {fid: fonts.get(name.split("+")[0], name)
              for fid, name in re.findall(r'<fontspec id="(\d+)" size="[^"]*" family="([^"]*)"', xml)}
    texts = re.findall(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>', xml)
    return {
        section.title: {family[fid] for fid, text in texts
                         if re.sub(r"<[^>]+>", "", text).strip() == f"{section.number} {section.title}"}
        for section in doc.sections
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headings_are_bold_in_the_pdf_as_in_the_docx(lang: str, tmp_path: Path) -> None:
    styles = docx_of(lang).xml("word/styles.xml")
    assert xp(styles, "w:style[@w:styleId='Heading1']/w:rPr/w:b/@w:val") == ["1"]
    found = heading_fonts(pdf_of(lang), document(lang), tmp_path)
    assert found and all(fonts for fonts in found.values()), found
    assert all("Bold" in font for fonts in found.values() for font in fonts), found


@pytest.mark.parametrize("target", ["docx", "pdf"])
def test_citations_in_table_cells_are_bracketed_at_body_size(rich_doc_zh: Document, target: str) -> None:
    """A cell holding a citation shows "[3]" on the line at the cell's size, as the HTML does;
    in the running text it stays a superscript."""
    from publisher.render.pandoc_ast import to_pandoc
    from tests.render.test_pandoc_ast import nodes, plain

    ast = to_pandoc(rich_doc_zh, RenderOptions(), target)
    table = next(n for n in nodes(ast["blocks"]) if n["t"] == "Table")
    in_cells = [plain(n["c"][1]) for n in nodes(table) if n["t"] == "Link" and n["c"][2][0].startswith("#ref-")]
    assert in_cells == ["3", "5"]
    assert not [n for n in nodes(table) if n["t"] == "Superscript"]
    cell_text = [plain(n["c"]) for n in nodes(table) if n["t"] in ("Plain", "Para")]
    assert any(text.endswith("\u2060[3]") for text in cell_text), cell_text
    outside = [n for n in nodes(ast["blocks"]) if n["t"] == "Superscript"]
    assert outside and all(plain(n["c"]).startswith("[") for n in outside)


def test_pdf_cell_citation_is_read_at_body_size(rich_doc_zh: Document, tmp_path: Path) -> None:
    """In the laid-out PDF the cell's "[3]" has the height of the cell's text, not a
    superscript's (pdftohtml places each piece of text with its font size)."""
    data = render(rich_doc_zh, "pdf", RenderOptions()).value
    assert isinstance(data, bytes)
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", "-", "x"], input=data,
                         capture_output=True, check=True).stdout.decode("utf-8")
    sizes = dict(re.findall(r'<fontspec id="(\d+)" size="([^"]*)"', xml))
    texts = [(sizes[f], re.sub(r"<[^>]+>", "", t)) for f, t in re.findall(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>', xml)]
    cell = next(i for i, (_, t) in enumerate(texts) if t.startswith("25.6M"))
    cell_size = texts[cell][0]
    after = "".join(t for _, t in texts[cell:cell + 4])
    assert "[3]" in after.replace("\u2060", "")
    assert all(size == cell_size for size, t in texts[cell:cell + 4] if t.strip("\u2060 ") in ("[", "3", "]", "[3]"))
