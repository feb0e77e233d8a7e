"""JATS: pandoc's Journal Publishing (blue) JATS from the shared AST, finished with lxml.

Pandoc writes the body, the front matter and `<xref ref-type="bibr" rid="ref-N">` for the
citations; it leaves the reference list as paragraphs. We replace those with one
`<ref id="ref-N"><label>N</label><mixed-citation>…</mixed-citation></ref>` per entry, built
from the model (never from markup), set `xml:lang`, and drop any link target that is not
http(s) or mailto. Numbers become labels: a section's number moves from its title to
`<label>`, a table's to the `<label>` of its `<table-wrap id="tab-N">`; a citation range
`13-15` is one xref whose `rid` names every entry of it.

The record does not know its journal. Given one (`RenderOptions.journal`, from
`publish --journal FILE`), the article is Journal Publishing 1.3 with a `<journal-meta>` of
real values; without one there is nothing true to put in the `<journal-id>` and `<issn>` that
DTD requires, so the article declares the Archiving and Interchange 1.3 DTD, which allows the
`<journal-meta>` to be left out. Either way no empty metadata element is written.
tests/render/test_jats_dtd.py validates every sample against the Publishing 1.3 DTD.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from publisher.errors import RenderError
from publisher.model import Document, Reference, table_label
from publisher.render import Output, RenderOptions
from publisher.render.journal import Journal
from publisher.render.notes import Notes, clean_text, illegal_characters
from publisher.render.pandoc_ast import meta_inlines, node, to_pandoc
from publisher.render.pandoc_run import run_pandoc
from publisher.result import Result
from publisher.urls import safe_url

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGES = {"zh": "zh", "en": "en"}
ARTICLE_TYPE = "review-article"  # every callback record is a literature review
DTD_VERSION = "1.3"
PUBLISHING = (
    "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN",
    "https://jats.nlm.nih.gov/publishing/1.3/JATS-journalpublishing1-3.dtd",
)
ARCHIVING = (
    "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.3 20210610//EN",
    "https://jats.nlm.nih.gov/archiving/1.3/JATS-archivearticle1-3.dtd",
)


def _jats_meta(ast: dict[str, Any], doc: Document) -> dict[str, Any]:
    """Pandoc's JATS template reads keywords from `tags` and the type from `article.type`."""
    meta = dict(ast["meta"])
    if doc.keywords:
        meta["tags"] = node("MetaList", [meta_inlines(k) for k in doc.keywords])
    meta["article"] = node("MetaMap", {"type": node("MetaString", ARTICLE_TYPE)})
    return {**ast, "meta": meta}


def _parse(xml: bytes) -> etree._ElementTree:
    # The DOCTYPE names the JATS DTD; it is never fetched or expanded. huge_tree: a record may
    # hold a paragraph of more than 10 MB without a break, past libxml2's default limit for one
    # text node ("text node too long"); with no entities resolved it lifts only the size limits.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        return etree.fromstring(xml, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        raise RenderError(f"pandoc wrote JATS that is not well-formed XML: {exc}") from None


def _ref(ref: Reference, indent: str) -> etree._Element:
    """`<ref id="ref-N"><label>N</label><mixed-citation>text</mixed-citation></ref>`."""
    element = etree.Element("ref", id=ref.anchor())
    element.text = indent + "  "
    label = etree.SubElement(element, "label")
    label.text = str(ref.number)
    label.tail = indent + "  "
    citation = etree.SubElement(element, "mixed-citation")
    citation.text = clean_text(ref.text.strip())
    citation.tail = indent
    return element


def _ref_list(root: etree._Element, doc: Document) -> None:
    """Replace the paragraphs pandoc put in <ref-list> with one <ref> per cited entry."""
    refs = [r for r in doc.references if r.cited]
    ref_list = root.find("back/ref-list")
    if not refs:
        return
    if ref_list is None:
        back = root.find("back")
        if back is None:
            back = etree.SubElement(root, "back")
        ref_list = etree.SubElement(back, "ref-list")
        title = etree.SubElement(ref_list, "title")
        title.text = doc.labels()["references"]
    for child in list(ref_list):
        if child.tag != "title":
            ref_list.remove(child)
    indent = "\n  "
    ref_list.text = indent
    for child in ref_list:
        child.tail = indent
    for k, ref in enumerate(refs):
        element = _ref(ref, indent)
        element.tail = indent if k < len(refs) - 1 else "\n"
        ref_list.append(element)


def _section_labels(root: etree._Element) -> None:
    """`<title><named-content content-type="section-number">2.1</named-content> T</title>`
    -> `<label>2.1</label><title>T</title>`."""
    for number in root.xpath("//sec/title/named-content[@content-type='section-number']"):
        title = number.getparent()
        label = etree.Element("label")
        label.text = number.text
        label.tail = title.getparent().text
        title.addprevious(label)
        title.text = (title.text or "") + (number.tail or "").lstrip()
        title.remove(number)


def _table_labels(root: etree._Element, doc: Document) -> None:
    """`<table-wrap id="tab-N"><label>表N</label><caption><title>T</title></caption>`."""
    for wrap in root.iter("table-wrap"):
        table = wrap.find("table")
        number = wrap.find("caption/p/named-content[@content-type='table-number']")
        if table is not None and table.get("id"):
            wrap.set("id", table.attrib.pop("id"))
        if number is None:
            continue
        paragraph = number.getparent()
        caption = paragraph.getparent()
        label = etree.Element("label")
        label.text = table_label(doc.language, int(number.text or 0))
        label.tail = wrap.text
        caption.addprevious(label)
        paragraph.tag = "title"
        paragraph.text = (number.tail or "").lstrip("\u3000 ")
        paragraph.remove(number)
        if not paragraph.text and not len(paragraph):
            caption.getparent().remove(caption)


def _citation_ranges(root: etree._Element) -> None:
    """`<xref rid="ref-13">13-15</xref>` names all of 13, 14 and 15."""
    for xref in root.xpath("//xref[@ref-type='bibr']"):
        first, dash, last = (xref.text or "").partition("-")
        if dash and first.isdigit() and last.isdigit():
            xref.set("rid", " ".join(f"ref-{n}" for n in range(int(first), int(last) + 1)))


def _journal_meta(root: etree._Element, journal: Journal | None) -> None:
    """Pandoc's `<journal-meta>` (empty: it was given no journal) is replaced by the
    configured journal's, or left out."""
    front = root.find("front")
    for meta in root.xpath("front/journal-meta"):
        front.remove(meta)
    if journal is None or front is None:
        return
    meta = etree.Element("journal-meta")
    etree.SubElement(meta, "journal-id", {"journal-id-type": "publisher-id"}).text = journal.id
    if journal.title:
        group = etree.SubElement(meta, "journal-title-group")
        etree.SubElement(group, "journal-title").text = journal.title
    etree.SubElement(meta, "issn", {"publication-format": journal.issn_format}).text = journal.issn
    if journal.publisher:
        publisher = etree.SubElement(meta, "publisher")
        etree.SubElement(publisher, "publisher-name").text = journal.publisher
    for element in meta.iter():
        element.text = "\n" if len(element) else clean_text(element.text or "")
        element.tail = "\n"
    front.insert(0, meta)


def _no_empty_metadata(root: etree._Element) -> None:
    """Elements of the front matter with no text, no children and no attributes (pandoc's
    `<permissions>` when there is no licence) are left out, innermost first."""
    for element in reversed(list(root.iterfind("front//*"))):
        if not len(element) and not (element.text or "").strip() and not element.attrib:
            element.getparent().remove(element)


def _unlink_unsafe(root: etree._Element) -> None:
    """An <ext-link> to anything but http(s)/mailto becomes its plain text."""
    for link in root.iter("ext-link"):
        if safe_url(link.get(XLINK_HREF, "")) is None:
            link.tag = "named-content"
            link.attrib.clear()
            link.set("content-type", "unlinked")


def render(doc: Document, options: RenderOptions) -> Result[Output]:
    notes = Notes("jats")
    data = _render(doc, options, notes)
    return Result(data, illegal_characters(doc, "jats") + notes.messages)


def _render(doc: Document, options: RenderOptions, notes: Notes) -> bytes:
    ast = _jats_meta(to_pandoc(doc, options, "jats", notes), doc)
    xml = run_pandoc(
        ast,
        "jats_publishing",
        ["--standalone", "--wrap=none"],
        timeout=options.timeout,
        source=doc.metadata.source,
    )
    tree = _parse(xml)
    root = tree.getroot()
    root.set(XML_LANG, LANGUAGES[doc.language])
    root.set("dtd-version", DTD_VERSION)
    _ref_list(root, doc)
    _section_labels(root)
    _table_labels(root, doc)
    _citation_ranges(root)
    _no_empty_metadata(root)
    _journal_meta(root, options.journal)
    _unlink_unsafe(root)
    public_id, system_url = PUBLISHING if options.journal is not None else ARCHIVING
    doctype = f'<!DOCTYPE article PUBLIC "{public_id}" "{system_url}">'
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8", doctype=doctype) + b"\n"
