"""The review draft (`--review`): the report laid onto the DOCX as tracked deletions and
comments. Read back from the XML the way Word's Review pane would: accepting every change
gives exactly the normal DOCX's text; rejecting every change gives back each text the cleaning
took out of a published chapter; every report line is in a comment, in the document's language."""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

from publisher.model import Document
from publisher.pipeline import build_document
from publisher.render import RenderOptions, render
from publisher.render.anchors import TREATMENT
from publisher.render.review import REGIONS, plan_review
from publisher.render.review_text import lines_text
from tests.render.corpus import CORPUS, IDS, ROOT
from tests.render.review_xml import comments, document_xml, paragraphs

CJK = re.compile(r"[\u4e00-\u9fff]")


@cache
def drafts(path: Path) -> tuple[Document, bytes, bytes]:
    doc = build_document(path)
    normal = render(doc, "docx").value
    review = render(doc, "docx", RenderOptions(review=True)).value
    assert isinstance(normal, bytes) and isinstance(review, bytes)
    return doc, normal, review


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_accepting_every_change_gives_the_normal_docx(path: Path) -> None:
    _, normal, review = drafts(path)
    assert paragraphs(review, "accept") == paragraphs(normal, "accept")
    assert document_xml(normal).xpath("//w:del | //w:ins", namespaces={"w": W}) == []


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_rejecting_every_change_gives_back_what_cleaning_took_out(path: Path) -> None:
    doc, _, review = drafts(path)
    rejected = squeeze("".join(paragraphs(review, "reject")))
    accepted = squeeze("".join(paragraphs(review, "accept")))
    plan = plan_review(doc)
    deleted = [m for m in doc.report if m.removed and _shown_deleted(m, doc)]
    assert plan.placed.get("deleted", 0) >= len(deleted)
    for m in deleted:
        assert squeeze(m.removed or "") in rejected, (m.rule, m.line, m.removed)
    # nothing published is lost by rejecting, and rejecting adds exactly the deletions
    assert len(rejected) >= len(accepted)


def _shown_deleted(m, doc: Document) -> bool:  # type: ignore[no-untyped-def]
    """Report lines that must come back on reject: text a deletion rule took out of a
    chapter that is published (not inside material dropped whole)."""
    rule = TREATMENT.get(m.rule) == "delete" or (m.rule == "prompt-leakage" and m.line == m.end_line)
    if not rule or m.rule in REGIONS:
        return False
    regions = [r for r in doc.report if r.rule in REGIONS and r.removed and r is not m]
    return not any(r.line and m.line and r.line <= m.line <= _reach(r, doc) for r in regions)


def _reach(region, doc: Document) -> int:  # type: ignore[no-untyped-def]
    lines = [s.line for s in doc.walk_sections() if s.line] + [
        b.line for blocks in doc.block_lists() for b in blocks if getattr(b, "line", None)] + [
        r.line for r in doc.report if r.rule in REGIONS and r.removed and r.line]
    return min((n - 1 for n in lines if n > (region.end_line or 0)), default=10**9)


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_every_report_line_is_in_a_comment_in_the_documents_language(path: Path) -> None:
    doc, _, review = drafts(path)
    notes = comments(review)
    text = "\n".join(notes)
    for m in doc.report:
        where = lines_text(doc.language, m.line, m.end_line)
        assert f"{m.rule}" in text and where in text, (m.rule, where)
    plan = plan_review(doc)
    assert sum(plan.placed.values()) == len(doc.report)
    if doc.language == "zh":
        assert all(CJK.search(n) for n in notes)
    else:
        assert not any(CJK.search(n.split("\n", 1)[1]) for n in notes if "\n" in n and "Source" not in n)


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_revisions_carry_the_author_and_the_records_date(path: Path) -> None:
    doc, _, review = drafts(path)
    root = document_xml(review)
    revisions = root.xpath("//w:del", namespaces={"w": W})
    ids = [r.get(f"{{{W}}}id") for r in revisions]
    assert len(ids) == len(set(ids))
    for r in revisions:
        assert r.get(f"{{{W}}}author") == "publisher"
        if doc.metadata.received:
            assert r.get(f"{{{W}}}date", "").startswith(doc.metadata.received[:10])


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by scripts/setup --dev")
def test_libreoffice_opens_the_review_draft_and_shows_the_deletions(tmp_path: Path) -> None:
    path = ROOT / "tests/fixtures/records/zh_rich_references_review.txt"
    _, normal, review = drafts(path)
    texts = {}
    for name, data in (("normal", normal), ("review", review)):
        (tmp_path / f"{name}.docx").write_bytes(data)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), str(tmp_path / f"{name}.docx")],
                       capture_output=True, check=True, timeout=180)
        texts[name] = squeeze(subprocess.run(["pdftotext", str(tmp_path / f"{name}.pdf"), "-"], capture_output=True,
                                             check=True).stdout.decode())
    for deleted in ("好的，以下是“1引言”一章的内容：", "以上是根据要求撰写的章节内容。", "如需进一步修改，请告诉我。",
                    "未来研究需要在保证隐私的前提下提升模型的泛化能力"):
        assert deleted in texts["review"] and deleted not in texts["normal"]
    assert squeeze("通信开销与隐私攻击仍是主要挑战") in texts["normal"]


def test_removed_text_and_comments_holding_markup_stay_text(hostile_doc: Document) -> None:
    """What the report quotes comes from the record: it lands in the review draft as text,
    in the deletions and in the comments, never as markup of its own."""
    from publisher.model import Message
    from tests.render.conftest import HOSTILE

    first = hostile_doc.sections[0]
    line = 10
    first.line, first.blocks[0].line = line, line + 1  # type: ignore[union-attr]
    hostile_doc.report = [
        Message("assistant-chatter", "info", line + 2, line + 2, HOSTILE[:80], "chatter removed", HOSTILE),
        Message("truncated-ending", "warning", line + 1, line + 1, HOSTILE[:80], "cut", " tail " + HOSTILE,
                kept_before="Body"),
        Message("reasoning-tags", "info", line + 3, line + 5, HOSTILE[:80], "reasoning removed", HOSTILE),
    ]
    review = render(hostile_doc, "docx", RenderOptions(review=True)).value
    assert isinstance(review, bytes)
    root = document_xml(review)
    deleted = "".join(root.xpath("//w:delText/text()", namespaces={"w": W}))
    assert deleted.count("<w:p><w:r><w:t>INJECTED</w:t></w:r></w:p>") == 2
    assert "INJECTED" not in root.xpath("//w:t/text()", namespaces={"w": W})
    assert sum("<script>" in c for c in comments(review)) >= 1
    normal = render(hostile_doc, "docx").value
    assert paragraphs(review, "accept") == paragraphs(normal, "accept")  # type: ignore[arg-type]
