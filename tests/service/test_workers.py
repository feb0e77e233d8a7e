"""The conversion pool: work in processes; refuses when full; a timed-out conversion's
process (and what it started) is killed and replaced; slots are freed when work ends."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from publisher.errors import InputError
from publisher.service.workers import ConversionPool, Saturated, TimedOut, WorkerDied

from . import builders


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}/stat").exists() else "X"
    return status != "Z"


def wait_gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def pool() -> ConversionPool:
    made = ConversionPool(workers=2, queue=1, timeout=20)
    yield made
    made.shutdown()


def test_runs_work_in_other_processes(pool: ConversionPool) -> None:
    async def scenario() -> list[tuple[int, int]]:
        return await asyncio.gather(pool.run(builders.add, 2, 3), pool.run(builders.add, 1, 1))

    results = asyncio.run(scenario())
    assert [r[0] for r in results] == [5, 2]
    assert all(pid != os.getpid() for _, pid in results)


def test_errors_reach_the_caller_and_the_worker_lives_on(pool: ConversionPool) -> None:
    async def scenario() -> None:
        with pytest.raises(InputError) as caught:
            await pool.run(builders.refuse, "rec.txt")
        assert str(caught.value) == "rec.txt:3: not a callback record"
        with pytest.raises(RuntimeError, match="ValueError: bad$"):
            await pool.run(builders.crash)
        assert (await pool.run(builders.add, 1, 2))[0] == 3

    asyncio.run(scenario())


def test_a_dead_worker_is_reported_and_replaced(pool: ConversionPool) -> None:
    async def scenario() -> None:
        with pytest.raises(WorkerDied):
            await pool.run(builders.die)
        assert (await pool.run(builders.add, 1, 2))[0] == 3

    asyncio.run(scenario())


def test_full_pool_refuses_at_once_and_frees_the_slot_when_work_ends() -> None:
    pool = ConversionPool(workers=1, queue=1, timeout=30)

    async def scenario() -> str:
        first = asyncio.create_task(pool.run(builders.sleep_then, 1.0, "a"))
        second = asyncio.create_task(pool.run(builders.sleep_then, 0.0, "b"))  # waits in the queue
        await asyncio.sleep(0)
        with pytest.raises(Saturated):
            pool.reserve()  # refused before any body would be read
        assert await first == "a" and await second == "b"
        return await pool.run(builders.sleep_then, 0.0, "ok")

    try:
        assert asyncio.run(scenario()) == "ok"
        assert pool.busy == 0
    finally:
        pool.shutdown()


def test_timeout_kills_the_worker_and_what_it_started(tmp_path: Path) -> None:
    """Regression (issue 12 item 2): a timed-out conversion used to keep running in its thread."""
    pool = ConversionPool(workers=1, queue=0, timeout=3)
    pid_file = tmp_path / "child.pid"

    async def scenario() -> tuple[int, str]:
        _, worker_pid = await pool.run(builders.add, 0, 0)  # warm: the timeout is the work's own
        with pytest.raises(TimedOut):
            await pool.run(builders.spawn_sleeper, str(pid_file))
        # the slot is free at once (the work is dead, not waiting), and a new worker serves
        return worker_pid, await pool.run(builders.sleep_then, 0.0, "after")

    try:
        worker_pid, after = asyncio.run(scenario())
        assert after == "after"
        assert wait_gone(worker_pid), "the timed-out worker process still runs"
        assert wait_gone(int(pid_file.read_text())), "the worker's child (pandoc/typst stand-in) still runs"
    finally:
        pool.shutdown()
