"""The words of the review draft's comments, one table of strings per language.

Every comment names the rule, the source lines, what the publisher did, and (for what is
not shown as a tracked deletion) quotes the source. The strings live here and nowhere
else, keyed by rule, so that a message catalogue can take them over; `{…}` fields are
filled by `note_text`. A rule missing from a table is explained by its report message.
"""

from __future__ import annotations

from publisher.model import Message

QUOTE_CHARS = 160  # a comment quotes this much of the source at most

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "@where": "publisher · {rule} · {lines}",
        "@line": "line {a}",
        "@lines": "lines {a}–{b}",
        "@quote": "Source: “{text}”",
        "@also": "Also in it: {items}",
        "@renumbered": "Numbered in order of first citation: [{new}] is entry {old} of the supplied list.",
        "reasoning-tags": "The model's reasoning (a <think> block or its tags), removed.",
        "machinery": "Chat-template tokens, role labels or tool calls, removed.",
        "assistant-chatter": "The assistant talking to the requester, not part of the article: removed.",
        "assistant-chatter:kept": "May be the assistant talking rather than the article: kept, please check.",
        "prompt-leakage": "Instructions from the writing prompt, removed.",
        "repetition": "Text the model repeated, removed (one copy kept).",
        "invented-references": "A reference list the model wrote itself, removed: only the supplied list is "
                               "published.",
        "junk-heading": "An empty or placeholder heading, removed.",
        "placeholder": "A placeholder note standing in for text never written, removed.",
        "stray-rule": "A horizontal rule between generated pieces, removed.",
        "truncated-ending": "The chapter stops mid-sentence: the unfinished sentence was removed.",
        "unterminated-fence": "A code block that was never closed; closed where the block ends.",
        "markup": "HTML or other markup, read as the heading, paragraph or table it stands for.",
        "off-outline": "Material that belongs to no chapter of the outline was dropped here.",
        "duplicate-chapter": "This chapter was written twice: this is the more complete copy; the other "
                             "({lines}) was dropped.",
        "missing-chapter": "The outline chapter “{excerpt}” before this one was never written; it is left out.",
        "missing-chapter:end": "The outline chapter “{excerpt}” was never written; it is left out.",
        "empty-chapter": "A chapter with no real content was left out here.",
        "lost-chapter": "An outline chapter that has text in the record is not published: please check.",
        "content-loss": "Much less of the record's text was published than it holds: please check.",
        "chapter-order": "This chapter arrived out of order and was moved to its place in the outline.",
        "chapter-match": "Placed as an outline chapter by its number; the titles differ.",
        "empty-section": "A heading with no text under it, removed.",
        "orphan-text": "Text outside any chapter.",
        "deep-nesting": "Lists or quotes nested too deeply, flattened into paragraphs.",
        "nested-heading": "A heading inside a list or quote, published as bold text.",
        "placeholder-table": "A placeholder table (no real content) was dropped with its caption and the "
                             "sentence introducing it.",
        "orphan-caption": "A table caption, or a sentence pointing at a table, with no table: removed.",
        "table-repair": "The table had missing or extra cells and was repaired; no cell was lost.",
        "table-caption": "The table's caption was moved or is missing.",
        "table-reference": "A pointer to a table was renumbered, or pointed at no published table.",
        "heading-citation": "A citation marker in this heading was removed (headings carry no citations).",
        "dropped-citation": "A citation of a number the supplied reference list does not have, removed.",
        "merged-reference": "Two supplied entries are the same source, merged into this one.",
        "uncited-reference": "A supplied entry never cited in the text, left out of the list.",
        "reference-entry": "A problem in the supplied reference list.",
        "reference-heading": "A reference heading with chapters after it: not the supplied list.",
        "encoding": "The file was not UTF-8; it was read in the encoding its bytes show.",
        "stray-bytes": "Bytes that are not UTF-8, read as Windows-1252 characters.",
        "end-marker": "An end-of-conversation marker before the end, or text after it.",
    },
    "zh": {
        "@where": "publisher · {rule} · {lines}",
        "@line": "原稿第 {a} 行",
        "@lines": "原稿第 {a}–{b} 行",
        "@quote": "原文：“{text}”",
        "@also": "其中还有：{items}",
        "@renumbered": "按首次引用顺序编号：[{new}] 即所给参考文献列表中的 {old}。",
        "reasoning-tags": "模型的推理过程（<think> 块或其标签），已删除。",
        "machinery": "对话模板标记、角色标签或工具调用，已删除。",
        "assistant-chatter": "助手对提问者说的话，不属于正文，已删除。",
        "assistant-chatter:kept": "这句话可能是助手的客套话而非正文：已保留，请核对。",
        "prompt-leakage": "写作提示词中的指令混入正文，已删除。",
        "repetition": "模型重复输出的文字，已删除（保留一份）。",
        "invented-references": "模型自行编写的参考文献列表，已删除：只发布所提供的参考文献。",
        "junk-heading": "空标题或占位标题，已删除。",
        "placeholder": "代替正文的占位说明（正文并未写出），已删除。",
        "stray-rule": "生成片段之间的分隔线，已删除。",
        "truncated-ending": "本章在句中中断：未写完的句子已删除。",
        "unterminated-fence": "代码块未闭合，已在块尾闭合。",
        "markup": "HTML 等标记已按其表示的标题、段落或表格读取。",
        "off-outline": "此处有不属于大纲任何一章的内容，已删去。",
        "duplicate-chapter": "本章写了两遍：此处为较完整的一版，另一版（{lines}）已删去。",
        "missing-chapter": "大纲中位于本章之前的“{excerpt}”一章未生成，已略去。",
        "missing-chapter:end": "大纲中的“{excerpt}”一章未生成，已略去。",
        "empty-chapter": "此处一章没有实际内容，已略去。",
        "lost-chapter": "大纲中有一章在原稿中有内容却未发布，请核对。",
        "content-loss": "发布的正文比原稿少得多，请核对。",
        "chapter-order": "本章在原稿中顺序错乱，已移到大纲中的位置。",
        "chapter-match": "按章节编号归入大纲中的一章；标题与大纲不同。",
        "empty-section": "标题下没有正文，已删除。",
        "orphan-text": "不属于任何一章的文字。",
        "deep-nesting": "列表或引用嵌套过深，已展平为段落。",
        "nested-heading": "列表或引用中的标题，已改为粗体文字。",
        "placeholder-table": "占位表格（无实际内容）已删除，连同其表题和引出它的句子。",
        "orphan-caption": "没有对应表格的表题或指向表格的句子，已删除。",
        "table-repair": "表格缺少或多出单元格，已修复，未丢失任何单元格。",
        "table-caption": "表题已移动或缺失。",
        "table-reference": "指向表格的文字已重新编号，或所指表格未发布。",
        "heading-citation": "标题中的引用标记已删除（标题不带引用）。",
        "dropped-citation": "所提供的参考文献列表中没有此编号，该引用已删除。",
        "merged-reference": "所提供的两条参考文献是同一来源，已合并为此条。",
        "uncited-reference": "所提供的参考文献中有未被正文引用的条目，未列入。",
        "reference-entry": "所提供的参考文献列表有问题。",
        "reference-heading": "参考文献标题之后还有章节：并非所提供的参考文献列表。",
        "encoding": "文件不是 UTF-8 编码，已按其字节所示的编码读取。",
        "stray-bytes": "非 UTF-8 字节，已按 Windows-1252 字符读取。",
        "end-marker": "对话结束标记出现在末尾之前，或其后还有文字。",
    },
}


def strings(language: str) -> dict[str, str]:
    return STRINGS.get(language, STRINGS["en"])


def lines_text(language: str, first: int | None, last: int | None) -> str:
    """`lines 12–40` / `原稿第 12–40 行`; "" when the message has no place in the source."""
    s = strings(language)
    if not first:
        return ""
    if not last or last == first:
        return s["@line"].format(a=first)
    return s["@lines"].format(a=first, b=last)


def quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= QUOTE_CHARS else flat[: QUOTE_CHARS - 1] + "…"


def note_text(msg: Message, language: str, *, key: str | None = None, quoted: bool = True,
              also: list[Message] | None = None) -> list[str]:
    """A comment's lines: where (rule and source lines), what was done, and the source quoted."""
    s = strings(language)
    where = lines_text(language, msg.line, msg.end_line)
    out = [s["@where"].format(rule=msg.rule, lines=where).rstrip(" ·")]
    template = s.get(key or msg.rule)
    out.append(template.format(lines=where, excerpt=msg.excerpt) if template else msg.message)
    source = msg.removed if msg.removed else msg.excerpt
    if quoted and source.strip():
        out.append(s["@quote"].format(text=quote(source)))
    if also:
        items = "; ".join(f"{m.rule} ({lines_text(language, m.line, m.end_line)})" for m in also)
        out.append(s["@also"].format(items=items))
    return out


RENUMBERED = "citation-order"  # the rule a renumbered citation's comment names (no report line has it)


def renumbered_text(language: str, new: int, supplied: list[int]) -> list[str]:
    s = strings(language)
    old = "/".join(f"[{n}]" for n in supplied)
    return [s["@where"].format(rule=RENUMBERED, lines="").rstrip(" ·"), s["@renumbered"].format(new=new, old=old)]
