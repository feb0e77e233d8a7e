"""The store's tables, as SQLAlchemy Core metadata (the migrations in migrations/ build them).

A draft is a row from the moment its record is accepted: `queued` while a worker has not
taken it, `running`, then `done` (its JSON model stored) or `failed` (a one-line reason).
`record` holds the upload until the draft is done, so any worker can (re)do the job.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATUSES = (QUEUED, RUNNING, DONE, FAILED)

drafts = Table(
    "drafts",
    metadata,
    Column("id", Text, primary_key=True),
    Column("title", Text, nullable=False),
    Column("language", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("created", Text, nullable=False),
    Column("document", Text, nullable=False),
    Column("status", String(16), nullable=False, server_default=DONE),
    Column("error", Text),
    Column("record", LargeBinary),
    Column("formats", Text, nullable=False, server_default=""),
    Column("batch_id", Text),
    Column("updated", Text),
    Column("position", Integer),
    Index("ix_drafts_batch_id", "batch_id"),
)

# rendered files, when they live in the database (PostgreSQL); SQLite keeps them beside it
outputs = Table(
    "outputs",
    metadata,
    Column("draft_id", Text, ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

batches = Table(
    "batches",
    metadata,
    Column("id", Text, primary_key=True),
    Column("created", Text, nullable=False),
    Column("total", Integer, nullable=False),
    Column("formats", Text, nullable=False),
    Column("callback_url", Text),
    Column("notified", Integer, nullable=False, server_default="0"),
)
