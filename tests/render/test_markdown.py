"""Markdown writer: what `pandoc -f markdown` reads back is the document, and only the document."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pypandoc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.model import (
    Cite,
    Code,
    CodeBlock,
    Document,
    Emph,
    Link,
    ListBlock,
    Paragraph,
    Section,
    Strong,
    Table,
    Text,
)
from publisher.render import RenderOptions, markdown, render

# Paragraph openings that Pandoc's markdown would read as some other block.
BLOCK_STARTS = [
    "1. not a list",
    "2024. a year",
    "a) not a list",
    "B. Smith wrote",
    "(iv) roman",
    "iv. roman",
    "- dash",
    "+ plus",
    "* star",
    "--- rule",
    "* * *",
    "___",
    ": definition",
    "~ definition",
    "Table: not a caption",
    "table: nor this",
    "# not a heading",
    "#. fancy",
    "> not a quote",
    "    indented code",
    "| a | b |",
    "[^1]: note",
    "@key cites",
    "<!-- comment -->",
    "<div>raw</div>",
    "```",
    "~~~",
    "$x^2$",
    "\\(x\\)",
    "::: div",
    "% title",
    "=== setext",
    "[link](http://x.org)",
    "![img](x.png)",
    "`code`{=html}",
    "<https://auto.link>",
    "*emph* and **strong**",
    "a\\b",
    'it\'s "quoted" -- dashes ... dots',
    "H~2~O and x^2^",
    "{#id .class}",
    "&amp; &lt;b&gt;",
]


def pandoc_json(text: bytes) -> dict[str, Any]:
    out = subprocess.run(
        [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "json"],
        input=text,
        capture_output=True,
        check=True,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def nodes(tree: Any) -> list[dict[str, Any]]:
    """Every AST node (a dict with "t"), depth first."""
    found: list[dict[str, Any]] = []
    if isinstance(tree, dict):
        if "t" in tree:
            found.append(tree)
        for value in tree.values():
            found += nodes(value)
    elif isinstance(tree, list):
        for value in tree:
            found += nodes(value)
    return found


def plain(inlines: list[dict[str, Any]]) -> str:
    """Text of pandoc inlines, as stringify would give it."""
    text = {
        "Str": lambda c: c,
        "Space": lambda c: " ",
        "SoftBreak": lambda c: " ",
        "LineBreak": lambda c: " ",
        "Code": lambda c: c[1],
    }
    out = []
    for node in inlines:
        kind, content = node["t"], node.get("c")
        if kind in text:
            out.append(text[kind](content))
        elif kind in ("Link", "Span"):
            out.append(plain(content[1]))
        elif kind in ("Strong", "Emph", "Superscript"):
            out.append(plain(content))
        else:
            raise AssertionError(f"unexpected inline {kind}")
    return "".join(out)


def headers(ast: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(n["c"][0], n["c"][1][0], plain(n["c"][2])) for n in nodes(ast["blocks"]) if n["t"] == "Header"]


def meta(ast: dict[str, Any], key: str) -> Any:
    value = ast["meta"][key]
    if value["t"] == "MetaList":
        return [plain(v["c"]) for v in value["c"]]
    if value["t"] == "MetaBlocks":
        return [plain(b["c"]) for b in value["c"]]
    return plain(value["c"]) if value["t"] == "MetaInlines" else value["c"]


def test_metadata_block_carries_title_language_date_keywords_abstract(rich_doc_zh: Document) -> None:
    out = markdown.render(rich_doc_zh, RenderOptions()).value
    assert out.startswith(b"---\ntitle: ")
    ast = pandoc_json(out)
    assert meta(ast, "title") == rich_doc_zh.title
    assert meta(ast, "lang") == "zh-CN" and meta(ast, "date") == "2025-11-21"
    assert meta(ast, "keywords") == rich_doc_zh.keywords
    assert meta(ast, "abstract")[0].startswith("图像识别领域近年来")
    assert "bibliography" not in ast["meta"]


def test_headings_round_trip_numbered_with_anchors(rich_doc_zh: Document) -> None:
    ast = pandoc_json(markdown.render(rich_doc_zh, RenderOptions()).value)
    got = headers(ast)
    assert [h[2] for h in got] == [
        "1 引言",
        "1.1 图像识别技术发展概述",
        "1.1.1 手工特征阶段",
        "2 模型架构演进",
        "2.1 卷积神经网络的改进",
        "参考文献",
    ]
    assert [h[0] for h in got] == [1, 2, 3, 1, 2, 1]
    assert [h[1] for h in got][:-1] == [s.anchor() for s in rich_doc_zh.walk_sections()]
    # the numbers are in the text: pandoc --number-sections must not add its own
    assert all("unnumbered" in n["c"][1][1] for n in nodes(ast["blocks"]) if n["t"] == "Header")


def test_tables_are_pipe_tables_with_numbered_captions(rich_doc_en: Document) -> None:
    out = markdown.render(rich_doc_en, RenderOptions()).value
    assert b"Table: Table 1 Comparison of image recognition models\n\n| Model |" in out
    tables = [n for n in nodes(pandoc_json(out)["blocks"]) if n["t"] == "Table"]
    assert len(tables) == len(rich_doc_en.tables()) == 1
    caption_blocks = tables[0]["c"][1][1]
    assert plain(caption_blocks[0]["c"]) == "Table 1 Comparison of image recognition models"
    body_rows = tables[0]["c"][4][0][3]
    assert len(body_rows) == 3


def test_citations_are_superscript_links_to_reference_anchors(rich_doc_zh: Document) -> None:
    ast = pandoc_json(markdown.render(rich_doc_zh, RenderOptions()).value)
    all_nodes = nodes(ast["blocks"])
    span_ids = {n["c"][0][0] for n in all_nodes if n["t"] == "Span"}
    assert span_ids == {r.anchor() for r in rich_doc_zh.references}
    sups = [n for n in all_nodes if n["t"] == "Superscript"]
    assert [plain(s["c"]) for s in sups[:2]] == ["[1,3-5]", "[2]"]
    targets = [link["c"][2][0] for s in sups for link in nodes(s["c"]) if link["t"] == "Link"]
    assert targets[:4] == ["#ref-1", "#ref-3", "#ref-4", "#ref-5"]  # the dash reaches 4
    assert all(t[1:] in span_ids for t in targets)
    ref_paras = [plain(n["c"]) for n in all_nodes if n["t"] == "Para" and n["c"][0]["t"] == "Span"]
    assert ref_paras == [f"[{r.number}] {r.text}" for r in rich_doc_zh.references]


def test_lists_quotes_and_code_keep_their_shape(rich_doc_zh: Document) -> None:
    ast = pandoc_json(markdown.render(rich_doc_zh, RenderOptions()).value)
    kinds = [n["t"] for n in nodes(ast["blocks"])]
    assert kinds.count("BulletList") == 1 and kinds.count("OrderedList") == 2
    assert kinds.count("BlockQuote") == 1
    code = [n for n in nodes(ast["blocks"]) if n["t"] == "CodeBlock"]
    assert code[0]["c"][1] == rich_doc_zh.sections[1].blocks[3].text and code[0]["c"][0][1] == ["python"]
    bullets = next(n for n in nodes(ast["blocks"]) if n["t"] == "BulletList")
    assert [item[0]["t"] for item in bullets["c"]] == ["Plain", "Plain", "Plain"]  # a tight list
    assert bullets["c"][1][1]["t"] == "OrderedList"


def test_hostile_text_round_trips_literally_and_never_raw(hostile_doc: Document) -> None:
    hostile = hostile_doc.keywords[0].removeprefix("kw ")  # conftest's HOSTILE string
    ast = pandoc_json(markdown.render(hostile_doc, RenderOptions()).value)
    all_nodes = nodes(ast)
    kinds = {n["t"] for n in all_nodes}
    assert not kinds & {"RawInline", "RawBlock", "Math", "Quoted", "Cite", "Note", "Image"}
    got = headers(ast)
    assert meta(ast, "title") == hostile_doc.title
    assert got[0][2] == "1 " + hostile_doc.sections[0].title
    paras = [plain(n["c"]) for n in all_nodes if n["t"] == "Para"]
    assert "Body " + hostile + hostile in paras
    assert meta(ast, "keywords")[0] == hostile_doc.keywords[0]
    assert f"[1] {hostile_doc.references[0].text}" in paras
    assert any(n["c"][1] == hostile for n in all_nodes if n["t"] == "CodeBlock")
    table = next(n for n in all_nodes if n["t"] == "Table")
    assert plain(table["c"][1][1][0]["c"]) == "Table 1 " + hostile_doc.tables()[0].caption
    assert "Cell " + hostile in [plain(p["c"]) for p in nodes(table["c"][4]) if p["t"] == "Plain"]


def test_paragraph_openings_stay_paragraphs(rich_doc_en: Document) -> None:
    rich_doc_en.sections = [Section("1", "Openings", 1, [Paragraph([Text(t)]) for t in BLOCK_STARTS])]
    rich_doc_en.abstract, rich_doc_en.keywords, rich_doc_en.references = [], [], []
    blocks = pandoc_json(markdown.render(rich_doc_en, RenderOptions()).value)["blocks"][1:]
    assert [b["t"] for b in blocks] == ["Para"] * len(BLOCK_STARTS)
    assert [plain(b["c"]) for b in blocks] == [t.strip() for t in BLOCK_STARTS]


def test_inline_edge_cases(rich_doc_en: Document) -> None:
    para = Paragraph(
        [
            Strong([Text(" padded ")]),
            Text("x"),
            Emph([Text("中文")]),
            Text("中文"),
            Code("a `tick` b"),
            Code("`edge`"),
            Link("https://example.org/a b(c)", [Text("spaced url")]),
            Link("javascript:alert(1)", [Text("bad")]),
            Strong([]),
        ]
    )
    table = Table(
        1, "pipes", [[Text("a|b")], [Code("c|d")]], [[[Text("1")], [Text("2"), Text("3")]], [[Text("x")]]]
    )
    rich_doc_en.sections = [Section("1", "Edges", 1, [para, table])]
    ast = pandoc_json(markdown.render(rich_doc_en, RenderOptions()).value)
    all_nodes = nodes(ast["blocks"])
    first_para = next(n for n in all_nodes if n["t"] == "Para" and "padded" in plain(n["c"]))
    assert plain(first_para["c"]) == "padded x中文中文a `tick` b`edge`spaced urlbad"
    assert [n["t"] for n in first_para["c"][:2]] == ["Strong", "Space"]
    links = [n["c"][2][0] for n in all_nodes if n["t"] == "Link"]
    assert "https://example.org/a%20b%28c%29" in links and not any("javascript" in u for u in links)
    table_node = next(n for n in all_nodes if n["t"] == "Table")
    cells = [plain(p["c"]) for p in nodes(table_node["c"][3:]) if p["t"] == "Plain"]
    assert cells == ["a|b", "c|d", "1", "23", "x"]  # ragged row padded, no cell lost


def test_ordered_list_start_is_kept(rich_doc_en: Document) -> None:
    items = [[Paragraph([Text(w)])] for w in ("seven", "eight")]
    rich_doc_en.sections = [
        Section("1", "L", 1, [ListBlock(True, items, start=7), CodeBlock("```\nx", "bad lang!")])
    ]
    ast = pandoc_json(markdown.render(rich_doc_en, RenderOptions()).value)
    olist = next(n for n in nodes(ast["blocks"]) if n["t"] == "OrderedList")
    assert olist["c"][0][0] == 7
    code = next(n for n in nodes(ast["blocks"]) if n["t"] == "CodeBlock")
    assert code["c"] == [["", [], []], "```\nx"]




def test_rendering_is_deterministic(rich_doc_en: Document) -> None:
    assert markdown.render(rich_doc_en, RenderOptions()).value == markdown.render(rich_doc_en, RenderOptions()).value


@pytest.mark.parametrize(
    ("cite", "expected"),
    [
        ([3], "^\\[[3](#ref-3)\\]^"),
        ([1, 3, 4, 5], "^\\[[1](#ref-1),[3](#ref-3)[\\-](#ref-4)[5](#ref-5)\\]^"),
        ([2, 99], "^\\[[2](#ref-2),99\\]^"),
    ],
)
def test_cite_notation(rich_doc_en: Document, cite: list[int], expected: str) -> None:
    rich_doc_en.sections = [Section("1", "C", 1, [Paragraph([Text("x"), Cite(cite)])])]
    assert f"x{expected}\n" in markdown.render(rich_doc_en, RenderOptions()).value.decode()


SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.txt"))


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples_round_trip(sample: Path) -> None:
    from publisher.pipeline import build_document

    doc = build_document(sample)
    ast = pandoc_json(markdown.render(doc, RenderOptions()).value)
    all_nodes = nodes(ast)
    assert not {n["t"] for n in all_nodes} & {"RawInline", "RawBlock", "Math", "Cite", "Note"}
    assert [h[2] for h in headers(ast)][:-1] == [f"{s.number} {s.title}" for s in doc.walk_sections()]
    assert sum(n["t"] == "Table" for n in all_nodes) == len(doc.tables())
    anchors = {n["c"][0][0] for n in all_nodes if n["t"] == "Span"}
    assert anchors == {r.anchor() for r in doc.references}
    targets = [n["c"][2][0] for n in all_nodes if n["t"] == "Link" and n["c"][2][0].startswith("#")]
    assert targets and all(t[1:] in anchors for t in targets)


ALPHABET = list("abAZ019 .,:;!?-+*_`~^$@#&|<>[](){}\\/\"'=%中文（）：") + ["\u3000", "\t"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(
        st.text(alphabet=ALPHABET, min_size=1, max_size=24).filter(str.strip), min_size=1, max_size=8
    )
)
def test_any_text_round_trips(rich_doc_en: Document, texts: list[str]) -> None:
    rich_doc_en.sections = [Section("1", "Fuzz", 1, [Paragraph([Text(t)]) for t in texts])]
    rich_doc_en.abstract, rich_doc_en.keywords, rich_doc_en.references = [], [], []
    blocks = pandoc_json(markdown.render(rich_doc_en, RenderOptions()).value)["blocks"][1:]
    assert [b["t"] for b in blocks] == ["Para"] * len(texts)
    assert [plain(b["c"]) for b in blocks] == [re.sub(r"[ \t]+", " ", t).strip() for t in texts]


def test_uncited_entries_stay_out_of_the_list(rich_doc_en: Document) -> None:
    rich_doc_en.references[-1].cited = False
    out = markdown.render(rich_doc_en, RenderOptions()).value.decode()
    assert "{#ref-5}" in out and "{#ref-6}" not in out


def test_pandoc_citations_with_a_csl_bibliography_beside_the_file(rich_doc_zh: Document, tmp_path: Path) -> None:
    options = RenderOptions(pandoc_citations=True)
    text = markdown.render(rich_doc_zh, options).value
    assert isinstance(text, bytes)
    assert "表1比较了" in text.decode() and "[@ref-1; @ref-3; @ref-4; @ref-5]" in text.decode()
    assert b"bibliography: \"000_0a9243bf99b5b6c4.csl.json\"" in text
    (tmp_path / "article.md").write_bytes(text)
    bibliography = render(rich_doc_zh, "csljson", options).value
    assert isinstance(bibliography, bytes)
    items = json.loads(bibliography)
    assert [i["id"] for i in items] == [r.anchor() for r in rich_doc_zh.references]
    assert items[0]["title"] == rich_doc_zh.references[0].title
    (tmp_path / "000_0a9243bf99b5b6c4.csl.json").write_bytes(bibliography)
    done = subprocess.run(
        [pypandoc.get_pandoc_path(), "article.md", "--citeproc", "-t", "plain", "--wrap=none"],
        cwd=tmp_path, capture_output=True, check=True, text=True,
    )
    assert "@ref" not in done.stdout and "[WARNING]" not in done.stderr
    assert rich_doc_zh.references[2].title in done.stdout  # citeproc wrote the list


def test_citations_in_table_cells_are_not_superscript(rich_doc_zh: Document) -> None:
    ast = pandoc_json(markdown.render(rich_doc_zh, RenderOptions()).value)
    table = next(n for n in nodes(ast["blocks"]) if n["t"] == "Table")
    assert not [n for n in nodes(table) if n["t"] == "Superscript"]
    assert "25.6M[3]" in [plain(p["c"]) for p in nodes(table) if p["t"] == "Plain"]
