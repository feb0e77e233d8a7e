"""Getting the record out of a request: the raw body, or a form's `file` field, or (from the
authors' page) a `text` field with the record pasted in.

The body has already passed the size limit middleware, which also counts while reading.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath

from starlette.datastructures import UploadFile
from starlette.requests import Request

from publisher.errors import InputError

MULTIPART = ("multipart/form-data",)
PAGE_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
PASTED = "pasted text"
RAW = "upload"


def source_name(filename: str | None) -> str:
    """The client's file name, reduced to a plain base name (it only labels messages)."""
    if not filename:
        return RAW
    base = PureWindowsPath(PurePosixPath(filename).name).name
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
    raise InputError("no record given: choose a file (form field 'file') or paste the record text", RAW)
