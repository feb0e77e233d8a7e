"""The authors' pages, used as a browser without JavaScript would: forms, redirects, links."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from .conftest import SAMPLE_ZH_TITLE

Serve = Callable[..., httpx.Client]

HOSTILE_RECORD = """回调数据记录
==============================
主题: <script>alert(1)</script> hostile

大纲:
# <b>Bold</b> <script>alert(1)</script> title
## 1. Introduction
内容:
# <b>Bold</b> <script>alert(1)</script> title
### 1 Introduction
Some <img src=x onerror=alert(1)> text here.
对话结束
"""


def post_file(client: httpx.Client, data: bytes, name: str = "001.txt") -> httpx.Response:
    # What a browser sends for the form: the file part, and the (empty) text part.
    return client.post("/drafts", files={"file": (name, data, "text/plain")}, data={"text": ""})


@pytest.fixture
def draft(serve: Serve, sample_bytes: bytes) -> tuple[httpx.Client, str]:
    """A draft of this test's own (for tests that change it)."""
    client = serve()
    r = post_file(client, sample_bytes)
    assert r.status_code == 303
    return client, r.headers["location"]


@pytest.fixture(scope="module")
def shared_draft(shared: tuple[httpx.Client, dict[str, Any]]) -> tuple[httpx.Client, str]:
    """One draft for the tests that only read (uploaded through the API, same store)."""
    client, body = shared
    return client, body["links"]["page"]


def test_upload_page_is_a_plain_form(serve: Serve) -> None:
    r = serve().get("/")
    assert r.status_code == 200
    html = r.text
    form = re.search(r"<form [^>]*>", html)
    assert form and 'action="/drafts"' in form.group(0) and 'method="post"' in form.group(0)
    assert 'enctype="multipart/form-data"' in form.group(0)
    assert re.search(r'<input [^>]*name="file"[^>]*type="file"', html)
    assert '<textarea id="text" name="text"' in html
    assert re.search(r"<script>", html) is None, "no inline script: the page works without JS"
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"] == "no-referrer"


def test_draft_page_shows_article_report_downloads_and_delete(shared_draft: tuple[httpx.Client, str]) -> None:
    client, location = shared_draft
    r = client.get(location)
    assert r.status_code == 200
    html = r.text
    assert f"<title>{SAMPLE_ZH_TITLE} · draft · Publisher</title>" in html
    assert '<article class="publisher-article"' in html  # the HTML writer's fragment
    for chapter in ("引言", "技术发展与方法创新", "参考文献"):
        assert chapter in html
    # the report, grouped in plain words, with source lines
    for heading in ("Removed", "Repaired", "Citations and references"):
        assert f"<h3 class=\"group-title\">{heading} <span class=\"count\">" in html
    assert "Reference lists the model made up" in html
    assert "lines 327–337" in html
    # the messages in the page's language (English here), each after its place in the article
    assert "the chapter stops in the middle of a sentence; the unfinished sentence “" in html
    assert re.search(r"Chapter \d+ “[^”]+”, paragraph \d+: ", html)
    for kind in ("docx", "review-docx", "pdf", "html", "md", "json"):
        assert f'href="{location}/{kind}"' in html
    assert "Review draft (Word)" in html
    assert f'action="{location}/delete" method="post"' in html
    assert r.headers["cache-control"] == "no-store"


def test_pasted_text_works_too(serve: Serve, sample_bytes: bytes) -> None:
    client = serve()
    r = client.post("/drafts", files={"file": ("", b"", "application/octet-stream")},
                    data={"text": sample_bytes.decode("utf-8")})
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    assert "pasted text" in page.text and SAMPLE_ZH_TITLE in page.text


def test_pasted_text_larger_than_a_megabyte(serve: Serve, sample_bytes: bytes) -> None:
    client = serve()
    padded = sample_bytes.decode("utf-8") + " " * 1_100_000  # starlette caps form fields at 1 MB by default
    r = client.post("/drafts", data={"text": padded})
    assert r.status_code == 303


def test_each_report_line_stands_beside_what_it_concerns(shared_draft: tuple[httpx.Client, str]) -> None:
    """Margin notes in the article link to their line in the report, and back."""
    client, location = shared_draft
    html = client.get(location).text
    notes = re.findall(r'<aside class="margin-note sev-\w+" id="note-(\d+)"><a href="#change-(\d+)">([\w-]+)</a>', html)
    assert notes and all(a == b for a, b, _ in notes)
    for k, _, _ in notes:
        assert re.search(rf'<li id="change-{k}">.*?href="#note-{k}"', html, re.S)
    assert {"truncated-ending", "invented-references"} <= {rule for _, _, rule in notes}
    # the note sits just before the paragraph it concerns: the truncated one ends the chapter
    cut = next(k for k, _, rule in notes if rule == "truncated-ending")
    after = html.split(f'id="note-{cut}"', 1)[1]
    assert "提升深度学习模型的可靠性与一致性" in after.split("</p>", 1)[0]


@pytest.mark.parametrize("kind", ["docx", "review-docx", "pdf", "html", "md", "json", "jats"])
def test_page_downloads_carry_the_chinese_title(shared_draft: tuple[httpx.Client, str], kind: str) -> None:
    client, location = shared_draft
    r = client.get(f"{location}/{kind}")
    assert r.status_code == 200 and r.content
    m = re.search(r"filename\*=UTF-8''([^;]+)", r.headers["content-disposition"])
    assert m and unquote(m.group(1)).startswith(SAMPLE_ZH_TITLE + (" (review)." if kind == "review-docx" else "."))
    assert r.headers["content-disposition"].startswith('attachment; filename="')


def test_upload_redirects_to_the_draft_and_delete_removes_it(draft: tuple[httpx.Client, str]) -> None:
    client, location = draft
    assert re.fullmatch(r"/d/[A-Za-z0-9_-]{22}", location)
    assert client.get(location).status_code == 200
    r = client.post(f"{location}/delete")
    assert r.status_code == 303 and r.headers["location"] == "/?deleted"
    assert "deleted" in client.get("/?deleted").text
    gone = client.get(location)
    assert gone.status_code == 404
    assert "no such draft" in gone.text and gone.headers["content-type"].startswith("text/html")
    assert client.get(f"{location}/docx").status_code == 404
    assert client.post(f"{location}/delete").status_code == 404


def test_a_bad_record_is_explained_on_the_upload_page(serve: Serve) -> None:
    r = post_file(serve(), b"<b>not</b> a record at all", "bad <name>.txt")
    assert r.status_code == 422
    assert "That did not work" in r.text
    assert "not a callback record" in r.text
    assert "bad &lt;name&gt;.txt" in r.text and "<b>not</b>" not in r.text


def test_an_empty_form_is_explained(serve: Serve) -> None:
    r = serve().post("/drafts", files={"file": ("", b"", "application/octet-stream")}, data={"text": "  "})
    assert r.status_code == 422 and "no record given" in r.text


def test_record_text_is_escaped_on_the_draft_page(serve: Serve) -> None:
    client = serve()
    r = post_file(client, HOSTILE_RECORD.encode("utf-8"), "<script>.txt")
    page = client.get(r.headers["location"]).text
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>Bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_too_large_upload_gets_an_html_413(serve: Serve, sample_bytes: bytes) -> None:
    r = post_file(serve(max_bytes=10_000), sample_bytes)
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("text/html") and "limit" in r.text


def test_unknown_pages_and_downloads_are_404(shared_draft: tuple[httpx.Client, str]) -> None:
    client, location = shared_draft
    assert client.get(f"{location}/exe").status_code == 404
    assert client.get("/d/AAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    assert client.get("/d/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/nowhere").status_code == 404


def test_static_assets(serve: Serve) -> None:
    client = serve()
    assert client.get("/static/service.css").headers["content-type"].startswith("text/css")
    assert "DataTransfer" in client.get("/static/enhance.js").text or "dataTransfer" in client.get(
        "/static/enhance.js").text
