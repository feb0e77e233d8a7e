"""What a tool call, a tool-use transcript and a turn addressed to the machinery are.

The shapes that `machinery.py` removes, defined by what they do whatever their key names or
wording (the rule decides where they stand and what goes with them):

- **A call** names an operation and passes it arguments. As JSON: an object with one key
  that names the operation (name, function, tool, tool_name, api, action, method, command …)
  holding an identifier (`poi_density`, `DocumentSearch`, `web.search`: no spaces), and one
  key that holds the arguments (arguments, parameters, args, input, params, kwargs …) as an
  object, a list or JSON text; besides those, only call bookkeeping (id, type, call_id …).
  Wrappers of calls (`{"tool_calls": […]}`, `{"function_call": …}`, `{"type": "function",
  "function": {…}}`) and lists of calls are calls. NOT a call: data records
  (`{"station": "A1", "depth_m": 12.5}`), a model card (`{"name": "ResNet-50", "parameters":
  25600000}`: the arguments are no object), a configuration with keys of its own
  (`{"name": "bert", "parameters": {…}, "epochs": 3}`), a person (`{"name": "Ada Lovelace", …}`).
- **A tool-use transcript** (ReAct and kin) is a run of lines led by step keys (Thought /
  Action / Action Input / Observation, Tool, Tool Input, Function call, 思考 / 行动 / 工具调用 /
  观察 …) that holds at least one CALL STEP: a key that only a call has (Action Input, Tool
  Input, Function call, 工具调用 …) with a value, or an action key (Action, Tool, 行动 …)
  whose value is an operation (a name only code has: `scholar_search`, `web.search`,
  `scholarSearch`; a name called with arguments: `search[query]`, `lookup("x")`; a JSON
  call). A run with a call step and a step of another kind (an observation, a thought) is a
  transcript; so is a lone call step under a key only calls have or with its arguments.
  NOT a transcript: "Action: governments should raise the floor." (a policy label with
  prose), "Action: Reduce" over "Observation: emissions fell" (a plain word is no operation),
  "Observation: the samples darkened." (a lab report), "Tool: ChatGPT" in a list of methods,
  an agent's loop described in prose.
- **A turn addressed to the machinery**: a line led by a role label (`_ROLE` in
  `machinery.py`) whose text talks to the machinery instead of the reader: a user's,
  human's or system's REQUEST TO WRITE (a writing verb with a part of the text as its object:
  "请继续写第五章", "Now write the section on limitations", a bare "继续" / "Continue", or the
  prompt's instruction to the writer: "你是一位…专家，请…撰写", "You are an expert writer"), or the
  model's REPLY ABOUT ITS TEXT (surely chatter: "好的，以下是第五章。", "Sure, here is the
  next section."). NOT one: a dialogue about the topic ("用户：我的订单为什么还没有发货？"),
  and any dialogue the author introduces as a quotation (the line before it ends with a
  colon or says "for example", "如下", "下例" …): an article about chatbots quotes them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from publisher.clean.chatter import is_chatter
from publisher.clean.leakage import is_prompt_marker
from publisher.markdown.lexer import CITE_RE, heading, split_sentences

# -------------------------------------------------------------------------- calls as JSON
OPERATION_KEYS = frozenset({
    "name", "function", "tool", "tool_name", "toolname", "function_name", "api", "api_name", "action", "method",
    "operation", "command", "call", "endpoint", "plugin", "recipient_name",
})
ARGUMENT_KEYS = frozenset({
    "arguments", "parameters", "args", "input", "inputs", "params", "kwargs", "tool_input", "action_input",
    "argument", "payload",
})
WRAPPER_KEYS = frozenset({"tool_calls", "tool_call", "function_call", "function_calls", "tool_use", "tool_uses"})
BOOKKEEPING_KEYS = frozenset({"id", "type", "call_id", "tool_call_id", "index", "jsonrpc", "thought", "reasoning"})
OPERATION_RE = re.compile(r"^[A-Za-z_][\w.:/-]{0,63}$")
# the same shapes as text, for JSON that does not parse (cut off, single quotes, comments)
_KEY = r"[\"']?({keys})[\"']?\s*:"
_OPERATION_KEY_RE = re.compile(_KEY.format(keys="|".join(sorted(OPERATION_KEYS))) + r"\s*[\"'][A-Za-z_][\w.:/-]{0,63}[\"']",
                               re.I)
_ARGUMENT_KEY_RE = re.compile(_KEY.format(keys="|".join(sorted(ARGUMENT_KEYS))) + r"\s*[{\[\"']", re.I)
_WRAPPER_KEY_RE = re.compile(_KEY.format(keys="|".join(sorted(WRAPPER_KEYS))), re.I)


def is_call_json(text: str) -> bool:
    """`text` is one JSON value shaped as a tool call (see the module's definition)."""
    text = text.strip()
    if not text.startswith(("{", "[")):
        return False
    try:
        return _is_call(json.loads(text))
    except (ValueError, RecursionError):  # not JSON as written (or nested beyond reason): judged on its keys
        return bool(_WRAPPER_KEY_RE.search(text) or (_OPERATION_KEY_RE.search(text) and _ARGUMENT_KEY_RE.search(text)))


def _is_call(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value) and all(_is_call(v) for v in value)
    if not isinstance(value, dict):
        return False
    keys = {str(k).lower(): v for k, v in value.items()}
    if WRAPPER_KEYS & set(keys):
        return True
    if isinstance(keys.get("function"), dict) and set(keys) <= {"function"} | BOOKKEEPING_KEYS:
        return _is_call(keys["function"])
    ops = [k for k in OPERATION_KEYS & set(keys) if isinstance(keys[k], str) and OPERATION_RE.match(keys[k])]
    args = [k for k in ARGUMENT_KEYS & set(keys) if _holds_arguments(keys[k])]
    if not ops or not args:
        return False
    return set(keys) - {ops[0], args[0]} <= BOOKKEEPING_KEYS


def _holds_arguments(value: Any) -> bool:
    return isinstance(value, dict | list) or (isinstance(value, str) and value.strip().startswith(("{", "[")))


# -------------------------------------------------------------------------- transcripts
# step keys of a tool-use transcript, by kind; "call" keys exist only in calls
STEP_KINDS: dict[str, str] = {
    "action input": "call", "tool input": "call", "tool call": "call", "tool calls": "call", "function call": "call",
    "api call": "call", "行动输入": "call", "动作输入": "call", "工具调用": "call", "调用工具": "call", "工具输入": "call",
    "函数调用": "call", "工具参数": "call",
    "action": "action", "tool": "action", "function": "action", "行动": "action", "动作": "action", "工具": "action",
    "observation": "observation", "observations": "observation", "tool output": "observation",
    "tool result": "observation", "tool response": "observation", "function result": "observation",
    "function output": "observation", "观察": "observation", "观测": "observation", "观察结果": "observation",
    "工具输出": "observation", "工具返回": "observation", "调用结果": "observation", "返回结果": "observation",
    "thought": "thought", "thinking": "thought", "思考": "thought", "想法": "thought",
}
_STEP_KEYS = "|".join(sorted((re.escape(k).replace(r"\ ", r"[ \t]+") for k in STEP_KINDS), key=len, reverse=True))
# possessive runs: the spaces and emphasis marks around a key match one way only (linear)
STEP_RE = re.compile(rf"^[ \t]*+[*_]*+(?P<key>{_STEP_KEYS})[*_]*+[ \t]*+(?:\d{{1,2}}[ \t]*+)?[:：][*_]*+[ \t]*+(?P<value>.*)$",
                     re.I)
# an operation as an action's value: a name called with its arguments (`search[q]`,
# `lookup("x")`), JSON, or a name that only code has (`scholar_search`, `web.search`,
# `scholarSearch`); a plain word ("Reduce", "Search") is no operation on its own
_CALLED_RE = re.compile(r"^`?[A-Za-z_][\w.:/-]{0,63}[(\[{].*[)\]}]`?\s*+$|^[{\[]")
_CODE_NAME_RE = re.compile(r"^`?(?:[A-Za-z][A-Za-z0-9]*+(?:[_.:/][A-Za-z0-9]++)++|[a-z]++[A-Z][A-Za-z0-9]*+)`?$")


def step(text: str) -> tuple[str, str] | None:
    """(kind, value) when the line is a step of a tool-use transcript, else None."""
    m = STEP_RE.match(text)
    if m is None:
        return None
    return STEP_KINDS[re.sub(r"[ \t]+", " ", m.group("key").lower())], m.group("value").strip().strip("*_").strip()


def is_call_step(kind: str, value: str) -> bool:
    """A step that calls a tool: a call key with a value, or an action naming an operation."""
    if kind == "call":
        return bool(value)
    return kind == "action" and bool(_CALLED_RE.match(value) or _CODE_NAME_RE.match(value))


def is_transcript(steps: list[tuple[str, str]]) -> bool:
    """A run of steps is a transcript when it calls a tool and either shows another kind of
    step or calls with a key only calls have or with arguments (see the module's definition)."""
    calls = [(k, v) for k, v in steps if is_call_step(k, v)]
    if not calls:
        return False
    return len({k for k, _ in steps}) > 1 or any(k == "call" or _CALLED_RE.match(v) for k, v in calls)


# -------------------------------------------------------------------------- turns
_WRITE_VERB = r"写|撰写|续写|生成|输出|完成|展开|补充|扩写|改写|润色|修改|精简|压缩|重写|编写|起草|整理|翻译|细化"
_TEXT_PART = (r"第[一二三四五六七八九十百\d]{1,3}[章节部分段]|下一?[章节部分段]|本[章节段]|这一?[章节部分段]|剩下|剩余|其余|章节|全文|"
              r"综述|正文|引言|结论|摘要|段落|草稿|初稿|篇幅|字数|部分|小节|内容")
_EN_WRITE = r"write|continue|draft|compose|generate|produce|expand|rewrite|revise|shorten|finish|complete|extend|add"
_EN_PART = (r"chapters?|sections?|parts?|paragraphs?|drafts?|review|introduction|conclusions?|abstract|next|rest|"
            r"remainder|remaining|article|essay|text|words|summary|outline")
REQUEST_RE = re.compile(
    rf"(?:{_WRITE_VERB})[^。！？?!]{{0,10}}?(?:{_TEXT_PART})"
    r"|^[\s\"'“”‘’]*+(?:请|麻烦|好的?[，,]?)?\s*+(?:继续|接着写|接着来|继续写|往下写|下一章|下一节)[\s。.!！…~～]*+$"
    rf"|^(?:(?:please|now|next|then|ok|okay|great|thanks)[,!.]?\s++)*+(?:{_EN_WRITE}|go on|keep going|proceed)\b[^.?!]{{0,60}}?\b(?:{_EN_PART})\b"
    r"|^(?:(?:please|now|ok|okay)[,!.]?\s++)*+(?:continue|go on|keep going|next|proceed)\s*+(?:please)?[\s.!…]*+$"
    rf"|\b(?:can|could|would|will) you (?:please )?(?:{_EN_WRITE})\b",
    re.I,
)
# what an author's line that introduces a quotation or an example says (in its last sentence)
_INTRODUCES_RE = re.compile(
    r"[:：]$|例如|比如|如下|示例|下例|举例|下面是一[段个则]|以下是一[段个则]|for example|for instance|as follows|the following|"
    r"below|e\.g\.|like this|an example",
    re.I,
)


def requests_writing(text: str) -> bool:
    """A request to write or change the text, or the prompt's instruction to the writer (a
    rule that merely mentions 中文 or 编号 is not enough: a requirements list says that too)."""
    return bool(REQUEST_RE.search(text)) or is_prompt_marker(text)


def addresses_machinery(foreign: bool, text: str) -> bool:
    """A turn's text talks to the machinery: a request to write (a user's, a system's) or a
    reply about the text (the model's own: surely chatter)."""
    return requests_writing(text) if foreign else is_chatter(text)


def introduces(text: str) -> bool:
    """An author's line that introduces what follows as a quotation or an example."""
    t = CITE_RE.sub("", text).strip().rstrip("*_ ").strip()
    if not t or heading(t) is not None:
        return False
    last = next((s.strip() for s in reversed(split_sentences(t)) if s.strip()), t)
    return bool(_INTRODUCES_RE.search(last))
