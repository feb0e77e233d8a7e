"""What pandoc cannot say in a review draft, done on the XML (a docx_post step).

- A paragraph that holds only deleted text gets its paragraph mark deleted too
  (`w:pPr/w:rPr/w:del`), so that accepting every change leaves no empty paragraph: the
  paragraph's content is gone and what follows takes its place. Word cannot delete the mark
  of a paragraph that no paragraph follows (the last one, one before a table), so such a
  paragraph's deleted runs join the paragraph before it instead.
- Revisions get ids of their own: pandoc numbers deletions from 1 as it numbers comments.
"""

from __future__ import annotations

from docx.document import Document as Docx
from docx.oxml.ns import qn
from lxml import etree

from publisher.model import Document
from publisher.render import RenderOptions
from publisher.render.docx_xml import el

REVISION_IDS = 100000  # above every comment and bookmark id pandoc and docx_post give
BOOKMARKS = {qn("w:bookmarkStart"), qn("w:bookmarkEnd")}
TEXT_TAGS = {qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:instrText"), qn("w:fldChar"), qn("w:sym")}


def review_marks(d: Docx, doc: Document, options: RenderOptions) -> None:
    if not options.review:
        return
    body = d.element.body
    for p in body.xpath(".//w:p[w:del]"):
        if _only_deleted(p):
            _delete_mark(p)
    for k, rev in enumerate(body.xpath(".//w:del | .//w:ins"), start=REVISION_IDS):
        rev.set(qn("w:id"), str(k))


def _only_deleted(p: etree._Element) -> bool:
    """No text outside `w:del` (comment marks and empty runs do not count)."""
    return not any(child.tag in TEXT_TAGS for run in p.xpath("w:r | w:hyperlink/w:r") for child in run)


def _sibling(p: etree._Element, step: str) -> etree._Element | None:
    """The next (or previous) element that is not a bookmark boundary."""
    e = getattr(p, step)()
    while e is not None and e.tag in BOOKMARKS:
        e = getattr(e, step)()
    return e


def _delete_mark(p: etree._Element) -> None:
    following = _sibling(p, "getnext")
    if following is None or following.tag != qn("w:p"):
        before = _sibling(p, "getprevious")
        if before is not None and before.tag == qn("w:p"):
            for child in [c for c in p if c.tag != qn("w:pPr")]:
                before.append(child)
            p.getparent().remove(p)
        return
    deleted = p.xpath("w:del")[0]
    stamp = {k: deleted.get(qn(f"w:{k}")) for k in ("author", "date") if deleted.get(qn(f"w:{k}"))}
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = el("w:pPr")
        p.insert(0, ppr)
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = el("w:rPr")
        ppr.append(rpr)
    rpr.append(el("w:del", {"id": "0", **stamp}))
