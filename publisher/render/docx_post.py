"""What pandoc's docx writer cannot say, added to its output with lxml: a chain of named steps.

Each step takes the parsed package and the model and changes one thing; they run in the
order of POST_STEPS. All text a step adds comes from the model and is set as element text,
so lxml escapes it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from lxml import etree

from publisher.model import Document
from publisher.render import RenderOptions
from publisher.render.ooxml import (
    PPR_ORDER,
    SETTINGS_ORDER,
    TBLPR_ORDER,
    TCPR_ORDER,
    TRPR_ORDER,
    Package,
    child,
    field_runs,
    put,
    qn,
    w,
    xpath,
)
from publisher.render.pandoc_ast import LANG_TAGS

TEXT_WIDTH = 11906 - 2 * 1800  # A4 minus the reference.docx margins, twentieths of a point
RULE_THICK = {"val": "single", "sz": "12", "space": "0", "color": "000000"}  # 1.5 pt
RULE_THIN = {"val": "single", "sz": "6", "space": "0", "color": "000000"}  # 0.75 pt
TABLE_RULES = {"top": RULE_THICK, "left": {"val": "nil"}, "bottom": RULE_THICK, "right": {"val": "nil"}}
TABLE_RULES |= {"insideH": {"val": "nil"}, "insideV": {"val": "nil"}}
SEQ_NAMES = {"zh": "表", "en": "Table"}  # Word's caption label, what Insert Caption would use
KEEP_TABLE_ROWS = 15  # a table this short never breaks across pages
CENTERED_CELLS = {"zh"}  # Chinese 三线表 centre every cell; English tables read left-aligned
SPACED_AFTER_TABLE = {"BodyText", "FirstParagraph", "Compact", "SourceCode", "BlockText"}
TOC_LEVELS = 3
# English typography: bold headings, no indent on the paragraph right after a heading.
ENGLISH_BOLD = ("Title", "Heading1", "Heading2", "Heading3", "Heading4", "Heading5", "Heading6")
CORE = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}

Step = Callable[[Package, Document, RenderOptions], None]


# --------------------------------------------------------------------------- citations, captions
def plain_citation_links(pkg: Package, doc: Document, options: RenderOptions) -> None:
    """Citation numbers stay hyperlinks but read as black superscript, not blue underline."""
    for style in xpath(pkg.body, ".//w:hyperlink[starts-with(@w:anchor, 'ref-')]/w:r/w:rPr/w:rStyle"):
        style.getparent().remove(style)


def caption_fields(pkg: Package, doc: Document, options: RenderOptions) -> None:
    """`表1　标题`: the number becomes `SEQ 表 \\* ARABIC` with the model's number cached."""
    name = SEQ_NAMES[doc.language]
    for run in xpath(pkg.body, ".//w:p/w:r[w:rPr/w:rStyle/@w:val='TableNumber']"):
        number = "".join(run.itertext())
        rpr = child(run, "rPr")
        for marker in rpr.findall(qn("w:rStyle")):
            rpr.remove(marker)
        for new in field_runs(f"SEQ {name} \\* ARABIC", number, rpr if len(rpr) else None):
            run.addprevious(new)
        run.getparent().remove(run)


# --------------------------------------------------------------------------- tables
def three_line_tables(pkg: Package, doc: Document, options: RenderOptions) -> None:
    """三线表: thick rules above and below, a thin rule under the header, nothing vertical."""
    for table in xpath(pkg.body, ".//w:tbl"):
        tblpr = child(table, "tblPr")
        put(tblpr, w("tblW", {"type": "pct", "w": "5000"}), TBLPR_ORDER)
        put(tblpr, w("jc", {"val": "center"}), TBLPR_ORDER)
        put(tblpr, w("tblBorders", None, *(w(side, a) for side, a in TABLE_RULES.items())), TBLPR_ORDER)
        grid = xpath(table, "w:tblGrid/w:gridCol")
        widths = [int(col.get(qn("w:w"), "1")) for col in grid]
        for col, width in zip(grid, widths, strict=True):
            # pandoc sizes the grid for its own page: keep the proportions, fill our A4 line
            col.set(qn("w:w"), str(TEXT_WIDTH * width // max(sum(widths), 1)))
        for tcpr in xpath(table, "w:tr[w:trPr/w:tblHeader]/w:tc/w:tcPr"):
            put(tcpr, w("tcBorders", None, w("bottom", RULE_THIN)), TCPR_ORDER)
        for style in xpath(table, ".//w:p/w:pPr/w:pStyle[@w:val='Compact']"):
            style.set(qn("w:val"), "TableText")
        if doc.language in CENTERED_CELLS:
            for ppr in xpath(table, "w:tr/w:tc/w:p/w:pPr"):
                put(ppr, w("jc", {"val": "center"}), PPR_ORDER)
        _keep_together(table)
        _space_after(table)


def _keep_together(table: etree._Element) -> None:
    """No row splits across pages, and a short table moves to the next page whole (Word
    keeps a paragraph marked keepNext with the next one, row after row)."""
    rows = xpath(table, "w:tr")
    for row in rows:
        put(child(row, "trPr"), w("cantSplit"), TRPR_ORDER)
    if len(rows) <= KEEP_TABLE_ROWS:
        for ppr in [p for row in rows[:-1] for p in xpath(row, "w:tc/w:p/w:pPr")]:
            put(ppr, w("keepNext"), PPR_ORDER)


def _space_after(table: etree._Element) -> None:
    """Word puts no space below a table: give the body paragraph that follows some air."""
    following = table.getnext()
    while following is not None and following.tag == qn("w:bookmarkEnd"):
        following = following.getnext()
    if following is None or following.tag != qn("w:p"):
        return
    style = xpath(following, "w:pPr/w:pStyle/@w:val")
    if style and style[0] not in SPACED_AFTER_TABLE:
        return  # headings and captions bring their own space
    put(child(following, "pPr"), w("spacing", {"before": "180"}), PPR_ORDER)


# --------------------------------------------------------------------------- references
def bibliography_tabs(pkg: Package, doc: Document, options: RenderOptions) -> None:
    """`[n]` then a real tab, which Word stops at the hanging indent: entries line up.
    (pandoc_ast turns every tab of the record into a space, so each tab here is ours.)"""
    for text in xpath(pkg.body, ".//w:p[w:pPr/w:pStyle/@w:val='Bibliography']/w:r/w:t[contains(., '\t')]"):
        pieces = (text.text or "").split("\t")
        replacement: list[etree._Element] = []
        for k, piece in enumerate(pieces):
            if k:
                replacement.append(w("tab"))
            if piece:
                replacement.append(w("t", None, text=piece))
        for new in replacement:
            text.addprevious(new)
        text.getparent().remove(text)


# --------------------------------------------------------------------------- table of contents
def table_of_contents(pkg: Package, doc: Document, options: RenderOptions) -> None:
    """A real TOC field after the keywords; its cached result lists the headings, and Word
    adds page numbers when it updates the field on open."""
    if not options.toc:
        return
    labels = doc.labels()
    entries = [
        (s.level, f"{s.number} {s.title}".strip(), s.anchor())
        for s in doc.walk_sections()
        if s.level <= TOC_LEVELS
    ]
    if any(r.cited for r in doc.references):
        entries.append((1, labels["references"], "references"))
    heading = w(
        "p",
        None,
        w("pPr", None, w("pStyle", {"val": "TOCHeading"})),
        w("r", None, w("t", None, text=labels["contents"])),
    )
    paragraphs = []
    for level, text, anchor in entries or [(1, "", "")]:
        p = w("p", None, w("pPr", None, w("pStyle", {"val": f"TOC{level}"})))
        if anchor:
            p.append(
                w("hyperlink", {"anchor": anchor, "history": "1"}, w("r", None, w("t", None, text=text)))
            )
        paragraphs.append(p)
    begin, instruction, separate, _, end = field_runs('TOC \\o "1-3" \\h \\z \\u', "")
    paragraphs[0][1:1] = [begin, instruction, separate]  # right after the first pPr
    paragraphs[-1].append(end)
    gallery = w("docPartObj", None, w("docPartGallery", {"val": "Table of Contents"}), w("docPartUnique"))
    sdt = w("sdt", None, w("sdtPr", None, gallery), w("sdtContent", None, heading, *paragraphs))
    front = _front_matter_end(pkg.body)
    if front is None:
        pkg.body.insert(0, sdt)
    else:
        front.addnext(sdt)
    put(pkg.xml("word/settings.xml"), w("updateFields", {"val": "true"}), SETTINGS_ORDER)


def _front_matter_end(body: etree._Element) -> etree._Element | None:
    """The last element of title, abstract and keywords (with the bookmarkEnd closing them)."""
    front = xpath(body, "w:p[w:pPr/w:pStyle[@w:val='Title' or @w:val='Abstract' or @w:val='Keywords']]")
    if not front:
        return None
    last = front[-1]
    while last.getnext() is not None and last.getnext().tag == qn("w:bookmarkEnd"):
        last = last.getnext()
    return last


# --------------------------------------------------------------------------- language, properties
def language(pkg: Package, doc: Document, options: RenderOptions) -> None:
    """Proofing and East Asian language for the whole document, and English typography."""
    styles, settings = pkg.xml("word/styles.xml"), pkg.xml("word/settings.xml")
    for el in xpath(styles, "w:docDefaults/w:rPrDefault/w:rPr/w:lang") + xpath(settings, "w:themeFontLang"):
        el.set(qn("w:val"), "en-US")
        el.set(qn("w:eastAsia"), LANG_TAGS[doc.language])
    if doc.language == "en":
        for b in xpath(styles, " | ".join(f"w:style[@w:styleId='{s}']/w:rPr/w:b" for s in ENGLISH_BOLD)):
            b.set(qn("w:val"), "1")
        for ind in xpath(styles, "w:style[@w:styleId='FirstParagraph']/w:pPr/w:ind"):
            ind.set(qn("w:firstLineChars"), "0")
            ind.set(qn("w:firstLine"), "0")


def core_properties(pkg: Package, doc: Document, options: RenderOptions) -> None:
    """docProps/core.xml from the model alone: no clock, no user name."""
    root = etree.Element(f"{{{CORE['cp']}}}coreProperties", nsmap=CORE)
    stamp = w3cdtf(doc.metadata.received)
    values = [
        ("dc", "title", doc.title),
        ("dc", "subject", doc.metadata.topic),
        ("cp", "keywords", "; ".join(doc.keywords)),
        ("dc", "identifier", doc.metadata.uuid),
        ("dc", "language", LANG_TAGS[doc.language]),
        ("dcterms", "created", stamp),
        ("dcterms", "modified", stamp),
    ]
    for prefix, tag, value in values:
        if value:
            el = etree.SubElement(root, f"{{{CORE[prefix]}}}{tag}")
            el.text = value
            if prefix == "dcterms":
                el.set(f"{{{CORE['xsi']}}}type", "dcterms:W3CDTF")
    pkg.parsed["docProps/core.xml"] = root


def w3cdtf(value: str | None) -> str | None:
    """ISO 8601 -> `2025-11-21T19:18:36Z`; a time without zone is taken as written (UTC)."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


POST_STEPS: list[tuple[str, Step]] = [
    ("plain_citation_links", plain_citation_links),
    ("caption_fields", caption_fields),
    ("three_line_tables", three_line_tables),
    ("bibliography_tabs", bibliography_tabs),
    ("table_of_contents", table_of_contents),
    ("language", language),
    ("core_properties", core_properties),
]


def post_process(data: bytes, doc: Document, options: RenderOptions) -> bytes:
    pkg = Package.open(data)
    for _, step in POST_STEPS:
        step(pkg, doc, options)
    return pkg.save()
