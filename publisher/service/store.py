"""Where drafts live: one database (SQLite in the data folder by default, PostgreSQL when
PUBLISHER_DATABASE_URL says so) for drafts, batches and their JSON model; rendered files
beside SQLite in `files/`, or in the database's `outputs` table, so that any web node can
serve any draft.

A draft is committed (SQLite: synchronous=FULL) before the upload is answered, and every
rendered file is written atomically (a row, or a temporary name renamed into place), so a
server killed at any moment loses no draft it has acknowledged and never serves half a file.

Ids come only from the server (`secrets.token_urlsafe(16)`) and are checked against ID_RE
before any query or file access: a file name is an id plus a fixed suffix from SUFFIXES,
so no request can name a path of its own.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, create_engine, delete, event, func, insert, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from publisher.render.outputs import write_output
from publisher.service import tables as t
from publisher.service.config import database_url, redacted
from publisher.service.migrate import StoreError, check_schema, upgrade

# token_urlsafe(16): 16 random bytes -> 22 characters of the URL-safe base64 alphabet.
ID_RE = re.compile(r"[A-Za-z0-9_-]{22}")

# kind of stored output -> file name suffix after the id
SUFFIXES: dict[str, str] = {
    "docx": ".docx",
    "pdf": ".pdf",
    "html": ".html",
    "md": ".md",
    "jats": ".jats.xml",
    "fragment": ".fragment.html",
    "review-docx": ".review.docx",
    "annotated": ".annotated.html",
}

__all__ = ["ID_RE", "SUFFIXES", "Batch", "Draft", "DraftStore", "Job", "StoreError", "is_valid_id", "new_id"]


class Titled(Protocol):
    """What the store keeps of a document beside its JSON: a Document, or a conversion's Converted."""

    @property
    def title(self) -> str: ...

    @property
    def language(self) -> str: ...


@dataclass(frozen=True)
class Draft:
    id: str
    title: str
    language: str
    source: str
    created: str  # ISO 8601, UTC
    document: str  # the JSON model, exactly as the json writer made it ("" until done)
    status: str = t.DONE
    error: str | None = None
    batch_id: str | None = None


@dataclass(frozen=True)
class Job:
    """What a worker needs to convert a queued draft."""

    id: str
    record: bytes
    source: str
    formats: tuple[str, ...]


@dataclass(frozen=True)
class Batch:
    id: str
    created: str
    total: int
    formats: tuple[str, ...]
    callback_url: str | None
    counts: dict[str, int]  # status -> drafts
    drafts: list[Draft]

    @property
    def finished(self) -> bool:
        return self.counts.get(t.DONE, 0) + self.counts.get(t.FAILED, 0) >= self.total


DRAFT_COLUMNS = (t.drafts.c.id, t.drafts.c.title, t.drafts.c.language, t.drafts.c.source, t.drafts.c.created,
                 t.drafts.c.document, t.drafts.c.status, t.drafts.c.error, t.drafts.c.batch_id)


def is_valid_id(draft_id: str) -> bool:
    return ID_RE.fullmatch(draft_id) is not None


def new_id() -> str:
    return secrets.token_urlsafe(16)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30.0})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    # pre_ping: a connection that died with a database restart is replaced, not handed out
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, pool_timeout=10,
                         connect_args={"connect_timeout": 5})


class DraftStore:
    """Drafts in the database at `url` (default: `<data>/drafts.sqlite3`); rendered files in
    `<data>/files/` beside SQLite, in the `outputs` table otherwise."""

    def __init__(self, data_dir: Path | None = None, url: str | None = None):
        self.url = database_url(data_dir, url)
        self.is_sqlite = self.url.startswith("sqlite")
        try:
            self.engine = make_engine(self.url)
            if self.is_sqlite:
                assert data_dir is not None
                self.root = Path(data_dir)
                self.files: Path | None = self.root / "files"
                self.files.mkdir(parents=True, exist_ok=True)
                upgrade(self.engine)  # nothing to run by hand for the embedded default
                self._remove_leftovers()
            else:
                self.files = None
                check_schema(self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"{redacted(self.url)}: {_first_line(exc)}") from None

    def describe(self) -> str:
        return redacted(self.url)

    def _remove_leftovers(self) -> None:
        """Temporary files of writes that a crash interrupted (never renamed into place)."""
        assert self.files is not None
        for tmp in self.files.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)

    def ping(self) -> None:
        with self.engine.connect() as db:
            db.execute(text("SELECT 1"))

    # ------------------------------------------------------------------ drafts
    def add(self, doc: Titled, document_json: str, source: str, outputs: Mapping[str, bytes] | None = None) -> Draft:
        """A finished draft (converted in this request); its id is new."""
        draft = Draft(new_id(), doc.title, doc.language, source, now(), document_json)
        with self.engine.begin() as db:
            db.execute(insert(t.drafts).values(
                id=draft.id, title=draft.title, language=draft.language, source=draft.source,
                created=draft.created, document=draft.document, status=t.DONE, updated=draft.created))
            self._put_outputs(db, draft.id, outputs or {})
        return draft

    def add_queued(self, records: list[tuple[bytes, str]], formats: Iterable[str],
                   batch_id: str | None = None) -> list[Draft]:
        """Drafts for records a worker will convert, committed together."""
        created, fmt = now(), ",".join(formats)
        drafts = [Draft(new_id(), "", "", source, created, "", t.QUEUED, None, batch_id) for _, source in records]
        rows = [dict(id=d.id, title="", language="", source=d.source, created=created, document="",
                     status=t.QUEUED, record=data, formats=fmt, batch_id=batch_id, updated=created, position=i)
                for i, (d, (data, _)) in enumerate(zip(drafts, records, strict=True))]
        if rows:
            with self.engine.begin() as db:
                db.execute(insert(t.drafts), rows)
        return drafts

    def get(self, draft_id: str) -> Draft | None:
        """A draft in any state; None for an unknown id."""
        if not is_valid_id(draft_id):
            return None
        with self.engine.connect() as db:
            row = db.execute(select(*DRAFT_COLUMNS).where(t.drafts.c.id == draft_id)).first()
        return Draft(*row) if row else None

    def exists(self, draft_id: str) -> bool:
        if not is_valid_id(draft_id):
            return False
        with self.engine.connect() as db:
            return db.execute(select(t.drafts.c.id).where(t.drafts.c.id == draft_id)).first() is not None

    def delete(self, draft_id: str) -> bool:
        """Remove the draft and its rendered files; False when there was no such draft."""
        if not is_valid_id(draft_id):
            return False
        with self.engine.begin() as db:
            db.execute(delete(t.outputs).where(t.outputs.c.draft_id == draft_id))
            gone = db.execute(delete(t.drafts).where(t.drafts.c.id == draft_id)).rowcount > 0
        if self.files is not None:
            for kind in SUFFIXES:
                self.file_path(draft_id, kind).unlink(missing_ok=True)
        return gone

    # ------------------------------------------------------------------ jobs
    def claim(self, draft_id: str) -> Job | None:
        """The job of a queued (or interrupted) draft, now marked running; None when the
        draft is done, failed or gone (a redelivered job then has nothing to do)."""
        with self.engine.begin() as db:
            row = db.execute(select(t.drafts.c.record, t.drafts.c.source, t.drafts.c.formats)
                             .where(t.drafts.c.id == draft_id, t.drafts.c.status.in_((t.QUEUED, t.RUNNING)))).first()
            if row is None:
                return None
            db.execute(update(t.drafts).where(t.drafts.c.id == draft_id).values(status=t.RUNNING, updated=now()))
        formats = tuple(f for f in row.formats.split(",") if f)
        return Job(draft_id, row.record or b"", row.source, formats)

    def finish(self, draft_id: str, doc: Titled, document_json: str, outputs: Mapping[str, bytes]) -> bool:
        """Store a job's result, once: False when the draft was finished or deleted meanwhile.
        A redone job stores the same bytes under the same keys."""
        with self.engine.begin() as db:
            done = db.execute(
                update(t.drafts)
                .where(t.drafts.c.id == draft_id, t.drafts.c.status.in_((t.QUEUED, t.RUNNING)))
                .values(status=t.DONE, title=doc.title, language=doc.language, document=document_json,
                        record=None, error=None, updated=now())
            ).rowcount > 0
            if done:
                self._put_outputs(db, draft_id, outputs)
        return done

    def fail(self, draft_id: str, reason: str) -> bool:
        with self.engine.begin() as db:
            return db.execute(
                update(t.drafts)
                .where(t.drafts.c.id == draft_id, t.drafts.c.status.in_((t.QUEUED, t.RUNNING)))
                .values(status=t.FAILED, error=reason, record=None, updated=now())
            ).rowcount > 0

    def unfinished(self) -> list[str]:
        """Ids of drafts still queued or running (to resume after a restart)."""
        with self.engine.connect() as db:
            rows = db.execute(select(t.drafts.c.id).where(t.drafts.c.status.in_((t.QUEUED, t.RUNNING)))
                              .order_by(t.drafts.c.created, t.drafts.c.position)).all()
        return [r.id for r in rows]

    # ------------------------------------------------------------------ outputs
    def file_path(self, draft_id: str, kind: str) -> Path:
        if not is_valid_id(draft_id):
            raise ValueError("not a draft id")
        assert self.files is not None, "rendered files live in the database"
        return self.files / (draft_id + SUFFIXES[kind])

    def output(self, draft_id: str, kind: str) -> bytes | None:
        if not is_valid_id(draft_id):
            return None
        if self.files is not None:
            try:
                return self.file_path(draft_id, kind).read_bytes()
            except FileNotFoundError:
                return None
        with self.engine.connect() as db:
            row = db.execute(select(t.outputs.c.data).where(t.outputs.c.draft_id == draft_id,
                                                            t.outputs.c.kind == kind)).first()
        return bytes(row.data) if row else None

    def put_output(self, draft_id: str, kind: str, data: bytes) -> bool:
        """Keep a rendered file; False (and nothing kept) when the draft is gone."""
        with self.engine.begin() as db:
            if db.execute(select(t.drafts.c.id).where(t.drafts.c.id == draft_id)).first() is None:
                return False
            self._put_outputs(db, draft_id, {kind: data})
        if self.files is not None and not self.exists(draft_id):
            # deleted while the file was written: do not leave it behind
            self.file_path(draft_id, kind).unlink(missing_ok=True)
            return False
        return True

    def _put_outputs(self, db: Any, draft_id: str, outputs: Mapping[str, bytes]) -> None:
        for kind, data in outputs.items():
            if self.files is not None:
                write_output(self.file_path(draft_id, kind), data)
                continue
            # idempotent: a redone job overwrites the same key with the same bytes
            db.execute(delete(t.outputs).where(t.outputs.c.draft_id == draft_id, t.outputs.c.kind == kind))
            db.execute(insert(t.outputs).values(draft_id=draft_id, kind=kind, data=data))

    # ------------------------------------------------------------------ batches
    def add_batch(self, records: list[tuple[bytes, str]], formats: tuple[str, ...],
                  callback_url: str | None) -> tuple[str, list[Draft]]:
        batch_id = new_id()
        with self.engine.begin() as db:
            db.execute(insert(t.batches).values(id=batch_id, created=now(), total=len(records),
                                                formats=",".join(formats), callback_url=callback_url))
        return batch_id, self.add_queued(records, formats, batch_id)

    def batch(self, batch_id: str) -> Batch | None:
        if not is_valid_id(batch_id):
            return None
        with self.engine.connect() as db:
            row = db.execute(select(t.batches).where(t.batches.c.id == batch_id)).first()
            if row is None:
                return None
            drafts = [Draft(*r) for r in db.execute(
                select(*DRAFT_COLUMNS).where(t.drafts.c.batch_id == batch_id).order_by(t.drafts.c.position))]
            counts: dict[str, int] = dict(db.execute(select(t.drafts.c.status, func.count()).where(t.drafts.c.batch_id == batch_id)
                                     .group_by(t.drafts.c.status)).all())
        formats = tuple(f for f in row.formats.split(",") if f)
        return Batch(row.id, row.created, row.total, formats, row.callback_url, counts, drafts)

    def claim_notification(self, batch_id: str) -> bool:
        """True for exactly one caller once the batch is finished: it sends the callback."""
        with self.engine.begin() as db:
            return db.execute(update(t.batches).where(t.batches.c.id == batch_id, t.batches.c.notified == 0)
                              .values(notified=1)).rowcount > 0


def _first_line(exc: BaseException) -> str:
    text_ = str(getattr(exc, "orig", None) or exc)
    return (text_.strip().splitlines() or [type(exc).__name__])[0][:300]
