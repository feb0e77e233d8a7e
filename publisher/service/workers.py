"""Conversions in worker processes: at most `workers` run at once, at most `queue` wait.

Conversion is CPU-bound Python (plus pandoc and typst children), so it runs in processes,
one per core by default, each started once and kept warm (modules imported, patterns
compiled, templates loaded) across conversions. A request that finds the pool full is
refused at once (Saturated -> 503 with Retry-After), before its body is even read
(`reserve()`); a conversion that takes longer than `timeout` seconds is answered (TimedOut
-> 504) and its worker process is killed with everything it started (its process group:
pandoc, typst) and replaced, so a timed-out conversion never keeps running and never
stores anything. Workers die with the server (see `lifetime.py`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from publisher.errors import PublishError
from publisher.service.lifetime import die_with_parent

T = TypeVar("T")
log = logging.getLogger("publisher.service")
# A fresh interpreter per worker (no fork of a threaded server, and unlike multiprocessing's
# spawn, no re-import of whatever the server's __main__ was); it talks over a socket pair.
_CHILD = "import sys; from publisher.service.workers import _child_entry; _child_entry(int(sys.argv[1]))"


class Saturated(Exception):
    """Every worker is busy and the queue is full."""


class TimedOut(Exception):
    """A conversion took longer than the pool's timeout (its worker was killed)."""


class WorkerDied(Exception):
    """A worker process ended in the middle of a conversion (killed, out of memory)."""


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Slot:
    """A place in the pool (running or waiting), held from before the body is read until
    the conversion ends; release() is idempotent."""

    def __init__(self, pool: ConversionPool):
        self._pool: ConversionPool | None = pool

    def release(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool._release()

    def __enter__(self) -> Slot:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection
    jobs: int = 0

    def kill(self) -> None:
        """The worker and everything it started (it leads its own process group)."""
        for kill, target in ((os.killpg, self.process.pid), (os.kill, self.process.pid)):
            try:
                kill(target, signal.SIGKILL)
            except (ProcessLookupError, PermissionError, TypeError):
                continue


def _child_entry(fd: int) -> None:
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    conn = Connection(fd)
    try:
        path, initializer = conn.recv()
    except (EOFError, OSError):
        return
    sys.path[:] = path  # the server's, so that its functions unpickle here
    _worker_main(conn, initializer)


def _worker_main(conn: Connection, initializer: Callable[[], None] | None) -> None:
    _warm()
    if initializer is not None:
        initializer()
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", fn(*args))
        except PublishError as exc:
            reply = ("publish", (type(exc), exc.reason, exc.source, exc.line))
        except BaseException as exc:  # carried to the server as one line, the worker lives on
            reply = ("error", f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:300]}")
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return


def _warm() -> None:
    """Load once per process what every conversion needs: the pipeline and every writer."""
    import publisher.pipeline  # noqa: F401
    from publisher.formats import FORMATS
    from publisher.render import writer_for

    for name in FORMATS:
        try:
            writer_for(name)
        except Exception:  # a writer that cannot load fails its own conversions, with the reason
            log.warning("writer %s could not be loaded in the worker", name)


class ConversionPool:
    def __init__(self, workers: int | None = None, queue: int = 100, timeout: float = 120.0,
                 initializer: Callable[[], None] | None = None):
        self.workers = workers or default_workers()
        self.capacity = self.workers + max(0, queue)
        self.timeout = timeout
        self._initializer = initializer
        self._lock = threading.Lock()
        self._taken = 0
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[_Worker]]] = []
        self._closed = False

    # ------------------------------------------------------------------ capacity
    def reserve(self) -> Slot:
        """A place in the pool, or Saturated at once."""
        with self._lock:
            if self._closed or self._taken >= self.capacity:
                raise Saturated
            self._taken += 1
        return Slot(self)

    def _release(self) -> None:
        with self._lock:
            self._taken -= 1

    @property
    def busy(self) -> int:
        return self._taken

    # ------------------------------------------------------------------ running
    async def run(self, fn: Callable[..., T], *args: object, slot: Slot | None = None) -> T:
        """fn(*args) in a worker process (fn and args must pickle: module-level functions
        and plain data). Raises what fn raised (PublishError as itself), TimedOut, WorkerDied.
        The timeout counts the conversion itself, not the wait for a free worker (the queue
        is bounded instead)."""
        slot = slot or self.reserve()
        with slot:
            worker = await self._acquire()
            finished = False
            try:
                reply = await asyncio.wait_for(asyncio.to_thread(self._call, worker, fn, args), self.timeout)
                finished = True
            except TimeoutError:
                raise TimedOut from None
            except (EOFError, OSError):
                raise WorkerDied("the conversion process died (out of memory?)") from None
            finally:
                if not finished:
                    # timed out, died, or the client went away: the work must not go on, nor be kept
                    log.warning("killing conversion process %s", worker.process.pid)
                    self._replace(worker)
        self._give_back(worker)
        status, value = reply
        if status == "ok":
            return value
        if status == "publish":
            cls, reason, source, line = value
            raise cls(reason, source, line)
        raise RuntimeError(value)

    @staticmethod
    def _call(worker: _Worker, fn: Callable[..., Any], args: tuple[object, ...]) -> tuple[str, Any]:
        try:
            worker.conn.send((fn, args))
            worker.jobs += 1
            reply: tuple[str, Any] = worker.conn.recv()
        except (EOFError, OSError):
            worker.conn.close()  # only here, by the one thread reading it: the fd is not reused under it
            raise
        return reply

    async def _acquire(self) -> _Worker:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._idle:  # the warmest first: a fresh replacement may still be loading
                warmest = max(self._idle, key=lambda w: w.jobs)
                self._idle.remove(warmest)
                return warmest
            if len(self._all) < self.workers:
                return self._start()
            waiter: asyncio.Future[_Worker] = loop.create_future()
            self._waiters.append((loop, waiter))
        try:
            return await waiter
        except asyncio.CancelledError:
            with self._lock:
                if (loop, waiter) in self._waiters:
                    self._waiters.remove((loop, waiter))
                elif waiter.done() and not waiter.cancelled():
                    self._idle.append(waiter.result())  # handed over as we gave up: pass it on
            raise

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            while self._waiters:
                loop, waiter = self._waiters.pop(0)
                if not waiter.done():
                    loop.call_soon_threadsafe(_hand_over, waiter, worker, self)
                    return
            if worker in self._all:
                self._idle.append(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        threading.Thread(target=worker.process.wait, daemon=True).start()  # reap it
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
            if self._closed:
                return
            replacement = self._start()  # at once, so that it is warm when the next conversion comes
        self._give_back(replacement)

    def _start(self) -> _Worker:
        """A new worker process (called with the lock held)."""
        ours, theirs = socket.socketpair()
        with theirs:
            process = subprocess.Popen([sys.executable, "-c", _CHILD, str(theirs.fileno())],
                                       pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        conn = Connection(ours.detach())
        conn.send((sys.path, self._initializer))
        worker = _Worker(process, conn)
        self._all.append(worker)
        return worker

    def start(self) -> None:
        """Start every worker now (otherwise each starts on first use)."""
        with self._lock:
            while len(self._all) < self.workers and not self._closed:
                self._idle.append(self._start())

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            workers, idle, self._all, self._idle = list(self._all), list(self._idle), [], []
        for worker in workers:
            worker.kill()
            try:
                worker.process.wait(5)
            except subprocess.TimeoutExpired:
                log.warning("conversion process %s did not end", worker.process.pid)
            if worker in idle:
                worker.conn.close()


def _hand_over(waiter: asyncio.Future[_Worker], worker: _Worker, pool: ConversionPool) -> None:
    if waiter.done():  # the waiter gave up meanwhile
        pool._give_back(worker)
    else:
        waiter.set_result(worker)
