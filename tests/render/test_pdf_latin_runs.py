"""Chinese justified lines next to long Latin runs in the PDF: the Latin words may break
(hyphenated as English), so a line does not have to spread its Han characters apart to
reach the margin ("国 际 标 准 组 织（International Organization for Standardization）").

A product name ("MobileNetV3", "EfficientNet-B7") is no English word: in justified Chinese text
it may break where a capital follows a lower-case letter, with nothing shown and nothing added
to the text layer; in ragged and in English text it stays whole.

Measured on the laid-out PDF: where typst hyphenated (a line ending in a soft hyphen after
a Latin letter) and how far the Han characters of each line are spread (the width of a run of
Han characters over their count, in em; 1.0 is set solid)."""

from __future__ import annotations

import re
import subprocess

from publisher.model import Block, Document, Language, Paragraph, Reference, Section, Text
from publisher.pipeline import build_document
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


# Product names: one Latin word with humps, no English word to hyphenate.
NAMES = ["MobileNetV3", "EfficientNet-B7", "ShuffleNetV2", "DenseNet201", "SqueezeNet", "DeepLabV3Plus",
         "RegNetY-16GF", "ConvNeXt-XL", "SegFormer-B5", "InceptionResNetV2"]


def with_product_names(language: Language) -> Document:
    """Paragraphs whose product name starts at every position of the line."""
    if language == "zh":
        paragraphs: list[Block] = [
            Paragraph([Text(f"{HAN_TEXT[: (k * 7) % 37 + 2]}{NAMES[k % len(NAMES)]}{HAN_TEXT[k % 11:][:30]}。"
                            f"{HAN_TEXT[: (k * 3) % 20]}。")])
            for k in range(40)
        ]
    else:
        words = ["image", "recognition", "in", "medical", "imaging", "and", "remote", "sensing", "keeps", "growing",
                 "while", "light", "models"]
        paragraphs = [Paragraph([Text(f"{' '.join(words[: k % 13 + 1])} {NAMES[k % len(NAMES)]} "
                                      f"{' '.join(words[k % 5:])}.")]) for k in range(40)]
    return Document(title="名称" if language == "zh" else "Names", language=language,
                    sections=[Section("1", "引言" if language == "zh" else "Introduction", 1, blocks=paragraphs)])


def name_cuts(text: str) -> list[str]:
    """The names a line ends inside of ("Mobile" / "NetV3"), as "Mobile|NetV3"."""
    lines = text.splitlines()
    cuts = []
    for line, after in zip(lines, lines[1:], strict=False):
        for name in NAMES:
            for k in range(1, len(name)):
                if line.endswith(name[:k]) and after.startswith(name[k:]):
                    cuts.append(f"{name[:k]}|{name[k:]}")
    return cuts


def test_product_names_in_chinese_text_break_at_their_humps_and_the_han_stays_close() -> None:
    """A line may end inside "MobileNetV3" where a capital follows a lower-case letter
    ("Mobile|NetV3"), with nothing visible and nothing in the text layer; so the line before a
    name no longer spreads its Han characters (before: four lines beyond 1.1 em a character,
    the worst 1.18)."""
    data = pdf.render(with_product_names("zh"), RenderOptions(templates=CHECKOUT)).value
    assert isinstance(data, bytes)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")
    cuts = name_cuts(text)
    assert len(cuts) >= 3, cuts
    for cut in cuts:  # at a hump, three letters or more before it and two after it
        before, after = cut.split("|")
        assert re.search("[a-z]$", before) and re.match("[A-Z]", after) and len(before) >= 3 and len(after) >= 2, cut
    assert "\u200b" not in text and "\u00ad" not in text and "\ufffc" not in text
    flat = re.sub(r"\s+", "", text)
    assert all(flat.count(name) == 4 for name in NAMES)
    spreads = han_spreads(data)
    assert len(spreads) > 60
    assert sum(s > 1.1 for s in spreads) <= 1 and max(spreads) < 1.13


def test_product_names_in_english_text_stay_whole() -> None:
    """English lines break at spaces: a name is never cut at its humps there."""
    data = pdf.render(with_product_names("en"), RenderOptions(templates=CHECKOUT)).value
    assert isinstance(data, bytes)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert not name_cuts(text)
    # (a line may end after a name's own hyphen, which pdftotext then takes out)
    flat = re.sub(r"[\s-]+", "", text)
    assert all(flat.count(name.replace("-", "")) == 4 for name in NAMES)


def test_product_names_in_ragged_chinese_text_move_whole() -> None:
    """The reference list is set ragged: nothing spreads there, so a name is never cut."""
    doc = with_product_names("zh")
    texts = [f"{(HAN_TEXT * 2)[: 30 + k % 20]}{NAMES[k % len(NAMES)]}{HAN_TEXT[:12]}。" for k in range(40)]
    doc.sections[0].blocks = [Paragraph([Text("引言。")])]
    doc.references = [Reference(number=n, title=t, date=None, text=t, supplied=[n], raw=t)
                      for n, t in enumerate(texts, start=1)]
    data = pdf.render(doc, RenderOptions(templates=CHECKOUT)).value
    assert isinstance(data, bytes)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert not name_cuts(text)
    assert all(re.sub(r"\s+", "", text).count(name) == 4 for name in NAMES)


def test_no_line_of_the_chinese_samples_is_letter_spaced() -> None:
    """The samples' worst lines before: "（如" before "MobileNetV3与EfficientNet-Lite" (1.14 em a
    character) and "（CNNs）和" before "Transformer" (1.13 em); now a name breaks at a hump and
    an English word takes a hyphen rather than spread the Han."""
    root = CHECKOUT.parent / "samples"
    for path in (root / "000_0a9243bf99b5b6c4.txt", root / "001_a67d181a6c549fd0.txt"):
        data = pdf.render(build_document(path), RenderOptions(templates=CHECKOUT)).value
        assert isinstance(data, bytes)
        spreads = han_spreads(data)
        assert len(spreads) > 100 and max(spreads) <= 1.1, (path.name, max(spreads))
