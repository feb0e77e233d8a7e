"""Drafts as the service sees them: make one from a record, render its outputs on demand.

The record is converted once to the JSON model kept in the store; every output is rendered
from that model the first time someone asks for it, then kept, so later downloads cost a
read. Conversions run in the web process's worker processes (workers.py) or, with a broker,
in Celery workers (tasks.py); either way never on the event loop, and store calls run in
threads. A database or broker that cannot be reached becomes Unavailable (503).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from publisher.pipeline import build_document
from publisher.service import tables as t
from publisher.service.convert import OUTPUTS, Builder, convert, render_kind
from publisher.service.jobs import Jobs, Unavailable, db_call
from publisher.service.store import Batch, Draft, DraftStore
from publisher.service.workers import ConversionPool, Slot, TimedOut

__all__ = ["OUTPUTS", "DraftGone", "DraftFailed", "Drafts", "NotReady", "Unavailable"]

T = TypeVar("T")
POLL = 0.2  # seconds between looks at the store while a Celery worker converts


class DraftGone(Exception):
    """No draft has this id (never had, or it was deleted)."""


class NotReady(Exception):
    """The draft is still queued or being converted."""

    def __init__(self, draft: Draft):
        super().__init__(draft.status)
        self.draft = draft


class DraftFailed(Exception):
    """The draft's record could not be converted; the reason is one line."""


class Drafts:
    def __init__(self, store: DraftStore, pool: ConversionPool, jobs: Jobs, max_bytes: int,
                 builder: Builder = build_document):
        self.store = store
        self.pool = pool
        self.jobs = jobs
        self.max_bytes = max_bytes
        self.builder = builder
        self.timeout = pool.timeout
        self._rendering: dict[tuple[str, str], asyncio.Future[bytes]] = {}

    async def db(self, fn: Callable[..., T], *args: Any) -> T:
        return await db_call(fn, *args)

    # ------------------------------------------------------------------ upload
    async def create(self, data: bytes, source: str, slot: Slot, kinds: Sequence[str] = ()) -> Draft:
        """Convert a record and keep it; PublishError for a record that cannot be read.
        Nothing is stored when the conversion fails or times out."""
        if self.jobs.remote:
            slot.release()  # the work happens on a worker; this request only waits
            (draft,) = await self.db(self.store.add_queued, [(data, source)], kinds)
            await self.jobs.submit([draft.id])
            return await self._wait(draft.id)
        converted = await self.pool.run(convert, data, source, self.max_bytes, tuple(kinds), self.timeout,
                                        self.builder, slot=slot)
        return await self.db(self.store.add, converted, converted.document_json, source,
                             converted.outputs)

    async def enqueue(self, data: bytes, source: str, kinds: Sequence[str] = ()) -> Draft:
        """Keep the record and convert it in the background (Prefer: respond-async)."""
        (draft,) = await self.db(self.store.add_queued, [(data, source)], kinds)
        await self.jobs.submit([draft.id])
        return draft

    async def create_batch(self, records: list[tuple[bytes, str]], kinds: tuple[str, ...],
                           callback_url: str | None) -> Batch:
        batch_id, drafts = await self.db(self.store.add_batch, records, kinds, callback_url)
        await self.jobs.submit([d.id for d in drafts])
        batch = await self.batch(batch_id)
        assert batch is not None
        return batch

    async def batch(self, batch_id: str) -> Batch | None:
        return await self.db(self.store.batch, batch_id)

    async def _wait(self, draft_id: str) -> Draft:
        """A draft a Celery worker converts, once done; on time-out it is deleted, so a result
        arriving late is not stored (the worker's finish finds no draft)."""
        deadline = asyncio.get_running_loop().time() + self.timeout
        while asyncio.get_running_loop().time() < deadline:
            draft = await self.db(self.store.get, draft_id)
            if draft is None:
                raise DraftGone
            if draft.status == t.DONE:
                return draft
            if draft.status == t.FAILED:
                await self.db(self.store.delete, draft_id)
                raise DraftFailed(draft.error or "the conversion failed")
            await asyncio.sleep(POLL)
        await self.db(self.store.delete, draft_id)
        raise TimedOut

    # ------------------------------------------------------------------ reading
    async def get(self, draft_id: str) -> Draft:
        """A finished draft; DraftGone, NotReady or DraftFailed otherwise."""
        draft = await self.db(self.store.get, draft_id)
        if draft is None:
            raise DraftGone
        if draft.status in (t.QUEUED, t.RUNNING):
            raise NotReady(draft)
        if draft.status == t.FAILED:
            raise DraftFailed(draft.error or "the conversion failed")
        return draft

    async def delete(self, draft_id: str) -> None:
        if not await self.db(self.store.delete, draft_id):
            raise DraftGone

    async def output(self, draft_id: str, kind: str) -> bytes:
        """The rendered output, kept from before or rendered now (once, however many ask)."""
        draft = await self.get(draft_id)
        data = await self.db(self.store.output, draft_id, kind)
        if data is not None:
            return data
        key = (draft_id, kind)
        if key in self._rendering:
            return await asyncio.shield(self._rendering[key])
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._rendering[key] = future
        try:
            data = await self._render(draft, kind)
            future.set_result(data)
            return data
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody else waited
            raise
        finally:
            del self._rendering[key]

    async def _render(self, draft: Draft, kind: str) -> bytes:
        if self.jobs.remote:
            await self.jobs.render(draft.id, kind)
            deadline = asyncio.get_running_loop().time() + self.timeout
            while asyncio.get_running_loop().time() < deadline:
                data = await self.db(self.store.output, draft.id, kind)
                if data is not None:
                    return data
                if not await self.db(self.store.exists, draft.id):
                    raise DraftGone
                await asyncio.sleep(POLL)
            raise TimedOut
        data = await self.pool.run(render_kind, draft.document, kind, self.timeout)
        if not await self.db(self.store.put_output, draft.id, kind, data):
            raise DraftGone  # deleted while rendering: nothing kept
        return data
