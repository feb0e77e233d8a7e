"""The words of the review draft's comments: one table of catalogue ids, said in the document's language.

Every comment names the rule, the source lines, what the publisher did, and (for what is
not shown as a tracked deletion) quotes the source. The strings live here and nowhere
else, keyed by rule, and are translated by the message catalogue (publisher/locale);
`{…}` fields are filled by `note_text`. A rule missing from a table is explained by its report message.
"""

from __future__ import annotations

from publisher.i18n import LANGS, N_, gettext
from publisher.model import Message
from publisher.result import localised

QUOTE_CHARS = 160  # a comment quotes this much of the source at most

# key -> catalogue id (English); the other languages are in publisher/locale
STRINGS: dict[str, str] = {
    "@where": N_("publisher · {rule} · {lines}"),
    "@line": N_("line {a}"),
    "@lines": N_("lines {a}–{b}"),
    "@quote": N_("Source: “{text}”"),
    "@also": N_("Also in it: {items}"),
    "@renumbered": N_("Numbered in order of first citation: [{new}] is entry {old} of the supplied list."),
    "reasoning-tags": N_("The model's reasoning (a <think> block or its tags), removed."),
    "machinery": N_("Chat-template tokens, role labels or tool calls, removed."),
    "assistant-chatter": N_("The assistant talking to the requester, not part of the article: removed."),
    "assistant-chatter:kept": N_("May be the assistant talking rather than the article: kept, please check."),
    "prompt-leakage": N_("Instructions from the writing prompt, removed."),
    "repetition": N_("Text the model repeated, removed (one copy kept)."),
    "invented-references": N_("A reference list the model wrote itself, removed: only the supplied list is published."),
    "junk-heading": N_("An empty or placeholder heading, removed."),
    "placeholder": N_("A placeholder note standing in for text never written, removed."),
    "stray-rule": N_("A horizontal rule between generated pieces, removed."),
    "truncated-ending": N_("The chapter stops mid-sentence: the unfinished sentence was removed."),
    "unterminated-fence": N_("A code block that was never closed; closed where the block ends."),
    "markup": N_("HTML or other markup, read as the heading, paragraph or table it stands for."),
    "off-outline": N_("Material that belongs to no chapter of the outline was dropped here."),
    "duplicate-chapter": N_("This chapter was written twice: this is the more complete copy; the other ({lines}) was dropped."),
    "missing-chapter": N_("The outline chapter “{excerpt}” before this one was never written; it is left out."),
    "missing-chapter:end": N_("The outline chapter “{excerpt}” was never written; it is left out."),
    "empty-chapter": N_("A chapter with no real content was left out here."),
    "lost-chapter": N_("An outline chapter that has text in the record is not published: please check."),
    "content-loss": N_("Much less of the record's text was published than it holds: please check."),
    "chapter-order": N_("This chapter arrived out of order and was moved to its place in the outline."),
    "chapter-match": N_("Placed as an outline chapter by its number; the titles differ."),
    "empty-section": N_("A heading with no text under it, removed."),
    "orphan-text": N_("Text outside any chapter."),
    "deep-nesting": N_("Lists or quotes nested too deeply, flattened into paragraphs."),
    "nested-heading": N_("A heading inside a list or quote, published as bold text."),
    "placeholder-table": N_("A placeholder table (no real content) was dropped with its caption and the sentence introducing it."),
    "orphan-caption": N_("A table caption, or a sentence pointing at a table, with no table: removed."),
    "table-repair": N_("The table had missing or extra cells and was repaired; no cell was lost."),
    "table-caption": N_("The table's caption was moved or is missing."),
    "table-reference": N_("A pointer to a table was renumbered, or pointed at no published table."),
    "heading-citation": N_("A citation marker in this heading was removed (headings carry no citations)."),
    "dropped-citation": N_("A citation of a number the supplied reference list does not have, removed."),
    "merged-reference": N_("Two supplied entries are the same source, merged into this one."),
    "uncited-reference": N_("A supplied entry never cited in the text, left out of the list."),
    "reference-entry": N_("A problem in the supplied reference list."),
    "reference-heading": N_("A reference heading with chapters after it: not the supplied list."),
    "encoding": N_("The file was not UTF-8; it was read in the encoding its bytes show."),
    "stray-bytes": N_("Bytes that are not UTF-8, read as Windows-1252 characters."),
    "end-marker": N_("An end-of-conversation marker before the end, or text after it."),
}


def strings(language: str) -> dict[str, str]:
    """The comment strings in `language` (English for a language the catalogue lacks)."""
    lang = language if language in LANGS else "en"
    return {key: gettext(lang, msgid) for key, msgid in STRINGS.items()}


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
    out.append(template.format(lines=where, excerpt=msg.excerpt) if template else localised(msg, language))  # type: ignore[arg-type]
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
