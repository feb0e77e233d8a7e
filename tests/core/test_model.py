"""The model validates itself, and the JSON Schema is the model's own description."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from publisher import model
from publisher.errors import ModelError
from publisher.model import Cite, Document, ListBlock, Message, Reference, Section, Table
from publisher.pipeline import build_document
from publisher.schema import NAMED, SCHEMA_FILE, UNIONS, document_from_dict, json_schema

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


@pytest.mark.parametrize(("make", "field"), [
    (lambda: Document("t", "fr"), "Document.language"),  # type: ignore[arg-type]
    (lambda: Message("r", "bogus", 1, 1, "", ""), "Message.severity"),  # type: ignore[arg-type]
    (lambda: Message("r", "info", -1, 1, "", ""), "Message.line"),
    (lambda: Cite([0]), "Cite.numbers[0]"),
    (lambda: Cite([]), "Cite.numbers"),
    (lambda: Table(0, "", [], []), "Table.number"),
    (lambda: Section("1", "t", 0), "Section.level"),
    (lambda: ListBlock(True, [], start=-1), "ListBlock.start"),
    (lambda: Reference(0, "t", None, "t", [1]), "Reference.number"),
    (lambda: Reference(1, "t", None, "t", []), "Reference.supplied"),
])
def test_constructing_a_bad_node_names_the_field(make: Any, field: str) -> None:
    with pytest.raises(ModelError, match=field.replace("[", r"\[").replace("]", r"\]")):
        make()


@pytest.fixture(scope="module")
def sample_json() -> dict[str, Any]:
    return build_document(SAMPLES[0]).to_dict()


def test_a_document_round_trips_through_json(sample_json: dict[str, Any]) -> None:
    again = document_from_dict(json.loads(json.dumps(sample_json)))
    assert again.to_dict() == sample_json


def _broken(data: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(data))
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


@pytest.mark.parametrize(("path", "value", "message"), [
    (["language"], "fr", r"document.language: 'fr' is not one of"),
    (["report", 0, "severity"], "bogus", r"document.report\[0\].severity"),
    (["abstract", 0, "type"], "video", r"document.abstract\[0\]: unknown node type 'video'"),
    (["sections", 0, "level"], 0, r"document.sections\[0\].level: 0 is below the minimum 1"),
    (["sections", 0, "number"], "one", r"document.sections\[0\].number: 'one' does not match"),
    (["references", 0, "number"], "1", r"document.references\[0\].number: expected integer"),
    (["references", 0, "supplied"], [], r"document.references\[0\].supplied: needs at least 1"),
    (["title"], KeyError, r"document: missing field 'title'"),
    (["colour"], "red", r"document: unknown field\(s\) colour"),
    (["schema"], "0.9", r"document.schema: version '0.9'"),
])
def test_loading_bad_json_names_the_field(sample_json: dict[str, Any], path: list[Any], value: Any, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        document_from_dict(_broken(sample_json, path, value))
    # and the schema agrees that the document is invalid (missing/extra fields, types, rules)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_broken(sample_json, path, value), json_schema())


def test_the_schema_file_is_generated_from_the_model() -> None:
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == json_schema()


def _classes() -> list[tuple[type, dict[str, Any]]]:
    schema = json_schema()
    out = [(Document, schema)]
    for name, classes in UNIONS.items():
        branches = schema["$defs"][name]["oneOf"]
        out += [(cls, next(b for b in branches if b["properties"]["type"]["const"] == cls.type)) for cls in classes]
    out += [(cls, schema["$defs"][name]) for cls, name in NAMED.items()]
    return out


@pytest.mark.parametrize(("cls", "definition"), _classes(), ids=lambda x: getattr(x, "__name__", ""))
def test_every_model_field_is_in_the_schema_and_back(cls: type, definition: dict[str, Any]) -> None:
    names = {f.metadata.get("json") or f.name for f in fields(cls)} | ({"type"} if isinstance(getattr(cls, "type", None), str) else set())
    assert set(definition["properties"]) == names
    assert definition["additionalProperties"] is False


def test_every_model_class_is_described() -> None:
    described = {cls for cls, _ in _classes()}
    public = {obj for obj in vars(model).values()
              if isinstance(obj, type) and hasattr(obj, "__dataclass_fields__") and obj is not model.Rule}
    assert public == described
