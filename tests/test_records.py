"""Whole nasty records written for the tests (tests/fixtures/records/*.txt), each with what
must hold when it is published (<name>.expect.json; format in tests/fixtures/README.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from publisher.model import Document, inline_text, iter_blocks
from publisher.pipeline import build_document
from publisher.render import render

RECORDS = Path(__file__).parent / "fixtures" / "records"
CASES = sorted(p for p in RECORDS.glob("*.txt") if p.with_suffix(".expect.json").exists())


def expectation(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.with_suffix(".expect.json").read_text(encoding="utf-8"))


def published_text(doc: Document) -> str:
    data = json.loads(render(doc, "json").value)
    data.pop("report")
    return json.dumps(data, ensure_ascii=False)


def plain_text(doc: Document) -> str:
    parts = [doc.title, *doc.keywords]
    for blocks in doc.block_lists():
        for b in iter_blocks(blocks):
            if hasattr(b, "inlines"):
                parts.append(inline_text(b.inlines))
            elif hasattr(b, "text"):
                parts.append(b.text)
            elif hasattr(b, "header"):
                parts.append(b.caption)
                parts.extend(inline_text(c) for c in b.header)
                parts.extend(inline_text(c) for r in b.rows for c in r)
    parts.extend(s.title for s in doc.walk_sections())
    parts.extend(r.text for r in doc.references)
    return "\n".join(parts)


def test_there_are_nasty_records() -> None:
    assert len(CASES) >= 6


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_record_publishes_as_expected(path: Path) -> None:
    want = expectation(path)
    doc = build_document(path)
    assert doc.language == want["language"]
    if "title" in want:
        assert doc.title == want["title"]
    assert [s.title for s in doc.sections] == want["chapters"]
    missing = [m.excerpt for m in doc.report if m.rule == "missing-chapter"]
    assert missing == want.get("missing_chapters", [])
    text = plain_text(doc) + "\n" + published_text(doc)
    squashed = re.sub(r"\s+", " ", text)
    for s in want.get("present", []):
        assert s in text or re.sub(r"\s+", " ", s) in squashed, f"missing: {s}"
    plain = plain_text(doc)
    for s in want.get("absent", []):
        assert s not in plain, f"debris survived: {s}"
    if "keywords" in want:
        assert doc.keywords == want["keywords"]
    for chapter, subs in want.get("subsections", {}).items():
        assert [s.title for s in next(c for c in doc.sections if c.title == chapter).sections] == subs, chapter
    if "tables" in want:
        assert [{"caption": t.caption, "rows": len(t.rows)} for t in doc.tables()] == want["tables"]
        assert [t.number for t in doc.tables()] == list(range(1, len(want["tables"]) + 1))
    if "references" in want:
        assert [r.supplied for r in doc.references if r.cited] == want["references"]
    if "dropped_citations" in want:
        dropped = sorted({int(m.excerpt.strip("[]")) for m in doc.report if m.rule == "dropped-citation"})
        assert dropped == want["dropped_citations"]
    if "truncated" in want:
        # a cut in a chapter copy that was dropped (duplicate, off-outline) is not in the article
        dropped = [(m.line or 0, m.end_line or 0) for m in doc.report if m.rule in ("duplicate-chapter", "off-outline")]
        cuts = [m for m in doc.report if m.rule == "truncated-ending"]
        published_cuts = [m for m in cuts if not any(a <= (m.line or 0) <= b for a, b in dropped)]
        assert bool(published_cuts) == want["truncated"]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_record_input_is_untouched_and_output_deterministic(path: Path) -> None:
    before = path.read_bytes()
    first = render(build_document(path), "json").value
    second = render(build_document(path), "json").value
    assert first == second
    assert path.read_bytes() == before
