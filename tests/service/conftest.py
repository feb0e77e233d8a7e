"""A real uvicorn server on 127.0.0.1 for each app under test.

Tests talk HTTP to a live server rather than through starlette's TestClient: that is the
stack authors and the CMS actually hit (uvicorn's Content-Length and chunked handling
included), and it keeps the suite free of TestClient's httpx deprecation warning.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from publisher.service import create_app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "001_a67d181a6c549fd0.txt"
SAMPLE_ZH_TITLE = "深度学习在图像识别领域的最新进展"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve `app` in a background thread on a free loopback port; yields the base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none",
                            lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        pause = threading.Event()
        while not server.started:  # polled until uvicorn is listening
            assert thread.is_alive(), "uvicorn stopped before it started"
            pause.wait(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="session", autouse=True)
def no_token_from_the_environment() -> Iterator[None]:
    """Apps under test get a token only when a test gives one (session scope: before the
    module-scoped servers are made)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("PUBLISHER_API_TOKEN", raising=False)
        yield


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., httpx.Client]]:
    """serve(**create_app options) -> an httpx client bound to a live server of that app.
    Every app of one test shares the test's data folder (so a restart can be tested)."""
    with_stack: list[Any] = []

    def start(data_dir: Path | None = None, **options: Any) -> httpx.Client:
        app = create_app(data_dir or tmp_path / "data", **options)
        cm = live_server(app)
        base = cm.__enter__()
        client = httpx.Client(base_url=base, timeout=60)
        with_stack.append((cm, client))
        return client

    yield start
    for cm, client in reversed(with_stack):
        client.close()
        cm.__exit__(None, None, None)


@pytest.fixture(scope="module")
def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory, sample_bytes: bytes) -> Iterator[tuple[httpx.Client, dict[str, Any]]]:
    """One server with the sample uploaded once, for the tests that only read: (client, 201 body)."""
    app = create_app(tmp_path_factory.mktemp("shared"))
    with live_server(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        r = client.post("/api/v1/documents", content=sample_bytes, headers={"Content-Type": "text/plain"})
        assert r.status_code == 201, r.text
        yield client, r.json()
