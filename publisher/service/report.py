"""The report in plain words for the draft page: each rule gets a heading an author
understands, and rules are gathered under what happened to the text (missing, removed,
moved, repaired, citations and references).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from publisher.model import Message

# group key -> heading shown on the page, in page order
GROUPS: dict[str, str] = {
    "missing": "Chapters missing from the text",
    "removed": "Removed",
    "moved": "Moved",
    "repaired": "Repaired",
    "citations": "Citations and references",
    "other": "Other changes",
}

# rule -> (group, what it means in plain words)
RULES: dict[str, tuple[str, str]] = {
    "missing-chapter": ("missing", "Planned in the outline but never written; left out of the article"),
    "lost-chapter": ("missing", "Planned in the outline and written in the content, yet not published: check why"),
    "content-loss": ("missing", "Much less of the record's text was published than it holds: check what took it"),
    "empty-chapter": ("missing", "Written with no real content (placeholder, headings, refusal or chatter only); "
                                 "left out like a chapter never written"),
    "reasoning-tags": ("removed", "The model's hidden reasoning (<think> blocks)"),
    "machinery": ("removed", "Chat-template tokens, role labels and tool calls meant for the machinery, not the reader"),
    "assistant-chatter": ("removed", "Remarks from the assistant that are not part of the article"),
    "placeholder": ("removed", "Placeholder notes standing in for text never written (待补充, TBD, to be added)"),
    "prompt-leakage": ("removed", "Instructions from the writing prompt that leaked into the text"),
    "repetition": ("removed", "Text the model repeated over and over"),
    "invented-references": ("removed", "Reference lists the model made up (only the supplied list is published)"),
    "junk-heading": ("removed", "Empty or placeholder headings"),
    "stray-rule": ("removed", "Stray horizontal rules between generated pieces"),
    "off-outline": ("removed", "Material that belongs to no chapter of the outline"),
    "duplicate-chapter": ("removed", "A chapter written twice (the more complete version is kept)"),
    "empty-section": ("removed", "Headings with no text under them"),
    "orphan-text": ("removed", "Text outside any chapter"),
    "placeholder-table": ("removed", "Placeholder tables with no real content"),
    "orphan-caption": ("removed", "Table captions, or sentences pointing at a table, with no table"),
    "chapter-order": ("moved", "Chapters that arrived out of order, moved to their place in the outline"),
    "chapter-match": ("moved", "Chapters whose title differs from the outline, placed by their number or sub-sections"),
    "unterminated-fence": ("repaired", "Code blocks that were never closed"),
    "markup": ("repaired", "HTML or other markup, read as the headings, paragraphs and tables it stands for"),
    "stray-bytes": ("repaired", "Bytes that are not UTF-8, read as Windows-1252 characters (curly quotes, dashes)"),
    "truncated-ending": ("repaired", "Chapters that stop mid-sentence, cut back to the last full sentence"),
    "deep-nesting": ("repaired", "Lists, quotes or emphasis nested too deeply, flattened"),
    "unparsed-links": ("repaired", "Paragraphs with so many stray brackets that their links were left as written"),
    "nested-heading": ("repaired", "Headings inside a list or quote, published as bold text"),
    "table-repair": ("repaired", "Tables with missing or extra cells"),
    "table-caption": ("repaired", "Tables without a title"),
    "table-reference": ("repaired", "Sentences that point at a table that is not published"),
    "heading-citation": ("citations", "Citation markers in headings, removed (headings carry no citations)"),
    "dropped-citation": ("citations", "Citations of a number missing from the supplied reference list (removed)"),
    "uncited-reference": ("citations", "Supplied references that the text never cites"),
    "merged-reference": ("citations", "Supplied references that are the same source, merged into one"),
    "reference-entry": ("citations", "Problems in the supplied reference list"),
    "reference-heading": ("citations", "A reference heading with chapters after it (not the supplied list)"),
    "encoding": ("other", "The file was not UTF-8; it was read in the encoding its bytes show"),
    "end-marker": ("other", "An end-of-conversation marker before the end, or text after it"),
    # what a writer could not carry into its format (publisher/render/notes.py)
    "unsafe-link": ("other", "Links to something other than a web page or e-mail address, kept as plain text"),
    "illegal-character": ("other", "Invisible control characters that a format cannot hold, left out of it"),
    "unknown-code-language": ("other", "Code in a language no highlighter knows, shown as plain code"),
}


@dataclass
class RuleItems:
    rule: str
    explanation: str
    items: list[Message] = field(default_factory=list)

    @property
    def worst(self) -> str:
        order = {"info": 0, "warning": 1, "error": 2}
        return max((m.severity for m in self.items), key=order.__getitem__, default="info")


@dataclass
class ReportGroup:
    key: str
    heading: str
    rules: list[RuleItems] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(r.items) for r in self.rules)


def group_report(report: list[Message]) -> list[ReportGroup]:
    """Messages gathered by group, then by rule; both in a fixed order, messages by line."""
    groups = {key: ReportGroup(key, heading) for key, heading in GROUPS.items()}
    by_rule: dict[str, RuleItems] = {}
    for msg in report:
        group, explanation = RULES.get(msg.rule, ("other", msg.rule.replace("-", " ").capitalize()))
        if msg.rule not in by_rule:
            by_rule[msg.rule] = RuleItems(msg.rule, explanation)
            groups[group].rules.append(by_rule[msg.rule])
        by_rule[msg.rule].items.append(msg)
    rule_order = {rule: i for i, rule in enumerate(RULES)}
    for g in groups.values():
        g.rules.sort(key=lambda r: rule_order.get(r.rule, len(rule_order)))
        for r in g.rules:
            r.items.sort(key=lambda m: (m.line is None, m.line or 0))
    return [g for g in groups.values() if g.rules]


def lines_label(msg: Message) -> str:
    """`line 12`, `lines 12–40`, or "" when the message has no place in the source."""
    if msg.line is None:
        return ""
    if msg.end_line is None or msg.end_line == msg.line:
        return f"line {msg.line}"
    return f"lines {msg.line}–{msg.end_line}"
