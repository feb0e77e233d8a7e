"""The report in plain words for the draft page: each rule gets a heading an author
understands, and rules are gathered under what happened to the text (missing, removed,
moved, repaired, citations and references). The words are catalogue ids, said in the
reader's language by `group_report(report, lang)` and `lines_label(msg, lang)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from publisher.i18n import DEFAULT, N_, Lang, gettext
from publisher.model import Message
from publisher.result import localised, said

# group key -> heading shown on the page, in page order
GROUPS: dict[str, str] = {
    "missing": N_("Chapters missing from the text"),
    "removed": N_("Removed"),
    "moved": N_("Moved"),
    "repaired": N_("Repaired"),
    "citations": N_("Citations and references"),
    "other": N_("Other changes"),
}

# rule -> (group, what it means in plain words)
RULES: dict[str, tuple[str, str]] = {
    "missing-chapter": ("missing", N_("Planned in the outline but never written; left out of the article")),
    "lost-chapter": ("missing", N_("Planned in the outline and written in the content, yet not published: check why")),
    "content-loss": ("missing", N_("Much less of the record's text was published than it holds: check what took it")),
    "empty-chapter": ("missing", N_("Written with no real content (placeholder, headings, refusal or chatter only); "
                                 "left out like a chapter never written")),
    "reasoning-tags": ("removed", N_("The model's hidden reasoning (<think> blocks)")),
    "machinery": ("removed", N_("Chat-template tokens, role labels and tool calls meant for the machinery, not the reader")),
    "assistant-chatter": ("removed", N_("Remarks from the assistant that are not part of the article")),
    "placeholder": ("removed", N_("Placeholder notes standing in for text never written (待补充, TBD, to be added)")),
    "prompt-leakage": ("removed", N_("Instructions from the writing prompt that leaked into the text")),
    "repetition": ("removed", N_("Text the model repeated over and over")),
    "invented-references": ("removed", N_("Reference lists the model made up (only the supplied list is published)")),
    "junk-heading": ("removed", N_("Empty or placeholder headings")),
    "stray-rule": ("removed", N_("Stray horizontal rules between generated pieces")),
    "off-outline": ("removed", N_("Material that belongs to no chapter of the outline")),
    "duplicate-chapter": ("removed", N_("A chapter written twice (the more complete version is kept)")),
    "empty-section": ("removed", N_("Headings with no text under them")),
    "orphan-text": ("removed", N_("Text outside any chapter")),
    "placeholder-table": ("removed", N_("Placeholder tables with no real content")),
    "orphan-caption": ("removed", N_("Table captions, or sentences pointing at a table, with no table")),
    "chapter-order": ("moved", N_("Chapters that arrived out of order, moved to their place in the outline")),
    "chapter-match": ("moved", N_("Chapters whose title differs from the outline, placed by their number or sub-sections")),
    "unterminated-fence": ("repaired", N_("Code blocks that were never closed")),
    "markup": ("repaired", N_("HTML or other markup, read as the headings, paragraphs and tables it stands for")),
    "stray-bytes": ("repaired", N_("Bytes that are not UTF-8, read as Windows-1252 characters (curly quotes, dashes)")),
    "truncated-ending": ("repaired", N_("Chapters that stop mid-sentence, cut back to the last full sentence")),
    "deep-nesting": ("repaired", N_("Lists, quotes or emphasis nested too deeply, flattened")),
    "unparsed-links": ("repaired", N_("Paragraphs with so many stray brackets that their links were left as written")),
    "nested-heading": ("repaired", N_("Headings inside a list or quote, published as bold text")),
    "table-repair": ("repaired", N_("Tables with missing or extra cells")),
    "table-caption": ("repaired", N_("Tables without a title")),
    "table-reference": ("repaired", N_("Sentences that point at a table that is not published")),
    "heading-citation": ("citations", N_("Citation markers in headings, removed (headings carry no citations)")),
    "dropped-citation": ("citations", N_("Citations of a number missing from the supplied reference list (removed)")),
    "uncited-reference": ("citations", N_("Supplied references that the text never cites")),
    "merged-reference": ("citations", N_("Supplied references that are the same source, merged into one")),
    "reference-entry": ("citations", N_("Problems in the supplied reference list")),
    "reference-heading": ("citations", N_("A reference heading with chapters after it (not the supplied list)")),
    "encoding": ("other", N_("The file was not UTF-8; it was read in the encoding its bytes show")),
    "end-marker": ("other", N_("An end-of-conversation marker before the end, or text after it")),
    # what a writer could not carry into its format (publisher/render/notes.py)
    "unsafe-link": ("other", N_("Links to something other than a web page or e-mail address, kept as plain text")),
    "illegal-character": ("other", N_("Invisible control characters that a format cannot hold, left out of it")),
    "unknown-code-language": ("other", N_("Code in a language no highlighter knows, shown as plain code")),
}


@dataclass
class RuleItems:
    rule: str
    explanation: str
    items: list[Message] = field(default_factory=list)  # the report's own objects (a page may key on them)
    lang: Lang = DEFAULT

    def said(self, msg: Message) -> str:
        """One of the items in the group's language, after its place in the article."""
        return localised(msg, self.lang)

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


def group_report(report: list[Message], lang: Lang = DEFAULT) -> list[ReportGroup]:
    """Messages gathered by group, then by rule; both in a fixed order, messages by line. The
    headings and the explanations are in `lang`, and each group's `said(msg)` says its messages
    in it."""
    groups = {key: ReportGroup(key, gettext(lang, heading)) for key, heading in GROUPS.items()}
    by_rule: dict[str, RuleItems] = {}
    for msg in report:
        group, explanation = RULES.get(msg.rule, ("other", msg.rule.replace("-", " ").capitalize()))
        if msg.rule not in by_rule:
            by_rule[msg.rule] = RuleItems(msg.rule, gettext(lang, explanation), lang=lang)
            groups[group].rules.append(by_rule[msg.rule])
        by_rule[msg.rule].items.append(msg)
    rule_order = {rule: i for i, rule in enumerate(RULES)}
    for g in groups.values():
        g.rules.sort(key=lambda r: rule_order.get(r.rule, len(rule_order)))
        for r in g.rules:
            r.items.sort(key=lambda m: (m.line is None, m.line or 0))
    return [g for g in groups.values() if g.rules]


def lines_label(msg: Message, lang: Lang = DEFAULT) -> str:
    """`line 12`, `lines 12–40` (`第 12 行`, `第 12–40 行`), or "" when the message has no place
    in the source."""
    if msg.line is None:
        return ""
    if msg.end_line is None or msg.end_line == msg.line:
        return said("line {line}", line=str(msg.line)).say(lang)
    return said("lines {first}–{last}", first=str(msg.line), last=str(msg.end_line)).say(lang)
