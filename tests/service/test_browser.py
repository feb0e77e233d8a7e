"""End to end in a real browser: Debian's Chromium, driven by Playwright, against a live
server. Upload through the file input, read the draft page, download the DOCX; in English and
in Chinese, as the browser's language asks."""

from __future__ import annotations

import inspect
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from publisher.service import create_app
from publisher.service.report import group_report

from .conftest import SAMPLE, SAMPLE_ZH_TITLE, live_server
from .untranslated import untranslated

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """One Chromium and one server for the module: (browser, base URL)."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is part of the setup (/usr/bin/chromium) but is missing")
    data = tmp_path_factory.mktemp("browser")
    with live_server(create_app(data)) as base, sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium, base
        finally:
            chromium.close()


@pytest.fixture
def browser_page(browser: tuple[Any, str]) -> Iterator[tuple[Any, str]]:
    chromium, base = browser
    context = chromium.new_context(accept_downloads=True)
    try:
        yield context.new_page(), base
    finally:
        context.close()


# The report's own words (group headings, rule explanations, line labels, messages) are the
# `messages` domain. Until `service.report` speaks Chinese (it takes a `lang`), they are left
# out of the Chinese page's check; once it does, the check covers them too.
REPORT_LOCALISED = "lang" in inspect.signature(group_report).parameters
REPORT_WORDS = frozenset({"group-title", "explain", "where", "what"})
# what the page calls itself and its report, in each language (the browser's locale chooses)
WORDS = {
    "en-US": ("Publisher", "What the publisher changed"),
    "zh-CN": ("文稿发布", "发布时做了哪些改动"),
}


@pytest.mark.parametrize("locale", list(WORDS))
def test_upload_preview_and_download_docx(browser: tuple[Any, str], locale: str) -> None:
    chromium, base = browser
    context = chromium.new_context(accept_downloads=True, locale=locale)  # its Accept-Language
    page = context.new_page()
    try:
        _upload_preview_and_download(page, base, locale)
    finally:
        context.close()


def _upload_preview_and_download(page: Any, base: str, locale: str) -> None:
    brand, report_title = WORDS[locale]
    page.goto(base + "/")
    assert page.title().startswith(brand)
    if locale == "zh-CN":
        assert untranslated(page.content()) == []
    page.set_input_files("input[name=file]", str(SAMPLE))
    assert page.inner_text("[data-file-name]") == SAMPLE.name  # the script's enhancement
    page.click("button[type=submit]")
    page.wait_for_url("**/d/*")

    article = page.locator(".paper article")
    assert SAMPLE_ZH_TITLE in article.locator("h1").inner_text()
    chapters = article.locator("section > h2").all_inner_texts()
    assert any("引言" in c for c in chapters) and any("参考文献" in c for c in chapters)
    report = page.locator("aside.report")
    assert report.locator("#report-title").text_content() == report_title
    assert page.locator("html").get_attribute("lang") == ("zh-Hans" if locale == "zh-CN" else "en")
    if locale == "en-US":
        assert report.locator("h3", has_text="Removed").count() == 1
        assert "lines 327–337" in report.inner_text()
    else:
        skip = {"paper"} | (set() if REPORT_LOCALISED else REPORT_WORDS)
        assert untranslated(page.content(), frozenset(skip)) == []
        assert report.locator("a.in-text").first.text_content() == "见正文"

    with page.expect_download() as info:
        page.click("a.button[href$='/docx']")
    download = info.value
    assert download.suggested_filename == SAMPLE_ZH_TITLE + ".docx"
    data = Path(download.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "引言" in xml


def test_the_language_switch_is_a_link_remembered_by_the_browser(browser: tuple[Any, str]) -> None:
    chromium, base = browser
    context = chromium.new_context(locale="zh-CN", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "/?deleted")
        assert page.locator("h1").inner_text() == "发布一份回调记录"
        page.click("nav.lang-switch a[hreflang=en]")
        assert page.locator("h1").inner_text() == "Publish a callback record"
        assert "deleted" in page.url and "The draft and all its files were deleted." in page.inner_text("[role=status]")
        page.goto(base + "/")  # the browser still asks for Chinese; the cookie remembers English
        assert page.locator("html").get_attribute("lang") == "en"
        page.click("nav.lang-switch a[hreflang=zh-Hans]")
        assert page.locator("html").get_attribute("lang") == "zh-Hans"
    finally:
        context.close()


def test_delete_from_the_page(browser_page: tuple[Any, str]) -> None:
    page, base = browser_page
    page.goto(base + "/")
    page.set_input_files("input[name=file]", str(SAMPLE))
    page.click("button[type=submit]")
    page.wait_for_url("**/d/*")
    draft_url = page.url
    page.once("dialog", lambda dialog: dialog.accept())  # the script asks before deleting
    page.click("form.delete button")
    page.wait_for_url("**/?deleted")
    assert "deleted" in page.inner_text("[role=status]")
    response = page.goto(draft_url)
    assert response is not None and response.status == 404


def test_docs_render_the_api_without_any_other_host(browser: tuple[Any, str]) -> None:
    """/docs draws every operation from the package's own Swagger UI: no request leaves the
    service (issue 12 item 14, issue 14), and the UI reads FastAPI's OpenAPI 3.1."""
    chromium, base = browser
    context = chromium.new_context()
    try:
        page = context.new_page()
        hosts: set[str] = set()
        page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
        page.goto(base + "/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=30000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert any("/api/v1/documents" in p for p in paths) and any("/api/v1/batches" in p for p in paths)
        assert hosts == {base.split("/")[2]}
    finally:
        context.close()
