"""DOCX as Word and other consumers read it: settings, fonts, styles, fields, running title,
and third-party readers (docx2python, mammoth) on every sample."""

from __future__ import annotations

import io
from collections.abc import Callable

import mammoth
import pytest
from docx.oxml.ns import qn
from docx2python import docx2python

from publisher.model import Document
from publisher.render import RenderOptions, render
from publisher.render.docx_xml import read_zip
from tests.render.test_docx import SAMPLES, Docx, make, text_of, xp

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def zh(doc_builders: dict[str, Callable[[], Document]]) -> Docx:
    return make(doc_builders["zh"]())


@pytest.fixture(scope="module")
def sample_docx() -> dict[str, bytes]:
    from publisher.pipeline import build_document

    return {s.name: render(build_document(s), "docx", RenderOptions()).value for s in SAMPLES}  # type: ignore[misc]


def test_word_opens_it_in_current_mode(zh: Docx) -> None:
    settings = zh.xml("word/settings.xml")
    mode = xp(settings, "w:compat/w:compatSetting[@w:name='compatibilityMode']")
    assert [m.get(qn("w:val")) for m in mode] == ["15"]
    assert xp(settings, "w:autoHyphenation/@w:val") == ["true"]
    names = [c.tag.split("}")[1] for c in settings]
    # schema order: compat before rsids and themeFontLang, autoHyphenation after defaultTabStop
    assert names.index("compat") < names.index("themeFontLang")
    assert names.index("defaultTabStop") < names.index("autoHyphenation") < names.index("characterSpacingControl")


def test_font_table_names_the_chinese_faces_with_their_latin_names(zh: Docx) -> None:
    fonts = zh.xml("word/fontTable.xml")
    alt = {f.get(qn("w:name")): xp(f, "w:altName/@w:val") for f in xp(fonts, "w:font")}
    assert alt["宋体"] == ["SimSun"] and alt["黑体"] == ["SimHei"]
    assert {"Times New Roman", "Courier New"} <= set(alt)


def test_table_style_is_based_on_a_defined_table_normal(zh: Docx) -> None:
    styles = zh.xml("word/styles.xml")
    assert xp(styles, "w:style[@w:styleId='Table']/w:basedOn/@w:val") == ["TableNormal"]
    assert xp(styles, "w:style[@w:styleId='TableNormal']/@w:type") == ["table"]


def test_every_part_declares_the_namespaces_it_uses(zh: Docx) -> None:
    for name, data in zh.members.items():
        if name.startswith("word/") and name.endswith(".xml") and b"r:id" in data:
            assert b'xmlns:r="' in data, name


def test_running_title_on_every_page_but_the_first_and_page_numbers_on_all(zh: Docx) -> None:
    sect = xp(zh.body, "w:sectPr")[0]
    assert xp(sect, "w:titlePg")
    refs = {r.get(qn("w:type")): r.get(qn("r:id")) for r in xp(sect, "w:headerReference | w:footerReference")}
    rels = {r.get("Id"): r.get("Target") for r in zh.xml("word/_rels/document.xml.rels")}
    header = zh.xml("word/" + rels[[r for r in refs.values() if "header" in rels[r]][0]])
    assert text_of(header) == "深度学习在图像识别领域的最新进展"
    assert xp(header, ".//w:pStyle/@w:val") == ["Header"]
    footers = [x for x in xp(sect, "w:footerReference")]
    assert sorted(f.get(qn("w:type")) for f in footers) == ["default", "first"]
    for f in footers:
        footer = zh.xml("word/" + rels[f.get(qn("r:id"))])
        assert [t.text.strip() for t in footer.iter(qn("w:instrText"))] == ["PAGE \\* MERGEFORMAT"]


def test_table_references_are_fields_to_the_caption(zh: Docx) -> None:
    caption = zh.paragraphs("TableCaption")[0]
    assert xp(caption, "w:bookmarkStart/@w:name") == ["_RefTable1"]
    # the bookmark holds the label and the SEQ field, not the caption text
    start = xp(caption, "w:bookmarkStart")[0]
    inside = []
    node = start.getnext()
    while node is not None and node.tag != qn("w:bookmarkEnd"):
        inside.append(node)
        node = node.getnext()
    assert "".join(text_of(n) for n in inside) == "表1"
    sentence = next(p for p in zh.body.iter(qn("w:p")) if text_of(p).startswith("表1比较了"))
    assert [t.text for t in sentence.iter(qn("w:instrText"))] == [" REF _RefTable1 \\h "]


def test_citations_hold_on_to_their_word(zh: Docx) -> None:
    first = zh.paragraphs("Abstract")[0]
    assert "性能\u2060[1]" in text_of(first)


@pytest.mark.slow
def test_docx2python_and_mammoth_read_every_sample(sample_docx: dict[str, bytes]) -> None:
    for name, data in sample_docx.items():
        with docx2python(io.BytesIO(data)) as read:
            assert "参考文献" in read.text or "References" in read.text, name
        result = mammoth.convert_to_html(io.BytesIO(data))
        errors = [m for m in result.messages if m.type == "error"]
        assert not errors, (name, errors)
        assert "<table>" in result.value, name


@pytest.mark.parametrize("fmt", ["docx", "html", "jats", "md", "pdf", "sphinx", "json"])
def test_xml_illegal_characters_in_title_topic_keywords_do_not_break_a_writer(
    doc_builders: dict[str, Callable[[], Document]], fmt: str
) -> None:
    doc = doc_builders["en"]()
    doc.title = "Deep\uffff learning\ufffe review\x01"
    doc.metadata.topic = "topic\uffff"
    doc.keywords = ["key\ufffeword", "plain"]
    result = render(doc, fmt, RenderOptions())
    data = result.value
    if fmt == "docx":
        assert isinstance(data, bytes)
        d = Docx(data, read_zip(data))
        assert text_of(d.paragraphs("Title")[0]) == "Deep learning review"
        assert b"<dc:title>Deep learning review</dc:title>" in d.members["docProps/core.xml"]
        assert b"keyword" in d.members["docProps/core.xml"]
    if fmt != "json":
        assert any(m.rule == "illegal-character" and "title" in m.message for m in result.messages)
        joined = data if isinstance(data, bytes) else b"".join(data.values())
        assert "\uffff".encode() not in joined and "\ufffe".encode() not in joined

