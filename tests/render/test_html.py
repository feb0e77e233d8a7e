"""HTML writer: structure, links that resolve, escaping by construction, determinism."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest

from publisher.errors import RenderError
from publisher.model import Cite, Document, Link, Message, Paragraph, Text
from publisher.render import RenderOptions, html
from publisher.render.template_dir import installed_templates
from publisher.urls import safe_url

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.txt"))

BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\nscript:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "\x00https://example.org",
    "https://example.org/\njavascript:alert(1)",
]


def page(doc: Document, **options: object) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html.render(doc, RenderOptions(**options)).value)  # type: ignore[arg-type]


def ids(tree: lxml.html.HtmlElement) -> set[str]:
    return {el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")}


def test_page_is_standalone_with_language_and_meta(rich_doc_zh: Document) -> None:
    tree = page(rich_doc_zh)
    assert tree.tag == "html" and tree.get("lang") == "zh-CN"
    meta = {m.get("name"): m.get("content") for m in tree.iter("meta") if m.get("name")}
    assert meta["citation_title"] == "深度学习在图像识别领域的最新进展"
    assert meta["citation_keywords"] == "深度学习; 图像识别; 卷积神经网络; Transformer"
    assert meta["citation_date"] == "2025/11/21"
    assert meta["citation_language"] == "zh"
    assert meta["generator"].startswith("publisher")
    assert "max-width" in tree.findtext(".//style") and "@media print" in tree.findtext(".//style")


def test_english_page_uses_english_labels(rich_doc_en: Document) -> None:
    tree = page(rich_doc_en)
    assert tree.get("lang") == "en-US"  # the tag every writer uses (publisher.text.LANG_TAGS)
    headings = [h.text_content() for h in tree.iter("h2")]
    assert headings == ["Contents", "Abstract", "1 Introduction", "2 Architectures", "References"]
    assert tree.findtext(".//figcaption") == "Table 1 Comparison of image recognition models"
    assert tree.find_class("keywords")[0].text_content() == (
        "Keywords: deep learning; image recognition; CNN; transformer"
    )


def test_headings_are_numbered_at_the_right_level(rich_doc_zh: Document) -> None:
    tree = page(rich_doc_zh)
    assert tree.findtext(".//h1") == "深度学习在图像识别领域的最新进展"
    assert [h.text_content() for h in tree.iter("h3")] == [
        "1.1 图像识别技术发展概述",
        "2.1 卷积神经网络的改进",
    ]
    assert [h.text_content() for h in tree.iter("h4")] == ["1.1.1 手工特征阶段"]
    assert tree.get_element_by_id("sec-1-1-1").tag == "section"


def test_every_table_is_a_figure_with_its_caption_outside_the_scrolling_area(rich_doc_zh: Document) -> None:
    tree = page(rich_doc_zh)
    figures = tree.xpath("//article//figure[@class='table']")
    assert len(figures) == len(rich_doc_zh.tables()) == 1
    figure = figures[0]
    assert figure.get("id") == "tab-1"  # a table can be linked to
    assert [c.tag for c in figure] == ["figcaption", "div"]  # the caption does not scroll
    assert figure.findtext("figcaption") == "表1 主流图像识别模型比较"
    wrap = figure.find("div")
    assert wrap.get("class") == "table-wrap" and wrap.get("tabindex") == "0"  # keyboard can scroll it
    assert wrap.find("table").get("aria-labelledby") == figure.find("figcaption").get("id")
    # a short header never breaks inside a word
    assert [th.get("class") for th in wrap.iter("th")] == ["short", "short", "short"]


def test_citation_groups_read_like_the_model_and_link_each_number(rich_doc_zh: Document) -> None:
    tree = page(rich_doc_zh)
    sups = tree.find_class("cite")
    assert sups[0].text_content() == "[1]"
    assert sups[1].text_content() == "[2,3]"
    group = sups[2]  # Cite([1, 3, 4, 5]) in chapter 1
    assert group.text_content() == "[1,3-5]"
    # every number of the range can be reached: the dash links to the first entry inside it
    assert [a.get("href") for a in group.iter("a")] == ["#ref-1", "#ref-3", "#ref-4", "#ref-5"]
    assert [a.text for a in group.iter("a")] == ["1", "3", "-", "5"]
    assert group.find("a").get("title") == rich_doc_zh.references[0].text
    cite_ids = [a.get("id") for s in sups for a in s.iter("a")]
    assert len(cite_ids) == len(set(cite_ids))


def test_all_internal_links_resolve(rich_doc_zh: Document) -> None:
    tree = page(rich_doc_zh)
    known = ids(tree)
    internal = [a.get("href") for a in tree.iter("a") if a.get("href", "").startswith("#")]
    assert internal and all(h[1:] in known for h in internal)
    toc = tree.find_class("toc")[0]
    shown = [s for s in rich_doc_zh.walk_sections() if s.level <= html.TOC_DEPTH]
    assert [a.get("href") for a in toc.iter("a")] == ["#" + s.anchor() for s in shown] + ["#references"]
    assert toc.text_content().count("1.1 图像识别技术发展概述") == 1 and "1.1.1" not in toc.text_content()


def test_references_are_an_ordered_list_with_back_links(rich_doc_zh: Document) -> None:
    tree = page(rich_doc_zh)
    items = tree.xpath("//ol[@class='references']/li")
    assert [li.get("id") for li in items] == [f"ref-{r.number}" for r in rich_doc_zh.references]
    # numbered "[1]" like the citations, not "1."
    assert items[0].text_content().startswith(f"[1] {rich_doc_zh.references[0].text}")
    assert items[0].find("span").get("class") == "ref-label"
    back = {li.get("id"): li.find("a[@class='backref']").get("href") for li in items}
    assert back["ref-1"] == "#cite-1-1"
    first_cite_of_3 = tree.get_element_by_id(back["ref-3"][1:])
    assert first_cite_of_3.get("href") == "#ref-3" and first_cite_of_3.getparent().text_content() == "[2,3]"
    # 4 is first cited inside the range 3-5: its back-link goes to the range's dash
    dash = tree.get_element_by_id(back["ref-4"][1:])
    assert dash.get("href") == "#ref-4" and dash.text == "-"
    assert dash.get("aria-label") == "4" and dash.getparent().text_content() == "[1,3-5]"


def test_cite_without_a_reference_is_plain_text(rich_doc_en: Document) -> None:
    rich_doc_en.sections[0].blocks.append(Paragraph([Text("x"), Cite([99])]))
    tree = page(rich_doc_en)
    assert [s.text_content() for s in tree.find_class("cite") if "99" in s.text_content()] == ["[99]"]
    assert not tree.xpath("//a[@href='#ref-99']")


def test_hostile_text_stays_text(hostile_doc: Document) -> None:
    out = html.render(hostile_doc, RenderOptions()).value
    tree = lxml.html.fromstring(out)
    assert not tree.xpath("//script | //w:p", namespaces={"w": "urn:x"}) and b"<script>" not in out
    assert tree.findtext(".//h1") == hostile_doc.title
    assert tree.findtext(".//title") == hostile_doc.title
    assert hostile_doc.sections[0].title in tree.find(".//section[@id='sec-1']/h2").text_content()
    assert tree.findtext(".//figcaption") == "Table 1 " + hostile_doc.tables()[0].caption
    assert b"{{ jinja }}" in out  # data is never rendered as a template


@pytest.mark.parametrize("url", BAD_URLS)
def test_unsafe_links_lose_their_href(rich_doc_en: Document, url: str) -> None:
    rich_doc_en.sections[0].blocks.append(Paragraph([Link(url, [Text("click me")])]))
    tree = page(rich_doc_en)
    clicked = [el for el in tree.iter() if isinstance(el.tag, str) and el.text == "click me"]
    assert clicked and all(el.get("href") is None for el in clicked)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        assert not any(name.startswith("on") for name in el.attrib)
        href = (el.get("href") or "").strip().lower()
        assert href.startswith(("#", "http://", "https://", "mailto:")) or not href


def test_img_and_event_handlers_in_text_are_inert(rich_doc_en: Document) -> None:
    rich_doc_en.sections[0].blocks.append(Paragraph([Text("<img src=x onerror=alert(1)>")]))
    tree = page(rich_doc_en)
    assert not tree.xpath("//img")
    assert "<img src=x onerror=alert(1)>" in tree.text_content()


def test_safe_links_are_kept() -> None:
    for url in [
        "https://example.org/a?b=1&c=2",
        "HTTP://EXAMPLE.ORG",
        "mailto:a@example.org",
        "https://ex.org/a b",
    ]:
        assert safe_url(url) == url
    for url in BAD_URLS:
        assert safe_url(url) is None


def test_rendering_is_deterministic(rich_doc_zh: Document) -> None:
    assert html.render(rich_doc_zh, RenderOptions()).value == html.render(rich_doc_zh, RenderOptions()).value


def test_fragment_is_the_article_alone(rich_doc_zh: Document) -> None:
    rich_doc_zh.report = [Message("think", "info", 3, 5, "<think>", "removed reasoning")]
    out = html.render(rich_doc_zh, RenderOptions(fragment=True)).value.decode()
    assert out.startswith("<article") and out.rstrip().endswith("</article>")
    for tag in ("<html", "<head>", "<style", "<body", "<meta", "<details"):
        assert tag not in out
    tree = lxml.html.fragment_fromstring(out)
    assert tree.get("lang") == "zh-CN" and tree.find_class("references")


def test_report_stays_off_the_published_page(rich_doc_zh: Document) -> None:
    rich_doc_zh.report = [Message("prompt-leakage", "info", 3, 5, "请严格遵循以下格式", "removed leaked prompt")]
    out = html.render(rich_doc_zh, RenderOptions()).value.decode()
    assert "请严格遵循以下格式" not in out and "<details" not in out


def test_report_on_request_is_a_collapsed_details_block(rich_doc_zh: Document) -> None:
    rich_doc_zh.report = [Message("think", "info", 3, 5, "<think>", "removed reasoning")]
    tree = page(rich_doc_zh, report_in_html=True)
    details = tree.xpath("//details[@class='report']")
    assert len(details) == 1 and details[0].get("open") is None
    assert details[0].getparent().tag == "aside"  # inside a landmark
    assert "<think>" in details[0].text_content() and "3-5" in details[0].text_content()
    assert not page(rich_doc_zh, report_in_html=True, fragment=True).xpath("//details")


def test_the_report_block_speaks_the_documents_language(rich_doc_zh: Document, rich_doc_en: Document) -> None:
    for doc in (rich_doc_zh, rich_doc_en):
        doc.report = [Message("stray-rule", "warning", 3, 3, "---", "horizontal rule removed")]
    here = Path(__file__).resolve().parents[2] / "templates"  # this tree's page, whatever is installed
    zh = page(rich_doc_zh, report_in_html=True, templates=here).xpath("//details[@class='report']")[0]
    assert [th.text_content() for th in zh.xpath(".//th")] == ["级别", "规则", "行", "说明", "摘录"]
    assert zh.xpath(".//td")[0].text_content() == "警告"
    en = page(rich_doc_en, report_in_html=True, templates=here).xpath("//details[@class='report']")[0]
    assert [th.text_content() for th in en.xpath(".//th")] == ["Severity", "Rule", "Lines", "Message", "Excerpt"]
    assert en.xpath(".//td")[0].text_content() == "warning"


def test_article_is_the_main_landmark(rich_doc_zh: Document) -> None:
    tree = page(rich_doc_zh)
    assert [el.tag for el in tree.find("body")] == ["main"]
    assert tree.find("body/main/article") is not None


def test_citations_in_table_cells_are_bracketed_at_body_size(rich_doc_zh: Document) -> None:
    table = page(rich_doc_zh).xpath("//table")[0]
    assert not table.xpath(".//sup")
    assert [s.text_content() for s in table.xpath(".//span[@class='cite']")] == ["[3]", "[5]"]


def test_no_space_before_a_citation(rich_doc_en: Document) -> None:
    rich_doc_en.sections[0].blocks.append(Paragraph([Text("living cells "), Cite([2]), Text(".")]))
    para = page(rich_doc_en).xpath("//p[contains(., 'living cells')]")[0]
    assert para.text_content() == "living cells\u2060[2]."


def test_unsafe_link_is_reported(rich_doc_en: Document) -> None:
    rich_doc_en.sections[0].blocks.append(Paragraph([Link("javascript:alert(1)", [Text("click me")])]))
    messages = html.render(rich_doc_en, RenderOptions()).messages
    assert [(m.rule, m.excerpt) for m in messages] == [("unsafe-link", "click me")]


def test_templates_option_restyles_the_page(rich_doc_zh: Document, tmp_path: Path) -> None:
    copy = tmp_path / "look"
    shutil.copytree(installed_templates(), copy)
    css = copy / "html" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nbody { background: #fdf6e3; }\n", encoding="utf-8")
    styled = html.render(rich_doc_zh, RenderOptions(templates=copy)).value.decode()
    assert "background: #fdf6e3" in styled
    assert "background: #fdf6e3" not in html.render(rich_doc_zh, RenderOptions()).value.decode()


def test_templates_folder_without_the_page_is_a_render_error(rich_doc_zh: Document, tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="html/page.html.j2"):
        html.render(rich_doc_zh, RenderOptions(templates=tmp_path))


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples_render_to_valid_pages(sample: Path) -> None:
    from publisher.pipeline import build_document

    doc = build_document(sample)
    out = html.render(doc, RenderOptions()).value
    assert out == html.render(build_document(sample), RenderOptions()).value
    tree = lxml.html.fromstring(out)
    known = ids(tree)
    assert all(a.get("href")[1:] in known for a in tree.iter("a") if a.get("href", "").startswith("#"))
    assert len(tree.xpath("//article//table")) == len(tree.xpath("//article//figcaption")) == len(doc.tables())
    assert len(tree.xpath("//ol[@class='references']/li")) == len(doc.references)
    assert [h.text_content() for h in tree.xpath("//article/section[starts-with(@id, 'sec-')]/h2")] == [
        f"{s.number} {s.title}" for s in doc.sections
    ]


def test_uncited_entries_stay_out_of_the_list(rich_doc_en: Document) -> None:
    rich_doc_en.references[-1].cited = False
    items = page(rich_doc_en).xpath("//ol[@class='references']/li")
    assert [li.get("id") for li in items] == [r.anchor() for r in rich_doc_en.references[:-1]]


def test_long_latin_runs_may_break_so_justified_lines_are_not_letter_spaced(rich_doc_zh: Document) -> None:
    word = "InternationalClassificationOfDiseasesCoder"
    rich_doc_zh.sections[0].blocks.append(Paragraph([Text(f"模型如{word}等专用模型")]))
    tree = page(rich_doc_zh)
    assert [s.text for s in tree.xpath("//span[@class='long']")] == [word]
    assert "span.long { word-break: break-all; }" in tree.findtext(".//style")
