"""DOCX writer: render the shared rich documents, read the package back, check its structure."""

from __future__ import annotations

import importlib.util
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import docx as python_docx
import pytest
from docx.oxml.ns import nsmap as NS
from docx.oxml.ns import qn
from lxml import etree

from publisher.model import Document, Paragraph, Table, Text
from publisher.render import RenderOptions, render
from publisher.render.docx_xml import read_zip
from publisher.render.template_dir import installed_templates

# pieces of conftest.HOSTILE, each markup in some format a writer could emit raw
HOSTILE_PARTS = (
    "<w:p><w:r><w:t>INJECTED</w:t></w:r></w:p>",
    "`x`{=openxml}",
    '<script>alert("x")</script>',
    "\\textbf{x}",
)
SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.txt"))


@dataclass
class Docx:
    data: bytes
    members: dict[str, bytes]

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.members[name])

    @property
    def body(self) -> etree._Element:
        body = self.xml("word/document.xml").find(qn("w:body"))
        assert body is not None
        return body

    def paragraphs(self, style: str) -> list[etree._Element]:
        return self.body.xpath(f".//w:p[w:pPr/w:pStyle/@w:val='{style}']", namespaces=NS)


def text_of(el: etree._Element) -> str:
    """Visible text: w:t contents, w:tab as a tab; field instructions left out."""
    parts = []
    for node in el.iter(qn("w:t"), qn("w:tab")):
        parts.append("\t" if node.tag == qn("w:tab") else node.text or "")
    return "".join(parts)


def xp(el: etree._Element, path: str) -> list:
    return el.xpath(path, namespaces=NS)


def make(doc: Document, **options: object) -> Docx:
    data = render(doc, "docx", RenderOptions(**options)).value  # type: ignore[arg-type]
    assert isinstance(data, bytes)
    return Docx(data, read_zip(data))


@pytest.fixture(scope="module")
def built(doc_builders: dict[str, Callable[[], Document]]) -> dict[str, Docx]:
    return {name: make(build()) for name, build in doc_builders.items()} | {
        "zh_toc": make(doc_builders["zh"](), toc=True)
    }


# --------------------------------------------------------------------------- package
def test_opens_with_python_docx_and_every_part_parses(built: dict[str, Docx]) -> None:
    for d in built.values():
        python_docx.Document(io.BytesIO(d.data))
        for name, data in d.members.items():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(data)
        assert next(iter(d.members)) == "[Content_Types].xml"


def test_same_input_gives_identical_bytes(
    doc_builders: dict[str, Callable[[], Document]], built: dict[str, Docx]
) -> None:
    assert make(doc_builders["zh"]()).data == built["zh"].data
    assert make(doc_builders["zh"](), toc=True).data == built["zh_toc"].data


# --------------------------------------------------------------------------- headings
def test_headings_carry_the_model_numbers_and_bookmarks(built: dict[str, Docx]) -> None:
    d = built["zh"]
    heads = [
        (style, text_of(p)) for style in ("Heading1", "Heading2", "Heading3") for p in d.paragraphs(style)
    ]
    assert ("Heading1", "1 引言") in heads
    assert ("Heading2", "1.1 图像识别技术发展概述") in heads
    assert ("Heading3", "1.1.1 手工特征阶段") in heads
    assert ("Heading2", "2.1 卷积神经网络的改进") in heads
    assert ("Heading1", "参考文献") in heads  # unnumbered
    bookmarks = set(xp(d.body, ".//w:bookmarkStart/@w:name"))
    assert {"sec-1", "sec-1-1", "sec-1-1-1", "sec-2", "sec-2-1"} <= bookmarks
    assert text_of(d.paragraphs("Title")[0]) == "深度学习在图像识别领域的最新进展"


def test_abstract_and_keywords_are_labelled_paragraphs(built: dict[str, Docx]) -> None:
    zh, en = built["zh"], built["en"]
    assert text_of(zh.paragraphs("Abstract")[0]).startswith("摘要：图像识别领域")
    assert text_of(zh.paragraphs("Keywords")[0]) == "关键词：深度学习；图像识别；卷积神经网络；Transformer"
    assert (
        text_of(en.paragraphs("Keywords")[0])
        == "Keywords: deep learning; image recognition; CNN; transformer"
    )


# --------------------------------------------------------------------------- tables
@pytest.mark.parametrize(
    ("name", "label", "caption"),
    [
        ("zh", "表", "表1\u3000主流图像识别模型比较"),
        ("en", "Table", "Table 1 Comparison of image recognition models"),
    ],
)
def test_caption_above_table_with_a_seq_field(
    built: dict[str, Docx], name: str, label: str, caption: str
) -> None:
    d = built[name]
    table = xp(d.body, ".//w:tbl")[0]
    before = table.getprevious()
    assert before.tag == qn("w:p")
    assert xp(before, "w:pPr/w:pStyle/@w:val") == ["TableCaption"]
    assert text_of(before) == caption
    instructions = [t.text for t in before.iter(qn("w:instrText"))]
    assert instructions == [f" SEQ {label} \\* ARABIC "]
    kinds = xp(before, ".//w:fldChar/@w:fldCharType")
    assert kinds == ["begin", "separate", "end"]
    assert "Table 1:" not in text_of(d.body) and "表1:" not in text_of(d.body)


def test_tables_are_three_line_tables(built: dict[str, Docx]) -> None:
    for d in built.values():
        for table in xp(d.body, ".//w:tbl"):
            borders = {etree.QName(b).localname: b for b in xp(table, "w:tblPr/w:tblBorders/*")}
            for side in ("top", "bottom"):
                assert borders[side].get(qn("w:val")) == "single"
                assert int(borders[side].get(qn("w:sz"))) >= 12
            for side in ("left", "right", "insideV", "insideH"):
                assert borders[side].get(qn("w:val")) == "nil"
            header = xp(table, "w:tr[w:trPr/w:tblHeader]")
            assert len(header) == 1
            for cell in xp(header[0], "w:tc"):
                assert xp(cell, "w:tcPr/w:tcBorders/w:bottom/@w:sz") == ["6"]
            # no cell draws a vertical rule of its own
            assert not xp(
                table, ".//w:tcBorders/*[self::w:left or self::w:right or self::w:start or self::w:end]"
            )


def test_table_properties_keep_schema_order(built: dict[str, Docx]) -> None:
    order = ["tblStyle", "tblW", "jc", "tblBorders", "tblLayout", "tblLook", "tblCaption"]
    for table in xp(built["zh"].body, ".//w:tbl"):
        names = [etree.QName(c).localname for c in xp(table, "w:tblPr/*")]
        assert names == [n for n in order if n in names]


# --------------------------------------------------------------------------- citations
def test_citations_are_superscript_links_to_existing_bookmarks(built: dict[str, Docx]) -> None:
    for name in ("zh", "en"):
        d = built[name]
        links = xp(d.body, ".//w:hyperlink[starts-with(@w:anchor, 'ref-')]")
        assert links
        bookmarks = set(xp(d.body, ".//w:bookmarkStart/@w:name"))
        assert {link.get(qn("w:anchor")) for link in links} <= bookmarks
        for link in links:
            in_cell = bool(xp(link, "ancestor::w:tc"))
            # in the text superscript; in a table cell on the line, at the cell's size
            assert xp(link, "w:r/w:rPr/w:vertAlign/@w:val") == ([] if in_cell else ["superscript"])
            assert not xp(link, "w:r/w:rPr/w:rStyle")  # black like the text, not blue


def test_citation_group_reads_with_ranges(built: dict[str, Docx]) -> None:
    first_body = built["zh"].paragraphs("FirstParagraph")[0]
    superscript = "".join(
        text_of(r) for r in xp(first_body, ".//w:r[w:rPr/w:vertAlign/@w:val='superscript']")
    )
    assert superscript == "[1,3-5]"
    anchors = xp(first_body, ".//w:hyperlink/@w:anchor")
    assert anchors[:2] == ["ref-1", "ref-3"]  # a range links to its first number


# --------------------------------------------------------------------------- references
def test_reference_list_entries(
    built: dict[str, Docx], doc_builders: dict[str, Callable[[], Document]]
) -> None:
    doc = doc_builders["zh"]()
    entries = built["zh"].paragraphs("Bibliography")
    assert [text_of(p) for p in entries] == [f"[{r.number}]\t{r.text}" for r in doc.references]
    for p, ref in zip(entries, doc.references, strict=True):
        assert xp(p, "w:bookmarkStart/@w:name") == [ref.anchor()]
        # a real tab element (Word stops it at the hanging indent), not a tab character
        assert len(xp(p, "w:r/w:tab")) == 1
        assert not [t for t in xp(p, ".//w:t/text()") if "\t" in t]
    style = xp(built["zh"].xml("word/styles.xml"), "w:style[@w:styleId='Bibliography']/w:pPr/w:ind")[0]
    assert int(style.get(qn("w:hanging"))) > 0


# --------------------------------------------------------------------------- styles
def test_styles_name_east_asian_fonts(built: dict[str, Docx]) -> None:
    styles = built["zh"].xml("word/styles.xml")
    default = xp(styles, "w:docDefaults/w:rPrDefault/w:rPr/w:rFonts")[0]
    assert default.get(qn("w:eastAsia")) == "宋体"
    assert default.get(qn("w:ascii")) == default.get(qn("w:hAnsi")) == "Times New Roman"
    for style in ("Title", "Heading1", "Heading2", "Heading3", "TableCaption"):
        assert xp(styles, f"w:style[@w:styleId='{style}']/w:rPr/w:rFonts/@w:eastAsia") == ["黑体"], style
    for style in ("BodyText", "FirstParagraph", "Abstract", "Keywords", "Bibliography", "TableText"):
        assert xp(styles, f"w:style[@w:styleId='{style}']/w:rPr/w:rFonts/@w:eastAsia") == ["宋体"], style
    # a theme font attribute would win over the names above
    assert not [k for f in styles.iter(qn("w:rFonts")) for k in f.attrib if "theme" in k.lower()]


@pytest.mark.parametrize(("name", "east"), [("zh", "zh-CN"), ("en", "en-US")])
def test_document_language(built: dict[str, Docx], name: str, east: str) -> None:
    d = built[name]
    lang = xp(d.xml("word/styles.xml"), "w:docDefaults/w:rPrDefault/w:rPr/w:lang")[0]
    assert lang.get(qn("w:eastAsia")) == east
    assert xp(d.xml("word/settings.xml"), "w:themeFontLang/@w:eastAsia") == [east]


def test_headings_and_title_are_bold_in_both_languages_as_in_the_pdf(built: dict[str, Docx]) -> None:
    for name in ("zh", "en"):
        styles = built[name].xml("word/styles.xml")
        for style in ("Title", "Heading1", "Heading2", "Heading3"):
            assert xp(styles, f"w:style[@w:styleId='{style}']/w:rPr/w:b/@w:val") == ["1"], (name, style)


# --------------------------------------------------------------------------- page and properties
def test_a4_pages_with_page_number_footer(built: dict[str, Docx]) -> None:
    d = built["zh"]
    sect = xp(d.body, "w:sectPr")[0]
    assert xp(sect, "w:pgSz/@w:w") == ["11906"] and xp(sect, "w:pgSz/@w:h") == ["16838"]
    rel_id = xp(sect, "w:footerReference/@r:id")[0]
    rels = etree.fromstring(d.members["word/_rels/document.xml.rels"])
    target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
    footer = d.xml(f"word/{target}")
    assert [t.text.strip() for t in footer.iter(qn("w:instrText"))] == ["PAGE \\* MERGEFORMAT"]


def test_core_properties_come_from_the_document(built: dict[str, Docx]) -> None:
    props = python_docx.Document(io.BytesIO(built["zh"].data)).core_properties
    assert props.title == "深度学习在图像识别领域的最新进展"
    assert props.subject == "深度学习在图像识别领域的最新进展"
    assert props.keywords == "深度学习; 图像识别; 卷积神经网络; Transformer"
    assert props.identifier == "716fac140c95455d92021e32554fb6d5"
    assert props.language == "zh-CN"
    assert props.created == datetime(2025, 11, 21, 19, 18, 36, tzinfo=UTC)
    assert props.modified == props.created
    assert props.author == ""


def test_no_received_date_means_no_dates(doc_builders: dict[str, Callable[[], Document]]) -> None:
    doc = doc_builders["en"]()
    doc.metadata = replace(doc.metadata, received=None, uuid=None)
    d = make(doc)
    core = d.members["docProps/core.xml"]
    assert b"created" not in core and b"identifier" not in core
    assert make(doc).data == d.data


# --------------------------------------------------------------------------- table of contents
def test_toc_is_a_real_field_with_entries(built: dict[str, Docx]) -> None:
    d = built["zh_toc"]
    sdt = xp(d.body, "w:sdt[w:sdtPr/w:docPartObj/w:docPartGallery/@w:val='Table of Contents']")
    assert len(sdt) == 1
    instructions = [t.text for t in sdt[0].iter(qn("w:instrText"))]
    assert instructions and instructions[0].strip().startswith('TOC \\o "1-3"')
    anchors = xp(sdt[0], ".//w:hyperlink/@w:anchor")
    bookmarks = set(xp(d.body, ".//w:bookmarkStart/@w:name"))
    assert anchors[:2] == ["sec-1", "sec-1-1"] and set(anchors) <= bookmarks
    assert sdt[0].getprevious() is not None  # after the front matter, before chapter 1
    assert xp(d.xml("word/settings.xml"), "w:updateFields/@w:val") == ["true"]
    assert not xp(built["zh"].body, ".//w:sdt")


# --------------------------------------------------------------------------- escaping
def test_record_markup_comes_out_as_literal_text(built: dict[str, Docx]) -> None:
    d = built["hostile"]
    body_text = text_of(d.body)
    for part in HOSTILE_PARTS:
        assert part in body_text
    # the injected paragraph never became a paragraph or a run of its own
    assert "INJECTED" not in [t.text for t in d.body.iter(qn("w:t"))]
    props = python_docx.Document(io.BytesIO(d.data)).core_properties
    assert props.title.startswith("Title <w:p><w:r>")


def test_control_characters_do_not_break_the_package(doc_builders: dict[str, Callable[[], Document]]) -> None:
    doc = doc_builders["en"]()
    doc.sections[0].blocks.insert(0, Paragraph([Text("bell\x07 and nul\x00 here")]))
    d = make(doc)
    assert "bell and nul here" in text_of(d.body)


def test_table_without_number_or_header(doc_builders: dict[str, Callable[[], Document]]) -> None:
    doc = doc_builders["zh"]()
    doc.sections[1].blocks.append(
        Table(number=None, caption="无编号", header=[], rows=[[[Text("a")], [Text("b")]]])
    )
    d = make(doc)
    captions = [text_of(p) for p in d.paragraphs("TableCaption")]
    assert captions == ["表1\u3000主流图像识别模型比较", "无编号"]
    assert len(xp(d.body, ".//w:tbl")) == 2


# --------------------------------------------------------------------------- real records
@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_samples(sample: Path) -> None:
    from publisher import pipeline
    doc = pipeline.build_document(sample)
    d = make(doc)
    python_docx.Document(io.BytesIO(d.data))
    heads = [text_of(p) for style in ("Heading1", "Heading2", "Heading3") for p in d.paragraphs(style)]
    for section in doc.walk_sections():
        if section.level <= 3:
            assert f"{section.number} {section.title}" in heads
    captions = d.paragraphs("TableCaption")
    assert len(captions) == len(doc.tables())
    for caption in captions:
        assert caption.getnext().tag == qn("w:tbl")
    bookmarks = set(xp(d.body, ".//w:bookmarkStart/@w:name"))
    anchors = set(xp(d.body, ".//w:hyperlink/@w:anchor"))
    assert anchors <= bookmarks
    assert len(d.paragraphs("Bibliography")) == len([r for r in doc.references if r.cited])


def test_minimal_document_renders(doc_builders: dict[str, Callable[[], Document]]) -> None:
    d = make(Document(title="Only a title", language="en"), toc=True)
    assert text_of(d.paragraphs("Title")[0]) == "Only a title"
    assert not d.paragraphs("Bibliography") and not xp(d.body, ".//w:tbl")
    assert len(xp(d.body, "w:sdt")) == 1


def test_template_is_what_the_build_script_makes(monkeypatch: pytest.MonkeyPatch) -> None:
    script = Path(__file__).resolve().parents[2] / "scripts" / "build_reference_docx.py"
    spec = importlib.util.spec_from_file_location("build_reference_docx", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    reference = installed_templates() / "reference.docx"
    assert module.build() == reference.read_bytes(), "run scripts/build_reference_docx.py"
