"""The shared pandoc AST builder and the pandoc runner."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from publisher.errors import ModelError, RenderError
from publisher.model import Cite, Document, Paragraph, Table, Text
from publisher.render import RenderOptions, pandoc_run
from publisher.render.columns import LINE, column_shares, column_widths
from publisher.render.pandoc_ast import to_pandoc, words
from publisher.render.pandoc_run import pandoc_api_version, run_pandoc


def nodes(tree: Any) -> list[dict[str, Any]]:
    """Every AST node ({"t": ...}) in the tree, depth first."""
    out: list[dict[str, Any]] = []
    if isinstance(tree, dict):
        if "t" in tree:
            out.append(tree)
        for value in tree.values():
            out.extend(nodes(value))
    elif isinstance(tree, list):
        for value in tree:
            out.extend(nodes(value))
    return out


def plain(inlines: list[dict[str, Any]]) -> str:
    """Text of inline nodes the way pandoc would print it."""
    parts = []
    for n in inlines:
        if n["t"] == "Str":
            parts.append(n["c"])
        elif n["t"] in ("Space", "SoftBreak"):
            parts.append(" ")
        elif n["t"] in ("Strong", "Emph", "Superscript"):
            parts.append(plain(n["c"]))
        elif n["t"] in ("Span", "Link"):
            parts.append(plain(n["c"][1]))
    return "".join(parts)


@pytest.mark.parametrize("target", ["docx", "jats", "typst", "rst"])
def test_no_raw_nodes_and_pandoc_reads_it(hostile_doc: Document, target: str) -> None:
    ast = to_pandoc(hostile_doc, RenderOptions(), target)
    kinds = {n["t"] for n in nodes(ast)}
    assert not kinds & {"RawInline", "RawBlock"}
    assert ast["pandoc-api-version"] == pandoc_api_version()
    out = run_pandoc(ast, "native", timeout=60)
    assert b"RawInline" not in out and b"RawBlock" not in out


def test_pandoc_round_trip_keeps_the_text(hostile_doc: Document) -> None:
    ast = to_pandoc(hostile_doc, RenderOptions(), "docx")
    back = json.loads(run_pandoc(ast, "json", timeout=60))
    assert back["blocks"] == ast["blocks"]


def test_headings_numbers_ids_and_unnumbered(rich_doc_zh: Document) -> None:
    ast = to_pandoc(rich_doc_zh, RenderOptions(), "docx")
    headers = [n["c"] for n in ast["blocks"] if n["t"] == "Header"]
    assert [(h[0], h[1][0], plain(h[2])) for h in headers] == [
        (1, "sec-1", "1 引言"),
        (2, "sec-1-1", "1.1 图像识别技术发展概述"),
        (3, "sec-1-1-1", "1.1.1 手工特征阶段"),
        (1, "sec-2", "2 模型架构演进"),
        (2, "sec-2-1", "2.1 卷积神经网络的改进"),
        (1, "references", "参考文献"),
    ]
    assert all("unnumbered" in h[1][1] for h in headers)


def test_citation_group_links_each_number_and_range(rich_doc_zh: Document) -> None:
    ast = to_pandoc(rich_doc_zh, RenderOptions(), "jats")
    sups = [n for n in nodes(ast["blocks"]) if n["t"] == "Superscript"]
    texts = [plain(s["c"]) for s in sups]
    assert "[1,3-5]" in texts
    group = sups[texts.index("[1,3-5]")]
    links = [n["c"] for n in group["c"] if n["t"] == "Link"]
    assert [(plain(link[1]), link[2][0]) for link in links] == [("1", "#ref-1"), ("3-5", "#ref-3")]


def test_empty_citation_disappears() -> None:
    """The model refuses an empty citation group; one emptied after construction (as a stage
    might leave it) renders as nothing."""
    with pytest.raises(ModelError, match="Cite.numbers"):
        Cite([])
    cite = Cite([1])
    cite.numbers = []
    doc = Document(title="t", language="en", sections=[])
    doc.abstract = [Paragraph([Text("a"), cite, Text("b")])]
    ast = to_pandoc(doc, RenderOptions(), "html")
    assert "Superscript" not in {n["t"] for n in nodes(ast)}


def test_reference_list(rich_doc_en: Document) -> None:
    rich_doc_en.references[5].cited = False
    ast = to_pandoc(rich_doc_en, RenderOptions(), "typst")
    div = next(n for n in ast["blocks"] if n["t"] == "Div" and n["c"][0][0] == "refs")
    paras = div["c"][1]
    assert len(paras) == 5  # an uncited entry is not listed
    first = paras[0]["c"]
    assert first[0]["t"] == "Span" and first[0]["c"][0][0] == "ref-1"
    assert plain(first) == "[1] Open computing patents an image recognition model. 2025."


@pytest.mark.parametrize(
    ("language", "caption"),
    [("zh", "表1\u3000主流图像识别模型比较"), ("en", "Table 1 Comparison of image recognition models")],
)
def test_table_caption_has_the_number_in_a_span(
    rich_doc_zh: Document, rich_doc_en: Document, language: str, caption: str
) -> None:
    doc = rich_doc_zh if language == "zh" else rich_doc_en
    table = next(n for n in nodes(to_pandoc(doc, RenderOptions(), "docx")) if n["t"] == "Table")
    inlines = table["c"][1][1][0]["c"]
    assert plain(inlines) == caption
    spans = [n for n in inlines if n["t"] == "Span"]
    assert spans[0]["c"][0][1] == ["table-number"]
    assert ["custom-style", "Table Number"] in spans[0]["c"][0][2]
    assert table["c"][0][0] == "tab-1"


def test_custom_styles_only_for_docx(rich_doc_zh: Document) -> None:
    def styles(target: str) -> int:
        return json.dumps(to_pandoc(rich_doc_zh, RenderOptions(), target), ensure_ascii=False).count(
            "custom-style"
        )

    assert styles("docx") > 0
    assert styles("typst") == 0


def test_metadata_and_front_matter_per_target(rich_doc_zh: Document) -> None:
    docx = to_pandoc(rich_doc_zh, RenderOptions(), "docx")
    jats = to_pandoc(rich_doc_zh, RenderOptions(), "jats")
    assert plain(docx["meta"]["title"]["c"]) == rich_doc_zh.title
    assert docx["meta"]["lang"]["c"] == "zh-CN"
    assert [plain(k["c"]) for k in docx["meta"]["keywords"]["c"]] == rich_doc_zh.keywords
    assert "date" not in docx["meta"] and jats["meta"]["date"]["c"][0]["c"] == "2025-11-21"
    assert "abstract" in jats["meta"] and "abstract" not in docx["meta"]
    assert docx["blocks"][0]["c"][0][0] == "abstract"
    assert jats["blocks"][0]["t"] == "Header"


def test_ragged_table_rows_are_padded() -> None:
    table = Table(
        number=1,
        caption="c",
        header=[[Text("a")], [Text("b")], [Text("c")]],
        rows=[[[Text("1")]], [[Text("1")], [Text("2")], [Text("3")], [Text("4")]]],
    )
    doc = Document(title="t", language="en")
    doc.abstract = [table]
    ast = to_pandoc(doc, RenderOptions(), "html")
    built = next(n for n in nodes(ast) if n["t"] == "Table")
    assert len(built["c"][2]) == 4
    rows = built["c"][4][0][3]
    assert [len(r[1]) for r in rows] == [4, 4]
    run_pandoc(ast, "html", timeout=60)  # pandoc accepts the shape


def test_column_shares_follow_content() -> None:
    table = Table(
        number=1,
        caption="",
        header=[[Text("方法")], [Text("说明")]],
        rows=[[[Text("x")], [Text("一段很长的说明文字" * 3)]]],
    )
    shares = column_shares(table, 2)
    assert shares[1] > shares[0] and abs(sum(shares) - 1) < 0.01


def test_words_split_ascii_space_only() -> None:
    assert words("a  b\nc\u3000d") == [
        {"t": "Str", "c": "a"},
        {"t": "Space"},
        {"t": "Str", "c": "b"},
        {"t": "SoftBreak"},
        {"t": "Str", "c": "c\u3000d"},
    ]
    assert words("x\x00\x07\ud800y") == [{"t": "Str", "c": "xy"}]




# --------------------------------------------------------------------------- runner
def test_pandoc_failure_is_one_line_render_error() -> None:
    with pytest.raises(RenderError) as err:
        run_pandoc(
            {"pandoc-api-version": pandoc_api_version(), "meta": {}, "blocks": [{"t": "Nonsense"}]},
            "docx",
            source="x.txt",
        )
    message = str(err.value)
    assert "\n" not in message and message.startswith("x.txt: pandoc (docx) failed")


def test_pandoc_time_out_is_render_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: Any, **kwargs: Any) -> Any:
        raise subprocess.TimeoutExpired(cmd="pandoc", timeout=kwargs["timeout"])

    monkeypatch.setattr(pandoc_run.subprocess, "run", slow)
    with pytest.raises(RenderError, match=r"took longer than 7 s"):
        run_pandoc({}, "docx", timeout=7)


def test_pandoc_runs_sandboxed_with_a_memory_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def record(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        seen.append(command)
        return subprocess.CompletedProcess(command, 0, b"out", b"")

    monkeypatch.setattr(pandoc_run.subprocess, "run", record)
    assert run_pandoc({}, "docx", ["--reference-doc=r.docx"]) == b"out"
    command = seen[0]
    assert "--sandbox" in command and command[1:4] == ["+RTS", "-M1024m", "-RTS"]


def test_short_headers_and_long_words_get_the_room_they_cannot_break() -> None:
    header = [[Text(h)] for h in ("Method", "Architecture", "lDDT", "Median runtime per target", "Reference")]
    row = [[Text("RoseTTAFold")], [Text("Evoformer plus structure module " * 4)], [Text("0.90")],
           [Text("1.2 h")], [Text("[3]")]]
    table = Table(number=1, caption="", header=header, rows=[row])
    shares = column_shares(table, 5)
    floors = [f for f, _ in column_widths(table, 5)]
    line = LINE * 1.0
    for share, floor in zip(shares, floors, strict=True):
        assert share * line >= floor  # never narrower than what it cannot break
    assert floors[2] >= 4 * 1.15 and floors[4] >= len("Reference") * 1.15
    assert shares[1] == max(shares)  # the column of sentences takes what is left
    zh = Table(number=1, caption="", header=[[Text("准确率")], [Text("说明")]],
               rows=[[[Text("90%")], [Text("很长的说明文字" * 10)]]])
    assert column_shares(zh, 2)[0] * LINE >= 6  # "准确率" stays on one line
