"""The attack run's findings against the service (issue 12), each as a regression test:
room checked before a body is read, the token guarding every page, form posts only from
the service's own pages, slow and cancelled clients, conversions that die with the server,
pathological uploads that cannot starve ordinary ones, /docs without a CDN, and command
line mistakes as one line."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from publisher.cli import main
from publisher.service import create_app
from publisher.service.server import HeaderTimeoutProtocol

from . import builders
from .conftest import ROOT, SAMPLE, free_port
from .test_api import gate, wait_for  # noqa: F401 - gate is a fixture

Serve = Callable[..., httpx.Client]
API = "/api/v1/documents"


def raw_request(port: int, head: bytes, body: bytes = b"", wait: float = 10) -> bytes:
    """Send a request head and part of a body, then read whatever the server answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(head + body)
        chunks = []
        try:
            while data := sock.recv(65536):
                chunks.append(data)
                if b"\r\n\r\n" in b"".join(chunks):
                    break
        except TimeoutError:
            pass
        return b"".join(chunks)


def port_of(client: httpx.Client) -> int:
    return int(str(client.base_url).rsplit(":", 1)[1].strip("/"))


# --------------------------------------------------------------------------- item 3
def test_a_full_server_refuses_before_reading_the_body(serve: Serve, sample_bytes: bytes, gate: Path) -> None:  # noqa: F811
    """Regression: bodies were read whole before capacity was checked (1.6 GB for 40 uploads)."""
    client = serve(workers=1, queue=0, builder=builders.gated_builder)
    first = threading.Thread(target=lambda: client.post(API, content=sample_bytes))
    first.start()
    try:
        assert wait_for(gate.with_suffix(".entered"))
        started = time.monotonic()
        head = (f"POST {API} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                f"Content-Length: {19 * 1048576}\r\n\r\n").encode()
        answer = raw_request(port_of(client), head, b"x" * 1000)  # 19 MB announced, 1 KB sent
        assert answer.startswith(b"HTTP/1.1 503"), answer[:200]
        assert time.monotonic() - started < 5
    finally:
        gate.unlink()
        first.join(60)


# --------------------------------------------------------------------------- item 6
TOKEN = "correct horse battery staple"


def test_with_a_token_every_page_needs_it(serve: Serve, sample_bytes: bytes) -> None:
    """Regression: /d/{id}/json, POST /drafts and delete worked without the token."""
    client = serve(token=TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    draft = client.post(API, content=sample_bytes, headers=auth).json()["id"]
    for path in ("/", f"/d/{draft}", f"/d/{draft}/json", f"/d/{draft}/docx", "/docs", "/b/" + "A" * 22):
        r = client.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/signin?next="), path
    assert client.post("/drafts", files={"file": ("a.txt", sample_bytes)}).status_code == 401
    assert client.post(f"/d/{draft}/delete").status_code == 401
    assert client.get(f"{API}/{draft}").status_code == 401
    for path in ("/healthz", "/readyz", "/static/service.css", "/docs/assets/swagger-ui.css", "/signin"):
        assert client.get(path).status_code == 200, path

    wrong = client.post("/signin", data={"token": "guess", "next": f"/d/{draft}"})
    assert wrong.status_code == 401 and "publisher_session" not in wrong.headers.get("set-cookie", "")
    signed = client.post("/signin", data={"token": TOKEN, "next": f"/d/{draft}"})
    assert signed.status_code == 303 and signed.headers["location"] == f"/d/{draft}"
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict") and "Path=/" in cookie
    assert client.get(f"/d/{draft}").status_code == 200  # the client keeps the cookie
    assert client.get(f"{API}/{draft}").status_code == 401, "the API takes the token by header only"
    assert client.post(f"/d/{draft}/delete").status_code == 303

    outsider = httpx.Client(base_url=client.base_url, cookies={"publisher_session": "9999999999.forged"})
    assert outsider.get("/").status_code == 303
    outsider.close()


def test_sign_in_goes_only_to_pages_of_this_site(serve: Serve) -> None:
    client = serve(token=TOKEN)
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        r = client.post("/signin", data={"token": TOKEN, "next": target})
        assert r.headers["location"] == "/"


@pytest.mark.parametrize("headers", [{"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                                     {"Origin": "null"}])
def test_form_posts_from_another_site_are_refused(serve: Serve, sample_bytes: bytes, headers: dict[str, str]) -> None:
    """Regression: a delete with Origin: http://evil.example was accepted (no token set)."""
    client = serve()
    location = client.post("/drafts", files={"file": ("a.txt", sample_bytes)}).headers["location"]
    assert client.post(f"{location}/delete", headers=headers).status_code == 403
    assert client.post("/drafts", files={"file": ("a.txt", sample_bytes)}, headers=headers).status_code == 403
    assert client.get(location).status_code == 200
    same = {"Origin": str(client.base_url).rstrip("/"), "Sec-Fetch-Site": "same-origin"}
    assert client.post(f"{location}/delete", headers=same).status_code == 303


# --------------------------------------------------------------------------- item 12
def test_a_body_that_stops_arriving_gets_408(serve: Serve) -> None:
    client = serve(read_timeout=1.0)
    head = f"POST {API} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 50000\r\n\r\n".encode()
    started = time.monotonic()
    answer = raw_request(port_of(client), head, b"x" * 100)
    assert answer.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 8


@pytest.fixture
def header_timeout_server(tmp_path: Path) -> Iterator[int]:
    port = free_port()
    HeaderTimeoutProtocol.header_timeout = 1.0
    config = uvicorn.Config(create_app(tmp_path / "d"), host="127.0.0.1", port=port, http=HeaderTimeoutProtocol,
                            log_level="warning", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield port
    server.should_exit = True
    thread.join(30)


def test_a_request_head_that_never_ends_is_cut_off(header_timeout_server: int) -> None:
    """Regression: 50 slow connections were held for 60 s with no header timeout."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", header_timeout_server), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        assert sock.recv(100) == b""  # closed by the server
    assert time.monotonic() - started < 5
    assert httpx.get(f"http://127.0.0.1:{header_timeout_server}/healthz").status_code == 200  # the rest is fine


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes], Path]]:
    """`publish serve` as its own process: (port, process, its log)."""
    port, log = free_port(), tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUBLISHER_")}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "publisher", "serve", "--port", str(port), "--data",
                                 str(tmp_path / "d"), "--workers", "2"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    yield port, proc, log
    if proc.poll() is None:
        proc.terminate()
        proc.wait(30)


def test_a_cancelled_upload_logs_one_line(served: tuple[int, subprocess.Popen[bytes], Path]) -> None:
    """Regression: every cancelled upload logged a full ERROR traceback (ClientDisconnect)."""
    port, _, log = served
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(f"POST {API} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                     f"Content-Length: 100000\r\n\r\n".encode() + b"x" * 5000)
        time.sleep(0.5)
    time.sleep(1.0)
    text = log.read_text()
    assert "Traceback" not in text and "ClientDisconnect" not in text
    assert text.count("client disconnected") == 1
    # the service's own lines are JSON with the id they are about
    draft_id = httpx.post(f"http://127.0.0.1:{port}{API}", content=SAMPLE.read_bytes(), timeout=60).json()["id"]
    time.sleep(0.5)
    events = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert {"event": "upload converted", "draft_id": draft_id}.items() <= next(
        e for e in events if e["event"] == "upload converted").items()
    # and a batch's lines carry the batch id (issue 16: structured logs with the draft/batch id)
    batch = httpx.post(f"http://127.0.0.1:{port}/api/v1/batches", timeout=60,
                       files=[("file", (SAMPLE.name, SAMPLE.read_bytes(), "text/plain"))]).json()
    time.sleep(0.5)
    events = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert {"event": "batch queued", "batch_id": batch["id"], "total": 1}.items() <= next(
        e for e in events if e["event"] == "batch queued").items()


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (children, their children, ...)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_a_killed_server_leaves_no_conversion_running(served: tuple[int, subprocess.Popen[bytes], Path]) -> None:
    """Regression (item 11): a SIGKILLed server left its Typst child running, reparented to init."""
    from bench.corpus import record_of_size

    port, proc, _ = served
    base = f"http://127.0.0.1:{port}"
    draft = httpx.post(base + API, content=record_of_size(600 * 1024, seed=5).encode(), timeout=120).json()["id"]

    def ask_for_pdf() -> None:
        with contextlib.suppress(httpx.HTTPError):  # the server is killed while it answers
            httpx.get(f"{base}{API}/{draft}.pdf", timeout=120)

    threading.Thread(target=ask_for_pdf, daemon=True).start()
    deadline = time.monotonic() + 60
    while len(tree := descendants(proc.pid)) < 3:  # two conversion processes and the PDF child
        assert time.monotonic() < deadline, "the PDF conversion never started a child"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    deadline = time.monotonic() + 10
    while any(running(p) for p in tree) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in tree if running(p)], "conversion processes outlived the server"


# --------------------------------------------------------------------------- item 2
PATHOLOGICAL = ["[" * 600_000, "*" * 300_000 + "x" + "*" * 300_000, "`" * 600_000]
# Surely past a 4 s timeout: ~11 s of CPU in 2026-12 (the first two above, 3.9 and 5.7 s then,
# came close enough to it once the pipeline got faster that one of them could finish in time).
COSTLY = "*" * 600_000 + "x" + "*" * 600_000


def with_content(body: str) -> bytes:
    head = SAMPLE.read_text(encoding="utf-8")
    return (head[: head.index("内容")] + "内容:\n# 标题\n## 1 引言\n" + body + "\n对话结束\n").encode("utf-8")


@pytest.mark.slow
def test_pathological_uploads_do_not_starve_ordinary_ones(serve: Serve, sample_bytes: bytes) -> None:
    """Regression: two costly uploads made an ordinary one wait 125 s and get 504 (threads
    shared one core; timed-out work kept running). Now each conversion is a process, and
    one that runs past the timeout is killed, freeing its worker."""
    timeout = 4.0
    client = serve(workers=2, timeout=timeout)
    for _ in range(2):
        client.post(API, content=sample_bytes)  # warm both processes
    normal = []
    for _ in range(3):
        started = time.monotonic()
        assert client.post(API, content=sample_bytes).status_code == 201
        normal.append(time.monotonic() - started)
    baseline = sorted(normal)[1]

    async def beside(hostile_bodies: list[str], ordinary: int) -> tuple[list[int], list[float]]:
        async with httpx.AsyncClient(base_url=client.base_url, timeout=120) as ac:
            hostile = [asyncio.create_task(ac.post(API, content=with_content(b))) for b in hostile_bodies]
            await asyncio.sleep(0.5)  # the costly ones are converting
            times = []
            for _ in range(ordinary):
                started = time.monotonic()
                r = await ac.post(API, content=sample_bytes)
                assert r.status_code == 201, r.text
                times.append(time.monotonic() - started)
            return [(await task).status_code for task in hostile], times

    for body in PATHOLOGICAL:  # one costly upload: the other worker serves ordinary ones as usual
        statuses, times = asyncio.run(beside([body], 4))
        assert all(s in (201, 422, 504) for s in statuses)
        assert max(times) < 3 * baseline + 2.0, (body[:3], baseline, times)
        time.sleep(1.5)  # the killed worker's replacement warms up
    # as many costly uploads as workers: an ordinary one waits for their timeout, not their end
    statuses, times = asyncio.run(beside([COSTLY, COSTLY], 1))
    assert statuses == [504, 504]
    assert times[0] < timeout + 3 * baseline + 3.0, times


# --------------------------------------------------------------------------- items 13, 14
@pytest.mark.parametrize("args", [["--port", "99999"], ["--port", "0"], ["--timeout", "nan"], ["--timeout", "inf"],
                                  ["--max-size", "nan"], ["--max-size", "inf"], ["--workers", "x"]])
def test_bad_serve_arguments_are_one_line(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Regression: --port 99999 and --max-size nan|inf gave tracebacks, --timeout nan started."""
    assert main(["serve", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("publish serve: error:") and err.count("\n") == 1 and "Traceback" not in err


def test_a_port_in_use_is_exit_1_not_3(tmp_path: Path) -> None:
    """Regression: uvicorn's exit status 3 is `publish`'s "published with warnings"."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "publisher", "serve", "--port", str(port), "--data",
                               str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "cannot listen" in done.stderr and "in use" in done.stderr


def test_docs_come_from_the_package(serve: Serve) -> None:
    """Regression (item 14): /docs loaded Swagger UI from a CDN, without SRI, on our origin."""
    client = serve()
    page = client.get("/docs")
    assert page.status_code == 200
    assert not re.search(r"(src|href)=\"https?://", page.text), "an asset from another host"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for asset in re.findall(r"(?:src|href)=\"(/[^\"]+)\"", page.text):
        r = client.get(asset)
        assert r.status_code == 200 and len(r.content) > 100, asset
    assert "SwaggerUIBundle" in client.get("/docs/assets/swagger-ui-bundle.js").text


# --------------------------------------------------------------------------- item 5
@pytest.mark.slow
def test_draft_pages_do_not_block_the_event_loop(serve: Serve) -> None:
    """Regression: the draft page parsed JSON, rebuilt the model and rendered Jinja on the event
    loop; eight views of a large draft delayed a static file by seconds."""
    from bench.corpus import record_of_size

    client = serve(workers=2)
    location = client.post("/drafts", files={"file": ("big.txt", record_of_size(1500 * 1024, seed=9).encode())},
                           timeout=300).headers["location"]

    async def scenario() -> tuple[float, list[int]]:
        async with httpx.AsyncClient(base_url=client.base_url, timeout=300) as ac:
            views = [asyncio.create_task(ac.get(location)) for _ in range(8)]
            await asyncio.sleep(0.3)
            worst = 0.0
            while not all(v.done() for v in views):
                started = time.monotonic()
                assert (await ac.get("/static/service.css")).status_code == 200
                worst = max(worst, time.monotonic() - started)
                await asyncio.sleep(0.05)
            return worst, [(await v).status_code for v in views]

    worst, statuses = asyncio.run(scenario())
    assert statuses == [200] * 8
    assert worst < 0.5, f"a static file waited {worst:.2f} s behind draft pages"
    started = time.monotonic()
    assert client.get(location).status_code == 200
    assert time.monotonic() - started < 0.5, "the rendered page is not cached"
