"""Builders and functions that run inside the service's conversion processes, for tests.

They are module-level (the processes import them by name) and talk to the test through
files named in environment variables, which the processes inherit: a thread lock or an
event would not cross the process boundary.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from publisher.errors import InputError
from publisher.pipeline import build_document

MARKS = "PUBLISHER_TEST_MARKS"  # a file each conversion appends a line to
GATE = "PUBLISHER_TEST_GATE"  # while this file exists, gated conversions wait
PIDS = "PUBLISHER_TEST_PIDS"  # a file a conversion writes its process id to


def marking_builder(*args: Any, **kwargs: Any) -> Any:
    with open(os.environ[MARKS], "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")
    return build_document(*args, **kwargs)


def gated_builder(*args: Any, **kwargs: Any) -> Any:
    if PIDS in os.environ:
        Path(os.environ[PIDS]).write_text(str(os.getpid()))
    Path(os.environ[GATE] + ".entered").touch()
    deadline = time.monotonic() + 60
    while Path(os.environ[GATE]).exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return build_document(*args, **kwargs)


def add(a: int, b: int) -> tuple[int, int]:
    return a + b, os.getpid()


def sleep_then(seconds: float, value: str) -> str:
    time.sleep(seconds)
    return value


def refuse(name: str) -> None:
    raise InputError("not a callback record", name, 3)


def crash() -> None:
    raise ValueError("bad\nrecord")


def die() -> None:
    os._exit(9)


def spawn_sleeper(pid_file: str) -> None:
    """Start a child (as pandoc or typst would be) and wait on it."""
    import subprocess

    child = subprocess.Popen(["sleep", "300"])
    Path(pid_file).write_text(str(child.pid))
    child.wait()
