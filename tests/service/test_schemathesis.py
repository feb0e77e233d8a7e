"""Property-based API test: schemathesis generates requests from the app's own OpenAPI
(valid and invalid ones, ids real and made up) and no answer may be a 5xx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

TOKEN = "schemathesis-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_no_request_gets_a_server_error(serve: Callable[..., httpx.Client], sample_bytes: bytes) -> None:
    # Tiny limits so that generated bodies also reach the 413 path.
    client = serve(token=TOKEN, max_bytes=len(sample_bytes) + 4096)
    base = str(client.base_url)
    real_id = client.post("/api/v1/documents", content=sample_bytes, headers=AUTH).json()["id"]
    schema = schemathesis.openapi.from_url(base + "/openapi.json", headers=AUTH)

    strategies: list[Any] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategies.append(operation.as_strategy(generation_mode=mode))
        if "{doc_id}" in operation.path:  # also ask about a draft that exists
            strategies.append(operation.as_strategy(path_parameters={"doc_id": real_id}))
    seen: set[int] = set()

    @settings(max_examples=50, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=st.one_of(strategies))
    def check(case: schemathesis.Case) -> None:
        response = case.call_and_validate(base_url=base, headers=AUTH, checks=[not_a_server_error], timeout=60)
        seen.add(response.status_code)

    check()
    assert seen & {200, 201, 204}, f"no generated request succeeded: {sorted(seen)}"
    assert seen & {404, 422}, f"no generated request was refused: {sorted(seen)}"
