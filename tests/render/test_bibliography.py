"""The published reference list for reference managers (`--to csljson,ris,bib`): each file
read back by a real parser (rispy, bibtexparser, pandoc's citeproc) on every record of the
corpus, with one entry per published reference and only what the supplied entry holds."""

from __future__ import annotations

import json
import re
import subprocess
from functools import cache
from pathlib import Path

import bibtexparser
import pytest
import rispy

from publisher.model import Document
from publisher.pipeline import build_document
from publisher.render import render
from publisher.render.pandoc_run import pandoc_path
from publisher.schema import document_from_dict
from tests.render.corpus import CORPUS, IDS, ROOT

RICH = ROOT / "tests/fixtures/records/zh_rich_references_review.txt"


@cache
def published(path: Path) -> tuple[Document, dict[str, bytes]]:
    doc = build_document(path)
    outputs = {}
    for fmt in ("csljson", "ris", "bib"):
        data = render(doc, fmt).value
        assert isinstance(data, bytes)
        outputs[fmt] = data
    return doc, outputs


def cited(doc: Document) -> list[str]:
    return [r.csl.title for r in doc.references if r.cited and r.csl is not None]


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_ris_reads_back_in_rispy(path: Path) -> None:
    doc, out = published(path)
    entries = rispy.loads(out["ris"].decode("utf-8"))
    assert len(entries) == len([r for r in doc.references if r.cited])
    assert [e["title"] for e in entries] == cited(doc)
    assert [e["id"] for e in entries] == [r.anchor() for r in doc.references if r.cited]


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_bibtex_reads_back_in_bibtexparser(path: Path) -> None:
    doc, out = published(path)
    library = bibtexparser.parse_string(out["bib"].decode("utf-8"))
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == [r.anchor() for r in doc.references if r.cited]
    titles = [e["title"].strip("{}").replace("\\&", "&").replace("\\_", "_").replace("\\%", "%")
              .replace("\\#", "#").replace("\\$", "$") for e in library.entries]
    assert titles == [t for t in cited(doc)]


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_csl_json_is_formatted_by_citeproc_without_a_warning(path: Path, tmp_path: Path) -> None:
    doc, out = published(path)
    items = json.loads(out["csljson"])
    assert len(items) == len(doc.to_dict()["references"]) - len([r for r in doc.references if not r.cited])
    (tmp_path / "refs.json").write_bytes(out["csljson"])
    text = " ".join(f"[@{item['id']}]" for item in items) + "\n"
    run = subprocess.run([pandoc_path(), "--citeproc", "--bibliography", "refs.json", "-t", "plain", "--wrap=none"],
                         input=text, capture_output=True, text=True, cwd=tmp_path, check=True, timeout=60)
    assert run.stderr == ""
    for item in items:  # the default style (Chicago) title-cases English titles and flips inner quotes
        assert bare(item["title"])[:20] in bare(run.stdout)


def bare(text: str) -> str:
    return re.sub(r"[\s“”‘’\"']+", "", text).lower()


def test_the_entry_count_is_the_json_models_references() -> None:
    for path in (RICH, *CORPUS[:2]):
        doc, out = published(path)
        model = json.loads(render(doc, "json").value)
        assert len(json.loads(out["csljson"])) == len([r for r in model["references"] if r["cited"]])
        assert all(r["csl"]["id"] == f"ref-{r['number']}" for r in model["references"])


def test_what_the_supplied_entry_holds_is_exported_and_nothing_else() -> None:
    doc, out = published(RICH)
    items = {i["id"]: i for i in json.loads(out["csljson"])}
    assert items["ref-1"]["author"][0] == {"family": "McMahan", "given": "B"}
    assert items["ref-1"]["container-title"] == "Proceedings of Machine Learning Research"
    assert items["ref-2"]["type"] == "article-journal" and items["ref-2"]["issue"] == "5"
    assert items["ref-3"]["type"] == "webpage" and items["ref-3"]["URL"].startswith("https://www.nhc.gov.cn/")
    assert items["ref-3"]["author"] == [{"literal": "国家卫生健康委员会"}]
    assert items["ref-4"]["DOI"] == "10.1038/s41746-020-00323-1"
    assert items["ref-5"]["publisher"] == "Morgan & Claypool" and items["ref-5"]["issued"] == {"date-parts": [[2019]]}
    ris = {e["id"]: e for e in rispy.loads(out["ris"].decode("utf-8"))}
    assert ris["ref-4"]["doi"] == "10.1038/s41746-020-00323-1" and ris["ref-4"]["type_of_reference"] == "JOUR"
    assert ris["ref-1"]["authors"] == ["McMahan, B", "Moore, E", "Ramage, D"]
    bib = {e.key: e for e in bibtexparser.parse_string(out["bib"].decode("utf-8")).entries}
    assert bib["ref-5"].entry_type == "book" and bib["ref-5"]["publisher"] == "Morgan \\& Claypool"
    # a title-only entry holds a title and a date: nothing else is made up
    sample, _ = published(CORPUS[0])
    assert all(set(r.csl.__dict__) and not r.csl.author and r.csl.URL is None for r in sample.references if r.csl)


def test_documents_from_before_csl_export_the_same() -> None:
    doc, out = published(RICH)
    data = doc.to_dict()
    data["schema"] = "1.1"
    for r in data["references"]:
        del r["csl"]
    old = document_from_dict(data)
    assert render(old, "csljson").value == out["csljson"]
