"""The structural lexer agrees with markdown-it-py wherever markdown-it reads LLM markdown
right: ATX headings and closed code fences, on generated documents."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.assemble.inlines import MD
from publisher.markdown.lexer import fenced, heading, is_table_row
from publisher.source import SourceLine

LINES = st.sampled_from([
    "# 标题", "## 1 引言", "###### six", "####### seven is text", "#no space is text", "   ### three spaces",
    "## closing hashes ##", "#", "正文一句。", "Plain text.", "", "| a | b |", "- item", "> quote",
    "**粗体**", "#tag in text", "```", "~~~", "```` four",
])
FENCE = st.sampled_from([("```", "```"), ("```python", "```"), ("~~~", "~~~"), ("````", "````")])


@st.composite
def documents(draw: st.DrawFn) -> list[str]:
    out: list[str] = []
    for _ in range(draw(st.integers(1, 12))):
        if draw(st.booleans()):
            out.extend(draw(st.lists(LINES.filter(lambda t: not t.startswith(("```", "~~~"))), max_size=4)))
        else:
            opener, closer = draw(FENCE)
            body = draw(st.lists(LINES.filter(lambda t: not t.startswith(("```", "~~~"))), max_size=3))
            out.extend(["", opener, *body, closer, ""])
    return out


@settings(max_examples=300, deadline=None)
@given(documents())
def test_headings_and_fences_agree_with_markdown_it(lines: list[str]) -> None:
    tokens = MD.parse("\n".join(lines))
    md_headings = {t.map[0] for t in tokens if t.type == "heading_open" and t.map and t.level == 0}
    md_fenced: set[int] = set()
    for t in tokens:
        if t.type == "fence" and t.map and t.level == 0:
            md_fenced.update(range(t.map[0], t.map[1]))
    src = [SourceLine(i + 1, t) for i, t in enumerate(lines)]
    mask = fenced(src)
    ours_fenced = {i for i, f in enumerate(mask) if f}
    assert ours_fenced == md_fenced
    in_container = _container_lines(tokens)
    ours = {i for i, t in enumerate(lines) if heading(t) and not mask[i] and i not in in_container}
    assert ours == md_headings - in_container


def _container_lines(tokens: list) -> set[int]:  # type: ignore[type-arg]
    """Lines inside lists and quotes: markdown-it reads a heading there as nested."""
    out: set[int] = set()
    for t in tokens:
        if t.type in ("bullet_list_open", "ordered_list_open", "blockquote_open") and t.map:
            out.update(range(t.map[0], t.map[1]))
    return out


def test_table_rows() -> None:
    assert is_table_row("| a | b |") and is_table_row("a | b | c") and is_table_row("｜甲｜乙｜")
    assert not is_table_row("# a | b | c") and not is_table_row("> a | b |") and not is_table_row("a | b")
    assert not is_table_row("```| a | b |")
