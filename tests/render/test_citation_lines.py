"""A citation never starts a line, cut from the word it belongs to ("…演变过程" / "[5]。"),
in the laid-out formats: the PDF as typst breaks it and the HTML page as Chromium lays it out.
(DOCX: tests/render/test_docx_word.py::test_citations_hold_on_to_their_word.)

One paragraph of sentences of every length, each ending in a citation, is laid out for real;
no line of it may begin with "[". The same paragraph without the word joiner is laid out as
a control: there some lines do begin with a citation, so the test can fail."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

import publisher.render.pandoc_ast as pandoc_ast
from publisher.model import Cite, Document, Inline, Paragraph, Reference, Section, Text
from publisher.render import RenderOptions, html, pdf

JOINER = "\u2060"
WORDS = "图像识别技术在医学影像分析与遥感监测中的应用不断拓展模型轻量化成为研究热点"


def long_paragraph_doc() -> Document:
    """Sentences of 1..37 characters, each closed by a citation: wherever the lines fall,
    some citation lands at a line's end."""
    inlines: list[Inline] = []
    for k in range(1, 120):
        inlines += [Text(WORDS[: (k * 7) % 37 + 1]), Cite([k % 5 + 1]), Text("，" if k % 3 else "。")]
    refs = [Reference(number=n, title=f"文献{n}", date="2020", text=f"文献{n}. 2020.", supplied=[n], raw=f"文献{n}")
            for n in range(1, 6)]
    return Document(title="引文测试", language="zh", sections=[Section("1", "引言", 1, blocks=[Paragraph(inlines)])],
                    references=refs)


def pdf_body_lines(doc: Document) -> list[str]:
    data = pdf.render(doc, RenderOptions()).value
    assert isinstance(data, bytes)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")
    return text[text.index("引言"):text.index("参考文献")].splitlines()[1:]


def starting_with_a_citation(lines: list[str]) -> list[str]:
    return [line for line in lines if line.lstrip(JOINER + " ").startswith("[")]


def test_pdf_lines_never_start_with_a_citation(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = pdf_body_lines(long_paragraph_doc())
    assert len(lines) > 20 and sum(line.count("[") for line in lines) == 119
    assert starting_with_a_citation(lines) == []
    monkeypatch.setattr(pandoc_ast, "WORD_JOINER", "")  # the control: typst alone breaks before "["
    assert starting_with_a_citation(pdf_body_lines(long_paragraph_doc()))


# For every citation: is the character before its marker on the same line as the marker?
SAME_LINE = """() => [...document.querySelectorAll('article sup.cite')].map(sup => {
  const before = sup.previousSibling;
  const text = before && before.nodeType === Node.TEXT_NODE ? before.textContent.replace(/\\u2060$/, '') : '';
  if (!text) return null;
  const range = document.createRange();
  range.setStart(before, text.length - 1);
  range.setEnd(before, text.length);
  const char = range.getBoundingClientRect(), mark = sup.getBoundingClientRect();
  const line = parseFloat(getComputedStyle(sup.parentElement).lineHeight);
  return Math.abs(char.bottom - mark.bottom) < 0.6 * line;
}).filter(x => x !== null)"""


def lines_kept(browser: Any, page_html: str, width: int) -> list[bool]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        tab = context.new_page()
        tab.set_content(page_html)
        return tab.evaluate(SAME_LINE)
    finally:
        context.close()


@pytest.mark.slow
@pytest.mark.parametrize("width", [1000, 400])
def test_html_citations_stay_on_the_line_of_their_word(browser: Any, width: int) -> None:
    page_html = html.render(long_paragraph_doc(), RenderOptions()).value.decode("utf-8")  # type: ignore[union-attr]
    assert page_html.count(JOINER + '<sup class="cite">') == 119
    kept = lines_kept(browser, page_html, width)
    assert len(kept) == 119 and all(kept)
    # the control: without the joiner Chromium does put a citation at the start of a line
    bare = page_html.replace(JOINER + "<sup", "<sup")
    assert not all(lines_kept(browser, bare, width))
