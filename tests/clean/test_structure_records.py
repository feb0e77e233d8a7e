"""Whole records with machinery debris and markup in other syntaxes (issue 11, items 2-3)."""

from __future__ import annotations

from publisher.model import Document, Paragraph, Table, iter_blocks
from publisher.pipeline import build


def text_of(doc: Document) -> str:
    parts = [doc.title] + [s.title for s in doc.sections] + [t.caption for t in tables(doc)]
    for blocks in doc.block_lists():
        for b in iter_blocks(blocks):
            if isinstance(b, Paragraph):
                parts.append("".join(getattr(i, "text", "") for i in b.inlines))
            if isinstance(b, Table):
                parts += ["".join(getattr(i, "text", "") for i in c) for row in [b.header, *b.rows] for c in row]
    return "\n".join(parts)


def tables(doc: Document) -> list[Table]:
    return [b for blocks in doc.block_lists() for b in iter_blocks(blocks) if isinstance(b, Table)]


MACHINERY = """回调数据记录
主题: 冷链物流温度监测
大纲:
# 冷链物流温度监测研究综述
## 1 引言
## 2 传感技术
## 3 结论
内容:
<think>

</think>
<|im_start|>assistant
# 冷链物流温度监测研究综述
**摘要**：温度失控是冷链损耗的主要原因[1]。
<|im_end|>
<think>

</think>
<|im_start|>user
请写第一章，引用格式为[n]。
<|im_end|>
<｜Assistant｜>## 1 引言

冷链断链会使疫苗效价在数小时内下降[1]。<｜end▁of▁sentence｜>
<think>

</think>
<tool_call>
{"name": "DocumentSearch", "arguments": {"query": "RFID 温度标签", "top_k": 5}}
</tool_call>

助手：

[INST] Write chapter 2. [/INST]
## 2 传感技术

无源RFID温度标签的成本已降至每枚一元以下[2]。客服机器人中的“助手”只回答常见问题。
<think>

</think>
Human: now the conclusions please
## 3 结论

实时监测与预测性调度结合是降低损耗的关键[1][2]。
</s>

# 参考文献:
[1] 冷链断链风险研究. 2022.
[2] 无源RFID温度标签综述. 2024.
对话结束
"""


def test_machinery_debris_goes_whole_and_the_article_stays():
    result = build(MACHINERY, name="machinery.txt")
    doc = result.value
    assert [s.title for s in doc.sections] == ["引言", "传感技术", "结论"]
    text = text_of(doc)
    for debris in ("im_start", "im_end", "Assistant｜", "end▁of▁sentence", "请写第一章", "DocumentSearch", "top_k",
                   "助手：", "[INST]", "Write chapter 2", "Human", "now the conclusions", "</s>"):
        assert debris not in text, debris
    for kept in ("温度失控是冷链损耗的主要原因", "冷链断链会使疫苗效价在数小时内下降", "客服机器人中的“助手”只回答常见问题",
                 "实时监测与预测性调度结合是降低损耗的关键"):
        assert kept in text, kept
    assert sum(1 for m in result.messages if m.rule == "machinery") >= 8


MARKUP = """回调数据记录
主题: Battery health
Outline:
# Battery Health Estimation: A Review
## 1 Introduction
## 2 Health Indicators
### 2.1 Incremental capacity
## 3 Estimators
Content:
<think>

</think>
# Battery Health Estimation: A Review

Introduction
============

Capacity fade is dominated by <strong>SEI growth</strong> [1].

<think>

</think>
<h2>2 Health Indicators</h2>

<h3>2.1 Incremental capacity</h3>

<p>IC analysis turns voltage plateaus into peaks [2].<br>
Peak height tracks ageing [2].</p>

<think>

</think>
3 Estimators
------------

The table below compares estimators on public data [1].

<table>
<caption>Accuracy of representative estimators</caption>
<tr><th>Method</th><th>RMSE (%)</th></tr>
<tr><td>GPR</td><td>0.9</td></tr>
<tr><td>LSTM</td><td>1.4</td></tr>
</table>

# References:
[1] SEI growth in graphite anodes. 2020.
[2] Incremental capacity analysis. 2022.
"""


def test_markup_in_other_syntaxes_is_published_as_structure():
    doc = build(MARKUP, name="markup.txt").value
    assert [s.title for s in doc.sections] == ["Introduction", "Health Indicators", "Estimators"]
    assert [s.title for s in doc.sections[1].sections] == ["Incremental capacity"]
    [table] = tables(doc)
    assert table.caption == "Accuracy of representative estimators" and table.number == 1
    assert ["".join(getattr(i, "text", "") for i in c) for c in table.header] == ["Method", "RMSE (%)"]
    assert len(table.rows) == 2
    text = text_of(doc)
    for debris in ("<h2>", "<h3>", "<p>", "<br>", "<table>", "<strong>", "====", "----"):
        assert debris not in text, debris
    assert "IC analysis turns voltage plateaus into peaks" in text and "Peak height tracks ageing" in text
