"""What python-docx leaves to its users, for the DOCX writer and the reference.docx builder.

python-docx parses the package, gives every part its proxy (document, styles, settings,
sections, core properties) and builds elements (`OxmlElement`, `qn`). It has no element
classes for some properties we set (table borders, `cantSplit`, `tcBorders`, `compat`), so
their place in the schema order is written here; and its zip writer stamps the clock, so
`deterministic_zip` rewrites the archive with fixed dates and a fixed member order.
"""

from __future__ import annotations

import copy
import io
import zipfile

import docx.oxml.parser
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

# A record may hold a paragraph of more than 10 MB without a break, past libxml2's default
# limit for one text node: python-docx's own parser, otherwise the same, gets huge_tree.
docx.oxml.parser.oxml_parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, huge_tree=True)
docx.oxml.parser.oxml_parser.set_element_class_lookup(docx.oxml.parser.element_class_lookup)

# The earliest time a zip entry can carry; any fixed value would do.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _names(text: str) -> tuple[str, ...]:
    return tuple(f"w:{name}" for name in text.split())


# Child order (from the WordprocessingML schema) of the property elements python-docx has no
# element class for; each tuple lists what may follow the element it is named after.
AFTER: dict[str, tuple[str, ...]] = {
    "w:tblW": _names("jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption"),
    "w:tblBorders": _names("shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange"),
    "w:cantSplit": _names("trHeight tblHeader tblCellSpacing jc hidden ins del trPrChange"),
    "w:tcBorders": _names("shd noWrap tcMar textDirection tcFitText vAlign hideMark headers"),
    "w:autoHyphenation": _names(
        "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength "
        "clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting bookFoldPrinting "
        "bookFoldPrintingSheets drawingGridHorizontalSpacing drawingGridVerticalSpacing "
        "displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin "
        "drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData noPunctuationKerning "
        "characterSpacingControl printTwoOnOne strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore "
        "savePreviewPicture doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent "
        "alwaysShowPlaceholderText doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving "
        "saveThroughXslt showXMLTags alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr "
        "endnotePr compat docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping"
    ),
    "w:noLineBreaksAfter": _names(
        "noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent "
        "alwaysShowPlaceholderText doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt "
        "showXMLTags alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat "
        "docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping"
    ),
    "w:noLineBreaksBefore": _names(
        "savePreviewPicture doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent "
        "alwaysShowPlaceholderText doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt "
        "showXMLTags alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat "
        "docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping"
    ),
    "w:updateFields": _names(
        "hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr attachedSchema themeFontLang "
        "clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions "
        "readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol "
        "listSeparator"
    ),
    "w:compat": _names(
        "docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats "
        "doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType schemaLibrary "
        "shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator"
    ),
}


def el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element, text: str | None = None) -> etree._Element:
    """An element such as `el("w:jc", {"val": "center"})`; bare attribute names are `w:` ones."""
    element = OxmlElement(tag, {qn(k if ":" in k else f"w:{k}"): v for k, v in (attrs or {}).items()})
    element.extend(children)
    if text is not None:
        element.text = text
        if text != text.strip():
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def put(parent: BaseOxmlElement, new: etree._Element) -> etree._Element:
    """Set `new` as the child of its tag (replacing one there) at its place in the schema order."""
    tag = etree.QName(new).localname
    parent.remove_all(f"w:{tag}")
    return parent.insert_element_before(new, *AFTER[f"w:{tag}"])


def field_runs(instruction: str, result: str, rpr: etree._Element | None = None) -> list[etree._Element]:
    """A complex field as runs: begin, instruction, separate, the cached result, end."""

    def run(*content: etree._Element) -> etree._Element:
        return el("w:r", None, *([copy.deepcopy(rpr)] if rpr is not None else []), *content)

    return [
        run(el("w:fldChar", {"fldCharType": "begin"})),
        run(el("w:instrText", None, text=f" {instruction} ")),
        run(el("w:fldChar", {"fldCharType": "separate"})),
        run(el("w:t", None, text=result)),
        run(el("w:fldChar", {"fldCharType": "end"})),
    ]


def read_zip(data: bytes) -> dict[str, bytes]:
    """Members in archive order (dicts keep insertion order)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def deterministic_zip(members: dict[str, bytes]) -> bytes:
    """[Content_Types].xml first (Word wants it), the rest sorted, every date the same."""
    names = sorted(members, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, whatever machine wrote it
            z.writestr(info, members[name], compresslevel=6)
    return out.getvalue()
