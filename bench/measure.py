"""Timing helpers for the benchmark: wall time and the CPU time of child processes.

The benchmark machine may be shared, so every measurement records both: wall time is what
a user waits for, CPU time (user + system, from getrusage) is what the work costs and is
much less disturbed by other load.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# what `publish --to docx` imports, with the compiled patterns of earlier runs as the command has them
S1_CODE = ("import publisher.regex_cache as c; c.install(); "
           "import publisher.cli, publisher.batch, publisher.render.docx")


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds
    cpu: float  # seconds of user + system time, this process or its children
    ok: bool = True


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: Sequence[str | Path], cwd: Path | None = None, env: dict[str, str] | None = None) -> Timing:
    """Run a command to completion, its output discarded."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          check=False, env=env)
    return Timing(time.perf_counter() - t0, _children_cpu() - cpu0, done.returncode == 0)


def run_many(tasks: Sequence[Callable[[], bool]], parallel: int) -> Timing:
    """Run callables that start subprocesses, `parallel` at a time; CPU counts their children."""
    from concurrent.futures import ThreadPoolExecutor

    cpu0, t0 = _children_cpu(), time.perf_counter()
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        results = list(pool.map(lambda task: task(), tasks))
    return Timing(time.perf_counter() - t0, _children_cpu() - cpu0, all(results))


# The stages keep what they worked out about a piece of text (a sentence's chatter score, a
# title's normal form, a line's tags) in bounded caches keyed by the text, which live as long as
# the process. A record published again, or another corpus record made of the same sample's
# sentences, would find its answers there; no record in real use is that lucky.
TEXT_CACHED = ("publisher.clean", "publisher.markdown", "publisher.assemble", "publisher.tables",
               "publisher.cite", "publisher.guard")


def forget_text() -> None:
    """Empty every cache the stages keep by text, so the next build pays for its text in full."""
    for name, module in list(sys.modules.items()):
        if module is not None and name.startswith(TEXT_CACHED):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def in_process(fn: Callable[[], object]) -> Timing:
    """Run `fn` here, with the stages' text caches emptied first (not timed); its CPU time
    includes the children it waited for (pandoc)."""
    forget_text()
    t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
    fn()
    return Timing(time.perf_counter() - t0, time.process_time() - c0 + _children_cpu() - k0)


def median(timings: Sequence[Timing]) -> Timing:
    return Timing(statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings),
                  all(t.ok for t in timings))


# A child that runs the CLI and reports its own peak RSS and its children's (pandoc, typst).
_PEAK_CHILD = """
import json, resource, sys
from publisher.cli import main
status = main(sys.argv[1:])
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"status": status, "self_kb": me.ru_maxrss, "children_kb": kids.ru_maxrss,
                  "self_cpu": me.ru_utime + me.ru_stime, "children_cpu": kids.ru_utime + kids.ru_stime}))
"""


def peak_rss(cli_args: Sequence[str]) -> dict[str, Any]:
    """Peak resident memory (MB) of a `publish` run: the Python process, and its largest child."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK_CHILD, *cli_args], capture_output=True, text=True,
                          check=False, cwd=REPO)
    wall = time.perf_counter() - t0
    errors = [line.removeprefix("publish: error: ") for line in done.stderr.splitlines()
              if line.startswith("publish: error: ")]
    try:
        data = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"ok": 0.0, "wall": wall, "errors": errors}
    return {"ok": float(data["status"] in (0, 3)), "wall": wall, "self_mb": data["self_kb"] / 1024,
            "children_mb": data["children_kb"] / 1024, "cpu": data["self_cpu"] + data["children_cpu"],
            "errors": errors}


def import_times(code: str, rounds: int) -> list[tuple[str, float, float]]:
    """`python -X importtime -c code`, `rounds` times: (module, self ms, cumulative ms), the
    minimum of the rounds for each module (the least disturbed by other load), by self time."""
    best: dict[str, tuple[float, float]] = {}
    for _ in range(rounds):
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                              check=False, cwd=REPO)
        for line in done.stderr.splitlines():
            parts = line.removeprefix("import time:").split("|")
            if len(parts) != 3 or not parts[0].strip().isdigit():
                continue
            name, own, total = parts[2].strip(), int(parts[0]) / 1000, int(parts[1]) / 1000
            old = best.get(name, (own, total))
            best[name] = (min(old[0], own), min(old[1], total))
    return sorted(((name, own, total) for name, (own, total) in best.items()), key=lambda row: -row[1])


def machine() -> dict[str, str]:
    import platform

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1048576:.1f} GB"
    except (OSError, ValueError, IndexError):
        pass
    from publisher.render.pandoc_run import pandoc_path

    pandoc = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, check=False)
    from importlib import metadata

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=REPO, check=False).stdout.strip()
        # the file this run rewrites does not make the code it measured uncommitted
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                                ":(exclude)BENCHMARKS.md"], capture_output=True, text=True, cwd=REPO,
                               check=False).stdout.strip()
        commit += " with uncommitted changes" if commit and dirty else ""
    except OSError:
        commit = ""
    return {
        "nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "pandoc": pandoc.stdout.splitlines()[0] if pandoc.stdout else "unknown",
        "typst": metadata.version("typst"),
        "os": f"{platform.system()} {platform.release()}",
        "commit": commit or "unknown",
    }


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"
