"""A wide table on a phone, as Chromium lays out the standalone page at 400 px: the caption
stays whole on the screen (it is not inside the scrolling area), the table scrolls inside
its frame, and a shadow on the side with more to show says that it scrolls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from publisher.pipeline import build_document
from publisher.render import RenderOptions, render

RECORD = Path(__file__).resolve().parent / "records" / "en_wide_table_ranges.txt"
WIDTH = 400

MEASURE = """() => [...document.querySelectorAll('figure.table')].map(figure => {
  const caption = figure.querySelector('figcaption').getBoundingClientRect();
  const wrap = figure.querySelector('.table-wrap');
  const style = getComputedStyle(wrap);
  return {
    captionInside: caption.left >= 0 && caption.right <= window.innerWidth,
    captionScrolls: wrap.contains(figure.querySelector('figcaption')),
    scrolls: wrap.scrollWidth > wrap.clientWidth,
    pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
    overflow: style.overflowX,
    shadows: (style.backgroundImage.match(/radial-gradient/g) || []).length,
  };
})"""


@pytest.mark.slow
def test_a_wide_table_scrolls_in_its_frame_under_a_whole_caption(browser: Any) -> None:
    page_html = render(build_document(RECORD), "html", RenderOptions()).value
    assert isinstance(page_html, bytes)
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    try:
        tab = context.new_page()
        tab.set_content(page_html.decode("utf-8"))
        tables = tab.evaluate(MEASURE)
    finally:
        context.close()
    assert tables, "the record has tables"
    assert any(t["scrolls"] for t in tables), "at 400 px the wide table is wider than its frame"
    for t in tables:
        assert t["captionInside"] and not t["captionScrolls"], t
        assert t["overflow"] == "auto" and t["shadows"] == 2, t
        assert not t["pageScrolls"], t  # only the table scrolls, never the page
