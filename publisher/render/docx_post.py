"""What pandoc's docx writer cannot say, added through python-docx: a chain of named steps.

Each step takes the python-docx `Document` (its styles, settings, sections and core
properties, and the body through python-docx's oxml layer) and the model, and changes one
thing; they run in the order of POST_STEPS. All text a step adds comes from the model and is
set as element text, so it is escaped. `docx_xml` holds what python-docx has no API for.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime

from docx import Document as open_docx
from docx.document import Document as Docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.table import Table as DocxTable
from lxml import etree

from publisher.model import Document
from publisher.render import RenderOptions
from publisher.render.docx_review import review_marks
from publisher.render.docx_xml import deterministic_zip, el, field_runs, put, read_zip
from publisher.render.notes import clean_text, running_title
from publisher.text import LANG_TAGS

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
ENGLISH_BODY = ("Body Text", "First Paragraph")
# Word's default kinsoku lists for Simplified Chinese (cannot end / cannot start a line)
NO_BREAK_AFTER = "$(£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥"
NO_BREAK_BEFORE = "!%),.:;?]}¢°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｀｜｝～￠"
WORD_2013 = "15"  # compatibilityMode: the file is current, not opened in Compatibility Mode

Step = Callable[[Docx, Document, RenderOptions], None]


def _body(d: Docx) -> etree._Element:
    return d.element.body


def _bookmark_name(number: str) -> str:
    """Word's own cross-references point at hidden `_Ref…` bookmarks on the caption label."""
    return f"_RefTable{number}"


# --------------------------------------------------------------------------- citations, captions
def plain_citation_links(d: Docx, doc: Document, options: RenderOptions) -> None:
    """Citation numbers stay hyperlinks but read as black superscript, not blue underline."""
    for style in _body(d).xpath(".//w:hyperlink[starts-with(@w:anchor, 'ref-')]/w:r/w:rPr/w:rStyle"):
        style.getparent().remove(style)


def caption_fields(d: Docx, doc: Document, options: RenderOptions) -> None:
    """`表1　标题`: the number becomes `SEQ 表 \\* ARABIC` with the model's number cached, and
    label and number are bookmarked for the cross-references in the text."""
    name = SEQ_NAMES[doc.language]
    next_id = max((int(i) for i in _body(d).xpath(".//w:bookmarkStart/@w:id")), default=0) + 1
    for run in _body(d).xpath(".//w:p/w:r[w:rPr/w:rStyle/@w:val='TableNumber']"):
        number = "".join(run.xpath("w:t/text()"))
        rpr = run.get_or_add_rPr()
        rpr.remove_all("w:rStyle")
        fields = field_runs(f"SEQ {name} \\* ARABIC", number, rpr if len(rpr) else None)
        for new in fields:
            run.addprevious(new)
        run.getparent().remove(run)
        # label and number: from the caption's first run ("表" / "Table", " ") to the field's end
        first_run = fields[0].getparent().xpath("w:r")[0]
        first_run.addprevious(el("w:bookmarkStart", {"id": str(next_id), "name": _bookmark_name(number)}))
        fields[-1].addnext(el("w:bookmarkEnd", {"id": str(next_id)}))
        next_id += 1


def table_references(d: Docx, doc: Document, options: RenderOptions) -> None:
    """"如表1所示": the "表1" becomes `REF _RefTable1 \\h`, so Word renumbers it with the caption."""
    for run in _body(d).xpath(".//w:r[w:rPr/w:rStyle/@w:val='TableReference']"):
        text = "".join(t.text or "" for t in run.xpath("w:t"))
        number = re.search(r"\d+", text)
        rpr = run.get_or_add_rPr()
        rpr.remove_all("w:rStyle")
        if number is None:
            continue
        for new in field_runs(f"REF {_bookmark_name(number.group(0))} \\h", text, rpr if len(rpr) else None):
            run.addprevious(new)
        run.getparent().remove(run)


# --------------------------------------------------------------------------- tables
def three_line_tables(d: Docx, doc: Document, options: RenderOptions) -> None:
    """三线表: thick rules above and below, a thin rule under the header, nothing vertical."""
    for table in d.tables:
        tbl = table._tbl
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        put(tbl.tblPr, el("w:tblW", {"type": "pct", "w": "5000"}))
        put(tbl.tblPr, el("w:tblBorders", None, *(el(f"w:{side}", a) for side, a in TABLE_RULES.items())))
        grid = tbl.tblGrid.gridCol_lst
        widths = [col.w or 1 for col in grid]
        for col, width in zip(grid, widths, strict=True):
            # pandoc sizes the grid for its own page: keep the proportions, fill our A4 line
            col.w = Twips(TEXT_WIDTH * width // max(sum(widths), 1))
        for tc in tbl.xpath("w:tr[w:trPr/w:tblHeader]/w:tc"):
            put(tc.get_or_add_tcPr(), el("w:tcBorders", None, el("w:bottom", RULE_THIN)))
        for p in tbl.xpath(".//w:p[w:pPr/w:pStyle/@w:val='Compact']"):
            p.pPr.style = "TableText"
        if doc.language in CENTERED_CELLS:
            for p in tbl.xpath("w:tr/w:tc/w:p"):
                p.get_or_add_pPr().jc_val = WD_ALIGN_PARAGRAPH.CENTER
        _keep_together(table)
        _space_after(tbl)


def _keep_together(table: DocxTable) -> None:
    """No row splits across pages, and a short table moves to the next page whole (Word
    keeps a paragraph marked keepNext with the next one, row after row)."""
    rows = table._tbl.tr_lst
    for row in rows:
        put(row.get_or_add_trPr(), el("w:cantSplit"))
    if len(rows) <= KEEP_TABLE_ROWS:
        for p in [p for row in rows[:-1] for p in row.xpath("w:tc/w:p")]:
            p.get_or_add_pPr().keepNext_val = True


def _space_after(tbl: etree._Element) -> None:
    """Word puts no space below a table: give the body paragraph that follows some air."""
    following = tbl.getnext()
    while following is not None and following.tag == qn("w:bookmarkEnd"):
        following = following.getnext()
    if following is None or following.tag != qn("w:p"):
        return
    style = following.xpath("w:pPr/w:pStyle/@w:val")
    if style and style[0] not in SPACED_AFTER_TABLE:
        return  # headings and captions bring their own space
    following.get_or_add_pPr().spacing_before = Pt(9)


# --------------------------------------------------------------------------- references
def bibliography_tabs(d: Docx, doc: Document, options: RenderOptions) -> None:
    """`[n]` then a real tab, which Word stops at the hanging indent: entries line up.
    (pandoc_ast turns every tab of the record into a space, so each tab here is ours.)"""
    for text in _body(d).xpath(".//w:p[w:pPr/w:pStyle/@w:val='Bibliography']/w:r/w:t[contains(., '\t')]"):
        pieces = (text.text or "").split("\t")
        replacement: list[etree._Element] = []
        for k, piece in enumerate(pieces):
            if k:
                replacement.append(el("w:tab"))
            if piece:
                replacement.append(el("w:t", None, text=piece))
        for new in replacement:
            text.addprevious(new)
        text.getparent().remove(text)


# --------------------------------------------------------------------------- table of contents
def table_of_contents(d: Docx, doc: Document, options: RenderOptions) -> None:
    """A real TOC field after the keywords; its cached result lists the headings, and Word
    adds page numbers when it updates the field on open."""
    if not options.toc:
        return
    labels = doc.labels()
    entries = [
        (s.level, clean_text(f"{s.number} {s.title}".strip()), s.anchor())
        for s in doc.walk_sections()
        if s.level <= TOC_LEVELS
    ]
    if any(r.cited for r in doc.references):
        entries.append((1, labels["references"], "references"))

    def styled(style: str, *content: etree._Element) -> etree._Element:
        return el("w:p", None, el("w:pPr", None, el("w:pStyle", {"val": style})), *content)

    heading = styled("TOCHeading", el("w:r", None, el("w:t", None, text=labels["contents"])))
    paragraphs = []
    for level, text, anchor in entries or [(1, "", "")]:
        link = [el("w:hyperlink", {"anchor": anchor, "history": "1"}, el("w:r", None, el("w:t", None, text=text)))]
        paragraphs.append(styled(f"TOC{level}", *(link if anchor else [])))
    begin, instruction, separate, _, end = field_runs('TOC \\o "1-3" \\h \\z \\u', "")
    paragraphs[0][1:1] = [begin, instruction, separate]  # right after the first pPr
    paragraphs[-1].append(end)
    gallery = el("w:docPartObj", None, el("w:docPartGallery", {"val": "Table of Contents"}), el("w:docPartUnique"))
    sdt = el("w:sdt", None, el("w:sdtPr", None, gallery), el("w:sdtContent", None, heading, *paragraphs))
    front = _front_matter_end(_body(d))
    if front is None:
        _body(d).insert(0, sdt)
    else:
        front.addnext(sdt)
    put(d.settings.element, el("w:updateFields", {"val": "true"}))


def _front_matter_end(body: etree._Element) -> etree._Element | None:
    """The last element of title, abstract and keywords (with the bookmarkEnd closing them)."""
    front = body.xpath("w:p[w:pPr/w:pStyle[@w:val='Title' or @w:val='Abstract' or @w:val='Keywords']]")
    if not front:
        return None
    last = front[-1]
    while last.getnext() is not None and last.getnext().tag == qn("w:bookmarkEnd"):
        last = last.getnext()
    return last


# --------------------------------------------------------------------------- document settings
def language(d: Docx, doc: Document, options: RenderOptions) -> None:
    """Proofing and East Asian language for the whole document, and English typography."""
    styles, settings = d.styles.element, d.settings.element
    for lang in styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang") + settings.xpath("w:themeFontLang"):
        lang.set(qn("w:val"), LANG_TAGS["en"])
        lang.set(qn("w:eastAsia"), LANG_TAGS[doc.language])
    if doc.language == "en":
        for name in ENGLISH_BODY:  # as the PDF: 11 pt on 15 pt
            d.styles[name].font.size = Pt(11)
            d.styles[name].paragraph_format.line_spacing = Pt(15)
        # no indent on the paragraph right after a heading
        d.styles["First Paragraph"].paragraph_format.first_line_indent = 0
        for ind in styles.xpath("w:style[@w:styleId='FirstParagraph']/w:pPr/w:ind"):
            ind.attrib.pop(qn("w:firstLineChars"), None)


def compatibility(d: Docx, doc: Document, options: RenderOptions) -> None:
    """Word 2013+ layout (no Compatibility Mode banner) and hyphenation of Latin words, so that
    justified lines next to a long English term have somewhere to stretch."""
    settings = d.settings.element
    setting = {"name": "compatibilityMode", "uri": "http://schemas.microsoft.com/office/word", "val": WORD_2013}
    put(settings, el("w:compat", None, el("w:compatSetting", setting)))
    put(settings, el("w:autoHyphenation", {"val": "true"}))
    if doc.language == "zh":
        # Word's line-breaking rules for Chinese, with the citation's "[" added to the
        # characters that never start a line: a citation stays with the word before it
        put(settings, el("w:noLineBreaksAfter", {"lang": LANG_TAGS["zh"], "val": NO_BREAK_AFTER}))
        put(settings, el("w:noLineBreaksBefore", {"lang": LANG_TAGS["zh"], "val": NO_BREAK_BEFORE + "["}))


def running_header(d: Docx, doc: Document, options: RenderOptions) -> None:
    """The running title above every page but the first, as in the PDF; page numbers on all."""
    title = running_title(doc)
    if not title:
        return
    section = d.sections[-1]
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = d.styles["Header"]
    paragraph.add_run(title)
    first = section.first_page_footer
    first.is_linked_to_previous = False
    page_number = [copy.deepcopy(block) for block in section.footer._element]  # from reference.docx
    first._element.remove_all("w:p", "w:tbl")
    first._element.extend(page_number)


def core_properties(d: Docx, doc: Document, options: RenderOptions) -> None:
    """docProps/core.xml from the model alone: no clock, no user name."""
    props = d.core_properties
    for child in list(props._element):
        props._element.remove(child)
    stamp = w3cdtf(doc.metadata.received)
    values = {
        "title": doc.title,
        "subject": doc.metadata.topic,
        "keywords": "; ".join(doc.keywords),
        "identifier": doc.metadata.uuid,
        "language": LANG_TAGS[doc.language],
    }
    for name, value in values.items():
        if value and clean_text(value):
            setattr(props, name, clean_text(value))
    if stamp is not None:
        props.created = props.modified = stamp


def w3cdtf(value: str | None) -> datetime | None:
    """ISO 8601 -> an aware UTC datetime; a time without zone is taken as written (UTC)."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.astimezone(UTC) if when.tzinfo is not None else when.replace(tzinfo=UTC)


POST_STEPS: list[tuple[str, Step]] = [
    ("plain_citation_links", plain_citation_links),
    ("caption_fields", caption_fields),
    ("table_references", table_references),
    ("three_line_tables", three_line_tables),
    ("bibliography_tabs", bibliography_tabs),
    ("table_of_contents", table_of_contents),
    ("language", language),
    ("compatibility", compatibility),
    ("running_header", running_header),
    ("core_properties", core_properties),
    ("review_marks", review_marks),
]


def post_process(data: bytes, doc: Document, options: RenderOptions) -> bytes:
    d = open_docx(io.BytesIO(data))
    for _, step in POST_STEPS:
        step(d, doc, options)
    out = io.BytesIO()
    d.save(out)
    return deterministic_zip(read_zip(out.getvalue()))
