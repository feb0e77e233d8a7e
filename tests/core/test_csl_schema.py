"""The `csl` object each reference carries in the JSON model (issue 15 item 2) is validated
by the schema and by the loader alike: a record rich in fields validates; a wrong type, an
unknown field or a malformed date is refused by both, naming the field."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from publisher.errors import ModelError
from publisher.pipeline import build_document
from publisher.render import render
from publisher.schema import document_from_dict, json_schema
from tests.hardening.records import ROOT

RICH = ROOT / "tests/fixtures/records/zh_rich_references_review.txt"


@pytest.fixture(scope="module")
def rich() -> dict[str, Any]:
    out = render(build_document(RICH), "json").value
    assert isinstance(out, bytes)
    data: dict[str, Any] = json.loads(out)
    return data


def test_every_reference_carries_a_valid_csl_item(rich: dict[str, Any]) -> None:
    jsonschema.validate(rich, json_schema())
    assert all(r["csl"] and r["csl"]["id"] == f"ref-{r['number']}" for r in rich["references"])
    assert {r["csl"]["type"] for r in rich["references"]} >= {"article-journal", "webpage", "book"}


@pytest.mark.parametrize(("field", "value"), [
    ("type", "blog-post-of-my-own"),
    ("colour", "red"),
    ("issued", {"date-parts": "2019"}),
    ("author", [{"family": 3}]),
    ("title", None),
])
def test_a_bad_csl_item_is_refused_by_schema_and_loader(rich: dict[str, Any], field: str, value: Any) -> None:
    data = json.loads(json.dumps(rich))
    data["references"][0]["csl"][field] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema())
    with pytest.raises(ModelError, match=r"references\[0\]\.csl"):
        document_from_dict(data)
