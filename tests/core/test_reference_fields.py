"""Supplied reference entries read into CSL fields (publisher/cite/fields.py): each shape
authors' entries come in, and the near-misses that must stay a plain title."""

from __future__ import annotations

import pytest

from publisher.cite.fields import csl_item
from publisher.model import to_dict

CASES = [
    ("Smith J, Doe AB. Deep learning for imaging. Nature. 2020;12(3):45-67. doi:10.1038/s41586-020-1234-5", None,
     {"type": "article-journal", "title": "Deep learning for imaging", "container-title": "Nature",
      "author": [{"family": "Smith", "given": "J"}, {"family": "Doe", "given": "AB"}], "volume": "12", "issue": "3",
      "page": "45-67", "DOI": "10.1038/s41586-020-1234-5", "issued": {"date-parts": [[2020]]}}),
    ("张三, 李四. 深度学习在医学影像中的应用[J]. 中华放射学杂志, 2021, 55(3): 200-210", None,
     {"type": "article-journal", "title": "深度学习在医学影像中的应用", "container-title": "中华放射学杂志",
      "author": [{"literal": "张三"}, {"literal": "李四"}], "volume": "55", "page": "200-210"}),
    ("国家统计局. 统计公报[EB/OL]. (2024-02-29). https://www.stats.gov.cn/x.html", None,
     {"type": "webpage", "title": "统计公报", "URL": "https://www.stats.gov.cn/x.html",
      "author": [{"literal": "国家统计局"}], "issued": {"date-parts": [[2024, 2, 29]]}}),
    ("Goodfellow I, Bengio Y. Deep learning[M]. Cambridge: MIT Press, 2016", None,
     {"type": "book", "publisher": "MIT Press", "publisher-place": "Cambridge", "issued": {"date-parts": [[2016]]}}),
    ("An overview of gradient descent. https://doi.org/10.48550/arXiv.1609.04747", "2016",
     {"type": "webpage", "DOI": "10.48550/arXiv.1609.04747"}),
]
# titles that hold a full stop, a colon or names, but no parts: they stay whole
PLAIN = [
    ("【机器学习】机器学习的基本分类-自监督学习（Self-supervised Learning）", "2024-12-31"),
    ("Do Transformers Really Perform Bad for Graph Representation?", "2021"),
    ("朱孝忠，房韡，赵毅：基于深度VGG模型在乙烯裂解炉装置的预测应用", "2025"),
    ("U.S. policy on AI. A review of federal guidance", "2024"),
    ("GB/T 7714—2015 信息与文献 参考文献著录规则", "2015"),
    ("Version 2.0 released. 2023 roadmap", None),
]


@pytest.mark.parametrize(("entry", "date", "want"), CASES, ids=[c[0][:30] for c in CASES])
def test_entry_parts_are_read(entry: str, date: str | None, want: dict[str, object]) -> None:
    got = to_dict(csl_item("ref-1", entry, date))
    for key, value in want.items():
        assert got[key] == value, key


@pytest.mark.parametrize(("entry", "date"), PLAIN, ids=[c[0][:30] for c in PLAIN])
def test_a_plain_title_stays_whole(entry: str, date: str | None) -> None:
    got = to_dict(csl_item("ref-2", entry, date))
    assert got["type"] == "document" and got["title"] == entry
    assert set(got) <= {"id", "type", "title", "issued", "language"}


def test_hostile_entries_parse_in_linear_time() -> None:
    """Long runs of spaces and name-like words (the regex cost tests check the patterns too)."""
    import time

    for entry in ("Smith " * 4000 + "J. Title. Journal. 2020;1(1):1-2", "关键词：" + " " * 20000 + ", 2020",
                  "doi" + " " * 20000 + "x", "2020," + " " * 20000 + "(1"):
        start = time.perf_counter()
        csl_item("ref-1", entry, None)
        assert time.perf_counter() - start < 1.0
