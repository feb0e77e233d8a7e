"""The conversion pool: refuses when full, gives up waiting on time, frees slots on finish."""

from __future__ import annotations

import asyncio
import threading

import pytest

from publisher.service.workers import ConversionPool, Saturated, TimedOut


def test_runs_work_and_returns_its_result() -> None:
    pool = ConversionPool(workers=2, queue=0, timeout=30)
    try:
        assert asyncio.run(pool.run(lambda a, b: a + b, 2, 3)) == 5
    finally:
        pool.shutdown()


def test_exceptions_reach_the_caller() -> None:
    pool = ConversionPool(workers=1, queue=0, timeout=30)

    def fail() -> None:
        raise ValueError("bad record")

    try:
        with pytest.raises(ValueError, match="bad record"):
            asyncio.run(pool.run(fail))
        assert asyncio.run(pool.run(lambda: "slot freed")) == "slot freed"
    finally:
        pool.shutdown()


def test_full_pool_refuses_and_frees_the_slot_when_work_ends() -> None:
    pool = ConversionPool(workers=1, queue=1, timeout=30)
    release = threading.Event()

    async def scenario() -> str:
        first = asyncio.create_task(pool.run(release.wait, 30))
        second = asyncio.create_task(pool.run(release.wait, 30))  # waits in the queue
        await asyncio.sleep(0)
        with pytest.raises(Saturated):
            await pool.run(lambda: None)
        release.set()
        await first
        await second
        return await pool.run(lambda: "ok")

    try:
        assert asyncio.run(scenario()) == "ok"
    finally:
        release.set()
        pool.shutdown()


def test_timeout_answers_but_keeps_the_slot_until_the_work_really_ends() -> None:
    pool = ConversionPool(workers=1, queue=0, timeout=0.05)
    release = threading.Event()
    finished = threading.Event()

    def slow() -> None:
        release.wait(30)
        finished.set()

    async def scenario() -> None:
        with pytest.raises(TimedOut):
            await pool.run(slow)
        with pytest.raises(Saturated):  # the slow work still occupies the only worker
            await pool.run(lambda: None)

    try:
        asyncio.run(scenario())
        release.set()
        assert finished.wait(30)
    finally:
        release.set()
        pool.shutdown()
