"""`publish serve`: argument checks, and the real entry point serving on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from publisher.cli import main

from .conftest import ROOT, free_port


@pytest.mark.parametrize("args", [["--workers", "0"], ["--queue", "-1"], ["--timeout", "0"], ["--max-size", "0"]])
def test_bad_numbers_are_usage_errors(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", *args]) == 2
    assert "publish serve: error:" in capsys.readouterr().err


def test_a_data_folder_that_is_not_usable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "drafts.sqlite3").write_text("not a database")
    assert main(["serve", "--data", str(tmp_path)]) == 1
    assert "not a database" in capsys.readouterr().err


def test_publish_serve_serves(tmp_path: Path, sample_bytes: bytes) -> None:
    port = free_port()
    env_cmd = [sys.executable, "-m", "publisher", "serve", "--port", str(port), "--data", str(tmp_path / "d"),
               "--log-level", "warning"]
    env = {k: v for k, v in os.environ.items() if k != "PUBLISHER_API_TOKEN"}
    proc = subprocess.Popen(env_cmd, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        pause = threading.Event()
        while True:  # polled until the server answers
            assert proc.poll() is None, "publish serve exited"
            try:
                httpx.get(base + "/openapi.json", timeout=5)
                break
            except httpx.TransportError:
                pause.wait(0.1)
        r = httpx.post(base + "/api/v1/documents", content=sample_bytes, timeout=60)
        assert r.status_code == 201
        assert (tmp_path / "d" / "drafts.sqlite3").exists()
    finally:
        proc.terminate()
        proc.wait(30)
