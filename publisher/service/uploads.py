"""Getting records out of a request: the raw body, or a form's `file` field(s), or (from the
authors' page) a `text` field with the record pasted in; for a batch, many `file` fields or
one zip/tar.gz archive.

The body passes the size limit middleware, which counts while reading: nothing over the
limit is ever held.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from publisher.errors import InputError
from publisher.service.archives import MAX_MEMBERS, is_archive, unpack
from publisher.service.language import W_

MULTIPART = ("multipart/form-data",)
PAGE_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
PASTED = W_("pasted text")  # the source name of a record pasted into the form
RAW = W_("upload")  # ... and of the body itself (the API's, or a form that is not one)
ARCHIVE_EXPANSION = 10  # an archive may unpack to this many times the body limit


def source_name(filename: str | None) -> str:
    """The client's file name, reduced to a plain base name (it only labels messages)."""
    if not filename:
        return RAW
    base = PureWindowsPath(PurePosixPath(filename).name).name
    base = "".join(ch for ch in base if unicodedata.category(ch) != "Cf")  # bidi and other invisible controls
    return _CONTROL.sub("", base).strip()[:200] or RAW


async def read_record(request: Request, max_bytes: int, forms: tuple[str, ...] = MULTIPART) -> tuple[bytes, str]:
    """(record bytes, a name for it); InputError when a form carries no record.

    Bodies of the types in `forms` are parsed as forms, any other body is the record.
    The API takes only multipart as a form: `curl -d @record.txt` sends a record labelled
    as urlencoded, and it must arrive as the record, not as a broken form.
    """
    content_type = request.headers.get("content-type", "").lower()
    if not content_type.startswith(forms):
        return await request.body(), RAW
    # max_part_size: a pasted record is a plain text field, which Starlette otherwise
    # caps at 1 MB; the whole body is already capped at max_bytes.
    form = await request.form(max_files=1, max_fields=16, max_part_size=max_bytes)
    try:
        upload = form.get("file")
        if isinstance(upload, UploadFile) and (upload.filename or upload.size):
            return await upload.read(), source_name(upload.filename)
        text = form.get("text")
        if isinstance(text, str) and text.strip():
            return text.encode("utf-8"), PASTED
    finally:
        await form.close()
    raise InputError(W_("no record given: choose a file (form field 'file') or paste the record text"), RAW)


async def read_page_upload(request: Request, max_bytes: int) -> tuple[list[tuple[bytes, str]], bool]:
    """The authors' upload form: (records, is a batch). One file or pasted text is one
    draft; several files, or one archive, are a batch."""
    content_type = request.headers.get("content-type", "").lower()
    if not content_type.startswith(PAGE_FORMS):
        return [(await request.body(), RAW)], False
    form = await request.form(max_files=MAX_MEMBERS, max_fields=16, max_part_size=max_bytes)
    try:
        files = [u for u in form.getlist("file") if isinstance(u, UploadFile) and (u.filename or u.size)]
        if len(files) > 1 or (files and is_archive(await _peek(files[0]))):
            return await records_of(form, max_bytes), True
        if files:
            return [(await files[0].read(), source_name(files[0].filename))], False
        text = form.get("text")
        if isinstance(text, str) and text.strip():
            return [(text.encode("utf-8"), PASTED)], False
    finally:
        await form.close()
    raise InputError(W_("no record given: choose a file (form field 'file') or paste the record text"), RAW)


async def _peek(upload: UploadFile) -> bytes:
    head = await upload.read(4)
    await upload.seek(0)
    return head


async def read_form(request: Request, max_bytes: int) -> FormData:
    """A multipart form with up to MAX_MEMBERS files (a batch)."""
    if not request.headers.get("content-type", "").lower().startswith(MULTIPART):
        raise InputError(W_("send the records as multipart/form-data (fields 'file')"), RAW)
    return await request.form(max_files=MAX_MEMBERS, max_fields=16, max_part_size=max_bytes)


async def records_of(form: FormData, max_bytes: int) -> list[tuple[bytes, str]]:
    """Every record in the form's `file` fields; one archive field is unpacked (after checking)."""
    uploads = [u for u in form.getlist("file") if isinstance(u, UploadFile) and (u.filename or u.size)]
    records = [(await u.read(), source_name(u.filename)) for u in uploads]
    if len(records) == 1 and is_archive(records[0][0]):
        data, name = records[0]
        records = [(member, _member_name(path)) for member, path in
                   unpack(data, name, max_bytes, max_bytes * ARCHIVE_EXPANSION)]
    if not records:
        raise InputError(W_("no records given: send them as form fields 'file', or one zip/tar.gz archive"), RAW)
    return records


def _member_name(path: str) -> str:
    """An archive member's path, kept whole (folders tell records apart) but cleaned."""
    cleaned = "".join(ch for ch in path if unicodedata.category(ch) != "Cf")
    return _CONTROL.sub("", cleaned).strip()[:200] or RAW
