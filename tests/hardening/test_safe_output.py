"""Safe output: markup and file references in a record come out as inert text in every
format. Scripts, event handlers, javascript:/file: links, raw OpenXML/HTML/Typst/LaTeX
blocks, Typst #read/#import, LaTeX \\input, rst directives: none is obeyed, and a canary
file referenced by absolute path never reaches any output. The model is checked first;
each writer is then checked in its own terms."""

from __future__ import annotations

import html
import io
import re
import secrets
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from publisher.formats import FORMATS
from publisher.model import CodeBlock, Document, Link, iter_blocks
from publisher.pipeline import build_document
from publisher.render import RenderOptions, render

# Text that must survive literally (visible, not obeyed) somewhere in each output.
LITERALS = ["<script>alert(1)</script>", "onerror=alert(1)", '#read("/etc/passwd")', "\\input{/etc/passwd}"]


def hostile_record(canary: Path) -> str:
    c = str(canary)
    attack = (
        f"<script>alert(1)</script> 与 <img src=x onerror=alert(1)> 与 <iframe src=\"file://{c}\"></iframe>，"
        f"链接[x](javascript:alert(1))、[y](JaVaScRiPt:alert(2))、[z](&#106;avascript:alert(3))、"
        f"[w]( javascript:alert(4))、[v](<java script:alert(5)>)、[a](file:///etc/passwd)、[b](file://{c})、"
        f"[d](data:text/html;base64,PHNjcmlwdD4=)、[ok](https://example.org/安全)，"
        f"图片![](/etc/passwd)、![canary]({c})，"
        f'Typst #read("/etc/passwd") 与 #read("{c}") 与 #import "{c}": * 与 #include "{c}" 与 #image("{c}")，'
        f"LaTeX \\input{{/etc/passwd}} 与 \\input{{{c}}} 与 \\include{{{c}}}，"
        f"模板 {{{{ 7*7 }}}} {{% include '{c}' %}} ]]> &amp; [^1]。"
    )
    return f"""回调数据记录
==============================
接收时间: 2025-11-21 19:18:36
主题: 安全测试 <script>alert(1)</script>
UUID: 0123456789abcdef

大纲:
# 安全测试 <script>alert(1)</script>
## 摘要
- 关键词：<b>粗体</b>；#read("{c}")
## 1. 引言 <iframe>
### 1.1 背景
## 2. 方法
内容:
<think>

</think>

# 安全测试 <script>alert(1)</script>

**摘要** {attack}

**关键词**：<b>粗体</b>；#read("{c}")；\\input{{{c}}}

<think>

</think>

## 1. 引言 <iframe>

{attack}

### 1.1 背景

表1 <script>alert(1)</script> 对比

| 方法 <img src=x onerror=alert(1)> | 说明 |
|---|---|
| [x](javascript:alert(1)) | #read("{c}") \\input{{{c}}}[^1] |
| ![](file://{c}) | `<script>alert(1)</script>` |

```{{=openxml}}
<w:p><w:r><w:t>RAWOPENXML</w:t></w:r></w:p>
```

```{{=html}}
<script>alert("RAWHTML")</script>
```

```{{=typst}}
#read("{c}")
```

```{{=latex}}
\\input{{{c}}}
```

.. raw:: html

   <script>alert("RST")</script>

.. include:: {c}

<think>

</think>

## 2. 方法

{attack}

> 引用中的 <script>alert(1)</script> 与 [q](javascript:alert(1))[^1]。

- 列表 <img src=x onerror=alert(1)> 与 #read("{c}")[^1]。

# 参考文献:
[1] <script>alert(1)</script> 文献标题 #read("{c}") \\input{{{c}}} [r](javascript:alert(1)). 2024.
对话结束
"""


@pytest.fixture(scope="module")
def canary(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    token = "CANARY" + secrets.token_hex(12)
    path = tmp_path_factory.mktemp("secret") / "canary.txt"
    path.write_text(token + "\n", encoding="utf-8")
    return path, token


@pytest.fixture(scope="module")
def doc(canary: tuple[Path, str]) -> Document:
    return build_document(hostile_record(canary[0]), name="hostile.txt")




@pytest.fixture(scope="module")
def outputs(doc: Document) -> dict[str, object]:
    out: dict[str, object] = {}
    for fmt in FORMATS:
        out[fmt] = render(doc, fmt, RenderOptions()).value
    return out


def _output(outputs: dict[str, object], fmt: str) -> object:
    return outputs[fmt]


# --------------------------------------------------------------------------- the model
def _inlines(doc: Document) -> list[object]:
    found: list[object] = []

    def walk(items: list) -> None:
        for i in items:
            found.append(i)
            walk(getattr(i, "inlines", []))

    for blocks in doc.block_lists():
        for b in iter_blocks(blocks):
            walk(getattr(b, "inlines", []))
            for cell in list(getattr(b, "header", [])) + [c for r in getattr(b, "rows", []) for c in r]:
                walk(cell)
    return found


def test_model_links_are_http_or_mailto_only(doc):
    urls = [i.url for i in _inlines(doc) if isinstance(i, Link)]
    assert urls and all(u.startswith("https://example.org/") for u in urls), urls
    text = str(doc.to_dict())
    for literal in LITERALS:
        assert literal in text, literal


def test_model_raw_blocks_are_plain_code(doc):
    codes = [b for blocks in doc.block_lists() for b in iter_blocks(blocks) if isinstance(b, CodeBlock)]
    assert {"RAWOPENXML", "RAWHTML"} <= {w for c in codes for w in re.findall(r"RAW\w+", c.text)}


def test_no_output_contains_the_canary(outputs, canary):
    _, token = canary
    for fmt, data in outputs.items():
        files = data if isinstance(data, dict) else {fmt: data}
        for name, content in files.items():
            assert token.encode() not in content, f"{fmt}:{name}"
            if content[:2] == b"PK":  # docx: look inside the zip as well
                with zipfile.ZipFile(io.BytesIO(content)) as z:
                    for part in z.namelist():
                        assert token.encode() not in z.read(part), f"{fmt}:{part}"
    if "pdf" in outputs and shutil.which("pdftotext"):
        assert token not in _pdf_text(outputs["pdf"])


# --------------------------------------------------------------------------- html
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|file):", re.I)


def _check_html_tree(tree: lxml_html.HtmlElement, where: str) -> None:
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag not in ("iframe", "object", "embed", "frame", "base", "form"), f"{where}: <{el.tag}>"
        if el.tag == "script":
            assert "alert" not in (el.text or ""), f"{where}: record script became a script element"
        if el.tag == "img":
            assert "onerror" not in el.attrib and el.get("src") not in ("x", "/etc/passwd"), f"{where}: record image"
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), f"{where}: <{el.tag} {name}>"
            bare = re.sub(r"[\x00-\x20]", "", html.unescape(value))
            if name in ("href", "src", "action", "xlink:href", "formaction"):
                assert not _BAD_SCHEME.match(bare), f"{where}: <{el.tag} {name}={value!r}>"
                assert not bare.startswith("/etc/"), f"{where}: <{el.tag} {name}={value!r}>"


def test_html_has_no_active_element_from_the_record(outputs):
    data = _output(outputs, "html")
    assert isinstance(data, bytes)
    tree = lxml_html.document_fromstring(data)
    _check_html_tree(tree, "html")
    text = tree.text_content()
    for literal in LITERALS:
        assert literal in text, f"html lost the literal text {literal!r}"


def test_html_fragment_is_safe(doc):
    data = render(doc, "html", RenderOptions(fragment=True)).value
    assert isinstance(data, bytes)
    _check_html_tree(lxml_html.fragment_fromstring(data, create_parent="div"), "html fragment")


# --------------------------------------------------------------------------- markdown
def test_markdown_renders_to_safe_html_and_has_no_raw_attribute_blocks(outputs):
    data = _output(outputs, "md")
    assert isinstance(data, bytes)
    text = data.decode("utf-8")
    assert not re.search(r"^\s*(```+|~~~+)\s*\{=", text, re.M), "a raw-attribute fence reached the markdown"
    assert not re.search(r"`\{=\w+\}", text), "a raw-attribute inline reached the markdown"
    # a markdown viewer that allows raw HTML (commonmark does) must still see only text
    rendered = MarkdownIt("commonmark", {"html": True}).render(text)
    _check_html_tree(lxml_html.fragment_fromstring(rendered, create_parent="div"), "md rendered")


# --------------------------------------------------------------------------- docx
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_docx_has_no_field_code_altchunk_or_raw_openxml_from_the_record(outputs):
    data = _output(outputs, "docx")
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        document = etree.fromstring(z.read("word/document.xml"))
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
    assert not any("afchunk" in n.lower() or "altchunk" in n.lower() for n in names)
    assert document.find(f".//{W}altChunk") is None
    fields = [el.text or "" for el in document.iter(f"{W}instrText")]
    fields += [el.get(f"{W}instr") or "" for el in document.iter(f"{W}fldSimple")]
    for f in fields:
        assert not re.search(r"INCLUDE|DDE|IMPORT|passwd|script", f, re.I), f"field code from the record: {f!r}"
    texts = [t.text or "" for t in document.iter(f"{W}t")]
    assert "RAWOPENXML" not in texts, "the raw OpenXML block was obeyed"
    assert any("<w:t>RAWOPENXML</w:t>" in t for t in texts), "the raw OpenXML block vanished"
    for target in re.findall(r'Target="([^"]*)"[^>]*TargetMode="External"', rels):
        assert re.match(r"(https?://|mailto:)", html.unescape(target)), f"external target {target!r}"
    body = "".join(texts)
    for literal in LITERALS:
        assert literal in body, f"docx lost the literal text {literal!r}"


# --------------------------------------------------------------------------- pdf
def _pdf_text(data: bytes) -> str:
    proc = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, timeout=60)
    assert proc.returncode == 0
    return proc.stdout.decode("utf-8")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_shows_the_markup_as_text(outputs):
    data = _output(outputs, "pdf")
    assert isinstance(data, bytes)
    text = re.sub(r"\s+", "", _pdf_text(data))
    for literal in LITERALS + ['#import"', "\\include{"]:
        assert re.sub(r"\s+", "", literal) in text, f"pdf lost the literal text {literal!r}"
    assert "root:x:0:0" not in text


# --------------------------------------------------------------------------- jats
def test_jats_links_and_elements_are_safe(outputs):
    data = _output(outputs, "jats")
    assert isinstance(data, bytes)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.fromstring(data, parser)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        assert local not in ("script", "include", "inline-graphic", "graphic"), f"<{local}>"
        for name, value in el.attrib.items():
            if etree.QName(name).localname == "href":
                assert re.match(r"(https?://|mailto:|#)", value) or not _BAD_SCHEME.match(value.strip()), value
                assert not _BAD_SCHEME.match(re.sub(r"[\x00-\x20]", "", value)), f"<{local} href={value!r}>"
    assert "<script>alert(1)</script>" in "".join(tree.itertext())


# --------------------------------------------------------------------------- sphinx
_DANGEROUS_DIRECTIVE = re.compile(r"^\s*\.\.\s+(raw|include|literalinclude|csv-table|image|figure)\s*::(.*)$", re.M)


def test_sphinx_source_obeys_no_directive_from_the_record(outputs, canary):
    files = _output(outputs, "sphinx")
    assert isinstance(files, dict)
    path, _ = canary
    for name, content in files.items():
        text = content.decode("utf-8", "replace")
        for m in _DANGEROUS_DIRECTIVE.finditer(text):
            assert str(path) not in m.group(2) and "html" not in m.group(2), f"{name}: {m.group(0)!r}"
        if name.endswith(".py"):
            assert "canary" not in text and "import os" not in text


@pytest.fixture(scope="module")
def sphinx_site(outputs: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = _output(outputs, "sphinx")
    assert isinstance(files, dict)
    src = tmp_path_factory.mktemp("sphinx-src")
    for rel, content in files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_bytes(content)
    out = tmp_path_factory.mktemp("sphinx-out")
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)],
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    return out


def test_sphinx_build_reads_no_file_named_by_the_record(sphinx_site, canary):
    _, token = canary
    for built in sphinx_site.rglob("*"):
        if built.is_file():
            assert token.encode() not in built.read_bytes(), built.name


def test_sphinx_built_page_has_no_active_link_from_the_record(sphinx_site):
    page = lxml_html.document_fromstring((sphinx_site / "index.html").read_bytes())
    for form in page.xpath("//form[@action='search.html']"):  # the theme's own search box
        form.drop_tree()
    _check_html_tree(page, "sphinx html")
