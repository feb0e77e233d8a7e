"""Reading stops at the size limit (issue 12 item 3): `publish -` on an endless pipe,
`publish /dev/zero` and a FIFO, none of which has a size to check beforehand (`st_size` is
0), are refused once the limit is passed, having read little more than the limit."""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import threading
from pathlib import Path
from typing import BinaryIO

import pytest

from publisher.cli import EXIT_FAILED, main
from tests.hardening.records import ROOT

MB = 1 << 20
OFFERED = 200 * MB  # what the writer would send if nobody stopped reading


def feed(stream: BinaryIO, sent: list[int]) -> None:
    """Write zeros until the reader goes away (or OFFERED is reached); count what went in."""
    chunk = b"\0" * MB
    try:
        while sent[0] < OFFERED:
            stream.write(chunk)
            sent[0] += len(chunk)
        stream.flush()
    except (BrokenPipeError, ValueError, OSError):
        pass
    finally:
        with contextlib.suppress(OSError):
            stream.close()


def one_limit_error(err: str, source: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert source in lines[0] and "over the 2 MB limit" in lines[0] and "--max-size" in lines[0]


def test_an_endless_stdin_is_refused_at_the_limit(tmp_path: Path) -> None:
    """Regression: `head -c 1000M /dev/zero | publish -` reached 1 GB before "over the limit"."""
    proc = subprocess.Popen([sys.executable, "-m", "publisher", "-", "--to", "json", "-o", str(tmp_path / "out"),
                             "--max-size", "2"], cwd=ROOT, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    sent = [0]
    assert proc.stdin is not None and proc.stderr is not None
    writer = threading.Thread(target=feed, args=(proc.stdin, sent))
    writer.start()
    with proc.stderr:
        err = proc.stderr.read().decode()
    assert proc.wait(120) == EXIT_FAILED
    writer.join(60)
    one_limit_error(err, "<stdin>")
    assert sent[0] < 16 * MB, f"{sent[0] / MB:.0f} MB taken in before the refusal"
    assert not (tmp_path / "out").exists()


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # a read to the end dies here, not the machine


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_at_the_limit(tmp_path: Path) -> None:
    """Regression: `publish /dev/zero` ran to MemoryError (the check trusted st_size, 0 here)."""
    done = subprocess.run([sys.executable, "-m", "publisher", "/dev/zero", "--to", "json", "-o",
                           str(tmp_path / "out"), "--max-size", "2"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, preexec_fn=_cap_memory)
    assert done.returncode == EXIT_FAILED
    one_limit_error(done.stderr, "/dev/zero")
    assert "internal error" not in done.stderr and "MemoryError" not in done.stderr


def test_a_fifo_is_refused_at_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "record.txt"
    os.mkfifo(fifo)
    sent = [0]

    def writer() -> None:
        with open(fifo, "wb") as out:
            feed(out, sent)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        status = main([str(fifo), "--to", "json", "-o", str(tmp_path / "out"), "--max-size", "2"])
    finally:
        # the reader has closed its end: unblock a writer still opening it
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        os.close(fd)
        thread.join(60)
    assert status == EXIT_FAILED
    one_limit_error(capsys.readouterr().err, str(fifo))
    assert sent[0] < 16 * MB, f"{sent[0] / MB:.0f} MB taken in before the refusal"


def test_a_fifo_within_the_limit_publishes(tmp_path: Path) -> None:
    """The near miss: a FIFO holding a whole record is read like a file."""
    fifo = tmp_path / "record.txt"
    os.mkfifo(fifo)
    data = sorted((ROOT / "samples").glob("*.txt"))[0].read_bytes()

    def writer() -> None:
        with open(fifo, "wb") as out:
            out.write(data)

    thread = threading.Thread(target=writer)
    thread.start()
    status = main([str(fifo), "--to", "json", "-o", str(tmp_path / "out"), "-q"])
    thread.join(60)
    assert status == 0 and (tmp_path / "out" / "record.json").stat().st_size > 10_000
