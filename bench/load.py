"""Load run of the web service, on loopback only.

    python -m bench.load                       # 50 clients for 120 s
    python -m bench.load --duration 60 --out BENCHMARKS.md

Starts `publish serve` as a subprocess on 127.0.0.1 with a fresh data folder, then runs N
concurrent clients. Each client repeats an author's cycle on the real samples:

    upload (POST record) -> page (draft page; renders the HTML fragment)
    -> convert html, convert docx (first GETs: rendered now)
    -> download docx twice, download json (cached) -> delete

The run is bounded twice: it stops at --duration seconds or after --max-requests requests,
whichever comes first. It prints a markdown table: requests/s, p50/p95 latency per kind,
error counts (a 5xx or a broken connection is a server error; there must be none) and the
server's resident memory at start, middle and end. Exit status 1 when any server error
occurred.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "samples").glob("*.txt"))
HOST = "127.0.0.1"  # loopback only: this run never targets another address
KINDS = ["upload", "page", "convert", "download", "delete"]


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    client_errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    server_errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    started: float = 0.0
    requests: int = 0
    load: list[float] = field(default_factory=list)  # 1-minute load average, start and end

    def record(self, kind: str, seconds: float, status: int | None) -> None:
        self.requests += 1
        self.latencies[kind].append(seconds)
        if status is None or status >= 500:
            self.server_errors[kind] += 1
        elif status >= 400:
            self.client_errors[kind] += 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(port: int, data: Path, workers: int | None) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "publisher", "serve", "--host", HOST, "--port", str(port),
           "--data", str(data), "--log-level", "warning"]
    if workers:
        cmd += ["--workers", str(workers)]
    env = {k: v for k, v in os.environ.items() if k != "PUBLISHER_API_TOKEN"}
    return subprocess.Popen(cmd, cwd=REPO, env=env)


def wait_ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit(f"server exited with status {proc.returncode}")
        try:
            if httpx.get(base + "/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("server did not start within 60 s")


async def timed(stats: Stats, kind: str, request: Awaitable[httpx.Response]) -> httpx.Response | None:
    t0 = time.perf_counter()
    try:
        response = await request
    except httpx.HTTPError:
        stats.record(kind, time.perf_counter() - t0, None)
        return None
    stats.record(kind, time.perf_counter() - t0, response.status_code)
    return response


async def author(n: int, client: httpx.AsyncClient, stats: Stats, records: list[bytes],
                 deadline: float, budget: int) -> None:
    """One client: repeat the author's cycle until time or the request budget runs out."""
    cycle = 0
    while time.perf_counter() < deadline and stats.requests < budget:
        record = records[(n + cycle) % len(records)]
        cycle += 1
        r = await timed(stats, "upload", client.post("/api/v1/documents", content=record,
                                                       headers={"Content-Type": "text/plain"}))
        if r is None or r.status_code != 201:
            continue
        links = r.json()["links"]
        steps = [("page", links["page"]), ("convert", links["html"]), ("convert", links["docx"]),
                 ("download", links["docx"]), ("download", links["docx"]), ("download", links["json"])]
        for kind, url in steps:
            await timed(stats, kind, client.get(url))
        await timed(stats, "delete", client.delete(links["json"]))


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def table(stats: Stats, elapsed: float, rss: list[tuple[str, float]], args: argparse.Namespace) -> str:
    rows = [
        f"Load run: {args.clients} clients, {elapsed:.0f} s, {stats.requests} requests, "
        f"{os.cpu_count()} cores, server workers {args.workers or 'default'} (loopback {HOST}), "
        f"load average {stats.load[0]:.1f} at start, {stats.load[1]:.1f} at end",
        "",
        "| kind | requests | req/s | p50 ms | p95 ms | max ms | 4xx | server errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    every: list[float] = []
    for kind in KINDS:
        lat = stats.latencies.get(kind, [])
        every.extend(lat)
        if lat:
            rows.append(f"| {kind} | {len(lat)} | {len(lat) / elapsed:.1f} | {percentile(lat, 50) * 1000:.0f} | "
                        f"{percentile(lat, 95) * 1000:.0f} | {max(lat) * 1000:.0f} | "
                        f"{stats.client_errors[kind]} | {stats.server_errors[kind]} |")
    rows.append(f"| **all** | {len(every)} | {len(every) / elapsed:.1f} | {percentile(every, 50) * 1000:.0f} | "
                f"{percentile(every, 95) * 1000:.0f} | {max(every, default=0) * 1000:.0f} | "
                f"{sum(stats.client_errors.values())} | {sum(stats.server_errors.values())} |")
    rows += ["", "| server RSS | " + " | ".join(label for label, _ in rss) + " |",
             "|---|" + "---:|" * len(rss),
             "| MB | " + " | ".join(f"{mb:.0f}" for _, mb in rss) + " |", ""]
    return "\n".join(rows)


async def run(args: argparse.Namespace, base: str, pid: int) -> tuple[Stats, float, list[tuple[str, float]]]:
    records = [p.read_bytes() for p in SAMPLES]
    stats = Stats()
    rss = [("start", rss_mb(pid))]
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=base, timeout=300, limits=limits) as client:
        stats.started = time.perf_counter()
        stats.load.append(os.getloadavg()[0])
        deadline = stats.started + args.duration

        async def sample_memory() -> None:
            await asyncio.sleep(args.duration / 2)
            rss.append(("middle", rss_mb(pid)))

        sampler = asyncio.create_task(sample_memory())
        await asyncio.gather(*(author(n, client, stats, records, deadline, args.max_requests)
                               for n in range(args.clients)))
        elapsed = time.perf_counter() - stats.started
        stats.load.append(os.getloadavg()[0])
        sampler.cancel()
    rss.append(("end", rss_mb(pid)))
    return stats, elapsed, rss


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=float, default=120.0, help="seconds (default: 120)")
    p.add_argument("--clients", type=int, default=50, help="concurrent clients (default: 50)")
    p.add_argument("--max-requests", type=int, default=20_000, help="stop after this many requests")
    p.add_argument("--workers", type=int, default=None, help="server conversion workers (default: cores)")
    p.add_argument("--out", type=Path, help="append the markdown table to this file")
    args = p.parse_args(argv)

    port = free_port()
    base = f"http://{HOST}:{port}"
    with tempfile.TemporaryDirectory(prefix="publisher-load-") as data:
        server = start_server(port, Path(data), args.workers)
        try:
            wait_ready(base, server)
            stats, elapsed, rss = asyncio.run(run(args, base, server.pid))
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = table(stats, elapsed, rss, args)
    print(text)
    if args.out:
        with args.out.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)
    return 1 if sum(stats.server_errors.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
