"""Reading a review draft's body text the way Word's Review pane gives it back, from the XML.

- accept: every change accepted: `w:del` dropped (and a paragraph whose mark is deleted
  joins the paragraph after it), `w:ins` kept;
- reject: every change rejected: `w:del` kept as text, `w:ins` dropped, every paragraph mark
  back.
Returns the body's paragraphs (tables' included) in document order, as text.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def document_xml(docx: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _text(p: etree._Element, mode: str) -> str:
    out: list[str] = []

    def visit(e: etree._Element) -> None:
        if e.tag == _q("del") and mode == "accept":
            return
        if e.tag == _q("ins") and mode == "reject":
            return
        if e.tag == _q("pPr"):
            return
        if e.tag == _q("t") or (e.tag == _q("delText") and mode == "reject"):
            out.append(e.text or "")
        elif e.tag == _q("tab"):
            out.append("\t")
        elif e.tag in (_q("br"), _q("cr")):
            out.append("\n")
        for child in e:
            visit(child)

    visit(p)
    return "".join(out)


def paragraphs(docx: bytes, mode: str = "accept") -> list[str]:
    body = document_xml(docx).find(_q("body"))
    out: list[str] = []
    carry = ""
    for p in body.iter(_q("p")):
        text = carry + _text(p, mode)
        carry = ""
        if mode == "accept" and p.xpath("w:pPr/w:rPr/w:del", namespaces=NS):
            carry = text  # the mark is deleted: what is left joins the next paragraph
            continue
        out.append(text)
    if carry:
        out.append(carry)
    return out


def comments(docx: bytes) -> list[str]:
    """Each comment's text (its paragraphs joined by newlines)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        if "word/comments.xml" not in z.namelist():
            return []
        root = etree.fromstring(z.read("word/comments.xml"))
    return ["\n".join(_text(p, "reject") for p in c.iter(_q("p"))) for c in root.iter(_q("comment"))]
