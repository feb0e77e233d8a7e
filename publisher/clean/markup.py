"""markup: the author's structure written in another syntax, published as our structure.

A model writes the structure it means in whatever syntax it knows. This rule reads it and
writes it back as the markdown the later stages read, so that a heading is a heading and a
table a table, whatever it was written in:

- **HTML blocks**: a line that starts with a block-level element (`<h2>`, `<p>`, `<table>`,
  `<ul>`, `<div>`, `<blockquote>`, `<pre>` …) opens an HTML block, which runs to where that
  element closes (an element never closed ends at a blank line, as in CommonMark, or at a
  heading). The block is converted by `publisher.clean.html`.
- **Grid tables** (`+---+` borders, `+===+` under the header): read as a pipe table by
  `publisher.clean.grid_tables`.
- **Inline HTML** in a markdown line: `<b>`/`<strong>`, `<i>`/`<em>`, `<code>`, `<a href>`,
  `<sub>`, `<br>`, and wrappers that only style (`<span>`, `<font>`, `<u>` …), each only as a
  pair on one line (`n<b and c>d` is a comparison, not a tag).
- **HTML comments** that fill whole lines (`<!-- 思考：… -->`, over one line or several): the
  reader never sees a comment, so it is removed, and reported with its whole text. A comment
  inside a line of text is left to the HTML block or inline reading.
- **Setext headings**: a line of `===` (level 1) or `---` (level 2) right under a one-line
  paragraph that reads as a title (no sentence-ending punctuation, not a list item, table row
  or quote, at most 80 characters). CommonMark makes *any* paragraph above `---` a heading;
  we do not: a `---` under prose is the stray rule the model puts between pieces, and the
  stray-rule rule removes it. A `===` line under prose is such a rule too, removed here.

`<sup>…</sup>` is never touched: the inline layer reads it (see `publisher.clean.html`).
What is not markup (near-misses): comparison operators, tags quoted in inline code or in a
closed code fence, a `---` under a sentence, a line of `=` in a code block.
"""

from __future__ import annotations

import re

from publisher.clean.grid_tables import read_grid_table
from publisher.clean.html import BLOCK_TAGS, html_to_markdown, subscript
from publisher.markdown.lexer import LIST_RE, Lines, fenced, heading, is_table_row
from publisher.markdown.reasoning import code_spans
from publisher.model import Message
from publisher.result import Said, message, said
from publisher.source import SourceLine
from publisher.text import FULL_STOPS

RULE = "markup"
_BLOCK_START_RE = re.compile(rf"^\s{{0,3}}<({'|'.join(sorted(BLOCK_TAGS, key=len, reverse=True))})(?=[\s/>])", re.I)
_SETEXT_RE = re.compile(r"^\s{0,3}(={3,}|-{3,})[ \t]*$")
MAX_TITLE = 80
# inline elements: name -> (markdown before, markdown after); None: the content as it is
_INLINE: dict[str, tuple[str, str] | None] = {
    "b": ("**", "**"), "strong": ("**", "**"), "i": ("*", "*"), "em": ("*", "*"), "code": ("`", "`"),
    "span": None, "font": None, "u": None, "mark": None, "small": None, "ins": None, "del": None, "s": None,
    "strike": None, "big": None, "tt": None, "sub": None, "a": None,
}
# the content may hold <sup> pairs (left for the inline layer) but no other tag
_PAIR_RE = re.compile(rf"<({'|'.join(_INLINE)})(\s[^<>]*)?>((?:[^<>]|</?sup>)*?)</\1\s*>", re.I)
_BR_RE = re.compile(r"<br\s*/?>", re.I)
_HREF_RE = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.I)
MAX_INLINE_TAGS = 64  # per line; more is a loop, not markup
MAX_BLOCK_LINES = 2000


def read_markup(lines: Lines) -> tuple[Lines, list[Message]]:
    in_fence = fenced(lines)
    out: Lines = []
    messages: list[Message] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if in_fence[i]:
            out.append(line)
            i += 1
            continue
        end = _comment_end(lines, i, in_fence)
        if end is not None:
            messages.append(message(RULE, "info", lines[i:end], said("HTML comment removed (not shown to the reader)"),
                                    "\n".join(ln.text for ln in lines[i:end]).strip()))
            i = end
            continue
        m = _BLOCK_START_RE.match(line.text)
        if m:
            j = _block_end(lines, i, m.group(1).lower(), in_fence)
            converted, dropped = html_to_markdown(lines[i:j])
            out.append(SourceLine(line.no, ""))
            out.extend(converted)
            out.append(SourceLine(lines[j - 1].no, ""))
            messages.append(message(RULE, "info", lines[i:j], _said(lines[i:j], dropped)))
            i = j
            continue
        grid = read_grid_table(lines, i) if line.text.lstrip().startswith("+") else None
        if grid is not None:
            out.extend(grid[1])
            messages.append(message(RULE, "info", lines[i : grid[0]], said("grid table read as a pipe table")))
            i = grid[0]
            continue
        if i + 1 < len(lines) and not in_fence[i + 1] and _SETEXT_RE.match(lines[i + 1].text) and line.text.strip():
            setext = _setext(lines, i)
            if setext is not None:
                out.append(setext)
                messages.append(message(RULE, "info", lines[i : i + 2], said("underlined heading read as a heading")))
                i += 2
                continue
            if lines[i + 1].text.strip().startswith("="):
                out.append(line)
                messages.append(message(RULE, "info", [lines[i + 1]], said("a line of = under a paragraph removed (a rule, not a heading)")))
                i += 2
                continue
        if "<" in line.text:
            inline = _inline_html(line)
            if inline is not None:
                out.extend(inline)
                messages.append(message(RULE, "info", [line], said("inline HTML read as markdown")))
                i += 1
                continue
        out.append(line)
        i += 1
    return out, messages


def _comment_end(lines: Lines, i: int, in_fence: list[bool]) -> int | None:
    """One past the last line of an HTML comment that fills whole lines from line i (opens
    the line, and nothing follows its close); None when line i opens none."""
    if not lines[i].text.lstrip().startswith("<!--"):
        return None
    col = lines[i].text.index("<!--") + 4
    for j in range(i, min(len(lines), i + MAX_BLOCK_LINES)):
        if j > i and in_fence[j]:
            return None
        close = lines[j].text.find("-->", col if j == i else 0)
        if close >= 0:
            return j + 1 if not lines[j].text[close + 3 :].strip() else None
    return None


def _said(block: Lines, dropped: list[str]) -> Said:
    names = sorted({t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", " ".join(ln.text for ln in block))
                    if t.lower() != "sup"})
    tags = ", ".join(f"<{n}>" for n in names[:8])
    if dropped:
        return said("HTML read as markdown ({tags}); dropped: {dropped}", tags=tags, dropped=", ".join(sorted(set(dropped))))
    return said("HTML read as markdown ({tags})", tags=tags)


def _block_end(lines: Lines, i: int, tag: str, in_fence: list[bool]) -> int:
    """One past the last line of the HTML block opened at line i by `tag`."""
    opens = re.compile(rf"<{tag}(?=[\s/>])", re.I)
    closes = re.compile(rf"</{tag}\s*>", re.I)
    depth = 0
    for j in range(i, min(len(lines), i + MAX_BLOCK_LINES)):
        text = lines[j].text
        if j > i and (in_fence[j] or heading(text)):
            return j
        if not text.strip():
            following = next((ln.text for ln in lines[j + 1 :] if ln.text.strip()), "")
            if depth <= 0 or not following.lstrip().startswith("<"):
                return j
            continue
        depth += len(opens.findall(text)) - len(closes.findall(text))
        if depth <= 0 or tag in ("hr", "br"):
            return j + 1
    return min(len(lines), i + MAX_BLOCK_LINES)


def _setext(lines: Lines, i: int) -> SourceLine | None:
    """The ATX heading a setext heading means, when line i reads as a one-line title."""
    text = lines[i].text.strip()
    before = lines[i - 1].text if i > 0 else ""
    one_line = not before.strip() or heading(before) is not None
    shaped = (
        len(text) <= MAX_TITLE and text[-1] not in FULL_STOPS + "：:;；,，、" and heading(text) is None
        and not LIST_RE.match(text) and not is_table_row(text) and not text.startswith((">", "<", "|", "```"))
    )
    if not (one_line and shaped):
        return None
    level = 1 if lines[i + 1].text.strip()[0] == "=" else 2
    return SourceLine(lines[i].no, "#" * level + " " + text)


def _inline_html(line: SourceLine) -> list[SourceLine] | None:
    """A markdown line with its inline HTML pairs converted; None when it has none."""
    text = line.text
    if text.count("<") > MAX_INLINE_TAGS * 2:
        return None
    br = " " if is_table_row(text) else "\n"
    pieces, pos = [], 0
    for a, b in code_spans(text) + [(len(text), len(text))]:  # code spans stay as written
        pieces.extend([_convert_inline(text[pos:a], br), text[a:b]])
        pos = b
    new = "".join(pieces)
    if new == text:
        return None
    return [SourceLine(line.no, part) for part in new.split("\n")]


def _convert_inline(text: str, br: str) -> str:
    for _ in range(4):  # nested pairs: <b><i>x</i></b>
        changed = _PAIR_RE.sub(_pair, text)
        if changed == text:
            break
        text = changed
    return _BR_RE.sub(br, text)


def _pair(m: re.Match[str]) -> str:
    tag, attrs, body = m.group(1).lower(), m.group(2) or "", m.group(3)
    if tag == "sub":
        return subscript(body)
    if tag == "a":
        href = _HREF_RE.search(attrs)
        return f"[{body}]({href.group(1)})" if href else body
    marks = _INLINE[tag]
    return f"{marks[0]}{body}{marks[1]}" if marks and body.strip() else body
