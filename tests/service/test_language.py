"""The pages speak the author's language: `?lang=` (the switch, remembered in a cookie), else
that cookie, else Accept-Language; English otherwise. Through a live server, as a browser
without JavaScript would use it."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from publisher.service.language import LANG_COOKIE

from . import builders
from .test_api import gate, wait_for  # noqa: F401 - the gate fixture, shared
from .untranslated import untranslated

Serve = Callable[..., httpx.Client]
ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
EN = {"Accept-Language": "en-US,en;q=0.9"}
TOKEN = "s3cret-token-for-tests"


def html_lang(r: httpx.Response) -> str:
    m = re.search(r'<html lang="([^"]+)">', r.text)
    assert m, "every page says its language"
    return m.group(1)


def switch_hrefs(r: httpx.Response) -> dict[str, str]:
    """The language switch: language tag -> link (the current language is not a link)."""
    nav = re.search(r'<nav class="lang-switch".*?</nav>', r.text, re.S)
    assert nav, "every page carries the switch"
    return {tag: href.replace("&amp;", "&") for href, tag in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav.group(0))}


@pytest.fixture(scope="module")
def client(shared: tuple[httpx.Client, dict[str, Any]]) -> httpx.Client:
    return shared[0]


@pytest.mark.parametrize(("accept", "lang", "heading"), [
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans", "发布一份回调记录"),
    ("zh-TW", "zh-Hans", "发布一份回调记录"),  # Chinese of any script gets the Chinese we have
    ("en-US,zh;q=0.5", "en", "Publish a callback record"),
    ("fr-FR,de;q=0.8", "en", "Publish a callback record"),  # nothing we speak: English
    ("", "en", "Publish a callback record"),
])
def test_accept_language_chooses(client: httpx.Client, accept: str, lang: str, heading: str) -> None:
    r = httpx.get(f"{client.base_url}/", headers={"Accept-Language": accept})
    assert r.status_code == 200
    assert r.headers["content-language"] == lang and html_lang(r) == lang
    assert f"<h1>{heading}</h1>" in r.text
    assert "set-cookie" not in r.headers, "only the switch is remembered"


def test_the_switch_is_remembered_in_a_cookie(serve: Serve) -> None:
    client = serve()
    r = client.get("/", headers=EN)
    assert switch_hrefs(r) == {"zh-Hans": "?lang=zh"}
    r = client.get("/?lang=zh", headers=EN)
    assert html_lang(r) == "zh-Hans"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{LANG_COOKIE}=zh;") and "Path=/" in cookie and "Max-Age=" in cookie
    # the browser comes back asking for English, with the cookie: the author's choice wins
    r = client.get("/", headers=EN)
    assert html_lang(r) == "zh-Hans" and "set-cookie" not in r.headers
    # ... and switching back is remembered too
    r = client.get(switch_hrefs(r)["en"], headers=ZH)
    assert html_lang(r) == "en" and r.headers["set-cookie"].startswith(f"{LANG_COOKIE}=en;")
    assert html_lang(client.get("/", headers=ZH)) == "en"


@pytest.mark.parametrize("value", ["xx", "<script>", "", "zh-Hant-TW-x-" + "a" * 200])
def test_a_lang_we_do_not_speak_is_ignored(client: httpx.Client, value: str) -> None:
    r = httpx.get(f"{client.base_url}/", params={"lang": value}, headers=ZH)
    if value.startswith("zh-"):
        assert html_lang(r) == "zh-Hans"  # any Chinese tag is ours
        return
    assert html_lang(r) == "zh-Hans" and "set-cookie" not in r.headers
    assert "<script>" not in r.text.split("<main>")[0]


def test_the_switch_keeps_the_sign_in_target(serve: Serve) -> None:
    client = serve(token=TOKEN)
    r = client.get("/d/abc?x=1", headers=ZH)  # not signed in: sent to the sign-in page
    assert r.status_code == 303
    page = client.get(r.headers["location"], headers=ZH)
    assert html_lang(page) == "zh-Hans" and "<h1>登录</h1>" in page.text
    href = switch_hrefs(page)["en"]
    assert href == "?next=%2Fd%2Fabc%3Fx%3D1&lang=en"
    english = client.get("/signin" + href, headers=ZH)
    assert html_lang(english) == "en" and "<h1>Sign in</h1>" in english.text
    assert '<input type="hidden" name="next" value="/d/abc?x=1">' in english.text
    # a wrong token is refused in the language chosen
    refused = client.post("/signin", data={"token": "guess", "next": "/"}, headers=EN)
    assert refused.status_code == 401 and "That token is not right." in refused.text
    client.cookies.set(LANG_COOKIE, "zh")
    refused = client.post("/signin", data={"token": "guess", "next": "/"}, headers=EN)
    assert refused.status_code == 401 and "访问令牌不正确。" in refused.text


def test_a_switch_on_a_guarded_page_is_remembered_through_sign_in(serve: Serve) -> None:
    client = serve(token=TOKEN)
    r = client.get("/?lang=zh", headers=EN)
    assert r.status_code == 303 and r.headers["set-cookie"].startswith(f"{LANG_COOKIE}=zh;")
    assert html_lang(client.get(r.headers["location"], headers=EN)) == "zh-Hans"


def test_other_query_parameters_are_kept_and_escaped(client: httpx.Client) -> None:
    r = httpx.get(f"{client.base_url}/", params={"deleted": "", "q": '"><script>x</script>'}, headers=EN)
    href = switch_hrefs(r)["zh-Hans"]
    assert href == "?deleted=&q=%22%3E%3Cscript%3Ex%3C%2Fscript%3E&lang=zh"
    zh = httpx.get(f"{client.base_url}/{href}")
    assert html_lang(zh) == "zh-Hans" and "草稿及其所有文件已删除。" in zh.text


@pytest.mark.parametrize(("path", "status", "zh_words"), [
    ("/no/such/page", 404, "页面不存在"),
    ("/b/nonexistent", 404, "没有这个批次"),
    ("/d/nonexistent", 404, "没有这份草稿（可能已被删除）"),
])
def test_error_pages_speak_chinese(client: httpx.Client, path: str, status: int, zh_words: str) -> None:
    r = httpx.get(f"{client.base_url}{path}", headers=ZH)
    assert r.status_code == status and r.headers["content-language"] == "zh-Hans"
    assert "<h1>未找到</h1>" in r.text and zh_words in r.text
    assert untranslated(r.text) == []


def test_a_limit_with_a_number_is_said_in_chinese(serve: Serve) -> None:
    client = serve(max_bytes=1048576)
    big = b"x" * 2_000_000
    r = client.post("/drafts", content=big, headers={**ZH, "Content-Type": "text/plain"})
    assert r.status_code == 413 and "上传内容超过 1 MB 的上限" in r.text
    api = client.post("/api/v1/documents", content=big, headers={**ZH, "Content-Type": "text/plain"})
    assert api.status_code == 413 and api.json()["detail"].startswith("request body is over the ")
    assert "content-language" not in api.headers, "the API speaks codes and English, not the browser's language"


def test_the_api_is_not_touched(client: httpx.Client) -> None:
    r = httpx.get(f"{client.base_url}/api/v1/documents/nonexistent", params={"lang": "zh"}, headers=ZH)
    assert r.status_code == 404 and r.json() == {"detail": "no such draft (it may have been deleted)"}
    assert "set-cookie" not in r.headers and "content-language" not in r.headers


def test_the_draft_page_in_each_language(shared: tuple[httpx.Client, dict[str, Any]]) -> None:
    """One page per language is cached: asking in turn never gives one the other's page."""
    client, body = shared
    page = str(body["links"]["page"])
    for _ in range(2):
        en = httpx.get(f"{client.base_url}{page}", headers=EN)
        zh = httpx.get(f"{client.base_url}{page}", headers=ZH)
        assert en.headers["content-language"] == "en" and zh.headers["content-language"] == "zh-Hans"
        assert "What the publisher changed" in en.text and "What the publisher changed" not in zh.text
        assert "发布时做了哪些改动" in zh.text
    # plural forms and numbers through the catalogue: the sample has one table and 14 references
    assert re.search(r'<p class="stats">\d+ chapters · 1 table · 14 references', en.text)
    assert re.search(r'<p class="stats">\d+ 章 · 1 个表格 · 14 篇参考文献', zh.text)
    assert re.search(r"上传于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}（UTC）", zh.text)
    assert re.search(r"uploaded [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2}\s[AP]M \(UTC\)", en.text)
    assert switch_hrefs(zh) == {"en": "?lang=en"}


def test_the_batch_page_in_chinese(serve: Serve, sample_bytes: bytes) -> None:
    client = serve()
    files = [("file", ("a.txt", sample_bytes, "text/plain")), ("file", ("b.txt", sample_bytes, "text/plain"))]
    r = client.post("/drafts", files=files, data={"text": ""}, headers=ZH)
    assert r.status_code == 303 and r.headers["location"].startswith("/b/")
    page = client.get(r.headers["location"], headers=ZH)
    assert page.status_code == 200 and "<h1>2 份记录</h1>" in page.text
    assert untranslated(page.text) == []
    english = client.get(r.headers["location"], headers=EN)
    assert "<h1>2 records</h1>" in english.text


@pytest.mark.parametrize("path", ["/", "/signin?next=%2F", "/?deleted"])
def test_pages_hold_no_english_in_chinese(client: httpx.Client, path: str) -> None:
    r = httpx.get(f"{client.base_url}{path}", headers=ZH)
    assert r.status_code == 200 and untranslated(r.text) == []
    english = httpx.get(f"{client.base_url}{path}", headers=EN)
    assert untranslated(english.text.replace('lang="en"', 'lang="zh-Hans"')), "the check sees English"


def test_the_untranslated_finder() -> None:
    page = '<html lang="zh-Hans"><body><p title="{}">{}</p></body></html>'
    assert untranslated(page.format("", "上传 Upload")) == ["p: '上传 Upload'"]
    assert untranslated(page.format("Download", "下载")) == ["p[title]: 'Download'"]
    # near-misses the check must let through
    assert untranslated(page.format("下载 PDF", "下载 Word、PDF 和 JSON（最大 20 MB）")) == []
    assert untranslated('<html lang="zh-Hans"><p translate="no">record.txt</p>'
                        '<a lang="en">English</a><div class="paper"><p>Abstract</p></div></html>') == []
    assert untranslated('<html lang="zh-Hans"><div class="paper"><p>x</p></div><p>After the article</p></html>')
    # a report message quotes the record: the quote is the author's, the sentence around it ours
    assert untranslated(page.format("", "未写完的句子“ISO/IEC 提出了 AI 框架”已删去")) == []
    assert untranslated(page.format("", "模型隐藏的推理过程（&lt;think&gt; 块）")) == []
    assert untranslated(page.format("", "“引言” was removed")) == ["p: '“引言” was removed'"]


def test_the_api_browser_stays_english(client: httpx.Client) -> None:
    """/docs is Swagger UI, English whatever the browser asks: its headers say so too."""
    r = httpx.get(f"{client.base_url}/docs", headers=ZH)
    assert r.status_code == 200 and r.headers["content-language"] == "en" and html_lang(r) == "en"


def test_waiting_and_busy_pages_in_chinese(serve: Serve, sample_bytes: bytes, gate: Path) -> None:  # noqa: F811
    client = serve(workers=1, queue=0, builder=builders.gated_builder)
    r = client.post("/api/v1/documents", content=sample_bytes,
                    headers={"Content-Type": "text/plain", "Prefer": "respond-async"})
    assert r.status_code == 202
    page = f"/d/{r.json()['id']}"
    try:
        assert wait_for(gate.with_suffix(".entered"))
        pending = client.get(page, headers=ZH)
        assert pending.status_code == 202 and "<h1>仍在转换</h1>" in pending.text
        assert "本页会自动刷新。" in pending.text and untranslated(pending.text) == []
        busy = client.post("/drafts", files={"file": ("a.txt", sample_bytes, "text/plain")}, headers=ZH)
        assert busy.status_code == 503 and "<h1>服务繁忙</h1>" in busy.text
        assert "服务器正忙于转换其他记录，请稍后再试" in busy.text and untranslated(busy.text) == []
    finally:
        gate.unlink()


def test_upload_errors_in_chinese(serve: Serve, sample_bytes: bytes) -> None:
    client = serve()
    empty = client.post("/drafts", files={"file": ("", b"", "application/octet-stream")}, data={"text": ""}, headers=ZH)
    assert empty.status_code == 422
    assert "上传内容：没有收到记录：请选择一个文件，或粘贴记录文本" in empty.text and untranslated(empty.text) == []
    english = client.post("/drafts", files={"file": ("", b"", "application/octet-stream")}, data={"text": ""}, headers=EN)
    assert "upload: no record given: choose a file (form field &#39;file&#39;) or paste the record text" in english.text
    # an archive refused for a member: the member's name as it is, the rest in Chinese
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../evil record.txt", sample_bytes)
    r = client.post("/drafts", files={"file": ("batch.zip", buf.getvalue(), "application/zip")}, headers=ZH)
    assert r.status_code == 422 and "batch.zip：压缩包中的“../evil record.txt”路径不安全" in r.text
    api = client.post("/api/v1/batches", files={"file": ("batch.zip", buf.getvalue(), "application/zip")}, headers=ZH)
    assert api.status_code == 422 and "archive member '../evil record.txt' has an unsafe path" in api.json()["detail"]


def test_pasted_text_is_named_in_the_page_language(serve: Serve, sample_bytes: bytes) -> None:
    client = serve()
    r = client.post("/drafts", data={"text": sample_bytes.decode("utf-8")}, headers=ZH)
    assert r.status_code == 303
    zh = client.get(r.headers["location"], headers=ZH)
    assert '草稿来自 <strong translate="no">粘贴的文本</strong>' in zh.text
    en = client.get(r.headers["location"], headers=EN)
    assert 'Draft from <strong translate="no">pasted text</strong>' in en.text
