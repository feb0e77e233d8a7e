"""A bounded pool for conversions: at most `workers` run at once, at most `queue` wait.

A request that finds the pool full is refused at once (Saturated -> 503 with Retry-After)
rather than piling up; a request whose conversion takes longer than `timeout` seconds is
answered (TimedOut -> 504) instead of hanging. A thread cannot be killed, so a timed-out
conversion keeps its place until it really ends: the pool's fullness always reflects the
work the machine is actually doing. External converters (pandoc, typst) get the same
timeout through RenderOptions and are killed by their own runners.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class Saturated(Exception):
    """Every worker is busy and the queue is full."""


class TimedOut(Exception):
    """A conversion took longer than the pool's timeout."""


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


class ConversionPool:
    def __init__(self, workers: int | None = None, queue: int = 100, timeout: float = 120.0):
        self.workers = workers or default_workers()
        self.capacity = self.workers + max(0, queue)
        self.timeout = timeout
        self._slots = threading.BoundedSemaphore(self.capacity)
        self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="convert")

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        if not self._slots.acquire(blocking=False):
            raise Saturated
        try:
            future: Future[T] = self._executor.submit(fn, *args)
        except BaseException:
            self._slots.release()
            raise
        # The slot is freed when the work ends (or, if still queued, when wait_for
        # cancels it), not when the caller stops waiting.
        future.add_done_callback(lambda _: self._slots.release())
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            raise TimedOut from None

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
