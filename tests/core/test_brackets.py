"""Bracket defusing (publisher/markdown/brackets.py): markdown-it reads a text with its
non-link brackets hidden exactly as it reads the text itself, links and code included."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from publisher.assemble.inlines import MD
from publisher.markdown.brackets import MAX_UNEXPLAINED, defuse_brackets

PLAIN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["reference", "lheading", "code", "hr", "html_block", "html_inline"]
)


def reading(md: MarkdownIt, text: str) -> list[tuple[str, str, str]]:
    """What a reader gets: inline tokens with their text and link targets, texts joined."""
    out: list[tuple[str, str, str]] = []

    def visit(tokens: list[Token]) -> None:
        for tok in tokens:
            content = tok.content
            if tok.type in ("text", "text_special") and out and out[-1][0] == "text":
                out[-1] = ("text", out[-1][1] + content, "")
            elif tok.type in ("text", "text_special"):
                out.append(("text", content, ""))
            else:
                out.append((tok.type, content if tok.type in ("code_inline", "image") else "",
                            str(tok.attrGet("href") or tok.attrGet("src") or "")))
            if tok.type == "image":
                out[-1] = (out[-1][0], "".join(c.content for c in tok.children or []), out[-1][2])

    for tok in md.parse(text):
        if tok.type == "inline":
            visit(tok.children or [])
    return out


MARKUP = st.lists(st.sampled_from(list("[](()!\\`<>*_a1: \t\"'") + [
    "http://x.y/", "](", "![", "`` ", "<a:b>", "\n", "&#91;", "**", "[1]", "<http://a.b/[", "](<", "> "]),
    max_size=40).map("".join)


@settings(max_examples=1000)
@given(MARKUP)
def test_defused_text_reads_as_the_text(text: str) -> None:
    assert reading(MD, text) == reading(PLAIN, text)


@pytest.mark.parametrize(
    "text",
    [
        "详见项目主页[1](http://example.com)。",
        "![2](figures/fig2.png)",
        "[a [b] c](http://x.y/) and [d](http://x.y/[1])",
        "`[1]` and [2] and `` ` `` [3]",
        "<http://x.y/[1]> [4]",
        "[a](<http://x.y/(>) [5]",
        "\\[6\\] [7]",
        "[[1]](http://x.y/) [x](",
        "[" * 50 + "x" + "]" * 10,
    ],
)
def test_links_code_and_escapes_read_as_before(text: str) -> None:
    assert reading(MD, text) == reading(PLAIN, text)


def test_runs_of_brackets_become_one_text_token() -> None:
    defused = defuse_brackets("[" * 1000 + "x" + "]" * 3)
    assert "[" not in defused.text and not defused.links_off
    tokens = MD.parseInline("[" * 1000 + "x" + "]" * 3)[0].children or []
    assert [t.type for t in tokens] == ["text"] and tokens[0].content == "[" * 1000 + "x" + "]" * 3


def test_a_text_holding_every_stand_in_is_read_as_it_is() -> None:
    text = "\u2e28\u2e29\u27ec\u27ed\u2997\u2998\u2e22\u2e23 [1] [x](http://a.example)"
    assert defuse_brackets(text).text == text
    assert reading(MD, text) == reading(PLAIN, text)


def test_too_many_brackets_before_a_link_turn_links_off() -> None:
    text = "[" * (MAX_UNEXPLAINED + 2) + "x](http://a.example)"
    defused = defuse_brackets(text)
    assert defused.links_off and "[" not in defused.text
    tokens = MD.parseInline(text)[0].children or []
    assert [t.type for t in tokens] == ["text"] and tokens[0].content == text


def test_a_few_brackets_before_a_link_keep_it() -> None:
    text = "[" * 50 + "x](http://a.example)"
    assert reading(MD, text) == reading(PLAIN, text)
    assert not defuse_brackets(text).links_off
