"""Build templates/reference.docx, the style sheet pandoc's docx writer copies.

    .venv/bin/python scripts/build_reference_docx.py

Starts from pandoc's own reference.docx (so every style pandoc names exists) and rewrites
the styles a Chinese journal editor looks at: 宋体/黑体 for Chinese through `w:eastAsia`,
Times New Roman for Latin, 五号 body with a two-character first-line indent, bold headings
(as in the PDF), A4 pages with the page number in the footer, a font table that names 宋体
and 黑体 with their Latin names so that a reader without them picks a good substitute. The
output is deterministic: run it twice, get the same file.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docx.oxml import OxmlElement, parse_xml  # noqa: E402
from docx.oxml.ns import nsmap as NS  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from publisher.render.docx_xml import deterministic_zip, el, read_zip  # noqa: E402
from publisher.render.pandoc_run import pandoc_path  # noqa: E402

OUTPUT = ROOT / "templates" / "reference.docx"


def w(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element, text: str | None = None) -> etree._Element:
    return el(f"w:{tag}", attrs, *children, text=text)


def parse(data: bytes) -> etree._Element:
    return parse_xml(data)


def xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

SONG, HEI, LATIN, MONO = "宋体", "黑体", "Times New Roman", "Courier New"
TEXT_WIDTH = 11906 - 2 * 1800  # A4 width minus the side margins, in twentieths of a point
CHARS_2 = 420  # two 五号 characters in twips: the Chinese first-line indent


@dataclass
class Style:
    """One style, all its formatting written out (nothing inherited from pandoc's theme)."""

    name: str
    kind: str = "paragraph"
    based_on: str | None = "Normal"
    east: str = SONG
    latin: str = LATIN
    pt: float = 10.5
    bold: bool = False
    align: str | None = None  # left, center, both
    first_line: bool = False  # two-character indent
    left: int = 0
    hanging: int = 0
    before: int = 0
    after: int = 0
    line: int = 240  # 240 = single
    exact: bool = False  # `line` in twentieths of a point, whatever the font (as the PDF's leading)
    keep_next: bool = False
    outline: int | None = None
    extra_ppr: list[etree._Element] = field(default_factory=list)

    def ppr(self) -> etree._Element:
        ppr = w("pPr")
        if self.keep_next:
            ppr.append(w("keepNext"))
        ppr.extend(self.extra_ppr)
        ppr.append(
            w(
                "spacing",
                {
                    "before": str(self.before),
                    "after": str(self.after),
                    "line": str(self.line),
                    "lineRule": "exact" if self.exact else "auto",
                },
            )
        )
        ind = {"left": str(self.left), "right": "0"}
        if self.first_line:
            ind |= {"firstLineChars": "200", "firstLine": str(CHARS_2)}
        elif self.hanging:
            ind |= {"hanging": str(self.hanging)}
        else:
            ind |= {"firstLineChars": "0", "firstLine": "0"}
        ppr.append(w("ind", ind))
        if self.align:
            ppr.append(w("jc", {"val": self.align}))
        if self.outline is not None:
            ppr.append(w("outlineLvl", {"val": str(self.outline)}))
        return ppr

    def rpr(self) -> etree._Element:
        rpr = w("rPr", None, fonts(self.east, self.latin))
        rpr.append(w("b", {"val": "1" if self.bold else "0"}))
        rpr.append(w("bCs", {"val": "1" if self.bold else "0"}))
        rpr.append(w("color", {"val": "000000"}))
        half = str(round(self.pt * 2))
        rpr.extend([w("sz", {"val": half}), w("szCs", {"val": half})])
        return rpr


def fonts(east: str, latin: str) -> etree._Element:
    return w("rFonts", {"ascii": latin, "hAnsi": latin, "cs": latin, "eastAsia": east})


def heading(level: int, pt: float, before: int, after: int) -> Style:
    return Style(
        f"heading {level}",
        east=HEI,
        bold=level <= 4,  # as the PDF: bold sans headings; levels 5 and 6 regular
        pt=pt,
        before=before,
        after=after,
        line=300,
        keep_next=True,
        outline=level - 1,
    )


def toc(level: int) -> Style:
    tabs = w("tabs", None, w("tab", {"val": "right", "leader": "dot", "pos": str(TEXT_WIDTH)}))
    return Style(f"toc {level}", left=(level - 1) * CHARS_2, after=60, line=300, extra_ppr=[tabs])


# 18 pt from line to line, as the PDF sets 五号 text (docx_post sets English to 11 pt on 15 pt)
BODY = {"align": "both", "first_line": True, "line": 360, "exact": True}
STYLES: dict[str, Style] = {
    "Normal": Style("Normal", based_on=None),
    "BodyText": Style("Body Text", **BODY),  # type: ignore[arg-type]
    "FirstParagraph": Style("First Paragraph", based_on="BodyText", **BODY),  # type: ignore[arg-type]
    "Compact": Style("Compact", line=300, after=40),
    "TableText": Style("Table Text", pt=9, line=240, before=40, after=40),
    "SourceCode": Style("Source Code", latin=MONO, pt=9, left=CHARS_2, line=240, before=60, after=120),
    "Title": Style(
        "Title", east=HEI, pt=18, bold=True, align="center", before=240, after=360, line=300, keep_next=True
    ),
    "Subtitle": Style("Subtitle", east=HEI, pt=14, align="center", after=240),
    "Author": Style("Author", align="center", after=120),
    "Date": Style("Date", align="center", after=120),
    "AbstractTitle": Style("Abstract Title", east=HEI, pt=10.5, align="center", after=60, keep_next=True),
    "Abstract": Style("Abstract", pt=9, align="both", left=CHARS_2, line=300, after=60),
    "Keywords": Style("Keywords", based_on="Abstract", pt=9, align="both", left=CHARS_2, line=300, after=360),
    "Bibliography": Style("Bibliography", pt=9, align="left", left=480, hanging=480, line=276, after=40),
    "Heading1": heading(1, 14, 360, 180),
    "Heading2": heading(2, 12, 240, 120),
    "Heading3": heading(3, 10.5, 180, 60),
    "Heading4": heading(4, 10.5, 120, 60),
    "Heading5": heading(5, 10.5, 120, 60),
    "Heading6": heading(6, 10.5, 120, 60),
    "BlockText": Style("Block Text", align="both", left=CHARS_2 * 2, line=300, before=60, after=60),
    "Caption": Style("Caption", east=HEI, pt=9, align="center", before=120, after=60, keep_next=True),
    "TableCaption": Style(
        "Table Caption",
        based_on="Caption",
        east=HEI,
        pt=9,
        align="center",
        before=180,
        after=60,
        keep_next=True,
    ),
    "ImageCaption": Style(
        "Image Caption", based_on="Caption", east=HEI, pt=9, align="center", before=60, after=180
    ),
    "TOCHeading": Style(
        "TOC Heading", east=HEI, pt=14, align="center", before=240, after=240, keep_next=True
    ),
    "TOC1": toc(1),
    "TOC2": toc(2),
    "TOC3": toc(3),
    "Footer": Style("footer", pt=9, align="center"),
    # the running title, as in the PDF: small, grey, centred over a thin rule
    "Header": Style(
        "header",
        pt=8,
        align="center",
        extra_ppr=[w("pBdr", None, w("bottom", {"val": "single", "sz": "4", "space": "1", "color": "787878"}))],
    ),
}
# Character styles: their run properties (none for the marker pandoc leaves on table numbers).
CHAR_STYLES: dict[str, tuple[str, list[etree._Element]]] = {
    "VerbatimChar": ("Verbatim Char", [fonts(SONG, MONO), w("sz", {"val": "19"}), w("szCs", {"val": "19"})]),
    "TableNumber": ("Table Number", []),
    "TableReference": ("Table Reference", []),  # "表1" in the text; docx_post makes it a REF field
}


def rebuild_style(styles: etree._Element, style_id: str, spec: Style) -> None:
    old = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
    el = w("style", {"type": spec.kind, "styleId": style_id}, w("name", {"val": spec.name}))
    if spec.based_on:
        el.append(w("basedOn", {"val": spec.based_on}))
    if spec.name.startswith("heading") or style_id in {"Title", "Abstract", "Bibliography"}:
        el.append(w("next", {"val": "BodyText"}))
    el.append(w("uiPriority", {"val": "9" if spec.outline is not None else "1"}))
    el.append(w("qFormat"))
    el.extend([spec.ppr(), spec.rpr()])
    if old is None:
        styles.append(el)
    else:
        old.addprevious(el)
        styles.remove(old)


def char_style(styles: etree._Element, style_id: str, name: str, rpr: list[etree._Element]) -> None:
    old = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
    el = w("style", {"type": "character", "customStyle": "1", "styleId": style_id}, w("name", {"val": name}))
    el.append(w("basedOn", {"val": "DefaultParagraphFont"}))
    el.append(w("rPr", None, *rpr))
    if old is not None:
        styles.remove(old)
    styles.append(el)


def three_line_table_style(styles: etree._Element) -> None:
    """The `Table` style as a 三线表; docx.py also writes the borders on each table directly."""
    table = styles.find("w:style[@w:styleId='Table']", NS)
    assert table is not None
    for child in list(table):
        if child.tag in {qn("w:tblPr"), qn("w:tblStylePr"), qn("w:rPr"), qn("w:pPr")}:
            table.remove(child)
    thick, none = {"val": "single", "sz": "12", "space": "0", "color": "000000"}, {"val": "nil"}
    borders = w(
        "tblBorders",
        None,
        *(
            w(side, thick if side in ("top", "bottom") else none)
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        ),
    )
    table.append(w("tblPr", None, w("jc", {"val": "center"}), borders))
    thin = {"val": "single", "sz": "6", "space": "0", "color": "000000"}
    table.append(
        w("tblStylePr", {"type": "firstRow"}, w("tcPr", None, w("tcBorders", None, w("bottom", thin))))
    )


def table_normal(styles: etree._Element) -> None:
    """Word's default table style, which the `Table` style is based on; pandoc's file lacks it."""
    if styles.find("w:style[@w:styleId='TableNormal']", NS) is not None:
        return
    margins = w(
        "tblCellMar",
        None,
        *(w(side, {"w": "0" if side in ("top", "bottom") else "108", "type": "dxa"}) for side in ("top", "left", "bottom", "right")),
    )
    style = w(
        "style",
        {"type": "table", "default": "1", "styleId": "TableNormal"},
        w("name", {"val": "Normal Table"}),
        w("uiPriority", {"val": "99"}),
        w("semiHidden"),
        w("unhideWhenUsed"),
        w("tblPr", None, w("tblInd", {"w": "0", "type": "dxa"}), margins),
    )
    table = styles.find("w:style[@w:styleId='Table']", NS)
    assert table is not None
    table.addprevious(style)


# The fonts the styles name, with their alternative names and classification, so that a reader
# without 宋体/黑体 substitutes a serif and a sans CJK face (values as Word writes them).
FONTS = {
    SONG: ("SimSun", "02010600030101010101", "86", "auto", "variable"),
    HEI: ("SimHei", "02010609060101010101", "86", "modern", "fixed"),
    LATIN: (None, "02020603050405020304", "00", "roman", "variable"),
    MONO: (None, "02070309020205020404", "00", "modern", "fixed"),
}


def font_table() -> bytes:
    root = OxmlElement("w:fonts", nsdecls={"w": NS["w"], "r": NS["r"]})
    for name, (alt, panose, charset, family, pitch) in FONTS.items():
        font = w("font", {"name": name})
        if alt:
            font.append(w("altName", {"val": alt}))
        font.extend([w("panose1", {"val": panose}), w("charset", {"val": charset})])
        font.extend([w("family", {"val": family}), w("pitch", {"val": pitch})])
        root.append(font)
    return xml_bytes(root)


def strip_theme(styles: etree._Element) -> None:
    """Theme fonts and colours would override our explicit fonts: drop them everywhere."""
    for rfonts in styles.iter(qn("w:rFonts")):
        for key in list(rfonts.attrib):
            if key.endswith("Theme") or key.endswith("theme"):
                del rfonts.attrib[key]
    for color in styles.iter(qn("w:color")):
        for key in [k for k in color.attrib if "theme" in k.lower()]:
            del color.attrib[key]


def doc_defaults(styles: etree._Element) -> None:
    defaults = styles.find(qn("w:docDefaults"))
    assert defaults is not None
    defaults.clear()
    rpr = w(
        "rPr",
        None,
        fonts(SONG, LATIN),
        w("sz", {"val": "21"}),
        w("szCs", {"val": "21"}),
        w("lang", {"val": "en-US", "eastAsia": "zh-CN", "bidi": "ar-SA"}),
    )
    defaults.append(w("rPrDefault", None, rpr))
    defaults.append(
        w("pPrDefault", None, w("pPr", None, w("spacing", {"after": "0", "line": "240", "lineRule": "auto"})))
    )


FOOTER = (
    b'<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>'
    b'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    b'<w:r><w:instrText xml:space="preserve"> PAGE \\* MERGEFORMAT </w:instrText></w:r>'
    b'<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    b"<w:r><w:t>1</w:t></w:r>"
    b'<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    b"</w:p></w:ftr>"
)
FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
FOOTER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def page_setup(members: dict[str, bytes]) -> None:
    """A4, Word's Chinese default margins, the page number centred in the footer."""
    members["word/footer1.xml"] = FOOTER
    rels = parse(members["word/_rels/document.xml.rels"])
    etree.SubElement(
        rels, f"{{{REL_NS}}}Relationship", Id="rIdFooter1", Type=FOOTER_REL, Target="footer1.xml"
    )
    members["word/_rels/document.xml.rels"] = xml_bytes(rels)
    types = parse(members["[Content_Types].xml"])
    etree.SubElement(types, f"{{{CT_NS}}}Override", PartName="/word/footer1.xml", ContentType=FOOTER_TYPE)
    members["[Content_Types].xml"] = xml_bytes(types)

    document = parse(members["word/document.xml"])
    body = document.find(qn("w:body"))
    assert body is not None
    for old in body.findall(qn("w:sectPr")):
        body.remove(old)
    sect = w("sectPr", None, w("footerReference", {"type": "default", "r:id": "rIdFooter1"}))
    sect.append(w("pgSz", {"w": "11906", "h": "16838"}))
    margins = {
        "top": "1440",
        "right": "1800",
        "bottom": "1440",
        "left": "1800",
        "header": "851",
        "footer": "992",
        "gutter": "0",
    }
    sect.append(w("pgMar", margins))
    body.append(sect)
    members["word/document.xml"] = xml_bytes(document)


def settings(members: dict[str, bytes]) -> None:
    root = parse(members["word/settings.xml"])
    lang = root.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    members["word/settings.xml"] = xml_bytes(root)


def build() -> bytes:
    default = subprocess.run(
        [pandoc_path(), "--print-default-data-file", "reference.docx"], capture_output=True, check=True
    ).stdout
    members = read_zip(default)
    styles = parse(members["word/styles.xml"])
    strip_theme(styles)
    doc_defaults(styles)
    for style_id, spec in STYLES.items():
        rebuild_style(styles, style_id, spec)
    for style_id, (name, rpr) in CHAR_STYLES.items():
        char_style(styles, style_id, name, rpr)
    three_line_table_style(styles)
    table_normal(styles)
    members["word/styles.xml"] = xml_bytes(styles)
    members["word/fontTable.xml"] = font_table()
    page_setup(members)
    settings(members)
    return deterministic_zip(members)


if __name__ == "__main__":
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(build())
    sys.stdout.write(f"wrote {OUTPUT.relative_to(ROOT)}\n")
