"""Cleaning: an ordered chain of small named rules, one per debris family.

The first rule removes reasoning tags and splits the content into generations (the
pieces the pipeline produced one at a time); every other rule then runs on each
generation in the order below. Each rule returns the lines it keeps and a report message
for everything it removed or changed. Cleaning is idempotent.
"""

from __future__ import annotations

from publisher.clean.base import Rule
from publisher.clean.breaks import strip_stray_rules
from publisher.clean.chatter import strip_chatter
from publisher.clean.fences import close_unterminated_fences
from publisher.clean.headings import strip_junk_headings
from publisher.clean.leakage import strip_prompt_leakage
from publisher.clean.machinery import strip_machinery
from publisher.clean.markup import read_markup
from publisher.clean.reflists import strip_invented_references
from publisher.clean.repetition import strip_repetition
from publisher.clean.tags import split_generations
from publisher.clean.truncation import cut_truncated_ending
from publisher.errors import UsageError
from publisher.markdown.lexer import Lines, heading
from publisher.model import Message
from publisher.result import Result
from publisher.source import SourceLine

# name -> rule, in the order they run on every generation
RULES: list[tuple[str, Rule]] = [
    ("machinery", strip_machinery),
    ("markup", read_markup),
    ("unterminated-fence", close_unterminated_fences),
    ("prompt-leakage", strip_prompt_leakage),
    ("assistant-chatter", strip_chatter),
    ("repetition", strip_repetition),
    ("invented-references", strip_invented_references),
    ("stray-rule", strip_stray_rules),
    ("junk-heading", strip_junk_headings),
    ("truncated-ending", cut_truncated_ending),
]
RULE_NAMES = ["reasoning-tags"] + [name for name, _ in RULES]
MAX_PASSES = 3  # chain runs over one generation, at most


def clean_content(lines: Lines, disabled: frozenset[str] = frozenset()) -> Result[list[Lines]]:
    """Run the chain over the content lines of a record: the cleaned generations, and a
    message for everything removed or changed. Rules named in `disabled` are skipped."""
    unknown = disabled - set(RULE_NAMES)
    if unknown:
        raise UsageError(f"unknown cleaning rule {', '.join(sorted(unknown))} (rules: {', '.join(RULE_NAMES)})")
    messages: list[Message] = []
    if "reasoning-tags" in disabled:
        generations = [lines]
    else:
        generations, msgs = split_generations(lines)
        messages.extend(msgs)
    out: list[Lines] = []
    for gen in generations:
        # One rule can expose work for another (a loop removed with a fence's opening line
        # orphans its closing line; a cut leaves a new unfinished last block), so the chain
        # runs again while it still reports changes: cleaning a cleaned text changes nothing.
        for _ in range(MAX_PASSES):
            gen, msgs = _run_chain(gen, disabled)
            messages.extend(msgs)
            if not msgs:
                break
        if any(ln.text.strip() for ln in gen):
            out.append(_trim_blank_lines(gen))
    return Result(out, messages)


def has_publishable_text(generations: list[Lines]) -> bool:
    """Whether cleaned content holds any text besides headings: a record without it has
    nothing to publish and is refused like an empty file."""
    return any(ln.text.strip() and heading(ln.text) is None for gen in generations for ln in gen)


def _run_chain(gen: Lines, disabled: frozenset[str]) -> tuple[Lines, list[Message]]:
    messages: list[Message] = []
    for name, rule in RULES:
        if name not in disabled:
            gen, msgs = rule(gen)
            messages.extend(msgs)
    return gen, messages


def _trim_blank_lines(gen: Lines) -> Lines:
    """Blank lines at either end of a generation (left where a rule removed the first or
    last block) carry nothing; trimming them keeps cleaning idempotent."""
    start, end = 0, len(gen)
    while start < end and not gen[start].text.strip():
        start += 1
    while end > start and not gen[end - 1].text.strip():
        end -= 1
    return gen[start:end]


GENERATION_SEPARATOR = ("<think>", "", "</think>")


def join_generations(generations: list[Lines]) -> Lines:
    """Cleaned generations back into content lines, with the separator the pipeline puts
    between them (numbered 0: it is not the author's text). Cleaning the result again must
    change nothing."""
    joined: Lines = []
    for gen in generations:
        if joined:
            joined.extend(SourceLine(0, t) for t in GENERATION_SEPARATOR)
        joined.extend(gen)
    return joined


def apply_rule(name: str, lines: Lines) -> tuple[Lines, list[Message]]:
    """Run one rule by name on one generation (for tests and debugging)."""
    if name == "reasoning-tags":
        gens, msgs = split_generations(lines)
        return [ln for g in gens for ln in g], msgs
    return dict(RULES)[name](lines)
