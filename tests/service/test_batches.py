"""Bulk import in the embedded default (no broker): many files or one archive -> 202, counts
to poll, a page that refreshes itself, a callback; archives checked before unpacking."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import tarfile
import threading
import time
import zipfile
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from publisher.service.archives import MAX_MEMBERS

from .conftest import ROOT

Serve = Callable[..., httpx.Client]
BATCHES = "/api/v1/batches"
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def wait_done(client: httpx.Client, batch_id: str, seconds: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"{BATCHES}/{batch_id}").json()
        if body["done"] + body["failed"] == body["total"]:
            return body
        time.sleep(0.2)
    raise AssertionError("the batch did not finish")


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def test_files_make_a_batch_with_counts_and_a_callback(serve: Serve) -> None:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    cms = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=cms.serve_forever, daemon=True).start()
    try:
        client = serve()
        files = [("file", (p.name, p.read_bytes(), "text/plain")) for p in SAMPLES]
        files.append(("file", ("broken.txt", b"not a record at all\n", "text/plain")))
        r = client.post(BATCHES, files=files, data={"formats": "docx", "callback_url":
                                                    f"http://127.0.0.1:{cms.server_address[1]}/hook"})
        assert r.status_code == 202, r.text
        body = r.json()
        assert body["total"] == 3 and r.headers["location"] == f"{BATCHES}/{body['id']}"
        assert [d["name"] for d in body["documents"]] == [p.name for p in SAMPLES] + ["broken.txt"]
        final = wait_done(client, body["id"])
        assert (final["done"], final["failed"], final["queued"], final["running"]) == (2, 1, 0, 0)
        broken = final["documents"][-1]
        assert broken["status"] == "failed" and "not a callback record" in broken["error"]
        docx = client.get(body["documents"][0]["links"]["docx"])
        assert docx.status_code == 200 and docx.content.startswith(b"PK")
        deadline = time.monotonic() + 10
        while not received and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(received) == 1 and received[0]["done"] == 2 and received[0]["failed"] == 1
    finally:
        cms.shutdown()
        cms.server_close()


def test_the_batch_page_refreshes_until_done_and_needs_no_script(serve: Serve) -> None:
    client = serve()
    r = client.post("/drafts", files=[("file", (p.name, p.read_bytes(), "text/plain")) for p in SAMPLES])
    assert r.status_code == 303 and r.headers["location"].startswith("/b/")
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and "<script>" not in page.text
    batch_id = r.headers["location"][3:]
    wait_done(client, batch_id)
    done = client.get(r.headers["location"]).text
    assert 'http-equiv="refresh"' not in done and "All done: 2 published, 0 failed" in done
    links = re.findall(r'href="(/d/[A-Za-z0-9_-]{22})"', done)
    assert len(links) == 2 and client.get(links[0]).status_code == 200
    assert 'http-equiv="refresh"' in page.text or "All done" in page.text


def test_a_zip_and_a_tar_gz_are_unpacked(serve: Serve) -> None:
    client = serve()
    members = {f"dir/{p.name}": p.read_bytes() for p in SAMPLES} | {"__MACOSX/._x.txt": b"\x00", "dir/": b""}
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w:gz") as tar:
        for p in SAMPLES:
            tar.add(p, arcname=f"records/{p.name}")
    for name, archive in (("records.zip", zipped(members)), ("records.tar.gz", tar_bytes.getvalue())):
        r = client.post(BATCHES, files={"file": (name, archive, "application/octet-stream")})
        assert r.status_code == 202, r.text
        assert sorted(d["name"] for d in r.json()["documents"]) == sorted(f"{'dir' if 'zip' in name else 'records'}/"
                                                                          f"{p.name}" for p in SAMPLES)


def symlink_tar() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        info = tarfile.TarInfo("link.txt")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(info)
    return out.getvalue()


def traversal_tar() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        data = SAMPLES[0].read_bytes()
        info = tarfile.TarInfo("../../escape.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


@pytest.mark.parametrize(("archive", "reason"), [
    (zipped({"../evil.txt": b"x"}), "unsafe path"),
    (zipped({"/etc/cron.d/x.txt": b"x"}), "unsafe path"),
    (zipped({"a.exe": b"MZ"}), "is not a record"),
    (zipped({"big.txt": b"x" * 60_000}), "over the"),
    (zipped({f"r{i}.txt": b"x" for i in range(MAX_MEMBERS + 1)}), "more than 1000 records"),
    (symlink_tar(), "not a plain file"),
    (traversal_tar(), "unsafe path"),
    (b"PK\x03\x04 broken", "not a readable"),
])
def test_unsafe_archives_are_refused_whole_before_unpacking(serve: Serve, archive: bytes, reason: str,
                                                            tmp_path: Path) -> None:
    client = serve(max_bytes=50_000 if reason == "over the" else 20 * 1048576)
    r = client.post(BATCHES, files={"file": ("a.zip", archive, "application/zip")})
    assert r.status_code == 422 and reason in r.json()["detail"], r.text
    with sqlite3.connect(tmp_path / "data" / "drafts.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM drafts").fetchone() == (0,)
    assert not (tmp_path / "escape.txt").exists()


def test_a_zip_bomb_is_refused_by_its_listing(serve: Serve) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(30):
            z.writestr(f"r{i}.txt", b"\0" * 1_000_000)  # 30 MB in all, a few KB packed
    client = serve(max_bytes=2 * 1048576)
    r = client.post(BATCHES, files={"file": ("bomb.zip", out.getvalue(), "application/zip")})
    assert r.status_code == 422 and "unpacks to more than" in r.json()["detail"]


def test_bad_batch_fields(serve: Serve) -> None:
    client = serve()
    one = [("file", ("a.txt", SAMPLES[0].read_bytes(), "text/plain"))]
    assert "unknown format" in client.post(BATCHES, files=one, data={"formats": "exe"}).json()["detail"]
    assert "http(s)" in client.post(BATCHES, files=one, data={"callback_url": "file:///etc/passwd"}).json()["detail"]
    assert client.post(BATCHES, content=b"x", headers={"Content-Type": "text/plain"}).status_code == 422
    assert client.get(f"{BATCHES}/{'A' * 22}").status_code == 404
    assert client.get("/b/" + "A" * 22).status_code == 404


def test_an_old_data_folder_is_upgraded_in_place(tmp_path: Path, serve: Serve) -> None:
    """A data folder from the first release (no migrations table) keeps its drafts."""
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(data / "drafts.sqlite3") as db:
        db.execute("CREATE TABLE drafts (id TEXT PRIMARY KEY, title TEXT NOT NULL, language TEXT NOT NULL, "
                   "source TEXT NOT NULL, created TEXT NOT NULL, document TEXT NOT NULL)")
        db.execute("INSERT INTO drafts VALUES (?, ?, ?, ?, ?, ?)",
                   ("B" * 22, "旧稿", "zh", "old.txt", "2025-01-01T00:00:00Z", '{"title": "旧稿"}'))
    client = serve(data)
    assert client.get(f"/api/v1/documents/{'B' * 22}").json() == {"title": "旧稿"}
    with sqlite3.connect(data / "drafts.sqlite3") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("r0002",)


def test_unfinished_drafts_are_converted_after_a_restart(tmp_path: Path, serve: Serve) -> None:
    """Drafts queued when the server stopped (a batch cut short) are picked up on start."""
    from publisher.service.store import DraftStore

    store = DraftStore(tmp_path / "data")
    batch_id, drafts = store.add_batch([(p.read_bytes(), p.name) for p in SAMPLES], ("md",), None)
    store.claim(drafts[0].id)  # one was running when the server went away
    store.engine.dispose()
    client = serve()
    final = wait_done(client, batch_id)
    assert (final["done"], final["failed"]) == (2, 0)
    assert client.get(f"/api/v1/documents/{drafts[0].id}.md").status_code == 200
