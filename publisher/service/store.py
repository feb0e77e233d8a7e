"""Where drafts live: one SQLite database for drafts and their JSON model, rendered files
beside it, all under one data folder.

A draft is committed to SQLite (synchronous=FULL) before the upload is answered, and every
rendered file is written atomically (temporary name, fsync, rename), so a server killed at
any moment loses no draft it has acknowledged and never serves half a file.

Ids come only from the server (`secrets.token_urlsafe(16)`) and are checked against ID_RE
before any query or file access: a file name is an id plus a fixed suffix from SUFFIXES,
so no request can name a path of its own.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from publisher.model import Document

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
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    language TEXT NOT NULL,
    source TEXT NOT NULL,
    created TEXT NOT NULL,
    document TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Draft:
    id: str
    title: str
    language: str
    source: str
    created: str  # ISO 8601, UTC
    document: str  # the JSON model, exactly as the json writer made it


def is_valid_id(draft_id: str) -> bool:
    return ID_RE.fullmatch(draft_id) is not None


class DraftStore:
    """Drafts in `<data>/drafts.sqlite3`, rendered files in `<data>/files/`."""

    def __init__(self, data_dir: Path):
        self.root = Path(data_dir)
        self.files = self.root / "files"
        self.files.mkdir(parents=True, exist_ok=True)
        self.db_path = self.root / "drafts.sqlite3"
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(SCHEMA)
        self._remove_leftovers()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # One short-lived connection per operation: SQLite connections are cheap, and
        # this keeps the store safe to use from any worker thread without a shared lock.
        with closing(sqlite3.connect(self.db_path, timeout=30.0)) as db:
            db.execute("PRAGMA synchronous=FULL")
            with db:  # commit on success, roll back on error
                yield db

    def _remove_leftovers(self) -> None:
        """Temporary files of writes that a crash interrupted (never renamed into place)."""
        for tmp in self.files.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)

    def add(self, doc: Document, document_json: str, source: str) -> Draft:
        draft = Draft(
            id=secrets.token_urlsafe(16),
            title=doc.title,
            language=doc.language,
            source=source,
            created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            document=document_json,
        )
        with self._connect() as db:
            db.execute(
                "INSERT INTO drafts (id, title, language, source, created, document) VALUES (?, ?, ?, ?, ?, ?)",
                (draft.id, draft.title, draft.language, draft.source, draft.created, draft.document),
            )
        return draft

    def get(self, draft_id: str) -> Draft | None:
        if not is_valid_id(draft_id):
            return None
        with self._connect() as db:
            row = db.execute(
                "SELECT id, title, language, source, created, document FROM drafts WHERE id = ?", (draft_id,)
            ).fetchone()
        return Draft(*row) if row else None

    def exists(self, draft_id: str) -> bool:
        if not is_valid_id(draft_id):
            return False
        with self._connect() as db:
            return db.execute("SELECT 1 FROM drafts WHERE id = ?", (draft_id,)).fetchone() is not None

    def delete(self, draft_id: str) -> bool:
        """Remove the draft and its rendered files; False when there was no such draft."""
        if not is_valid_id(draft_id):
            return False
        with self._connect() as db:
            gone = db.execute("DELETE FROM drafts WHERE id = ?", (draft_id,)).rowcount > 0
        for kind in SUFFIXES:
            self.file_path(draft_id, kind).unlink(missing_ok=True)
        return gone

    def file_path(self, draft_id: str, kind: str) -> Path:
        if not is_valid_id(draft_id):
            raise ValueError("not a draft id")
        return self.files / (draft_id + SUFFIXES[kind])
