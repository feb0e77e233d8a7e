"""Sphinx writer: a source folder that sphinx-build turns into a page without one warning."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from publisher.model import Document, Link, ListBlock, Paragraph, Section, Text
from publisher.render import RenderOptions, sphinx

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.txt"))

# Paragraph openings and endings that reStructuredText would read as markup.
RISKY = [
    ".. raw:: html",
    "..",
    ".. _target:",
    ".. |sub| image:: x.png",
    "* x",
    "- x",
    "1. x",
    "#. x",
    "a) x",
    "(iv) x",
    "IV. x",
    "| line",
    ":field: value",
    "-- x",
    "::",
    "Note::",
    "x ::",
    "[1] x",
    "[#]_ x",
    "__ anon",
    "x_ ref",
    "`x`_ ref",
    ":math:`x`",
    "=====",
    ">>> code",
    "a\\b",
    "|sub|",
    "*x*",
    "**",
    "https://x.org/_ y",
    'it\'s "quoted" -- dashes',
]


def build(doc: Document, tmp_path: Path) -> lxml.html.HtmlElement:
    """Write the folder, build it with warnings as errors, return the parsed index.html."""
    source, out = tmp_path / "src", tmp_path / "html"
    for name, data in sphinx.render(doc, RenderOptions()).value.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(source), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return lxml.html.fromstring((out / "index.html").read_bytes())


def check_links(page: lxml.html.HtmlElement, doc: Document) -> None:
    ids = {el.get("id") for el in page.iter() if isinstance(el.tag, str) and el.get("id")}
    assert {r.anchor() for r in doc.references if r.cited} <= ids
    internal = [a.get("href") for a in page.iter("a") if a.get("href", "").startswith("#ref-")]
    assert internal and all(h[1:] in ids for h in internal)


def test_builds_without_warnings_with_chapters_and_references(rich_doc_zh: Document, tmp_path: Path) -> None:
    page = build(rich_doc_zh, tmp_path)
    body = page.find_class("body")[0]
    headings = [h.text_content().rstrip("¶").strip() for h in body.xpath(".//h1|.//h2|.//h3|.//h4")]
    assert headings[0] == rich_doc_zh.title
    assert headings[1:-1] == [f"{s.number} {s.title}" for s in rich_doc_zh.walk_sections()]
    assert headings[-1] == "参考文献"
    check_links(page, rich_doc_zh)
    # citations sit on the line: rst cannot hold a link inside superscript
    assert "的基础模型[1,3-5]，" in body.text_content() and not body.xpath(".//sup")
    assert "表1\u3000主流图像识别模型比较" in body.text_content()
    entry = page.get_element_by_id("ref-4")
    assert entry.text_content().strip() == "[4] " + rich_doc_zh.references[3].text
    assert page.xpath("//html/@lang") == ["zh-CN"]


def test_conf_py_is_plain_settings(rich_doc_en: Document) -> None:
    files = sphinx.render(rich_doc_en, RenderOptions()).value
    assert set(files) == {"conf.py", "index.rst"}
    tree = ast.parse(files["conf.py"])
    settings = {
        n.targets[0].id if isinstance(n, ast.Assign) else n.target.id: ast.literal_eval(n.value)
        for n in tree.body
        if isinstance(n, ast.Assign | ast.AnnAssign)
    }
    assert settings["project"] == rich_doc_en.title
    assert settings["language"] == "en" and settings["html_theme"] == "alabaster"
    assert settings["extensions"] == []
    assert all(isinstance(n, ast.Assign | ast.AnnAssign) for n in tree.body)  # no imports, no calls


def test_rendering_is_deterministic(rich_doc_en: Document) -> None:
    assert sphinx.render(rich_doc_en, RenderOptions()).value == sphinx.render(rich_doc_en, RenderOptions()).value


def test_hostile_text_stays_text(hostile_doc: Document, tmp_path: Path) -> None:
    hostile_doc.sections[0].blocks.append(Paragraph([Link("javascript:alert(1)", [Text("bad link")])]))
    page = build(hostile_doc, tmp_path)
    assert not page.xpath("//script[contains(., 'alert')] | //*[contains(name(), ':')]")
    assert page.find(".//title").text.startswith(hostile_doc.title)
    assert hostile_doc.title in page.find_class("body")[0].text_content()
    assert not [a for a in page.iter("a") if "javascript" in a.get("href", "").lower()]
    assert "bad link" in page.text_content()
    conf = (tmp_path / "src" / "conf.py").read_text(encoding="utf-8")
    assert ast.literal_eval(conf.splitlines()[1].split(" = ", 1)[1]) == hostile_doc.title


def test_risky_openings_stay_paragraphs(rich_doc_en: Document, tmp_path: Path) -> None:
    paragraphs = [Paragraph([Text(t)]) for t in RISKY]
    items = ListBlock(False, [[Paragraph([Text(t)])] for t in RISKY])
    rich_doc_en.sections = [Section("1", "Openings", 1, [*paragraphs, items])]
    page = build(rich_doc_en, tmp_path)
    section = page.xpath("//span[@id='sec-1']/parent::section")[0]
    assert [p.text_content() for p in section.xpath("./p")] == RISKY
    assert [li.text_content().strip() for li in section.xpath("./ul/li")] == RISKY
    assert not section.xpath(".//pre | .//dl | .//ol | .//blockquote | .//table | .//hr")


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples_build(sample: Path, tmp_path: Path) -> None:
    from publisher.pipeline import build_document

    doc = build_document(sample)
    page = build(doc, tmp_path)
    check_links(page, doc)
    text = page.find_class("body")[0].text_content()
    assert all(f"{s.number} {s.title}" in text for s in doc.sections)
