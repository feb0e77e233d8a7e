"""Cleaning: an ordered chain of small named rules, one per debris family.

The first rule removes reasoning tags and splits the content into generations (the
pieces the pipeline produced one at a time); every other rule then runs on each
generation in the order below. Each rule returns the lines it keeps and a report message
for everything it removed or changed. Cleaning is idempotent.

The chain runs once over each generation. A removal can expose work for a rule that has
already run, and two kinds of rule take a second look, while they still change something:
- SECOND_LOOK: the rules that judge structure (a loop removed with a fence's opening line
  orphans its closing line; a cut leaves a new unfinished last block; a removed block leaves
  a heading with nothing under it). They are cheap and run again whenever anything changed.
- EDGE_RULES: the rules that weigh where a line stands (the edges of a generation: before
  its first heading, its last paragraph). They run again only when a rule after them changed
  an edge (a cut that makes an earlier paragraph the last one).
The other rules judge text that a later removal cannot create, so one pass of them is
enough. A new rule belongs in one of the two sets when its judgement of a line depends on
lines another rule may remove; cleaning a cleaned text must change nothing (the hardening
tests check it on real and mutated records).
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
from publisher.clean.placeholders import strip_placeholders
from publisher.clean.reflists import strip_invented_references
from publisher.clean.repetition import strip_repetition
from publisher.clean.tags import split_generations
from publisher.clean.trace import trace_removals
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
    ("placeholder", strip_placeholders),
    ("repetition", strip_repetition),
    ("invented-references", strip_invented_references),
    ("stray-rule", strip_stray_rules),
    ("junk-heading", strip_junk_headings),
    ("truncated-ending", cut_truncated_ending),
]
RULE_NAMES = ["reasoning-tags"] + [name for name, _ in RULES]
# rules whose judgement another rule's removal can change: they take a second look
SECOND_LOOK = frozenset({"unterminated-fence", "stray-rule", "junk-heading", "truncated-ending"})
EDGE_RULES = frozenset({"machinery", "assistant-chatter"})
MAX_PASSES = 3  # chain runs over one generation, at most (the later ones: second looks only)


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
        messages.extend(trace_removals(lines, [ln for g in generations for ln in g], msgs))
    out: list[Lines] = []
    first_only = frozenset(name for name, _ in RULES) - SECOND_LOOK
    for gen in generations:
        gen, msgs, again = _run_chain(gen, disabled)
        messages.extend(msgs)
        for _ in range(MAX_PASSES - 1):
            if not msgs:
                break
            gen, msgs, again = _run_chain(gen, disabled | (first_only - again))
            messages.extend(msgs)
        if any(ln.text.strip() for ln in gen):
            out.append(_trim_blank_lines(gen))
    return Result(out, messages)


def has_publishable_text(generations: list[Lines]) -> bool:
    """Whether cleaned content holds any text besides headings: a record without it has
    nothing to publish and is refused like an empty file."""
    return any(ln.text.strip() and heading(ln.text) is None for gen in generations for ln in gen)


def _run_chain(gen: Lines, disabled: frozenset[str]) -> tuple[Lines, list[Message], frozenset[str]]:
    """One pass: the lines kept, the messages, and the edge rules whose edges a rule after
    them changed (they look again in the next pass)."""
    messages: list[Message] = []
    seen: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # edge rule -> the edges it left
    for name, rule in RULES:
        if name not in disabled:
            kept, msgs = rule(gen)
            messages.extend(trace_removals(gen, kept, msgs))
            gen = kept
            if name in EDGE_RULES:
                seen[name] = _edges(gen)
    now = _edges(gen) if seen else None
    return gen, messages, frozenset(name for name, edges in seen.items() if edges != now)


def _edges(gen: Lines) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a rule that weighs position sees as the edges of a generation: the lines before
    its first heading, and its last paragraph."""
    head: list[str] = []
    for ln in gen:
        if heading(ln.text):
            break
        head.append(ln.text)
    tail: list[str] = []
    for ln in reversed(gen):
        if ln.text.strip():
            tail.append(ln.text)
        elif tail:
            break
    return tuple(head), tuple(tail)


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
