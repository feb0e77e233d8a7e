"""Chinese justified lines next to long Latin runs in the PDF: the Latin words may break
(hyphenated as English), so a line does not have to spread its Han characters apart to
reach the margin ("国 际 标 准 组 织（International Organization for Standardization）").

Measured on the laid-out PDF: where typst hyphenated (a line ending in a soft hyphen after
a Latin letter) and how far the Han characters of each line are spread (the width of a run of
Han characters over their count, in em; 1.0 is set solid)."""

from __future__ import annotations

import re
import subprocess

from publisher.model import Block, Document, Paragraph, Section, Text
from publisher.render import RenderOptions, pdf
from publisher.render.template_dir import CHECKOUT

PHRASES = ["International Organization for Standardization", "Convolutional Neural Network",
           "Reinforcement Learning from Human Feedback", "Contrastive Language-Image Pretraining",
           "Generative Adversarial Networks", "Explainable Artificial Intelligence"]
HAN_TEXT = "图像识别技术在医学影像分析与遥感监测中的应用不断拓展模型轻量化成为研究热点"
HAN = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+$")
WORD = re.compile(r'<word xMin="([^"]*)" yMin="([^"]*)" xMax="([^"]*)" yMax="([^"]*)">([^<]*)</word>')


def chinese_with_english_terms() -> Document:
    """Paragraphs whose English term starts at every position of the line."""
    paragraphs: list[Block] = [
        Paragraph([Text(f"{HAN_TEXT[: (k * 5) % 31 + 3]}（{PHRASES[k % len(PHRASES)]}）"
                        f"{HAN_TEXT[:20]}。{HAN_TEXT[k % 9:][:25]}。")])
        for k in range(36)
    ]
    return Document(title="术语测试", language="zh", sections=[Section("1", "引言", 1, blocks=paragraphs)])


def han_spreads(data: bytes) -> list[float]:
    """For each run of six or more Han characters on a line: its width per character, in ems."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=data, capture_output=True,
                         check=True).stdout.decode("utf-8")
    spreads = []
    for line in re.findall(r"<line [^>]*>(.*?)</line>", xml, re.S):
        run: list[re.Match[str]] = []
        for word in [*WORD.finditer(line), None]:
            if word is not None and HAN.match(word.group(5)):
                run.append(word)
                continue
            chars = sum(len(w.group(5)) for w in run)
            if chars >= 6:
                height = float(run[0].group(4)) - float(run[0].group(2))
                spreads.append((float(run[-1].group(3)) - float(run[0].group(1))) / chars / height)
            run = []
    return spreads


def test_english_terms_in_chinese_text_hyphenate_and_the_han_stays_close() -> None:
    data = pdf.render(chinese_with_english_terms(), RenderOptions(templates=CHECKOUT)).value
    assert isinstance(data, bytes)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")
    hyphenated = [line for line in text.splitlines() if re.search("[a-z]\u00ad$", line)]
    assert len(hyphenated) >= 3  # before: none, every term moved whole to the next line
    spreads = han_spreads(data)
    assert len(spreads) > 30
    # before: five lines spread beyond 1.1 em a character, the worst 1.21
    assert sum(s > 1.1 for s in spreads) <= 2 and max(spreads) < 1.2
