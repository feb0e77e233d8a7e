"""Sphinx writer: a source folder that sphinx-build turns into a page without one warning."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest

from publisher.model import CodeBlock, Document, Link, ListBlock, Paragraph, Section, Table, Text
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


def sphinx_build(doc: Document, tmp_path: Path, builder: str) -> Path:
    """Write the folder and build it with warnings as errors; the output folder."""
    source, out = tmp_path / "src", tmp_path / builder
    for name, data in sphinx.render(doc, RenderOptions()).value.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", builder, str(source), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return out


def build(doc: Document, tmp_path: Path) -> lxml.html.HtmlElement:
    """Build the HTML, return the parsed index.html."""
    out = sphinx_build(doc, tmp_path, "html")
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


def test_unknown_code_language_builds_as_plain_code_and_is_reported(rich_doc_en: Document, tmp_path: Path) -> None:
    rich_doc_en.sections[0].blocks.append(CodeBlock("graph TD; A-->B", "mermaid"))
    page = build(rich_doc_en, tmp_path)  # -W: a highlighting failure would be an error
    assert "graph TD; A-->B" in page.text_content()
    messages = sphinx.render(rich_doc_en, RenderOptions()).messages
    assert [m.rule for m in messages] == ["unknown-code-language"] and "mermaid" in messages[0].message


def test_wide_tables_are_list_tables(rich_doc_en: Document, tmp_path: Path) -> None:
    """Grid tables cost pandoc and docutils quadratic time in the number of columns (10,000
    columns took 120 s); list-tables are linear, and carry no widths that round to 0 %."""
    width = 300
    table = Table(2, "wide", [[Text(f"h{k}")] for k in range(width)], [[[Text(f"c{k}")] for k in range(width)]])
    rich_doc_en.sections[0].blocks.append(table)
    rst = sphinx.render(rich_doc_en, RenderOptions()).value["index.rst"].decode()
    assert rst.count(".. list-table::") == 2 and "+---" not in rst and ":widths:" not in rst
    page = build(rich_doc_en, tmp_path)
    assert sorted(len(t.xpath(".//th")) for t in page.xpath("//table")) == [3, width]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex not installed (scripts/setup --dev)")
@pytest.mark.parametrize("name", ["zh", "en"])
def test_latex_builds_to_a_pdf_whose_citation_links_resolve(
    doc_builders: dict[str, Callable[[], Document]], name: str, tmp_path: Path
) -> None:
    doc = doc_builders[name]()
    out = sphinx_build(doc, tmp_path, "latex")
    tex = (out / "article.tex").read_text(encoding="utf-8")
    targets = set(re.findall(r"\\hyperref\[\\detokenize\{(index:ref-\d+)\}\]", tex))
    labels = set(re.findall(r"\\label\{\\detokenize\{(index:ref-\d+)\}\}", tex))
    assert targets and targets <= labels  # every citation link lands on its entry
    assert "a4paper" in tex and "Author name not set" not in tex
    assert r"\date{2025-11-2" in tex  # the record's date, not the build's
    if name == "zh":
        assert r"\setCJKmainfont{Noto Serif CJK SC}" in tex
    for _ in range(2):  # twice: the second run resolves the references
        done = subprocess.run(
            ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "article.tex"],
            cwd=out, capture_output=True, text=True, check=False, timeout=300,
        )
        assert done.returncode == 0, done.stdout[-2000:]
    log = (out / "article.log").read_text(encoding="utf-8", errors="replace")
    assert "undefined references" not in log and "There were undefined" not in log
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out / "article.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    heading = f"{doc.sections[0].number} {doc.sections[0].title}"
    assert heading in text and f"{doc.sections[0].number} {heading}" not in text  # numbered once
    caption = doc.tables()[0]
    assert "Table 1:" not in text and "表 1:" not in text
    assert caption.caption in text.replace("\n", "")
