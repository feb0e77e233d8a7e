"""Throwaway Redis and PostgreSQL servers, and `publish serve`/`publish worker` processes, on
loopback ports in temporary folders, for the scaled-out tests (and bench/service.py).

PostgreSQL refuses to run as root, so as root the cluster is made and run as the
`postgres` user (Debian's package creates it) in a folder handed to that user. Every server
is a child process of the test run, stopped (and its folder removed) afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except Exception:  # not up yet
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not come up within {seconds:g} s")


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise FileNotFoundError(f"PostgreSQL's {name} is missing: run `bash scripts/setup --dev`")
    return found[-1]


class Redis:
    """redis-server with an append-only file fsynced on every write, so a restart keeps the queue."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._ping, 20, "redis-server")

    def _ping(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)


class Postgres:
    """A PostgreSQL cluster made by initdb, run by `postgres -D` in the foreground."""

    def __init__(self) -> None:
        self.root = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="publisher-pg-"))
        self.port = free_port()
        self.url = f"postgresql://publisher@127.0.0.1:{self.port}/publisher"
        self.process: subprocess.Popen[bytes] | None = None
        if self.root:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run([_pg_bin("initdb"), "-D", str(self.folder / "data"), "-U", "publisher", "--auth=trust",
                   "-E", "UTF8", "--no-sync"])

    def _run(self, command: list[str]) -> None:
        subprocess.run(command, check=True, capture_output=True, user="postgres" if self.root else None)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [_pg_bin("postgres"), "-D", str(self.folder / "data"), "-p", str(self.port), "-h", "127.0.0.1",
             "-k", str(self.folder), "-c", "fsync=off", "-c", "max_connections=200"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, user="postgres" if self.root else None)
        wait_until(self._ready, 30, "postgres")

    def _ready(self) -> bool:
        done = subprocess.run([_pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)], capture_output=True)
        return done.returncode == 0

    def create_database(self) -> None:
        self._run([_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "publisher", "publisher"])

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown
            self.process.wait(60)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def postgres_and_redis() -> Iterator[tuple[Postgres, Redis]]:
    pg = Postgres()
    folder = Path(tempfile.mkdtemp(prefix="publisher-redis-"))
    redis = Redis(folder)
    try:
        pg.start()
        pg.create_database()
        redis.start()
        yield pg, redis
    finally:
        redis.stop()
        pg.remove()
        shutil.rmtree(folder, ignore_errors=True)


def publish_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "publisher", *args]


def service_env(database: str, broker: str | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUBLISHER_")}
    env["PUBLISHER_DATABASE_URL"] = database
    if broker:
        env["PUBLISHER_BROKER_URL"] = broker
    env.update(extra)
    return env


class Node:
    """A `publish serve` (or `publish worker`) process; its output goes to a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.args, self.env, self.log = args, env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Node:
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(publish_command(*self.args), cwd=ROOT, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT)
        return self

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


def web_node(port: int, env: dict[str, str], folder: Path, *extra: str) -> Node:
    node = Node(["serve", "--port", str(port), "--data", str(folder / f"web-{port}"), "--log-level", "warning",
                 *extra], env, folder / f"web-{port}.log").start()
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(base + "/healthz", timeout=2).status_code == 200, 60, f"publish serve on {port}")
    return node


def worker_node(index: int, env: dict[str, str], folder: Path, *extra: str) -> Node:
    return Node(["worker", "--concurrency", "1", "--data", str(folder / "worker"), "--log-level", "warning",
                 *extra], env, folder / f"worker-{index}.log").start()
