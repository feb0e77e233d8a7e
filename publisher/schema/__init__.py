"""The JSON contract of the document model: the schema, generated from `publisher.model`,
and a loader that validates what it reads.

    python -m publisher.schema            # rewrite document.schema.json from the model
    python -m publisher.schema --check    # exit 1 when the file is out of date

Every dataclass field becomes a property (all are written by `to_dict`, so all are
required); type hints give the JSON types, `Literal` the enumerations, `Rule` annotations
the minimums, patterns and descriptions. Typed nodes (inlines, blocks) carry a `type`
discriminator. Loading accepts a missing field that has a default and refuses unknown
fields, wrong types and broken rules, naming the field (`ModelError`).
"""

from __future__ import annotations

import json
import re
import types
from dataclasses import MISSING, fields, is_dataclass
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from publisher import model
from publisher.errors import ModelError
from publisher.model import SCHEMA_VERSION, Document, field_types, rules_of

SCHEMA_FILE = Path(__file__).with_name("document.schema.json")
# versions whose documents still load, with the defaults of what they lack: 1.0 lacks
# Message.removed; 1.1 lacks Message.kept_before and anchor_line, and Reference.csl; 1.2 lacks
# Message.message_en, msgid, msgid_plural, args, chapter, chapter_title and paragraph (all optional)
READABLE_VERSIONS = ("1.0", "1.1", "1.2", SCHEMA_VERSION)
# the unions of typed nodes, by the name of their $defs entry
UNIONS: dict[str, tuple[type, ...]] = {
    "inline": get_args(model.Inline),
    "block": get_args(model.Block),
}
NAMED: dict[type, str] = {model.Section: "section", model.Reference: "reference", model.Message: "message", model.MessageArg: "message_arg",
                          model.CslItem: "csl_item", model.CslName: "csl_name", model.CslDate: "csl_date",
                          model.Metadata: "metadata"}


# --------------------------------------------------------------------------- schema
def json_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {name: {"oneOf": [_object(c) for c in classes]} for name, classes in UNIONS.items()}
    defs.update({name: _object(cls) for cls, name in NAMED.items()})
    root = _object(Document)
    root["properties"]["schema"] = {"const": SCHEMA_VERSION}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://publisher.example/schema/document-{SCHEMA_VERSION}.json",
        "title": "publisher document",
        "description": "An article published from an LLM callback record (the CMS import contract). "
                       "Generated from publisher/model.py by `python -m publisher.schema`.",
        **root,
        "$defs": defs,
    }


def _object(cls: type) -> dict[str, Any]:
    props: dict[str, Any] = {}
    kind = getattr(cls, "type", None)
    if isinstance(kind, str):
        props["type"] = {"const": kind}
    optional: list[str] = []
    for f in fields(cls):
        name = f.metadata.get("json") or f.name
        props[name] = _type(field_types(cls)[f.name])
        if f.metadata.get("optional"):
            optional.append(name)
    required = [name for name in props if name not in optional]
    return {"type": "object", "additionalProperties": False, "required": required, "properties": props}


def _type(hint: Any) -> dict[str, Any]:
    bare, rules = rules_of(hint)
    out = _bare(bare)
    for rule in rules:
        if rule.minimum is not None:
            out["minimum"] = rule.minimum
        if rule.min_items is not None:
            out["minItems"] = rule.min_items
        if rule.pattern is not None:
            out["pattern"] = rule.pattern
        if rule.description is not None:
            out["description"] = rule.description
    return out


_SCALARS: dict[Any, str] = {str: "string", int: "integer", bool: "boolean", float: "number"}


def _bare(hint: Any) -> dict[str, Any]:
    origin = get_origin(hint)
    if hint in _SCALARS:
        return {"type": _SCALARS[hint]}
    if origin is Literal:
        return {"enum": list(get_args(hint))}
    if origin is list:
        return {"type": "array", "items": _type(get_args(hint)[0])}
    if origin in (Union, types.UnionType):
        args = get_args(hint)
        for name, classes in UNIONS.items():
            if set(args) == set(classes):
                return {"$ref": f"#/$defs/{name}"}
        plain = [a for a in args if a is not type(None)]
        if len(plain) == 1 and plain[0] in _SCALARS:
            return {"type": [_SCALARS[plain[0]], "null"]}
        if len(plain) == 1 and plain[0] in NAMED:
            return {"oneOf": [{"$ref": f"#/$defs/{NAMED[plain[0]]}"}, {"type": "null"}]}
    if hint in NAMED:
        return {"$ref": f"#/$defs/{NAMED[hint]}"}
    raise TypeError(f"no JSON schema for {hint!r}")


# --------------------------------------------------------------------------- loading
def document_from_dict(data: Any) -> Document:
    """A document from its JSON form, checked field by field; ModelError names the first fault."""
    doc = _load(Document, data, "document")
    if doc.schema not in READABLE_VERSIONS:
        raise ModelError(f"document.schema: version {doc.schema!r} is not {SCHEMA_VERSION!r}")
    doc.schema = SCHEMA_VERSION  # an older version read with the defaults of what it lacks
    return doc


def _load(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise ModelError(f"{where}: expected an object, got {type(data).__name__}")
    kind = getattr(cls, "type", None)
    known = {f.metadata.get("json") or f.name: f for f in fields(cls)}
    extra = set(data) - set(known) - ({"type"} if isinstance(kind, str) else set())
    if extra:
        raise ModelError(f"{where}: unknown field(s) {', '.join(sorted(extra))}")
    hints = field_types(cls)
    values: dict[str, Any] = {}
    for name, f in known.items():
        if name not in data:
            if f.default is MISSING and f.default_factory is MISSING:
                raise ModelError(f"{where}: missing field {name!r}")
            continue
        values[f.name] = _value(data[name], hints[f.name], f"{where}.{name}")
    try:
        return cls(**values)
    except ModelError as exc:
        raise ModelError(f"{where}: {exc}") from None


def _value(data: Any, hint: Any, where: str) -> Any:
    bare, rules = rules_of(hint)
    origin = get_origin(bare)
    if bare in _SCALARS:
        ok = isinstance(data, bare) and not (bare is int and isinstance(data, bool))
        if not ok:
            raise ModelError(f"{where}: expected {_SCALARS[bare]}, got {json.dumps(data, ensure_ascii=False)[:40]}")
        value: Any = data
    elif origin is Literal:
        value = data  # checked with the rules below
    elif origin is list:
        if not isinstance(data, list):
            raise ModelError(f"{where}: expected an array")
        (item,) = get_args(bare)
        value = [_value(x, item, f"{where}[{k}]") for k, x in enumerate(data)]
    elif origin in (Union, types.UnionType):
        value = _union(data, get_args(bare), where)
    elif isinstance(bare, type) and is_dataclass(bare):
        value = _load(bare, data, where)
    else:
        raise TypeError(f"cannot load {bare!r}")
    model.check_value(value, hint, where)
    for rule in rules:
        if rule.pattern is not None and isinstance(value, str) and not re.search(rule.pattern, value):
            raise ModelError(f"{where}: {value[:40]!r} does not match {rule.pattern}")
    return value


def _union(data: Any, args: tuple[Any, ...], where: str) -> Any:
    if type(None) in args and data is None:
        return None
    nodes: list[type] = [a for a in args if isinstance(a, type) and is_dataclass(a)]
    if len(nodes) == 1 and not isinstance(getattr(nodes[0], "type", None), str):
        return _load(nodes[0], data, where)  # an optional object, not a union of typed nodes
    if nodes:
        kind = data.get("type") if isinstance(data, dict) else None
        cls = next((c for c in nodes if getattr(c, "type", None) == kind), None)
        if cls is None:
            allowed = ", ".join(str(getattr(c, "type", "")) for c in nodes)
            raise ModelError(f"{where}: unknown node type {kind!r} (one of {allowed})")
        return _load(cls, data, where)
    plain = [a for a in args if a is not type(None)]
    return _value(data, plain[0], where)


def write_schema(path: Path = SCHEMA_FILE) -> str:
    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return text
