"""Background conversions: drafts stored as `queued` (a batch, or an upload sent with
`Prefer: respond-async`) and converted later, by the web process's own worker processes
(LocalJobs) or by Celery workers (tasks.CeleryJobs, when PUBLISHER_BROKER_URL is set).

A job is only a draft id: the record waits in the store, so a job handed out twice (a
worker killed mid-job, a message redelivered) converts the same record into the same bytes
and stores them once (`DraftStore.claim/finish`). When the last draft of a batch is done,
exactly one finisher POSTs the batch summary to its callback URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import anyio
import httpx
from sqlalchemy.exc import SQLAlchemyError

from publisher.errors import PublishError
from publisher.service import tables as t
from publisher.service.convert import Builder, Converted, convert
from publisher.service.workers import Saturated, TimedOut, WorkerDied

if TYPE_CHECKING:
    from publisher.service.store import Batch, DraftStore, Job
    from publisher.service.workers import ConversionPool

log = logging.getLogger("publisher.service")
T = TypeVar("T")
CALLBACK_TIMEOUT = 10.0  # seconds for the CMS to take a batch summary
CALLBACK_TRIES = 3


class Unavailable(Exception):
    """The database or the broker cannot be reached right now (503; try again)."""


async def db_call(fn: Callable[..., T], *args: Any) -> T:
    """A store call in a thread (never on the event loop); an unreachable database is Unavailable."""
    from publisher.service.migrate import StoreError

    try:
        return await anyio.to_thread.run_sync(fn, *args)
    except (SQLAlchemyError, StoreError) as exc:
        raise Unavailable("database") from exc


class Jobs(Protocol):
    remote: bool

    async def submit(self, draft_ids: list[str]) -> None: ...

    async def render(self, draft_id: str, kind: str) -> None: ...


@dataclass(frozen=True)
class JobSettings:
    max_bytes: int
    timeout: float
    builder: Builder


def took_too_long(timeout: float) -> str:
    return f"the conversion took longer than {timeout:g} s and was stopped"


def finish_job(store: DraftStore, job: Job, outcome: Converted | str) -> None:
    """Keep a job's result (or its one-line failure) and tell the batch's CMS when it is done."""
    if isinstance(outcome, str):
        kept = store.fail(job.id, outcome)
        log.info("conversion failed", extra={"draft_id": job.id, "reason": outcome})
    else:
        kept = store.finish(job.id, outcome, outcome.document_json, outcome.outputs)
        log.info("conversion done", extra={"draft_id": job.id, "stored": kept})
    draft = store.get(job.id)
    if draft is not None and draft.batch_id:
        notify_if_finished(store, draft.batch_id)


def run_job(store: DraftStore, draft_id: str, settings: JobSettings) -> None:
    """Convert one queued draft in this process (a Celery worker); a no-op when it is done."""
    job = store.claim(draft_id)
    if job is None:
        log.info("nothing to do: draft finished or deleted", extra={"draft_id": draft_id})
        return
    try:
        outcome: Converted | str = convert(job.record, job.source, settings.max_bytes, job.formats,
                                           settings.timeout, settings.builder)
    except PublishError as exc:
        outcome = str(exc)
    finish_job(store, job, outcome)


def batch_summary(batch: Batch) -> dict[str, Any]:
    counts = {status: batch.counts.get(status, 0) for status in t.STATUSES}
    documents = []
    for d in batch.drafts:
        item: dict[str, Any] = {"id": d.id, "name": d.source, "status": d.status}
        if d.error:
            item["error"] = d.error
        documents.append(item)
    return {"id": batch.id, "total": batch.total, **counts, "documents": documents,
            "links": {"self": f"/api/v1/batches/{batch.id}", "page": f"/b/{batch.id}"}}


def notify_if_finished(store: DraftStore, batch_id: str) -> None:
    batch = store.batch(batch_id)
    if batch is None or not batch.finished or not batch.callback_url:
        return
    if not store.claim_notification(batch_id):
        return  # another finisher sends it
    body = batch_summary(batch)
    for attempt in range(1, CALLBACK_TRIES + 1):
        try:
            response = httpx.post(batch.callback_url, json=body, timeout=CALLBACK_TIMEOUT)
            log.info("batch callback sent", extra={"batch_id": batch_id, "status": response.status_code})
            return
        except httpx.HTTPError as exc:
            log.warning("batch callback failed", extra={"batch_id": batch_id, "attempt": attempt,
                                                         "reason": str(exc)[:200]})
    log.error("batch callback given up", extra={"batch_id": batch_id})


class LocalJobs:
    """Queued drafts converted in the web process's worker pool, a few at a time so that
    interactive uploads still find room; unfinished drafts are picked up again on start."""

    remote = False

    def __init__(self, store: DraftStore, pool: ConversionPool, settings: JobSettings):
        self.store = store
        self.pool = pool
        self.settings = settings
        self.db = db_call
        self._queue: asyncio.Queue[str] | None = None
        self._consumers: list[asyncio.Task[None]] = []

    async def submit(self, draft_ids: list[str]) -> None:
        queue = self._ensure_started()
        for draft_id in draft_ids:
            queue.put_nowait(draft_id)

    async def render(self, draft_id: str, kind: str) -> None:  # pragma: no cover - local renders inline
        raise NotImplementedError

    async def resume(self) -> None:
        """Drafts left unfinished by a stopped server."""
        left = await self.db(self.store.unfinished)
        if left:
            log.info("resuming unfinished drafts", extra={"count": len(left)})
            await self.submit(left)

    def _ensure_started(self) -> asyncio.Queue[str]:
        if self._queue is None:
            self._queue = asyncio.Queue()
            self._consumers = [asyncio.create_task(self._consume(self._queue)) for _ in range(self.pool.workers)]
        return self._queue

    async def _consume(self, queue: asyncio.Queue[str]) -> None:
        while True:
            draft_id = await queue.get()
            try:
                await self._run(draft_id)
            except Exception:
                log.exception("background conversion failed", extra={"draft_id": draft_id})

    async def _run(self, draft_id: str) -> None:
        job = await self.db(self.store.claim, draft_id)
        if job is None:
            return
        while True:  # a batch waits for room instead of being refused
            try:
                slot = self.pool.reserve()
                break
            except Saturated:
                await asyncio.sleep(0.25)
        s = self.settings
        try:
            outcome: Converted | str = await self.pool.run(convert, job.record, job.source, s.max_bytes,
                                                           job.formats, s.timeout, s.builder, slot=slot)
        except PublishError as exc:
            outcome = str(exc)
        except TimedOut:
            outcome = f"{job.source}: {took_too_long(s.timeout)}"
        except (WorkerDied, RuntimeError) as exc:
            outcome = f"{job.source}: {exc}"
        await self.db(finish_job, self.store, job, outcome)

    async def close(self) -> None:
        for task in self._consumers:
            task.cancel()
        for task in self._consumers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
