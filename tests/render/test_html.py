"""HTML writer: structure, links that resolve, escaping by construction, determinism."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from publisher.model import Cite, Document, Link, Message, Paragraph, Text
from publisher.render import RenderOptions, html
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
    assert tree.get("lang") == "en"
    headings = [h.text_content() for h in tree.iter("h2")]
    assert headings == ["Contents", "Abstract", "1 Introduction", "2 Architectures", "References"]
    assert tree.findtext(".//caption") == "Table 1 Comparison of image recognition models"
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


def test_every_table_has_one_caption_above_its_rows(rich_doc_zh: Document) -> None:
    tree = page(rich_doc_zh)
    article_tables = tree.xpath("//article//table")
    assert len(article_tables) == len(rich_doc_zh.tables()) == 1
    for table in article_tables:
        children = [c.tag for c in table]
        assert children.count("caption") == 1 and children[0] == "caption"
    assert article_tables[0].findtext("caption") == "表1 主流图像识别模型比较"
    assert article_tables[0].xpath("./ancestor::div[@class='table-wrap']")


def test_citation_groups_read_like_the_model_and_link_each_number(rich_doc_zh: Document) -> None:
    tree = page(rich_doc_zh)
    sups = tree.find_class("cite")
    assert sups[0].text_content() == "[1]"
    assert sups[1].text_content() == "[2,3]"
    group = sups[2]  # Cite([1, 3, 4, 5]) in chapter 1
    assert group.text_content() == "[1,3-5]"
    assert [a.get("href") for a in group.iter("a")] == ["#ref-1", "#ref-3", "#ref-5"]
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
    assert items[0].text.strip() == rich_doc_zh.references[0].text
    back = {li.get("id"): li.find("a[@class='backref']").get("href") for li in items}
    assert back["ref-1"] == "#cite-1-1"
    first_cite_of_3 = tree.get_element_by_id(back["ref-3"][1:])
    assert first_cite_of_3.get("href") == "#ref-3" and first_cite_of_3.getparent().text_content() == "[2,3]"
    # 4 is first cited inside the range 3-5: its back-link goes to the link opening the range
    range_start = tree.get_element_by_id(back["ref-4"][1:])
    assert range_start.get("href") == "#ref-3" and range_start.getparent().text_content() == "[1,3-5]"


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
    assert tree.findtext(".//caption") == "Table 1 " + hostile_doc.tables()[0].caption
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


def test_report_is_a_collapsed_details_block(rich_doc_zh: Document) -> None:
    rich_doc_zh.report = [Message("think", "info", 3, 5, "<think>", "removed reasoning")]
    tree = page(rich_doc_zh)
    details = tree.find_class("report")
    assert len(details) == 1 and details[0].tag == "details" and details[0].get("open") is None
    assert "<think>" in details[0].text_content() and "3-5" in details[0].text_content()


def test_draft_mode_shows_missing_chapters(rich_doc_zh: Document) -> None:
    options = dict(draft=True, missing_chapters=("研究背景",))
    missing = page(rich_doc_zh, **options).find_class("missing")
    assert len(missing) == 1 and "（本章未生成）" in missing[0].text_content()
    assert not page(rich_doc_zh, missing_chapters=("研究背景",)).find_class("missing")


def test_templates_ship_inside_the_package() -> None:
    assert html.TEMPLATES.is_relative_to(Path(html.__file__).resolve().parents[1])
    assert (html.TEMPLATES / "page.html.j2").is_file()


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples_render_to_valid_pages(sample: Path) -> None:
    from publisher.pipeline import build_document

    doc = build_document(sample)
    out = html.render(doc, RenderOptions()).value
    assert out == html.render(build_document(sample), RenderOptions()).value
    tree = lxml.html.fromstring(out)
    known = ids(tree)
    assert all(a.get("href")[1:] in known for a in tree.iter("a") if a.get("href", "").startswith("#"))
    assert len(tree.xpath("//article//table")) == len(tree.xpath("//article//caption")) == len(doc.tables())
    assert len(tree.xpath("//ol[@class='references']/li")) == len(doc.references)
    assert [h.text_content() for h in tree.xpath("//article/section[starts-with(@id, 'sec-')]/h2")] == [
        f"{s.number} {s.title}" for s in doc.sections
    ]


def test_uncited_entries_stay_out_of_the_list(rich_doc_en: Document) -> None:
    rich_doc_en.references[-1].cited = False
    items = page(rich_doc_en).xpath("//ol[@class='references']/li")
    assert [li.get("id") for li in items] == [r.anchor() for r in rich_doc_en.references[:-1]]
