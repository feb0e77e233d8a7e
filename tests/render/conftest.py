"""Hand-built Documents shared by the writer tests.

`rich_doc_zh` and `rich_doc_en` cover every block and inline type of the model, as the
pipeline leaves them (final citation numbers, numbered tables, numbered sections):
three levels of sections, every inline kind, a captioned table with citations in its cells,
ordered, unordered and nested lists, a quote, a code block, abstract, keywords, references
and metadata. `hostile_doc` carries markup-looking text in every place a record string can
reach, to prove a writer escapes by construction. Each fixture builds a fresh Document, so a
test may mutate it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from publisher.model import (
    Cite,
    Code,
    CodeBlock,
    Document,
    Emph,
    Link,
    ListBlock,
    Metadata,
    Paragraph,
    Quote,
    Reference,
    Section,
    Strong,
    Table,
    Text,
)

# Markup from every target format a writer could be tricked into emitting raw.
HOSTILE = (
    '<w:p><w:r><w:t>INJECTED</w:t></w:r></w:p> `x`{=openxml} <script>alert("x")</script> '
    "#set page(width: 1cm) \\textbf{x} {{ jinja }} ]]> &amp; .. raw:: html"
)


def _refs(titles: list[tuple[str, str | None]]) -> list[Reference]:
    refs = []
    for n, (title, date) in enumerate(titles, start=1):
        text = f"{title}. {date}." if date else f"{title}."
        refs.append(Reference(number=n, title=title, date=date, text=text, supplied=[n + 10], raw=text))
    return refs


def build_rich_doc_zh() -> Document:
    p = Paragraph
    return Document(
        title="深度学习在图像识别领域的最新进展",
        language="zh",
        metadata=Metadata(
            uuid="716fac140c95455d92021e32554fb6d5",
            received="2025-11-21T19:18:36",
            topic="深度学习在图像识别领域的最新进展",
            source="000_0a9243bf99b5b6c4.txt",
        ),
        keywords=["深度学习", "图像识别", "卷积神经网络", "Transformer"],
        abstract=[
            p(
                [
                    Text("图像识别领域近年来因深度学习技术而显著提升性能"),
                    Cite([1]),
                    Text("。本文综述模型架构、训练方法与应用场景的进展"),
                    Cite([2, 3]),
                    Text("。"),
                ],
                line=40,
            ),
        ],
        sections=[
            Section(
                "1",
                "引言",
                1,
                line=50,
                blocks=[
                    p(
                        [
                            Text("卷积神经网络（"),
                            Strong([Text("CNN")]),
                            Text("）是"),
                            Emph([Text("图像识别")]),
                            Text("的基础模型"),
                            Cite([1, 3, 4, 5]),
                            Text("，其训练常用 "),
                            Code("torch.nn.Conv2d"),
                            Text(" 实现，详见"),
                            Link("https://pytorch.org/docs", [Text("PyTorch 文档")]),
                            Text("。"),
                        ],
                        line=52,
                    ),
                ],
                sections=[
                    Section(
                        "1.1",
                        "图像识别技术发展概述",
                        2,
                        line=55,
                        blocks=[
                            p(
                                [Text("从手工特征到端到端学习，识别精度持续提升"), Cite([2]), Text("。")],
                                line=56,
                            ),
                            ListBlock(
                                ordered=False,
                                line=58,
                                items=[
                                    [
                                        p(
                                            [
                                                Text("早期方法依赖 "),
                                                Strong([Text("SIFT")]),
                                                Text(" 等手工特征；"),
                                            ]
                                        )
                                    ],
                                    [
                                        p([Text("深度模型自动学习层次化表示"), Cite([4]), Text("；")]),
                                        ListBlock(
                                            ordered=True, items=[[p([Text("卷积层")])], [p([Text("池化层")])]]
                                        ),
                                    ],
                                    [p([Text("大模型时代的预训练与微调。")])],
                                ],
                            ),
                        ],
                        sections=[
                            Section(
                                "1.1.1",
                                "手工特征阶段",
                                3,
                                line=62,
                                blocks=[
                                    p(
                                        [Text("手工特征的代表方法包括 HOG 与 SIFT"), Cite([6]), Text("。")],
                                        line=63,
                                    ),
                                    Quote([p([Text("特征工程曾是计算机视觉的核心工作。")])], line=65),
                                ],
                            ),
                        ],
                    ),
                ],
            ),
            Section(
                "2",
                "模型架构演进",
                1,
                line=70,
                blocks=[
                    p([Text("表1比较了主流模型的性能与参数规模。")], line=71),
                    Table(
                        number=1,
                        caption="主流图像识别模型比较",
                        line=73,
                        header=[[Text("模型")], [Text("Top-1 准确率")], [Text("参数量")]],
                        rows=[
                            [[Text("ResNet-50")], [Text("76.1%")], [Text("25.6M"), Cite([3])]],
                            [[Strong([Text("ViT-B/16")])], [Text("81.8%")], [Text("86M"), Cite([5])]],
                            [[Text("ConvNeXt-T")], [Text("82.1%")], [Text("28M")]],
                        ],
                    ),
                    p([Text("训练脚本示例如下：")], line=80),
                    CodeBlock(
                        "import torch\nmodel = torch.hub.load('pytorch/vision', 'resnet50')\nprint(model)",
                        language="python",
                        line=81,
                    ),
                ],
                sections=[
                    Section(
                        "2.1",
                        "卷积神经网络的改进",
                        2,
                        line=85,
                        blocks=[
                            ListBlock(
                                ordered=True,
                                start=1,
                                line=86,
                                items=[
                                    [p([Text("残差连接缓解梯度消失"), Cite([3]), Text("；")])],
                                    [p([Text("深度可分离卷积降低计算量；")])],
                                    [p([Text("注意力模块增强特征表达"), Cite([5, 6]), Text("。")])],
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
        references=_refs(
            [
                ("开源计算获图像识别模型专利：加速AI图像识别技术落地", "2025"),
                ("全球矿业发展报告2025系列解读之八——全球矿业科技发展动态", "2025"),
                ("Deep Residual Learning for Image Recognition", "2016"),
                ("图像识别技术综述", "2024-12-31"),
                ("An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", "2021"),
                ("计算机视觉中的手工特征方法", None),
            ]
        ),
    )


def build_rich_doc_en() -> Document:
    p = Paragraph
    return Document(
        title="Recent Advances in Deep Learning for Image Recognition",
        language="en",
        metadata=Metadata(
            uuid="a67d181a6c549fd0a67d181a6c549fd0",
            received="2025-11-22T08:05:00",
            topic="Deep learning for image recognition",
            source="001_a67d181a6c549fd0.txt",
        ),
        keywords=["deep learning", "image recognition", "CNN", "transformer"],
        abstract=[
            p(
                [
                    Text("Deep learning has transformed image recognition"),
                    Cite([1]),
                    Text(". We review architectures, training methods and applications"),
                    Cite([2, 3]),
                    Text("."),
                ],
                line=40,
            ),
        ],
        sections=[
            Section(
                "1",
                "Introduction",
                1,
                line=50,
                blocks=[
                    p(
                        [
                            Text("Convolutional neural networks ("),
                            Strong([Text("CNNs")]),
                            Text(") are the "),
                            Emph([Text("de facto")]),
                            Text(" baseline"),
                            Cite([1, 3, 4, 5]),
                            Text("; see "),
                            Code("torch.nn.Conv2d"),
                            Text(" and the "),
                            Link("https://pytorch.org/docs", [Text("PyTorch documentation")]),
                            Text("."),
                        ],
                        line=52,
                    ),
                ],
                sections=[
                    Section(
                        "1.1",
                        "Overview of the field",
                        2,
                        line=55,
                        blocks=[
                            p(
                                [
                                    Text(
                                        "Accuracy rose steadily from hand-crafted features to end-to-end learning"
                                    ),
                                    Cite([2]),
                                    Text("."),
                                ],
                                line=56,
                            ),
                            ListBlock(
                                ordered=False,
                                line=58,
                                items=[
                                    [
                                        p(
                                            [
                                                Text("early methods relied on "),
                                                Strong([Text("SIFT")]),
                                                Text(";"),
                                            ]
                                        )
                                    ],
                                    [
                                        p(
                                            [
                                                Text("deep models learn hierarchical features"),
                                                Cite([4]),
                                                Text(";"),
                                            ]
                                        ),
                                        ListBlock(
                                            ordered=True,
                                            items=[[p([Text("convolution")])], [p([Text("pooling")])]],
                                        ),
                                    ],
                                    [p([Text("pre-training and fine-tuning at scale.")])],
                                ],
                            ),
                        ],
                        sections=[
                            Section(
                                "1.1.1",
                                "Hand-crafted features",
                                3,
                                line=62,
                                blocks=[
                                    p(
                                        [
                                            Text("Typical hand-crafted descriptors include HOG and SIFT"),
                                            Cite([6]),
                                            Text("."),
                                        ],
                                        line=63,
                                    ),
                                    Quote(
                                        [
                                            p(
                                                [
                                                    Text(
                                                        "Feature engineering used to be the core of computer vision."
                                                    )
                                                ]
                                            )
                                        ],
                                        line=65,
                                    ),
                                ],
                            ),
                        ],
                    ),
                ],
            ),
            Section(
                "2",
                "Architectures",
                1,
                line=70,
                blocks=[
                    p([Text("Table 1 compares the main models.")], line=71),
                    Table(
                        number=1,
                        caption="Comparison of image recognition models",
                        line=73,
                        header=[[Text("Model")], [Text("Top-1 accuracy")], [Text("Parameters")]],
                        rows=[
                            [[Text("ResNet-50")], [Text("76.1%")], [Text("25.6M"), Cite([3])]],
                            [[Strong([Text("ViT-B/16")])], [Text("81.8%")], [Text("86M"), Cite([5])]],
                            [[Text("ConvNeXt-T")], [Text("82.1%")], [Text("28M")]],
                        ],
                    ),
                    p([Text("A training script:")], line=80),
                    CodeBlock(
                        "import torch\nmodel = torch.hub.load('pytorch/vision', 'resnet50')\nprint(model)",
                        language="python",
                        line=81,
                    ),
                ],
                sections=[
                    Section(
                        "2.1",
                        "Improving convolutional networks",
                        2,
                        line=85,
                        blocks=[
                            ListBlock(
                                ordered=True,
                                start=1,
                                line=86,
                                items=[
                                    [
                                        p(
                                            [
                                                Text("residual connections ease optimisation"),
                                                Cite([3]),
                                                Text(";"),
                                            ]
                                        )
                                    ],
                                    [p([Text("depthwise separable convolutions cut computation;")])],
                                    [
                                        p(
                                            [
                                                Text("attention modules strengthen features"),
                                                Cite([5, 6]),
                                                Text("."),
                                            ]
                                        )
                                    ],
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
        references=_refs(
            [
                ("Open computing patents an image recognition model", "2025"),
                ("Global mining report 2025: technology trends", "2025"),
                ("Deep Residual Learning for Image Recognition", "2016"),
                ("A survey of image recognition", "2024-12-31"),
                ("An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", "2021"),
                ("Hand-crafted features in computer vision", None),
            ]
        ),
    )


def build_hostile_doc() -> Document:
    """Markup-looking text everywhere a record string reaches; must come out literally."""
    doc = build_rich_doc_en()
    doc.title = "Title " + HOSTILE
    doc.keywords = ["kw " + HOSTILE]
    doc.metadata.topic = "Topic " + HOSTILE
    doc.sections[0].title = "Heading " + HOSTILE
    doc.sections[0].blocks.insert(0, Paragraph([Text("Body " + HOSTILE), Strong([Text(HOSTILE)])]))
    table = doc.tables()[0]
    table.caption = "Caption " + HOSTILE
    table.rows[0][0] = [Text("Cell " + HOSTILE)]
    doc.sections[1].blocks.append(CodeBlock(HOSTILE, language="html"))
    doc.sections[1].blocks.append(Paragraph([Link("https://example.org/?a=1&b=<x>", [Text(HOSTILE)])]))
    doc.references[0].text = "Ref " + HOSTILE
    return doc


@pytest.fixture
def rich_doc_zh() -> Document:
    return build_rich_doc_zh()


@pytest.fixture
def rich_doc_en() -> Document:
    return build_rich_doc_en()


@pytest.fixture
def hostile_doc() -> Document:
    return build_hostile_doc()


@pytest.fixture(scope="session")
def doc_builders() -> dict[str, Callable[[], Document]]:
    """The builders behind the fixtures above, for module-scoped fixtures that render once."""
    return {"zh": build_rich_doc_zh, "en": build_rich_doc_en, "hostile": build_hostile_doc}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per test module (the HTML writer's layout tests)."""
    from tests.render.test_validators import CHROMIUM, CHROMIUM_ARGS

    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail("Chromium is part of the setup (/usr/bin/chromium) but is missing")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
