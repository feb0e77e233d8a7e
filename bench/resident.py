"""P1 with `publish resident` running: the cold command handed to a warm server.

The call's CPU time is the client's (a child of the benchmark, from getrusage) plus what the
server spent on it: its own time accepting and forking and its forked child's, which the
server collects when it reaps the child (utime, stime, cutime and cstime in /proc/PID/stat).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bench.measure import REPO, Timing, run

TICK = os.sysconf("SC_CLK_TCK")
REAP_WAIT = 10.0  # seconds for the server to reap the child of the call just measured


def environment(folder: Path, **extra: str) -> dict[str, str]:
    """The benchmark's environment with the server folder set; this tree's publisher first."""
    env = {k: v for k, v in os.environ.items() if k != "PUBLISH_RESIDENT"}
    env["PUBLISH_RESIDENT_DIR"] = str(folder)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


@contextmanager
def resident_server(publish: Sequence[str], folder: Path) -> Iterator[tuple[dict[str, str], int]]:
    """A server started for the run and stopped after it: (the callers' environment, its pid)."""
    env = environment(folder)
    started = subprocess.run([*publish, "resident", "start", "--lang", "en"], env=env, capture_output=True,
                             text=True, check=False)
    found = re.search(r"pid (\d+)", started.stdout)
    if started.returncode != 0 or not found:
        raise RuntimeError(f"publish resident start failed: {started.stdout}{started.stderr}")
    pid = int(found.group(1))
    try:
        yield env, pid
    finally:
        subprocess.run([*publish, "resident", "stop"], env=env, capture_output=True, check=False)
        if _children(pid) is not None:
            os.kill(pid, signal.SIGKILL)


def calls_run(publish: Sequence[str], env: dict[str, str]) -> int:
    """How many calls the server has run (`publish resident status`); -1 when none is running."""
    done = subprocess.run([*publish, "resident", "status", "--lang", "en"], env=env, capture_output=True, text=True,
                          check=False)
    found = re.search(r"(\d+) calls run", done.stdout)
    return int(found.group(1)) if done.returncode == 0 and found else -1


def _cpu(pid: int) -> float:
    """Seconds of CPU of the server and of the children it has reaped."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / TICK  # utime stime cutime cstime


def _children(pid: int) -> list[int] | None:
    """The server's live children; None when the server is gone."""
    try:
        return [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]
    except OSError:
        return None


def run_resident(cmd: Sequence[str | Path], env: dict[str, str], server: int) -> Timing:
    """Like measure.run, with the server's share of the CPU added once its child is reaped."""
    before = _cpu(server)
    timing = run(cmd, env=env)
    deadline = time.monotonic() + REAP_WAIT
    while _children(server) and time.monotonic() < deadline:
        time.sleep(0.005)
    return Timing(timing.wall, timing.cpu + _cpu(server) - before, timing.ok)
