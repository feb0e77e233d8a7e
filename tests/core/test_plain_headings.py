"""Chapter headings written without `#` (assemble/headings.py) and a chapter worded unlike
its outline title placed by the one gap it fills (assemble/placing.py `by_place`), on
records built inline (issue 11, set 6)."""

from __future__ import annotations

import pytest

from publisher.model import Document
from publisher.pipeline import build_document
from tests.core.test_assemble import record, texts

OUTLINE = ("# Post-Quantum Migration\n## 1. Introduction\n## 2. Lattice-Based Schemes\n## 3. Hash-Based Signatures\n"
           "## 4. Conclusion\n")
SEP = "\n\n<think>\n</think>\n\n"
BODY = {
    "Introduction": "Shor's algorithm breaks RSA once a fault-tolerant machine exists [1].",
    "Lattice-Based Schemes": "Lattice schemes rest on the hardness of Learning With Errors [2].",
    "Hash-Based Signatures": "Hash-based signatures are the most conservative choice [3].",
    "Conclusion": "Crypto-agility decides whether a migration is safe.",
}


def _doc(content: str, outline: str = OUTLINE) -> Document:
    return build_document(record(outline, content), name="t.txt")


@pytest.mark.parametrize("labels", [
    ("Chapter 1", "Chapter 2", "Chapter 3", "Chapter 4"),
    ("I.", "II.", "III.", "IV."),
    ("1)", "2)", "3)", "4)"),
    ("1.", "2.", "3.", "4."),
    ("Chapter 1", "II.", "3)", "4."),
], ids=["chapter-word", "roman", "parenthesis", "dotted", "mixed"])
def test_a_numbered_plain_line_naming_its_outline_chapter_is_its_heading(labels: tuple[str, ...]) -> None:
    content = SEP.join(f"{label} {title}\n\n{body}" for label, (title, body) in zip(labels, BODY.items(), strict=True))
    doc = _doc(content)
    assert [s.title for s in doc.sections] == list(BODY)
    assert all(body.split(" [")[0].rstrip(".") in texts(doc) for body in BODY.values())
    assert not any(m.rule in ("orphan-text", "off-outline", "missing-chapter") for m in doc.report)


def test_plain_headings_inside_one_generation_split_it_into_chapters() -> None:
    content = "\n\n".join(f"{k}. {title}\n\n{body}" for k, (title, body) in enumerate(BODY.items(), start=1))
    assert [s.title for s in _doc(content).sections] == list(BODY)


def test_a_plain_heading_over_markdown_subsections_keeps_them_under_it() -> None:
    content = ("## 1 Introduction\n\nIntro text [1].\n\n<think>\n</think>\n\n2. Lattice-Based Schemes\n\n"
               "### 2.1 Module-LWE\n\nModule-LWE text [2].\n\n### 2.2 NTRU\n\nNTRU text [3].")
    doc = _doc(content)
    assert [s.title for s in doc.sections] == ["Introduction", "Lattice-Based Schemes"]
    assert [s.title for s in doc.sections[1].sections] == ["Module-LWE", "NTRU"]


@pytest.mark.parametrize("line", [
    "3) Hash-based signatures are the most conservative choice.",  # a list item that is a sentence
    "2. Hash-Based Signatures",  # its number is not the chapter's (a step in a list)
    "Hash-Based Signatures",  # no number: a short line of prose
    "3) Hash-Based Signatures. They need no new assumption",  # a sentence ends inside it
], ids=["sentence", "number-disagrees", "no-number", "inner-stop"])
def test_a_line_that_only_looks_like_a_heading_stays_text(line: str) -> None:
    content = (f"### 1 Introduction\n\n{BODY['Introduction']}\n\n### 2 Lattice-Based Schemes\n\n"
               f"{BODY['Lattice-Based Schemes']}\n\n{line}\n\nMore on lattices [2].")
    doc = _doc(content)
    assert [s.title for s in doc.sections] == ["Introduction", "Lattice-Based Schemes"]
    assert line.split(") ")[-1].split(". ")[-1][:20] in texts(doc)


def test_a_line_inside_a_paragraph_or_a_fence_stays_text() -> None:
    content = (f"### 1 Introduction\n\n{BODY['Introduction']}\nII. Lattice-Based Schemes\ncontinue the paragraph.\n\n"
               "```\n\n3) Hash-Based Signatures\n\n```\n\nAfter the code.")
    doc = _doc(content)
    assert [s.title for s in doc.sections] == ["Introduction"]


def test_a_list_of_the_chapters_is_no_run_of_headings() -> None:
    """A table of contents written as a loose list names every chapter with its number."""
    toc = "\n\n".join(f"{k}) {title}" for k, title in enumerate(BODY, start=1))
    content = f"### 1 Introduction\n\nThe review has four parts:\n\n{toc}\n\n{BODY['Introduction']}"
    doc = _doc(content)
    assert [s.title for s in doc.sections] == ["Introduction"]
    assert "Hash-Based Signatures" in texts(doc)


LEGAL = ("# Legal Informatics\n## 1. Introduction\n## 2. Representation of Legal Knowledge\n## 3. Case-Law Retrieval\n"
         "## 4. Evaluation and Benchmarks\n## 5. Conclusion\n")


def _legal(middle: str, before: tuple[str, ...] = ("Introduction", "Representation of Legal Knowledge"),
           after: tuple[str, ...] = ("Evaluation and Benchmarks", "Conclusion")) -> Document:
    chapters = [f"## {h}\n\nText about {h.lower()} with a finding [1]." for h in before] + [middle] + \
               [f"## {h}\n\nText about {h.lower()} with a finding [2]." for h in after]
    return _doc(SEP.join(chapters), LEGAL)


@pytest.mark.parametrize("middle", [
    "## Finding Precedent: Retrieval over Judgments\n\nRelevance is defined by legal reasoning [3].",
    "## Finding Precedent\n\nCase-law retrieval differs from web search [3].",
], ids=["shared-word", "text-names-it"])
def test_an_unnumbered_chapter_filling_the_one_gap_is_placed_there(middle: str) -> None:
    doc = _legal(middle)
    assert [s.title for s in doc.sections] == ["Introduction", "Representation of Legal Knowledge", "Case-Law Retrieval",
                                               "Evaluation and Benchmarks", "Conclusion"]
    (placed,) = [m for m in doc.report if m.rule == "chapter-match"]
    assert placed.severity == "warning" and "Finding Precedent" in placed.message


@pytest.mark.parametrize(("middle", "before", "after"), [
    ("## Medical Imaging with Deep Networks\n\nConvolutional networks segment tumours [3].",
     ("Introduction", "Representation of Legal Knowledge"), ("Evaluation and Benchmarks", "Conclusion")),
    ("## Finding Precedent: Retrieval over Judgments\n\nRelevance is defined by legal reasoning [3].",
     ("Introduction",), ("Evaluation and Benchmarks", "Conclusion")),
], ids=["no-shared-word", "gap-of-two"])
def test_an_unnumbered_chapter_without_that_evidence_stays_off_outline(
        middle: str, before: tuple[str, ...], after: tuple[str, ...]) -> None:
    doc = _legal(middle, before, after)
    assert "Case-Law Retrieval" not in [s.title for s in doc.sections]
    assert any(m.rule == "off-outline" for m in doc.report)


def test_the_guard_reads_plain_headings_as_assembly_does() -> None:
    """A chapter written as sub-headings only, before a chapter headed by a plain line: the
    guard must not take the next chapter's text for the sub-heading's and call it lost."""
    outline = "# Migration\n## 1. Introduction\n## 2. Standardisation Landscape\n## 3. Deployment Challenges\n"
    content = SEP.join([f"1. Introduction\n\n{BODY['Introduction']}", "### 2.1 The NIST process\n\n### 2.2 IETF profiles",
                        "3. Deployment Challenges\n\nHybrid key exchange is the default transition strategy [1]."])
    doc = _doc(content, outline)
    assert [s.title for s in doc.sections] == ["Introduction", "Deployment Challenges"]
    assert not [m for m in doc.report if m.rule in ("lost-chapter", "content-loss")]


MIGRATION = "# Migration\n## 1. Introduction\n## 2. Standardisation Landscape\n## 3. Conclusion\n"


@pytest.mark.parametrize(("second", "joins"), [
    ("### 2.2 IETF profiles", True),
    ("### 3.2 IETF profiles", False),  # another chapter's number: no sub-section of chapter 2
    ("### 2 IETF profiles", False),  # a single-level number is a chapter's
], ids=["its-number", "other-number", "single-level"])
def test_a_numbered_subsection_written_on_its_own_continues_the_chapter_before_it(second: str, joins: bool) -> None:
    content = SEP.join([f"## 1 Introduction\n\n{BODY['Introduction']}", "### 2.1 The NIST process\n\nNIST chose ML-KEM [2].",
                        f"{second}\n\nThe IETF profiles hybrid key exchange for TLS [3].",
                        f"## 3 Conclusion\n\n{BODY['Conclusion']}"])
    doc = _doc(content, MIGRATION)
    assert [s.title for s in doc.sections] == ["Introduction", "Standardisation Landscape", "Conclusion"]
    subsections = [s.title for s in doc.sections[1].sections]
    assert subsections == (["IETF profiles"] if joins else [])  # 2.1 heads the chapter itself (placed by number)
    assert "NIST chose ML-KEM" in texts(doc)
    assert ("The IETF profiles hybrid" in texts(doc)) == joins
