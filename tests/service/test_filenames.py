"""Download names: the real title in filename*, a safe ASCII stand-in in filename."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from publisher.service.filenames import MAX_STEM, ascii_stem, content_disposition, file_stem


def parts(header: str) -> tuple[str, str]:
    m = re.fullmatch(r'attachment; filename="([^"\\]*)"; filename\*=UTF-8\'\'([A-Za-z0-9%._~-]+)', header)
    assert m, header
    return m.group(1), unquote(m.group(2))


def test_chinese_title_survives_in_filename_star() -> None:
    fallback, real = parts(content_disposition("深度学习在图像识别领域的最新进展", ".docx"))
    assert real == "深度学习在图像识别领域的最新进展.docx"
    assert fallback == "article.docx"


def test_mixed_title_keeps_its_ascii_words_in_the_fallback() -> None:
    fallback, real = parts(content_disposition("Transformer 模型综述 2025", ".pdf"))
    assert real == "Transformer 模型综述 2025.pdf"
    assert fallback == "Transformer 2025.pdf"


def test_accents_fold_in_the_fallback() -> None:
    fallback, real = parts(content_disposition("Café résumé", ".md"))
    assert (fallback, real) == ("Cafe resume.md", "Café résumé.md")


@pytest.mark.parametrize("title", ['a/b\\c:d*e?f"g<h>i|j', "..\\..\\etc/passwd", "line\r\nbreak\ttab", '"; x="y'])
def test_unsafe_characters_never_reach_the_header(title: str) -> None:
    header = content_disposition(title, ".docx")
    assert "\r" not in header and "\n" not in header
    fallback, real = parts(header)
    for name in (fallback, real):
        assert not set(name) & set('/\\:*?"<>|\r\n\t')
        assert not name.startswith(".")


@pytest.mark.parametrize("title", ["", "   ", "...", "///"])
def test_empty_titles_become_article(title: str) -> None:
    assert file_stem(title) == "article"
    assert parts(content_disposition(title, ".pdf")) == ("article.pdf", "article.pdf")


def test_long_titles_are_cut() -> None:
    stem = file_stem("很长的标题" * 50)
    assert len(stem) == MAX_STEM
    assert len((stem + ".docx").encode("utf-8")) < 255


def test_ascii_stem_of_nothing_ascii() -> None:
    assert ascii_stem("参考文献") == "article"


@pytest.mark.parametrize("title", ["report\u202etxt.exe", "a\u2066b\u2069c", "x\u200by\u200fz\ufeff"])
def test_bidi_and_invisible_controls_are_dropped(title: str) -> None:
    """Regression (issue 12 item 14): U+202E survived, so `report\u202etxt.exe` showed as `reportexe.txt`."""
    fallback, real = parts(content_disposition(title, ".docx"))
    assert not any(0x200B <= ord(ch) <= 0x200F or 0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069
                   or ch == "\ufeff" for ch in real)
    assert real == file_stem(title) + ".docx" and file_stem(title) == title.translate(
        {c: None for c in (0x202E, 0x2066, 0x2069, 0x200B, 0x200F, 0xFEFF)})
