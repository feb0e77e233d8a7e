"""Sphinx: a ready-to-build source folder, `conf.py` plus `index.rst` written by pandoc.

`sphinx-build -W -b html <folder> <out>` builds it without warnings and without the
network. The reStructuredText comes from the shared pandoc AST, so record text is escaped by
pandoc's rst writer (tables as list-tables, which pandoc and docutils handle in linear time
where grid tables took quadratic time in the number of columns); conf.py holds the title only as a Python string literal (`repr`).
Each reference entry becomes a container named `ref-N`, so the citation links `#ref-N`
land on it in the built page.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from publisher.model import Document
from publisher.render import Output, RenderOptions
from publisher.render.notes import Notes, clean_text, illegal_characters, unknown_language
from publisher.render.pandoc_ast import Node, attr, node, to_pandoc
from publisher.render.pandoc_run import run_pandoc
from publisher.result import Result
from publisher.urls import quote_url, safe_url

LANGUAGES = {"zh": "zh_CN", "en": "en"}
THEME = "alabaster"  # ships with Sphinx: no download, no extension
# alabaster's about.html prints `project` unescaped; the basic theme escapes html_title.
# So the sidebars leave about.html out and the page title comes from html_title.
SIDEBARS = ["navigation.html", "relations.html", "searchbox.html"]


# LaTeX (`sphinx-build -b latex`, then xelatex): A4, an article rather than a book, no
# numbers of its own (headings carry theirs), captions without "Table 1:" (ours say 表1), the
# Noto CJK faces for xeCJK; the date is the record's, never the build's.
LATEX_PREAMBLE = r"""
\setcounter{secnumdepth}{-1}
\makeatletter\long\def\@makecaption#1#2{\vskip\abovecaptionskip{\centering #2\par}\vskip\belowcaptionskip}\makeatother
"""
CJK_FONTS = r"""
\setCJKmainfont{Noto Serif CJK SC}
\setCJKsansfont{Noto Sans CJK SC}
\setCJKmonofont{Noto Sans Mono CJK SC}
"""


def conf_py(doc: Document) -> str:
    title = clean_text(doc.title)
    latex = {"papersize": "a4paper", "preamble": LATEX_PREAMBLE}
    if doc.language == "zh":
        latex["fontpkg"] = CJK_FONTS
    lines = [
        "# Sphinx configuration written by publisher.",
        f"project = {title!r}",
        "author = ''",
        f"language = {LANGUAGES[doc.language]!r}",
        "root_doc = 'index'",
        "extensions: list[str] = []",
        f"html_theme = {THEME!r}",
        f"html_title = {title!r}",
        f"html_sidebars = {{'**': {SIDEBARS!r}}}",
        "html_show_sourcelink = False",
        "smartquotes = False  # the text is the author's: no curly quotes or dashes added",
        "exclude_patterns = ['_build']",
        "latex_engine = 'xelatex'",
        f"latex_documents = [('index', 'article.tex', {title!r}, '', 'howto')]",
        f"latex_elements = {latex!r}",
        "latex_show_urls = 'no'",
    ]
    if doc.metadata.received:
        lines.append(f"today = {doc.metadata.received[:10]!r}")
    return "\n".join(lines) + "\n"


def _reference_targets(blocks: list[Node]) -> list[Node]:
    """Put the target `.. _ref-N:` before each entry paragraph `[Span#ref-N "[N]"] text`.

    Pandoc's rst writer drops a Span's id. An explicit target gives the paragraph the id
    `ref-N` in HTML and a `\\label` in LaTeX, so the citation links work in both. The
    target is built from the entry's number, never from record text.
    """
    out: list[Node] = []
    for block in blocks:
        if block["t"] == "Div":
            ident, classes, pairs = block["c"][0]
            block = node("Div", [[ident, classes, pairs], _reference_targets(block["c"][1])])
        elif block["t"] == "Para" and block["c"] and block["c"][0]["t"] == "Span":
            ident = block["c"][0]["c"][0][0]
            if re.fullmatch(r"ref-\d+", ident):
                label = block["c"][0]["c"][1]
                out.append(node("RawBlock", ["rst", f".. _{ident}:\n\n"]))
                block = node("Para", [*label, *block["c"][1:]])
        out.append(block)
    return out


def _safe_links(tree: Any) -> Any:
    """Links keep only http(s)/mailto targets, percent-encoded so that pandoc's rst
    writer (which does not escape a target) cannot end `text <url>`__ early; other
    targets become plain text. Internal `#id` links stay as they are."""
    if isinstance(tree, list):
        return [_safe_links(x) for x in tree]
    if not isinstance(tree, dict):
        return tree
    if tree.get("t") == "Link":
        link_attr, inlines, (url, title) = tree["c"]
        inlines = _safe_links(inlines)
        if url.startswith("#"):
            return node("Link", [link_attr, inlines, [url, title]])
        if safe_url(url) is None:
            return node("Span", [attr(), inlines])
        return node("Link", [link_attr, inlines, [quote_url(url), title]])
    return {key: _safe_links(value) for key, value in tree.items()}


# pandoc's rst writer escapes markup inside a line but not what a paragraph's first word
# can start (`.. raw::`, `- `, `1. `, `:field:`, `| `, `>>>`, `====`) nor a closing `::`
# (which opens a literal block). An escaped blank, `\ `, is removed by docutils and stops
# both; it is a constant, never record text.
_RISKY_START = re.compile(r"[^\w\s]|\(?(\d+|[A-Za-z]+|#)[.)]$")
_ESCAPED_BLANK = node("RawInline", ["rst", "\\ "])


def _is_citation(inline: Node) -> bool:
    return inline.get("t") == "Superscript" and any(
        i.get("t") == "Link" and "cite" in i["c"][0][1] for i in inline["c"]
    )


def _inline_citations(tree: Any) -> Any:
    """Citations as `[1,3-5]` on the line: reStructuredText cannot put a link inside
    superscript, so pandoc would raise the brackets and leave the numbers below them."""
    if isinstance(tree, list):
        out: list[Any] = []
        for item in tree:
            if isinstance(item, dict) and _is_citation(item):
                out.extend(_inline_citations(item["c"]))
            else:
                out.append(_inline_citations(item))
        return out
    if isinstance(tree, dict):
        return {key: _inline_citations(value) for key, value in tree.items()}
    return tree


def _guard_line_starts(tree: Any) -> Any:
    if isinstance(tree, list):
        return [_guard_line_starts(x) for x in tree]
    if not isinstance(tree, dict):
        return tree
    tree = {key: _guard_line_starts(value) for key, value in tree.items()}
    if tree.get("t") in ("Para", "Plain") and tree.get("c"):
        inlines = list(tree["c"])
        first, last = inlines[0], inlines[-1]
        if first["t"] == "Str" and _RISKY_START.match(first["c"]):
            inlines.insert(0, _ESCAPED_BLANK)
        if last["t"] == "Str" and last["c"].endswith("::"):
            inlines.append(_ESCAPED_BLANK)
        tree["c"] = inlines
    return tree


# docutils turns any `scheme:rest` in running text into a live link (javascript:, file:, data:
# included). An escaped colon, `\:`, renders as ":" and stops that; http(s) and mailto stay live.
_SCHEME_RE = re.compile(r"(?<![\w:`])(?!(?:https?|mailto):)([A-Za-z][A-Za-z0-9+.-]{0,30}):(?=[^\s`])")
_ESCAPED_COLON = node("RawInline", ["rst", "\\:"])


def _defuse_schemes(tree: Any) -> Any:
    if isinstance(tree, list):
        out: list[Any] = []
        for item in tree:
            if isinstance(item, dict) and item.get("t") == "Str" and _SCHEME_RE.search(item["c"]):
                pos = 0
                for m in _SCHEME_RE.finditer(item["c"]):
                    out.append(node("Str", item["c"][pos : m.end(1)]))
                    out.append(_ESCAPED_COLON)
                    pos = m.end()
                if pos < len(item["c"]):
                    out.append(node("Str", item["c"][pos:]))
            else:
                out.append(_defuse_schemes(item))
        return out
    if isinstance(tree, dict):
        if tree.get("t") in ("Code", "CodeBlock", "Link"):
            return tree
        return {key: _defuse_schemes(value) for key, value in tree.items()}
    return tree


def _known_lexers(tree: Any, notes: Notes) -> Any:
    """A code block keeps its language only when Pygments knows it: Sphinx warns on any other
    (`mermaid`), and `sphinx-build -W` makes that an error. The block stays, as plain text."""
    if isinstance(tree, list):
        return [_known_lexers(x, notes) for x in tree]
    if not isinstance(tree, dict):
        return tree
    if tree.get("t") == "CodeBlock":
        (ident, classes, pairs), text = tree["c"]
        known = [c for c in classes if _lexer_exists(c)]
        for language in sorted(set(classes) - set(known)):
            notes.add(unknown_language(language, text))
        return node("CodeBlock", [[ident, known, pairs], text])
    return {key: _known_lexers(value, notes) for key, value in tree.items()}


@functools.lru_cache(maxsize=256)
def _lexer_exists(name: str) -> bool:
    try:
        get_lexer_by_name(name)
    except ClassNotFound:
        return False
    return True


def index_rst(doc: Document, options: RenderOptions, notes: Notes | None = None) -> bytes:
    notes = notes or Notes("sphinx")
    ast: dict[str, Any] = to_pandoc(doc, options, "sphinx", notes)
    blocks = _known_lexers(_reference_targets(ast["blocks"]), notes)
    ast = {**ast, "blocks": _defuse_schemes(_guard_line_starts(_safe_links(_inline_citations(blocks))))}
    return run_pandoc(
        ast, "rst", ["--standalone", "--wrap=none", "--list-tables"], timeout=options.timeout, source=doc.metadata.source
    )


def render(doc: Document, options: RenderOptions) -> Result[Output]:
    notes = Notes("sphinx")
    files = {"conf.py": conf_py(doc).encode("utf-8"), "index.rst": index_rst(doc, options, notes)}
    return Result(files, illegal_characters(doc, "sphinx") + notes.messages)
