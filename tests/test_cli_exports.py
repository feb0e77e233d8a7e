"""The issue 15 options as a user types them: `--review`, `--to ris,bib,csljson` and `--csl`
through `publish` itself (the writers' own tests call `render` directly)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import lxml.html
import pytest

from publisher.cli import EXIT_OK, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parents[1]
RICH = ROOT / "tests/fixtures/records/zh_rich_references_review.txt"


@pytest.fixture
def record(tmp_path: Path) -> Path:
    return Path(shutil.copy(RICH, tmp_path / "rich.txt"))


def deletions(docx: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read("word/document.xml").count(b"<w:del ")


def test_review_writes_the_review_draft(tmp_path: Path, record: Path) -> None:
    assert main([str(record), "--to", "docx", "-o", str(tmp_path / "plain"), "-q"]) == EXIT_OK
    assert main([str(record), "--to", "docx", "--review", "-o", str(tmp_path / "review"), "-q"]) == EXIT_OK
    plain, review = ((tmp_path / k / "rich.docx").read_bytes() for k in ("plain", "review"))
    assert deletions(plain) == 0 and deletions(review) >= 3
    with zipfile.ZipFile(io.BytesIO(review)) as z:
        assert "word/comments.xml" in z.namelist()


def test_reference_exports_are_written_beside_each_other(tmp_path: Path, record: Path) -> None:
    assert main([str(record), "--to", "ris,bib,csljson", "-o", str(tmp_path / "out"), "-q"]) == EXIT_OK
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["rich.bib", "rich.csl.json", "rich.ris"]
    assert (tmp_path / "out" / "rich.ris").read_text(encoding="utf-8").count("ER  -") == 5


def references(html: bytes) -> list[str]:
    tree = lxml.html.fromstring(html)
    return [re.sub(r"\s+", " ", li.text_content()).strip() for li in tree.xpath("//ol[@class='references']/li")]


def test_csl_restyles_the_reference_list(tmp_path: Path, record: Path) -> None:
    assert main([str(record), "--to", "html", "-o", str(tmp_path / "plain"), "-q"]) == EXIT_OK
    assert main([str(record), "--to", "html", "--csl", "gb7714", "-o", str(tmp_path / "gb"), "-q"]) == EXIT_OK
    plain, gb = (references((tmp_path / k / "rich.html").read_bytes()) for k in ("plain", "gb"))
    assert len(plain) == len(gb) == 5 and plain != gb
    assert "MCMAHAN B" in gb[0] and "McMahan B" in plain[0]  # GB/T 7714 writes Western family names in capitals


def test_a_csl_style_that_does_not_exist_is_one_line_before_any_work(tmp_path: Path, record: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(record), "--to", "docx", "--csl", "no-such-style", "-o", str(tmp_path / "out")]) == EXIT_USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--csl" in err[0]
    assert not (tmp_path / "out").exists()


def test_review_without_docx_is_a_usage_error_not_ignored(tmp_path: Path, record: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """`--review` with no Word output used to be dropped in silence (the API answers 422)."""
    assert main([str(record), "--to", "md", "--review", "-o", str(tmp_path / "out")]) == EXIT_USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--review" in err[0]
    assert not (tmp_path / "out").exists()
    assert main([str(record), "--to", "md,docx", "--review", "-o", str(tmp_path / "both"), "-q"]) == EXIT_OK


def test_the_summary_names_each_output_once(tmp_path: Path, record: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CSL JSON bibliography was listed as a second `json` beside the document's JSON."""
    other = Path(shutil.copy(record, tmp_path / "other.txt"))  # two records: one summary line each
    assert main([str(record), str(other), "--to", "json,csljson,ris", "-o", str(tmp_path / "out")]) == EXIT_OK
    lines = [ln for ln in capsys.readouterr().err.splitlines() if "rich.txt:" in ln]
    assert len(lines) == 1 and "published json, csl.json, ris" in lines[0]
