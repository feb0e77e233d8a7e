"""Encodings: a record is read in whatever encoding explains its bytes, or refused."""

from __future__ import annotations

import pytest

from publisher.errors import InputError
from publisher.pipeline import build
from publisher.read import read_record
from publisher.read.encoding import decode_bytes

RECORD = "回调数据记录\n主题: 城市绿地与热岛效应\n大纲:\n# 城市绿地与热岛效应\n## 1 引言\n内容:\n# 城市绿地与热岛效应\n## 1 引言\n绿地每增加10%，地表温度下降约0.6 ℃，单位面积蒸散量达3 mm/m²[1]。\n# 参考文献:\n[1] 城市绿地降温效应研究. 2023.\n对话结束\n"


def published_text(data: bytes) -> str:
    doc = build(data, name="r.txt").value
    return "".join(i.text for s in doc.sections for b in s.blocks for i in getattr(b, "inlines", []) if hasattr(i, "text"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32", "gb18030"])
def test_every_listed_encoding_reads_the_same_record(encoding):
    if encoding == "utf-16-le-bom":
        data = b"\xff\xfe" + RECORD.replace("\n", "\r\n").encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + RECORD.encode("utf-16-be")
    else:
        data = RECORD.encode(encoding)
    record = read_record(data, "r.txt").value
    assert record.topic == "城市绿地与热岛效应"
    assert [ln.text for ln in record.references if ln.text.strip()] == ["[1] 城市绿地降温效应研究. 2023."]
    assert "3 mm/m²" in published_text(data)


def test_gb18030_four_byte_sequence_is_not_read_as_gbk():
    data = RECORD.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gbk")  # the test is about the superset: m² has no GBK code
    decoded = decode_bytes(data, "r.txt")
    assert decoded.encoding == "gb18030" and "m²" in decoded.text
    assert [m.message for m in decoded.messages] == ["not UTF-8: read as GB18030"]


def test_stray_windows_1252_bytes_are_read_and_each_reported_with_its_line():
    good = RECORD.replace("绿地每增加10%", "绿地每增加10%（即所谓 QUOTE 效应）")
    data = good.encode("utf-8").replace(b"QUOTE", b"\x93cool island\x94")
    result = read_record(data, "r.txt")
    text = "\n".join(ln.text for ln in result.value.content)
    assert "“cool island”" in text and "城市绿地与热岛效应" in text  # multi-byte UTF-8 around them untouched
    strays = [m for m in result.messages if m.rule == "stray-bytes"]
    assert [(m.line, m.severity) for m in strays] == [(9, "warning"), (9, "warning")]
    assert "0x93" in strays[0].message and "“" in strays[0].message


def test_utf8_bytes_that_contain_0x93_inside_a_character_are_not_strays():
    # 是 is E6 98 AF; 䓓 (U+44D3) is E4 93 93: valid UTF-8 whose bytes include 0x93
    data = ("大纲:\n# T\n## 1 引言\n内容:\n## 1 引言\n䓓是正文。\n").encode()
    assert b"\x93" in data
    result = read_record(data, "r.txt")
    assert result.messages == [] and "䓓是正文。" in [ln.text for ln in result.value.content]


def test_a_file_cut_inside_its_last_character_is_read_and_the_cut_reported():
    data = (RECORD + "正文").encode()[:-1]
    decoded = decode_bytes(data, "r.txt")
    assert decoded.text.endswith("对话结束\n正")
    assert "ends inside a character" in decoded.messages[-1].message


@pytest.mark.parametrize(("data", "words"), [
    (b"\xff\xfe" + "大纲:".encode("utf-16-le") + b"\x00\xd8\x41", "not UTF-16 LE"),
    (bytes(range(128, 256)) * 8, "not text in any encoding"),
    (bytes(range(256)) * 4, "binary"),
])
def test_what_no_encoding_explains_is_refused(data, words):
    with pytest.raises(InputError, match=words):
        read_record(data, "r.txt")


def test_a_cp1252_file_is_decoded_by_detection_not_refused():
    data = ("Outline:\n# Caf\u00e9 culture\n## 1 Intro\nContent:\n## 1 Intro\n"
            "The \u201cthird place\u201d idea shaped caf\u00e9s, na\u00efve as it seems. " * 3 + "\n").encode("cp1252")
    result = read_record(data, "r.txt")
    assert any("third place" in ln.text for ln in result.value.content)
    assert any(m.rule in ("encoding", "stray-bytes") for m in result.messages)
