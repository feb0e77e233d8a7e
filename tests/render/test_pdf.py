"""PDF writer: text, outline and metadata of the PDF, Typst code kept as text, fonts, root.

A typst compile costs about half a second, so each document is rendered once per module
(see `rendered`) and the tests read the same bytes.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from publisher.errors import RenderError
from publisher.model import Cite, Document, Inline, Link, Paragraph, Section, Strong, Text
from publisher.render import RenderOptions, fonts, notes, pdf
from publisher.render.pandoc_ast import to_pandoc
from publisher.render.pandoc_run import run_pandoc
from publisher.render.template_dir import installed_templates
from publisher.render.typst_escape import guard_typst_syntax
from publisher.render.typst_run import compile_pdf

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.txt"))

# Typst syntax a record might carry; each must be typeset as the characters it is.
TYPST_CODE = [
    '#read("/etc/passwd")',
    '#import "@preview/cetz:0.3.0": *',
    "$x^2 + y$",
    "<label>",
    "@ref",
    "#set page(width: 1cm)",
    "#{1+1}",
    "// not a comment",
    "*not bold* _not emph_ `not raw`",
]
LINE_STARTS = ["1. not a list", "= not a heading", "- not a bullet", "+ not an enum", "/ not: a term"]

# Text right after an element pandoc writes as a function call, and text split in two.
AFTER_A_CALL: list[Inline] = [
    Strong([Text("C")]),
    Text(".at(0)"),
    Link("https://example.org", [Text("L")]),
    Text(".len()"),
    Cite([2]),
    Text(".x"),
    Cite([2]),
    Text(".此外"),
    Text("a/"),
    Text("/b"),
    Text("c-?d"),
    Text("e...f"),
]

_RENDERED: dict[str, bytes] = {}


def rendered(key: str, build: Callable[[], Document], **options: object) -> bytes:
    if key not in _RENDERED:
        _RENDERED[key] = pdf.render(build(), RenderOptions(**options)).value  # type: ignore[arg-type]
    return _RENDERED[key]


def text_of(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def squeezed(text: str) -> str:
    """Text without whitespace (pdftotext breaks lines wherever the PDF does) and without the
    invisible word joiners that keep citations with their words."""
    return re.sub(r"[\s\u2060]+", "", text)


def info_of(data: bytes) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", "-enc", "UTF-8", "-"], input=data, capture_output=True, check=True)
    pairs = (line.partition(":") for line in done.stdout.decode("utf-8").splitlines())
    return {k.strip(): v.strip() for k, _, v in pairs}


def bookmarks_of(data: bytes) -> list[str]:
    done = subprocess.run(
        ["pdftohtml", "-xml", "-stdout", "-i", "-q", "-", "out"], input=data, capture_output=True, check=True
    )
    return re.findall(r"<item page=\"\d+\">([^<]*)</item>", done.stdout.decode("utf-8"))


def font_names(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def pdf_zh(rich_doc_zh: Document) -> bytes:
    return rendered("zh", lambda: rich_doc_zh)


@pytest.fixture
def pdf_en(rich_doc_en: Document) -> bytes:
    return rendered("en", lambda: rich_doc_en)


@pytest.fixture
def no_system_fonts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Font discovery sees one empty folder, as on a machine without CJK fonts."""
    empty = tmp_path / "fonts"
    empty.mkdir()
    monkeypatch.setattr(fonts, "system_font_dirs", lambda: (empty,))
    return empty


# --------------------------------------------------------------------------- content
def test_chinese_text_comes_back(pdf_zh: bytes, rich_doc_zh: Document) -> None:
    text = text_of(pdf_zh)
    flat = squeezed(text)
    assert pdf_zh.startswith(b"%PDF")
    assert squeezed(rich_doc_zh.title) in flat
    for section in rich_doc_zh.walk_sections():
        assert squeezed(f"{section.number} {section.title}") in flat
    for label in (
        "摘要：",
        "关键词：",
        "表1",
        "主流图像识别模型比较",
        "参考文献",
        "[1]开源计算获图像识别模型专利",
    ):
        assert label in flat
    assert "Table 1:" not in text and "Table" not in text
    # the caption's label reads back as written; in the running text pdftotext reads the quarter
    # em between Han and a digit as a space ("表 1 比较了"), as in LibreOffice's PDF of the DOCX
    assert re.search(r"^表1$", text, re.M) and "表 1 比较了" in text
    # the caption sits above the table
    assert flat.index("表1主流图像识别模型比较") < flat.index("ResNet-50")
    # superscript citation groups keep their ranges
    assert "基础模型[1,3-5]，" in flat


def test_english_labels(pdf_en: bytes, rich_doc_en: Document) -> None:
    text = text_of(pdf_en)
    flat = squeezed(text)
    for section in rich_doc_en.walk_sections():
        assert squeezed(f"{section.number} {section.title}") in flat
    assert "Table 1 Comparison of image recognition models" in text
    assert "Table 1:" not in text
    assert "References" in text and "Abstract:" in text and "Keywords:" in text


def test_outline_has_every_heading(pdf_zh: bytes, rich_doc_zh: Document) -> None:
    expected = [f"{s.number} {s.title}" for s in rich_doc_zh.walk_sections()] + ["参考文献"]
    assert bookmarks_of(pdf_zh) == expected


def test_metadata_and_page_size(pdf_zh: bytes) -> None:
    info = info_of(pdf_zh)
    assert info["Title"] == "深度学习在图像识别领域的最新进展"
    assert info["Keywords"] == "深度学习, 图像识别, 卷积神经网络, Transformer"
    assert info["Page size"].startswith("595.276 x 841.89")  # A4
    assert int(info["Pages"]) >= 2
    assert "2025" in info["CreationDate"]  # the record's date, not the clock


def test_fonts_are_noto_cjk(pdf_zh: bytes, tmp_path: Path) -> None:
    names = font_names(pdf_zh, tmp_path)
    assert "NotoSerifCJK" in names and "NotoSansCJK" in names


def test_page_header_and_numbers(pdf_zh: bytes) -> None:
    second_page = text_of(pdf_zh).split("\f")[1]
    lines = [line.strip() for line in second_page.splitlines() if line.strip()]
    assert lines[0] == "深度学习在图像识别领域的最新进展"  # running title
    assert lines[-1] == "2"


def test_same_document_same_bytes(pdf_en: bytes, rich_doc_en: Document) -> None:
    assert pdf.render(rich_doc_en, RenderOptions()).value == pdf_en


def test_table_of_contents_on_request(rich_doc_en: Document) -> None:
    text = text_of(rendered("en-toc", lambda: rich_doc_en, toc=True))
    contents = text[text.index("Contents") : text.index("1 Introduction\nConvolutional")]
    assert "2.1 Improving convolutional networks" in contents


# --------------------------------------------------------------------------- safety
def test_typst_code_in_the_record_is_text(rich_doc_en: Document, hostile_doc: Document) -> None:
    doc = hostile_doc
    doc.title = "T " + TYPST_CODE[0]
    doc.keywords = [TYPST_CODE[0], "$"]
    doc.sections[0].title = "Heading " + TYPST_CODE[1]
    doc.sections[0].blocks[:0] = [Paragraph([Text(code)]) for code in TYPST_CODE + LINE_STARTS]
    doc.sections[0].blocks.append(Paragraph(AFTER_A_CALL))
    doc.tables()[0].caption = "Cap " + TYPST_CODE[0]
    data = pdf.render(doc, RenderOptions()).value
    text = text_of(data)
    flat = squeezed(text)
    for code in TYPST_CODE + LINE_STARTS:
        assert squeezed(code) in flat
    assert "C.at(0)L.len()[2].x[2].此外a//bc-?de...f" in flat
    assert "root:" not in text  # /etc/passwd was not read
    assert squeezed("Table 1 Cap " + TYPST_CODE[0]) in flat
    assert info_of(data)["Title"] == "T " + TYPST_CODE[0]
    assert info_of(data)["Page size"].startswith("595.276 x 841.89")


def typst_body(*paragraphs: Paragraph) -> str:
    doc = Document(title="t", language="en", sections=[Section("1", "s", 1, blocks=list(paragraphs))])
    ast = guard_typst_syntax(to_pandoc(doc, RenderOptions(), "pdf"))
    return run_pandoc(ast, "typst", ["--wrap=none"]).decode("utf-8")


@pytest.mark.parametrize(
    ("inlines", "expected"),
    [
        ([Text("12. twelve")], "\n12\\. twelve\n"),  # not a numbered list
        ([Strong([Text("a")]), Text(".at(0)")], "#strong[a]\\.at(0)"),  # not a method call
        ([Cite([1]), Text(".此外")], "]]\\.此外"),
        ([Text("a/"), Text("/b")], "a/\\/b"),  # not a comment
        ([Text("c-?d")], "c-\\?d"),  # not a soft hyphen
        ([Text("e....f")], "e.\\.\\.\\.f"),  # not an ellipsis
        ([Text("低至 -5 度")], "低至 \\-5 度"),  # not a minus sign
    ],
)
def test_pandoc_escaping_gaps_are_closed(inlines: list[Inline], expected: str) -> None:
    assert expected in typst_body(Paragraph(inlines))


@pytest.mark.parametrize("path", ["/etc/passwd", "../../../../../../etc/passwd", "../../render/pdf.py"])
def test_typst_cannot_read_outside_the_template_folder(path: str) -> None:
    source = f'#import "article.typ": article\n#read("{path}")\n'
    with pytest.raises(RenderError, match="typst failed"):
        compile_pdf(source, root=installed_templates() / "pdf", font_dirs=[], inputs={})


def test_template_files_are_readable_inside_the_root() -> None:
    # the control for the test above: the same call succeeds on a file inside the root
    data = compile_pdf('#read("article.typ").len()', root=installed_templates() / "pdf", font_dirs=[], inputs={})
    assert data.startswith(b"%PDF")


# --------------------------------------------------------------------------- fonts
def test_missing_cjk_font_is_an_error(no_system_fonts: Path, rich_doc_zh: Document) -> None:
    with pytest.raises(RenderError, match="no CJK font.*Noto Serif CJK SC"):
        pdf.render(rich_doc_zh, RenderOptions())


def test_english_needs_no_cjk_font(no_system_fonts: Path, rich_doc_en: Document) -> None:
    text = text_of(pdf.render(rich_doc_en, RenderOptions()).value)
    assert "1 Introduction" in text


def test_han_in_an_english_document_needs_a_cjk_font(no_system_fonts: Path, rich_doc_en: Document) -> None:
    rich_doc_en.sections[0].title = "Introduction 引言"
    with pytest.raises(RenderError, match="no CJK font"):
        pdf.render(rich_doc_en, RenderOptions())


def test_font_dirs_option_adds_folders(no_system_fonts: Path, rich_doc_zh: Document, tmp_path: Path) -> None:
    real = fonts._fontconfig_dirs() or []
    assert real, "fc-list finds no Noto CJK font; install fonts-noto-cjk"
    data = pdf.render(rich_doc_zh, RenderOptions(font_dirs=tuple(real))).value
    assert "NotoSerifCJK" in font_names(data, tmp_path)


def test_missing_font_folder_is_an_error(rich_doc_en: Document, tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="font folder not found: .*nowhere"):
        pdf.render(rich_doc_en, RenderOptions(font_dirs=(tmp_path / "nowhere",)))


def test_typst_failure_is_a_render_error(rich_doc_en: Document, tmp_path: Path) -> None:
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "article.typ").write_text("#let article(cfg, body) = {\n", encoding="utf-8")
    with pytest.raises(RenderError, match="typst failed"):
        pdf.render(rich_doc_en, RenderOptions(templates=tmp_path))


def test_templates_folder_without_the_typst_layout_is_a_render_error(rich_doc_en: Document, tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="pdf/article.typ is missing"):
        pdf.render(rich_doc_en, RenderOptions(templates=tmp_path))


# --------------------------------------------------------------------------- helpers
@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (
            "2025-11-21T19:18:36",
            {"year": 2025, "month": 11, "day": 21, "hour": 19, "minute": 18, "second": 36},
        ),
        ("2025-11-21", {"year": 2025, "month": 11, "day": 21, "hour": 0, "minute": 0, "second": 0}),
        ("yesterday", None),
        (None, None),
    ],
)
def test_pdf_date(received: str | None, expected: dict[str, int] | None) -> None:
    assert pdf.pdf_date(received) == expected


def test_running_title_is_shortened(rich_doc_zh: Document) -> None:
    rich_doc_zh.title = "长" * 100
    running = notes.running_title(rich_doc_zh)
    assert len(running) == notes.RUNNING_TITLE_MAX["zh"] and running.endswith("…")


# --------------------------------------------------------------------------- samples
@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_real_records(sample: Path) -> None:
    from publisher.pipeline import build_document

    doc = build_document(sample)
    assert doc.language == "zh" and doc.tables() and doc.references
    data = pdf.render(doc, RenderOptions()).value
    flat = squeezed(text_of(data))
    assert squeezed(doc.title) in flat
    for table in doc.tables():
        assert squeezed(f"表{table.number}　{table.caption}") in flat
    for ref in doc.references:
        assert squeezed(f"[{ref.number}] {ref.text}")[:30] in flat
    headings = [f"{s.number} {s.title}" for s in doc.walk_sections()]
    assert bookmarks_of(data) == [*headings, "参考文献"]
    assert all(squeezed(h) in flat for h in headings)
