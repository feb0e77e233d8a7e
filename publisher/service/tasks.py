"""Conversions on Celery workers, when PUBLISHER_BROKER_URL names a Redis broker.

The web nodes store each record as a queued draft and send its id; `publish worker` runs a
Celery worker whose processes take the ids, convert, and store the results in the shared
database. Nothing is lost to a crash:

- `acks_late`: a job is acknowledged only when it has finished, so a worker killed mid-job
  (even with SIGKILL) leaves its job unacknowledged, and the broker hands it to another
  worker after the visibility timeout (PUBLISHER_VISIBILITY_TIMEOUT, default 300 s);
- idempotent jobs: a redone job finds its draft done and stops, or converts the same
  record into the same bytes and stores them under the same keys (`DraftStore.finish`);
- a database that cannot be reached sends the job back to the queue (it is rejected with
  requeue), and workers reconnect to a restarted broker by themselves.

Each job gets the same limits as in the web process: a soft time limit of `--timeout`
(the job is stopped, its pandoc/typst child killed by the writer, the draft failed) and a
hard limit a little later; pandoc and typst keep their own memory caps. Worker processes
stay warm (pipeline, writers and templates loaded once) and die with their parent.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from celery import Celery, signals
from celery.exceptions import Reject, SoftTimeLimitExceeded
from sqlalchemy.exc import SQLAlchemyError

from publisher.errors import PublishError
from publisher.pipeline import build_document
from publisher.service.config import visibility_timeout
from publisher.service.convert import render_kind
from publisher.service.jobs import JobSettings, Unavailable, finish_job, run_job, took_too_long
from publisher.service.lifetime import die_with_parent
from publisher.service.store import DraftStore, StoreError

log = logging.getLogger("publisher.service")
CONVERT, RENDER = "publisher.convert", "publisher.render"
HARD_LIMIT_GRACE = 30.0  # seconds after the soft limit before the process itself is killed
DB_RETRY_PAUSE = 2.0  # seconds before a job whose database was unreachable goes back to the queue
SEND_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1.0}


@dataclass
class WorkerState:
    """Per process: one store (its own connections: never shared across fork) and the limits."""

    data: Path | None = None
    settings: JobSettings | None = None
    store: DraftStore | None = None
    pid: int = 0

    def get_store(self) -> DraftStore:
        if self.store is None or self.pid != os.getpid():
            self.store, self.pid = DraftStore(self.data, None), os.getpid()
        return self.store


STATE = WorkerState()


def make_celery(broker: str, timeout: float) -> Celery:
    app = Celery("publisher", broker=broker, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_soft_time_limit=timeout,
        task_time_limit=timeout + HARD_LIMIT_GRACE,
        broker_transport_options={"visibility_timeout": visibility_timeout(timeout)},
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        broker_connection_timeout=5,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        task_default_queue="publisher",
    )
    app.task(name=CONVERT, bind=True)(_convert_task)
    app.task(name=RENDER, bind=True)(_render_task)
    return app


def _convert_task(task: Any, draft_id: str) -> None:
    assert STATE.settings is not None
    store = _store_or_requeue()
    try:
        run_job(store, draft_id, STATE.settings)
    except SoftTimeLimitExceeded:
        job = store.claim(draft_id)
        if job is not None:
            finish_job(store, job, f"{job.source}: {took_too_long(STATE.settings.timeout)}")
    except SQLAlchemyError:
        _requeue(draft_id)


def _render_task(task: Any, draft_id: str, kind: str) -> None:
    assert STATE.settings is not None
    store = _store_or_requeue()
    try:
        draft = store.get(draft_id)
        if draft is None or draft.document == "" or store.output(draft_id, kind) is not None:
            return
        store.put_output(draft_id, kind, render_kind(draft.document, kind, STATE.settings.timeout))
    except SQLAlchemyError:
        _requeue(draft_id)
    except SoftTimeLimitExceeded:
        log.warning("render took too long", extra={"draft_id": draft_id, "kind": kind})
    except PublishError as exc:  # the waiting web node answers 504 at its timeout
        log.warning("render failed", extra={"draft_id": draft_id, "kind": kind, "reason": str(exc)})


def _store_or_requeue() -> DraftStore:
    try:
        return STATE.get_store()
    except StoreError:
        _requeue(None)
        raise  # unreachable: _requeue raises


def _requeue(draft_id: str | None) -> None:
    log.warning("database unreachable: job goes back to the queue", extra={"draft_id": draft_id})
    time.sleep(DB_RETRY_PAUSE)
    raise Reject("database unreachable", requeue=True)


@signals.worker_process_init.connect
def _init_process(**_: Any) -> None:
    die_with_parent()
    from publisher.service.workers import _warm

    _warm()


def run_worker(broker: str, *, concurrency: int, data: Path, max_bytes: int, timeout: float, log_level: str) -> int:
    STATE.data = data
    STATE.settings = JobSettings(max_bytes, timeout, build_document)
    app = make_celery(broker, timeout)
    argv = ["worker", f"--concurrency={concurrency}", "--pool=prefork", f"--loglevel={log_level.upper()}",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", "publisher",
            "--hostname", f"publisher-{os.getpid()}@%h"]
    app.worker_main(argv)
    return 0


class CeleryJobs:
    """The web node's side: send job ids to the broker (503 when it cannot be reached)."""

    remote = True

    def __init__(self, broker: str, timeout: float):
        self.app = make_celery(broker, timeout)

    def _send(self, name: str, args: list[Any]) -> None:
        self.app.send_task(name, args=args, queue="publisher", retry=True, retry_policy=SEND_POLICY)

    async def submit(self, draft_ids: list[str]) -> None:

        def send_all() -> None:
            for draft_id in draft_ids:
                self._send(CONVERT, [draft_id])

        await self._in_thread(send_all)

    async def render(self, draft_id: str, kind: str) -> None:
        await self._in_thread(lambda: self._send(RENDER, [draft_id, kind]))

    @staticmethod
    async def _in_thread(fn: Any) -> None:
        try:
            await asyncio.to_thread(fn)
        except Exception as exc:  # kombu/redis raise many kinds; all mean "the broker is away"
            log.warning("broker unreachable", extra={"reason": f"{type(exc).__name__}: {str(exc)[:200]}"})
            raise Unavailable("broker") from exc


def ping_broker(broker: str) -> None:
    import redis

    client = redis.Redis.from_url(broker, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
