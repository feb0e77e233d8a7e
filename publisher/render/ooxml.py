"""Small OOXML helpers shared by the DOCX post-processor and the reference.docx builder.

Element construction (`w("p", ...)`), the package as parsed parts, insertion in the order
the schema requires (Word refuses a file whose property elements are out of order), complex
fields, and a zip writer that makes the same members give the same bytes.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NS = {"w": W_NS, "r": R_NS, "m": M_NS}

# The earliest time a zip entry can carry; any fixed value would do.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Child order of the property elements we edit, from the WordprocessingML schema.
PPR_ORDER = _names("""
    pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs
    suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi
    adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection
    textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange""")
TBLPR_ORDER = _names("""
    tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing
    tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange""")
TRPR_ORDER = _names("""
    cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc
    hidden ins del trPrChange""")
TCPR_ORDER = _names("""
    cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark
    headers cellIns cellDel cellMerge tcPrChange""")
# Only updateFields and what follows it: everything earlier in settings ranks before it.
SETTINGS_ORDER = _names("""
    updateFields hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr attachedSchema
    themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade
    captions readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags
    decimalSymbol listSeparator""")


def qn(name: str) -> str:
    """`w:val` -> `{namespace}val`."""
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def w(
    tag: str, attrs: dict[str, str] | None = None, *children: etree._Element, text: str | None = None
) -> etree._Element:
    """A `w:` element; attribute names without a prefix are taken to be `w:` attributes."""
    el = etree.Element(qn(f"w:{tag}"), nsmap={"w": W_NS})
    for key, value in (attrs or {}).items():
        el.set(qn(key if ":" in key else f"w:{key}"), value)
    for child in children:
        el.append(child)
    if text is not None:
        el.text = text
        if text != text.strip():
            el.set(XML_SPACE, "preserve")
    return el


def xpath(el: etree._Element, path: str) -> list[etree._Element]:
    return el.xpath(path, namespaces=NS)


def put(parent: etree._Element, new: etree._Element, order: tuple[str, ...]) -> etree._Element:
    """Set the child `new` (replacing one with the same tag) at its place in `order`."""
    for old in parent.findall(new.tag):
        parent.remove(old)
    rank = order.index(etree.QName(new).localname)
    for child in parent:
        name = etree.QName(child).localname
        if name in order and order.index(name) > rank:
            child.addprevious(new)
            return new
    parent.append(new)
    return new


def child(parent: etree._Element, tag: str, position: int = 0) -> etree._Element:
    """The `w:` child `tag` of parent, created at `position` if it is missing (pPr, trPr...)."""
    found = parent.find(qn(f"w:{tag}"))
    if found is None:
        found = w(tag)
        parent.insert(position, found)
    return found


def field_runs(instruction: str, result: str, rpr: etree._Element | None = None) -> list[etree._Element]:
    """A complex field as runs: begin, instruction, separate, the cached result, end."""

    def run(*content: etree._Element) -> etree._Element:
        r = w("r", None, *([copy.deepcopy(rpr)] if rpr is not None else []))
        r.extend(content)
        return r

    return [
        run(w("fldChar", {"fldCharType": "begin"})),
        run(w("instrText", None, text=f" {instruction} ")),
        run(w("fldChar", {"fldCharType": "separate"})),
        run(w("t", None, text=result)),
        run(w("fldChar", {"fldCharType": "end"})),
    ]


# --------------------------------------------------------------------------- package
def parse(data: bytes) -> etree._Element:
    # The parts come from pandoc, but no entity expansion or network access all the same.
    # huge_tree: a record may hold a paragraph of more than 10 MB without a break (libxml2's
    # default limit for one text node); without entities that costs only the text's memory.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.fromstring(data, parser)


def xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def read_zip(data: bytes) -> dict[str, bytes]:
    """Members in archive order (dicts keep insertion order)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def write_zip(members: dict[str, bytes]) -> bytes:
    """Deterministic archive: [Content_Types].xml first (Word wants it), the rest sorted."""
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


@dataclass
class Package:
    """A docx zip whose XML parts are parsed on first use and written back by `save`."""

    members: dict[str, bytes]
    parsed: dict[str, etree._Element] = field(default_factory=dict)

    @classmethod
    def open(cls, data: bytes) -> Package:
        return cls(read_zip(data))

    def xml(self, name: str) -> etree._Element:
        if name not in self.parsed:
            self.parsed[name] = parse(self.members[name])
        return self.parsed[name]

    @property
    def body(self) -> etree._Element:
        body = self.xml("word/document.xml").find(qn("w:body"))
        if body is None:
            raise ValueError("word/document.xml has no body")
        return body

    def save(self) -> bytes:
        for name, root in self.parsed.items():
            self.members[name] = xml_bytes(root)
        return write_zip(self.members)
