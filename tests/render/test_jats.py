"""JATS writer: well-formed archiving JATS with a real <ref-list> that every <xref> resolves into."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from publisher.model import Document, Link, Paragraph, Text
from publisher.render import RenderOptions, jats

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.txt"))
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(data, parser)


def check_structure(root: etree._Element, doc: Document) -> None:
    """What every JATS output must hold, whatever the document."""
    assert root.tag == "article"
    assert root.findtext("front/article-meta/title-group/article-title") == doc.title
    refs = root.findall("back/ref-list/ref")
    cited = [r for r in doc.references if r.cited]
    assert [r.get("id") for r in refs] == [r.anchor() for r in cited]
    assert [r.findtext("label") for r in refs] == [str(r.number) for r in cited]
    assert [r.findtext("mixed-citation") for r in refs] == [r.text.strip() for r in cited]
    assert root.findall("back/ref-list/p") == []
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    xrefs = list(root.iter("xref"))
    assert all(set(x.get("rid").split()) <= ids and x.get("ref-type") == "bibr" for x in xrefs)
    assert len(ids) == len([el for el in root.iter() if el.get("id")])  # ids are unique


def test_rich_document(rich_doc_zh: Document) -> None:
    root = parse(jats.render(rich_doc_zh, RenderOptions()).value)
    check_structure(root, rich_doc_zh)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh"
    assert root.get("article-type") == "review-article"
    meta = root.find("front/article-meta")
    assert [k.text for k in meta.iter("kwd")] == rich_doc_zh.keywords
    assert meta.find("pub-date").get("iso-8601-date") == "2025-11-21"
    assert meta.find("abstract/p") is not None
    assert [s.get("id") for s in root.iter("sec")] == [s.anchor() for s in rich_doc_zh.walk_sections()]
    titles = [f"{s.findtext('label')} {''.join(s.find('title').itertext())}" for s in root.iter("sec")]
    assert titles == [f"{s.number} {s.title}" for s in rich_doc_zh.walk_sections()]
    assert root.findtext("back/ref-list/title") == "参考文献"
    assert len(root.findall(".//table-wrap")) == len(rich_doc_zh.tables())
    assert "".join(root.find(".//table-wrap/caption").itertext()).strip() == "主流图像识别模型比较"
    assert [x.get("rid") for x in root.iter("xref")][:4] == ["ref-1", "ref-2", "ref-3", "ref-1"]


def test_english_document_and_determinism(rich_doc_en: Document) -> None:
    out = jats.render(rich_doc_en, RenderOptions()).value
    assert out == jats.render(rich_doc_en, RenderOptions()).value
    root = parse(out)
    check_structure(root, rich_doc_en)
    assert root.findtext("back/ref-list/title") == "References"


def test_uncited_entries_stay_out(rich_doc_en: Document) -> None:
    rich_doc_en.references[-1].cited = False
    root = parse(jats.render(rich_doc_en, RenderOptions()).value)
    assert len(root.findall("back/ref-list/ref")) == len(rich_doc_en.references) - 1


def test_no_references_means_no_ref_list(rich_doc_en: Document) -> None:
    rich_doc_en.references = []
    root = parse(jats.render(rich_doc_en, RenderOptions()).value)
    assert root.find("back/ref-list/ref") is None


def test_hostile_text_is_text(hostile_doc: Document) -> None:
    root = parse(jats.render(hostile_doc, RenderOptions()).value)
    check_structure(root, hostile_doc)
    assert not root.xpath("//script | //*[local-name()='p' and namespace-uri()!='']")
    assert hostile_doc.sections[0].title in "".join(root.find("body/sec/title").itertext())


def test_unsafe_links_lose_their_target(rich_doc_en: Document) -> None:
    rich_doc_en.sections[0].blocks.append(
        Paragraph([Link("javascript:alert(1)", [Text("bad")]), Link("mailto:a@example.org", [Text("mail")])])
    )
    root = parse(jats.render(rich_doc_en, RenderOptions()).value)
    hrefs = [el.get(XLINK_HREF) for el in root.iter() if el.get(XLINK_HREF)]
    assert "mailto:a@example.org" in hrefs and not any("javascript" in h for h in hrefs)
    assert "bad" in "".join(root.itertext())  # the text stays, the link goes


def test_control_characters_do_not_break_the_xml(rich_doc_en: Document) -> None:
    rich_doc_en.references[0].text = "Bad\x01 entry\x0b."
    root = parse(jats.render(rich_doc_en, RenderOptions()).value)
    assert root.find("back/ref-list/ref/mixed-citation").text == "Bad entry."


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples(sample: Path) -> None:
    from publisher.pipeline import build_document

    doc = build_document(sample)
    check_structure(parse(jats.render(doc, RenderOptions()).value), doc)


def test_numbers_are_labels(rich_doc_zh: Document) -> None:
    root = parse(jats.render(rich_doc_zh, RenderOptions()).value)
    sec = root.find("body/sec[@id='sec-1']")
    assert [c.tag for c in sec][:2] == ["label", "title"]
    assert sec.findtext("label") == "1" and sec.findtext("title") == "引言"
    wrap = root.find(".//table-wrap")
    assert wrap.get("id") == "tab-1" and wrap.find("table").get("id") is None
    assert wrap.findtext("label") == "表1" and wrap.findtext("caption/title") == "主流图像识别模型比较"


def test_a_citation_range_names_every_entry(rich_doc_zh: Document) -> None:
    root = parse(jats.render(rich_doc_zh, RenderOptions()).value)
    ranged = [x for x in root.iter("xref") if x.text == "3-5"]
    assert ranged and all(x.get("rid") == "ref-3 ref-4 ref-5" for x in ranged)


def test_no_empty_journal_meta(rich_doc_zh: Document) -> None:
    root = parse(jats.render(rich_doc_zh, RenderOptions()).value)
    assert root.find("front/journal-meta") is None
