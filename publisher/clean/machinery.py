"""machinery: text addressed to the machinery that ran the model, not to the reader.

Three kinds, each removed whole with anything inside it, each reported:

- **Chat-template tokens**: special tokens in pipe brackets, ASCII or full-width
  (`<|im_start|>`, `<|eot_id|>`, `<｜Assistant｜>`, `<｜end▁of▁sentence｜>`), sentence and
  turn tokens (`<s>`, `</s>`, `<bos>`, `<eos>`, `<start_of_turn>`, `<end_of_turn>`), and
  upper-case instruction brackets whose words name the machinery (`[INST]`, `[/INST]`,
  `<<SYS>>`, `[TOOL_CALLS]`, `[SYSTEM_PROMPT]`). A token that opens a turn of a role other
  than the model's own (user, system, human, tool, developer …) takes the whole turn with
  it: to the token that ends it, or to the end of its paragraph. The model's own turn
  (`<|im_start|>assistant`) loses only its tokens: what follows is the article.
- **Role labels**: a conversation role (Assistant, User, Human, System, AI, Bot, 助手, 用户,
  系统 …) with a colon leading a line. Alone on its line it goes anywhere. A run of labelled
  turns with text (adjacent lines, or paragraphs, each led by a label) is an exchange with the
  machinery, wherever it stands, when one of its turns is addressed to the machinery
  (`calls.py`: a request to write, a reply about the text) or it answers machinery removed
  right before it (a user's turn in template tokens, a tool call) and the author did not introduce
  it as a quotation: then the user's and system's turns go whole, and the model's own turns
  lose their label, their text left for the chatter rule. Otherwise, at the edge of a
  generation, a user's or system's turn before its first heading goes whole, and the model's
  own turn (before the first heading, or leading the last paragraph) loses its label, its
  text left for the other rules to judge; any other labelled line is kept (an article about
  chatbots may quote a dialogue, a requirements list may label its roles).
- **Tool calls** (`calls.py` defines the shapes): a tool-call element with whatever it holds
  (`<tool_call>…</tool_call>`, `<function_call>`, `<tool_use>`, `<invoke …>`,
  `<tool_response>`, in pipe brackets too: `<|tool_call|>…<|/tool_call|>`); a JSON value shaped as a call (an operation and its arguments, under
  any of the usual key names), bare or alone in a code fence; a tool-use transcript (Thought /
  Action / Action Input / Observation, 工具调用 / 观察 …) with its arguments and results. They
  go wherever they stand unless the author introduces them as an example (the line before
  ends with a colon or says "for example", "如下" …) inside a chapter; at the edge of a
  generation or right after a role label they go even then. A labelled line right before a
  call is the call's turn and goes with it.

Near-misses, kept: "the assistant" or "用户" as words in prose; a call, a transcript or a
dialogue the author introduces as an example; JSON data that is no call; a labelled line
about the topic ("Action: governments should…", "用户：指注册的自然人"); `<s>` pairs used for
strikethrough on one line; `[NOTE]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from publisher.clean.calls import addresses_machinery, introduces, is_call_json, is_transcript, step
from publisher.markdown.lexer import FENCE_RE, LIST_RE, Lines, fenced, heading, paragraphs
from publisher.markdown.reasoning import code_spans
from publisher.model import Message
from publisher.result import Said, message, said, said_n
from publisher.source import SourceLine
from publisher.text import IDEOGRAPHS

RULE = "machinery"
# roles whose turns are not the article; the model's own roles lose only their tokens
FOREIGN_ROLES = frozenset({
    "user", "human", "system", "tool", "ipython", "function", "developer", "observation", "prompt",
    "用户", "人类", "系统", "提问者", "工具",
})
OWN_ROLES = frozenset({
    "assistant", "model", "bot", "gpt", "ai", "chatbot", "助手", "ai助手", "智能助手", "模型", "机器人", "回答",
})
ROLES = FOREIGN_ROLES | OWN_ROLES
_ROLE = r"assistant|user|human|system|ai|bot|chatbot|助手|ai助手|智能助手|用户|人类|系统"

_PIPE_TOKEN = r"<\s*[|｜][^|｜<>\n]{1,40}[|｜]\s*>"
_NAMED_TOKEN = r"</?(?:s|bos|eos|pad|unk|eot|start_of_turn|end_of_turn)>"
_BRACKET_TOKEN = r"\[/?[A-Z_]*(?:INST|SYS|TOOL|CALL|PROMPT|RESULT)[A-Z_]*\]|<</?SYS>>"
TOKEN_RE = re.compile(rf"{_PIPE_TOKEN}|{_NAMED_TOKEN}|{_BRACKET_TOKEN}")
# a token that opens a turn, and the role right after it (`<|im_start|>user`, `<|user|>`)
_ROLE_AFTER_RE = re.compile(rf"[ \t]{{0,4}}([A-Za-z_{IDEOGRAPHS}]{{1,20}})\b")
_TURN_END_RE = re.compile(r"im_end|eot|end_of_turn|end_of_sentence|end▁of▁sentence|/inst|</s>|<</sys>>|endoftext|^<\s*[|｜]\s*end\s*[|｜]", re.I)
# tokens that open a turn (on the raw token); the role is the word after it or the token's own
_OPENS_TURN_RE = re.compile(r"im_start|start_header|start_of_turn|\[inst\]|<<sys>>|^<\s*[|｜]\s*start\s*[|｜]", re.I)
_TOKEN_ROLES = {"[inst]": "user", "<<sys>>": "system"}
_ROLE_WORD_RE = re.compile(rf"^\s*(?:{_ROLE}|model)\b", re.I)
_STRIKE_RE = re.compile(r"<s>[^<>]*</s>")
# a role and a colon (`Assistant:`), or a role and a prompt mark glued to it (`AI>`, `Bot>`)
LABEL_RE = re.compile(rf"^\s*[*_]*(?P<role>{_ROLE})(?:[*_]*\s*[:：]|>(?![>=]))\s*[*_]*(?P<rest>.*)$", re.I)
# the end of a turn said in words, a whole line: 模型回复结束。 / End of response.
_SPOKEN_END_RE = re.compile(
    r"^\W*(?:(?:模型|助手|ai|assistant|model|bot|机器人)的?\s*)?(?:回复|回答|输出|响应|本轮(?:对话|回复|回答)?)(?:到此|至此|已)?(?:结束|完毕)了?\W*$"
    r"|^\W*(?:end of (?:the )?(?:assistant(?:'s)? |model(?:'s)? |ai |bot )?(?:response|reply|output|turn|answer|generation|message)"
    r"|(?:assistant|model|bot)(?:'s)? (?:response|reply|turn|output) (?:ends|ended|complete|over))\W*$", re.I)
# a tool-call element, as an HTML-like tag or in pipe brackets (`<|tool_call|>…<|/tool_call|>`)
_CALL_TAG_RE = re.compile(
    r"<\s*(?P<pipe>[|｜]\s*)?(?P<name>[A-Za-z_]*(?:tool|function|invoke)[A-Za-z_]*)"
    r"(?(pipe)\s*[|｜]\s*|(?:[\s=][^<>]*)?)>", re.I)


@dataclass
class _Gone:
    lines: Lines
    what: Said
    removed: str | None = None  # the whole text taken out, when lines went whole


def strip_machinery(lines: Lines) -> tuple[Lines, list[Message]]:
    in_fence = fenced(lines)
    edge = _edges(lines)
    keep = [True] * len(lines)
    texts = [ln.text for ln in lines]
    gone: list[_Gone] = []
    i = judged_to = 0  # judged_to: one past the last run of transcript steps judged (each judged once)
    while i < len(lines):
        if in_fence[i] and not _fenced_call(lines, i, edge, in_fence, keep, gone):
            i += 1
            continue
        if not keep[i]:
            i += 1
            continue
        text = texts[i]
        if _SPOKEN_END_RE.match(text):
            _drop(lines, keep, i, i + 1, gone, said("the end of a turn said in words removed"))
            i += 1
            continue
        if "<" in text or "[" in text:
            j = _call_element(lines, i, keep, gone)
            if j is not None:
                i = j
                continue
            j = _tokens(lines, i, texts, keep, gone)
            if j is not None:
                i = j
                continue
        if text.lstrip().startswith(("{", "[")):
            end = _json_end(lines, i)
            if end is not None and is_call_json("\n".join(ln.text for ln in lines[i:end])) \
                    and (edge[i] or not _introduced(lines, i, keep)):
                i = _json_call(lines, i, end, keep, gone)
                continue
        if i >= judged_to and step(text) is not None:
            judged_to, dropped = _transcript(lines, i, edge, in_fence, keep, gone)
            if dropped:
                i = judged_to
                continue
        i += 1
    _labels(lines, texts, keep, edge, in_fence, gone)
    out = [SourceLine(ln.no, texts[k]) if texts[k] != ln.text else ln for k, ln in enumerate(lines) if keep[k]]
    return out, [message(RULE, "info", g.lines, g.what, g.removed) for g in gone]


def _edges(lines: Lines) -> list[int]:
    """For each line: 1 before the first heading of the generation, 2 on the first line of
    its last paragraph, 0 elsewhere (a turn starts a paragraph; one inside a paragraph is a
    quoted dialogue)."""
    edge = [0] * len(lines)
    first = next((k for k, ln in enumerate(lines) if heading(ln.text)), len(lines))
    for k in range(first):
        edge[k] = 1
    paras = paragraphs(lines)
    if paras and not edge[paras[-1][0]] and not heading(lines[paras[-1][0]].text):
        edge[paras[-1][0]] = 2
    return edge


def _drop(lines: Lines, keep: list[bool], a: int, b: int, gone: list[_Gone], what: Said) -> None:
    for k in range(a, b):
        keep[k] = False
    gone.append(_Gone(lines[a:b], what, "\n".join(ln.text for ln in lines[a:b]).strip()))


def _call_element(lines: Lines, i: int, keep: list[bool], gone: list[_Gone]) -> int | None:
    """A tool-call element opened on line i: dropped to its closing tag (or the end of its
    paragraph, or where its JSON closes); the index after it."""
    m = _CALL_TAG_RE.search(lines[i].text)
    if m is None or lines[i].text[: m.start()].strip():
        return None
    closer = re.compile(rf"<\s*(?:[|｜]\s*)?/\s*{re.escape(m.group('name'))}\s*(?:[|｜]\s*)?>", re.I)
    for j in range(i, min(len(lines), i + 200)):
        if closer.search(lines[j].text, m.end() if j == i else 0):
            _drop(lines, keep, i, j + 1, gone, said("tool call <{name}> removed with its arguments", name=m.group("name")))
            return j + 1
        if j > i and not lines[j].text.strip():
            break
    end = _json_end(lines, i, m.end()) or next((k for k in range(i + 1, len(lines)) if not lines[k].text.strip()), len(lines))
    _drop(lines, keep, i, end, gone, said("tool call <{name}> (never closed) removed with its arguments", name=m.group("name")))
    return end


def _json_end(lines: Lines, i: int, col: int = 0) -> int | None:
    """One past the line where a JSON value that starts at (i, col) balances, within 200 lines."""
    depth, in_string, escape, started = 0, False, False, False
    for k in range(i, min(len(lines), i + 200)):
        for ch in lines[k].text[col if k == i else 0 :]:
            if escape:
                escape = False
            elif ch == "\\" and in_string:
                escape = True
            elif ch == '"':
                in_string = not in_string
            elif not in_string and ch in "{[":
                depth, started = depth + 1, True
            elif not in_string and ch in "}]":
                depth -= 1
                if started and depth == 0:
                    return k + 1
    return None


def _json_call(lines: Lines, i: int, end: int, keep: list[bool], gone: list[_Gone]) -> int:
    start = i - 1 if i > 0 and keep[i - 1] and LABEL_RE.match(lines[i - 1].text) else i
    _drop(lines, keep, start, end, gone, said("tool call (JSON arguments) removed"))
    return end


def _fenced_call(lines: Lines, i: int, edge: list[int], in_fence: list[bool], keep: list[bool], gone: list[_Gone]) -> bool:
    """A closed fence that opens at line i and holds a tool call: dropped (with the role label
    right before it), unless the author introduces it as an example inside a chapter."""
    opener = FENCE_RE.match(lines[i].text) and (i == 0 or not in_fence[i - 1] or FENCE_RE.match(lines[i - 1].text))
    if not (opener and keep[i]):
        return False
    j = i + 1
    while j < len(lines) and not FENCE_RE.match(lines[j].text):
        j += 1
    body = "\n".join(ln.text for ln in lines[i + 1 : j])
    labelled = i > 0 and LABEL_RE.match(lines[i - 1].text) is not None
    if not is_call_json(body) or not (edge[i] or labelled or not _introduced(lines, i, keep)):
        return False
    start = i - 1 if labelled else i
    _drop(lines, keep, start, min(j + 1, len(lines)), gone, said("tool call (JSON arguments in a code fence) removed"))
    return True


def _tokens(lines: Lines, i: int, texts: list[str], keep: list[bool], gone: list[_Gone]) -> int | None:
    """Chat-template tokens on line i: a foreign turn goes whole, other tokens alone."""
    text = texts[i]
    protected = [m.span() for m in _STRIKE_RE.finditer(text)] + code_spans(text)
    tokens = [m for m in TOKEN_RE.finditer(text) if not any(a <= m.start() < b for a, b in protected)]
    if not tokens:
        return None
    for m in tokens:
        if _opens_turn(m.group()):
            role = _TOKEN_ROLES.get(m.group().lower()) or _role_after(text, m) or _inner(m.group()).lower()
            if role in FOREIGN_ROLES:
                end = _turn_end(lines, i, m.end())
                if TOKEN_RE.sub("", text[: m.start()]).strip():
                    texts[i] = text[: m.start()]
                    _drop(lines, keep, i + 1, end, gone, said("a {role} turn removed with its tokens", role=role or "user"))
                    gone[-1].lines = lines[i:end]
                    gone[-1].removed = "\n".join([text[m.start():]] + [ln.text for ln in lines[i + 1 : end]]).strip()
                else:
                    _drop(lines, keep, i, end, gone, said("a {role} turn removed with its tokens", role=role or "user"))
                return end
    # no foreign turn: the tokens (and a role word right after an opening token) go
    new = TOKEN_RE.sub(lambda m: m.group() if any(a <= m.start() < b for a, b in protected) else "\x00", text)
    new = re.sub(rf"\x00\s*(?:{_ROLE}|model)\b[ \t]*\n?", "", new, flags=re.I).replace("\x00", "")
    if not new.strip():
        _drop(lines, keep, i, i + 1, gone, said("chat-template token line removed"))
    else:
        texts[i] = new
        gone.append(_Gone([lines[i]], said_n("chat-template token removed", "chat-template tokens removed", len(tokens))))
    return i + 1


def _inner(token: str) -> str:
    return token.strip("<>[]|｜ /").replace("▁", "_")


def _opens_turn(token: str) -> bool:
    """A token that starts a turn: a start token, or a role in pipe brackets (`<|user|>`)."""
    return bool(_OPENS_TURN_RE.search(token)) or (token.startswith("<") and _inner(token).lower() in ROLES)


def _role_after(text: str, m: re.Match[str]) -> str:
    after = _ROLE_AFTER_RE.match(text, m.end())
    return after.group(1).lower() if after and after.group(1).lower() in ROLES else ""


def _turn_end(lines: Lines, i: int, col: int) -> int:
    """One past the line that ends a turn opened at (i, col): its end token, the line before
    the next turn, or (with neither within reach) the end of its paragraph."""
    for k in range(i, min(len(lines), i + 200)):
        for t in TOKEN_RE.finditer(lines[k].text, col if k == i else 0):
            if _TURN_END_RE.search(t.group()):
                return k + 1
            if k > i and _opens_turn(t.group()):
                return k
    # a header line with nothing after its role (`<|start_header_id|>user<|end_header_id|>`):
    # the turn's text is the paragraph after the blank lines that follow it
    start = i + 1
    if not _ROLE_WORD_RE.sub("", TOKEN_RE.sub("", lines[i].text[col:])).strip():
        while start < len(lines) and not lines[start].text.strip():
            start += 1
    return next((k for k in range(start, len(lines)) if not lines[k].text.strip() or heading(lines[k].text)),
                len(lines))


def _introduced(lines: Lines, i: int, keep: list[bool]) -> bool:
    """The author's line before line i (blank lines skipped) introduces it as an example; a
    line this rule removed is no author's (and stops the look back: the cost stays linear)."""
    k = i - 1
    while k >= 0 and not lines[k].text.strip():
        k -= 1
    return k >= 0 and keep[k] and LABEL_RE.match(lines[k].text) is None and introduces(lines[k].text)


# lines that continue a transcript step: data, indented lines, list items, numbered hits
_STEP_DATA_RE = re.compile(r"^(?:[ \t]|[{}\[\]\"]|\d{1,3}[.)、]\s)")


def _transcript(lines: Lines, i: int, edge: list[int], in_fence: list[bool], keep: list[bool],
                gone: list[_Gone]) -> tuple[int, bool]:
    """The run of transcript steps that starts at line i: one past its end, and whether it
    was a tool-use transcript (`calls.py`), dropped with its continuation lines."""
    steps: list[tuple[str, str]] = []
    j = end = i
    while j < len(lines) and not in_fence[j]:
        found = step(lines[j].text) if keep[j] else None
        if found is None:
            if lines[j].text.strip():
                break
            j += 1
            continue
        steps.append(found)
        value_at = lines[j].text.find(found[1]) if found[1] else -1
        j = (_json_end(lines, j, value_at) or j + 1) if found[1].startswith(("{", "[")) else j + 1
        while j < len(lines) and lines[j].text.strip() and not in_fence[j] and step(lines[j].text) is None \
                and (_STEP_DATA_RE.match(lines[j].text) or LIST_RE.match(lines[j].text)):
            j += 1
        end = j
    if not is_transcript(steps) or (not edge[i] and _introduced(lines, i, keep)):
        return max(end, i + 1), False
    _drop(lines, keep, i, end, gone, said("tool-use transcript removed with its calls and results"))
    return end, True


def _labels(lines: Lines, texts: list[str], keep: list[bool], edge: list[int], in_fence: list[bool], gone: list[_Gone]) -> None:
    """Role labels leading a line (see the module's definition)."""
    turns: list[tuple[int, re.Match[str]]] = []
    for k in range(len(lines)):
        m = LABEL_RE.match(texts[k]) if keep[k] and not in_fence[k] else None
        if m is None:
            continue
        if not m.group("rest").strip().strip("*_").strip():
            _drop(lines, keep, k, k + 1, gone, said("role label “{role}” removed", role=m.group("role")))
        else:
            turns.append((k, m))
    for run in _exchanges(lines, keep, turns):
        if not _exchange_with_machinery(lines, texts, keep, run, gone):
            for k, m in run:
                _edge_label(lines, texts, keep, edge, k, m, gone)


def _exchanges(lines: Lines, keep: list[bool], turns: list[tuple[int, re.Match[str]]]) -> list[list[tuple[int, re.Match[str]]]]:
    """Labelled turns grouped into runs: turns with only blank lines between them."""
    runs: list[list[tuple[int, re.Match[str]]]] = []
    for k, m in turns:
        prev = runs[-1][-1][0] if runs else -1
        if runs and all(not keep[j] or not lines[j].text.strip() for j in range(prev + 1, k)):
            runs[-1].append((k, m))
        else:
            runs.append([(k, m)])
    return runs


def _exchange_with_machinery(lines: Lines, texts: list[str], keep: list[bool], run: list[tuple[int, re.Match[str]]],
                             gone: list[_Gone]) -> bool:
    """A run of turns of which one talks to the machinery, not introduced by the author as a
    quotation: the user's and system's turns go whole, the model's own lose their label (its
    text is judged by the chatter rule). True when it was such an exchange."""
    judged = [(k, m, m.group("role").lower() in FOREIGN_ROLES, _rest(m)) for k, m in run]
    if not _after_machinery(lines, keep, run[0][0]) and (
            _introduced(lines, run[0][0], keep) or not any(addresses_machinery(f, rest) for _, _, f, rest in judged)):
        return False
    for k, m, foreign, rest in judged:
        if foreign:
            _drop(lines, keep, k, _turn_text_end(lines, k), gone, said("a {role} turn addressed to the machinery removed", role=m.group("role")))
        else:
            texts[k] = rest
            gone.append(_Gone([lines[k]], said("role label “{role}” removed; its text kept", role=m.group("role"))))
    return True


def _after_machinery(lines: Lines, keep: list[bool], k: int) -> bool:
    """The line before line k (blank lines skipped) is machinery this rule removed (a user's
    turn in template tokens, a tool call): a labelled turn right after it answers it."""
    j = k - 1
    while j >= 0 and keep[j] and not lines[j].text.strip():
        j -= 1
    return j >= 0 and not keep[j]


def _edge_label(lines: Lines, texts: list[str], keep: list[bool], edge: list[int], k: int, m: re.Match[str],
                gone: list[_Gone]) -> None:
    role = m.group("role").lower()
    if edge[k] == 1 and role in FOREIGN_ROLES:
        end = next((j for j in range(k + 1, len(lines)) if not lines[j].text.strip() or heading(lines[j].text)), len(lines))
        _drop(lines, keep, k, end, gone, said("a {role} turn removed", role=role))
    elif edge[k] and role not in FOREIGN_ROLES:
        texts[k] = _rest(m)
        gone.append(_Gone([lines[k]], said("role label “{role}” removed; its text kept", role=m.group("role"))))


def _rest(m: re.Match[str]) -> str:
    return m.group("rest").strip().strip("*_").strip()


def _turn_text_end(lines: Lines, k: int) -> int:
    """One past the last line of a turn's text: to the end of its paragraph or the next turn."""
    j = k + 1
    while j < len(lines) and lines[j].text.strip() and not heading(lines[j].text) and not LABEL_RE.match(lines[j].text):
        j += 1
    return j
