"""Drafts as the service sees them: make one from a record, render its outputs on demand.

The record is converted once, on upload, to the JSON model kept in the store; every
output format is rendered from that model the first time someone asks for it and kept as
a file, so later downloads cost a file read. All conversion work runs in the bounded pool.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import anyio

from publisher.formats import FORMATS
from publisher.model import Document
from publisher.pipeline import BuildOptions, build_document
from publisher.render import RenderOptions, render
from publisher.render.outputs import write_output
from publisher.schema import document_from_dict
from publisher.service.store import Draft, DraftStore
from publisher.service.workers import ConversionPool

Builder = Callable[..., Document]  # build_document(source, name=..., options=...)


@dataclass(frozen=True)
class OutputKind:
    format: str  # writer name in publisher.render.FORMATS
    media_type: str
    extension: str  # for the download's file name
    fragment: bool = False


# The outputs a draft offers, by the name used in URLs.
OUTPUTS: dict[str, OutputKind] = {
    name: OutputKind(name, FORMATS[name].media_type, FORMATS[name].extension)
    for name in ("docx", "pdf", "html", "md", "jats")
}
OUTPUTS["fragment"] = OutputKind("html", FORMATS["html"].media_type, ".html", fragment=True)
JSON_MEDIA_TYPE = FORMATS["json"].media_type

# Renders of the same output are serialised through one of these locks (chosen by hash),
# so a burst of first downloads renders a file once, not once per request.
_STRIPES = [threading.Lock() for _ in range(64)]


class DraftGone(Exception):
    """No draft has this id (never had, or it was deleted)."""


class Drafts:
    def __init__(self, store: DraftStore, pool: ConversionPool, max_bytes: int,
                 builder: Builder = build_document):
        self.store = store
        self.pool = pool
        self.max_bytes = max_bytes
        self.builder = builder
        self.render_options = RenderOptions(timeout=pool.timeout)

    # ------------------------------------------------------------------ upload
    async def create(self, data: bytes, source: str) -> Draft:
        """Convert a record and keep it; PublishError for a record that cannot be read."""
        return await self.pool.run(self._create, data, source)

    def _create(self, data: bytes, source: str) -> Draft:
        # Always bytes: an upload must never be able to name a file on the server.
        doc = self.builder(data, name=source, options=BuildOptions(max_bytes=self.max_bytes))
        document_json = render(doc, "json").value.decode("utf-8")  # type: ignore[union-attr]
        return self.store.add(doc, document_json, source)

    # ------------------------------------------------------------------ reading
    async def get(self, draft_id: str) -> Draft:
        draft = await anyio.to_thread.run_sync(self.store.get, draft_id)
        if draft is None:
            raise DraftGone
        return draft

    async def delete(self, draft_id: str) -> None:
        if not await anyio.to_thread.run_sync(self.store.delete, draft_id):
            raise DraftGone

    async def output(self, draft_id: str, kind: str) -> bytes:
        """The rendered output, from its file, rendering it first if nobody asked before."""
        if not self.store.exists(draft_id):
            raise DraftGone
        path = self.store.file_path(draft_id, kind)
        try:
            return await anyio.to_thread.run_sync(path.read_bytes)
        except FileNotFoundError:
            pass
        return await self.pool.run(self._render, draft_id, kind, path)

    def _render(self, draft_id: str, kind: str, path: Path) -> bytes:
        with _STRIPES[hash((draft_id, kind)) % len(_STRIPES)]:
            try:
                return path.read_bytes()  # rendered while this request waited for the lock
            except FileNotFoundError:
                pass
            draft = self.store.get(draft_id)
            if draft is None:
                raise DraftGone
            spec = OUTPUTS[kind]
            doc = document_from_dict(json.loads(draft.document))
            data = render(doc, spec.format, replace(self.render_options, fragment=spec.fragment)).value
            assert isinstance(data, bytes)  # every format offered here is a single file
            write_output(path, data)
        if not self.store.exists(draft_id):
            # Deleted while rendering: do not leave its file behind.
            path.unlink(missing_ok=True)
            raise DraftGone
        return data
