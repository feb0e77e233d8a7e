"""Records out of one uploaded zip or tar.gz, every member checked before anything is unpacked.

The whole listing is read first (a zip's central directory; a tar's headers, streamed)
and the archive is refused, naming the member, when one is not a plain file, has a path
that is absolute or climbs out (`..`), is not a record by its name (.txt, .md), is over
the size limit, or when there are too many members or too many bytes in all. Only then
are members read, each capped at its declared size. Nothing is written to disk: a
member's path only labels its draft.
"""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile
from pathlib import PurePosixPath

from publisher.errors import InputError
from publisher.service.language import Phrase

MAX_MEMBERS = 1000
RECORD_SUFFIXES = (".txt", ".md", "")
# archive metadata that zip tools add beside the author's files: not records, not refused
SKIPPED = ("__MACOSX/", ".DS_Store")
ZIP_MAGIC = b"PK\x03\x04"
GZIP_MAGIC = b"\x1f\x8b"


def is_archive(data: bytes) -> bool:
    return data.startswith((ZIP_MAGIC, GZIP_MAGIC))


def unpack(data: bytes, name: str, max_member: int, max_total: int) -> list[tuple[bytes, str]]:
    """(record bytes, member path) for every record in the archive, in archive order."""
    reader = _zip if data.startswith(ZIP_MAGIC) else _tar
    try:
        return reader(data, name, max_member, max_total)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as exc:
        raise InputError(Phrase("not a readable zip or tar.gz archive (%(why)s)", why=str(exc)), name) from None


def _check(name: str, archive: str, size: int, regular: bool, checked: list[str], total: int,
           max_member: int, max_total: int) -> bool:
    """False for a member to skip; InputError for one that makes the archive unacceptable."""
    if name.startswith(SKIPPED) or PurePosixPath(name).name == ".DS_Store" or name.endswith("/"):
        return False
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise InputError(Phrase("archive member '%(name)s' has an unsafe path", name=name), archive)
    if not regular:
        raise InputError(Phrase("archive member '%(name)s' is not a plain file (link or device)", name=name), archive)
    if path.suffix.lower() not in RECORD_SUFFIXES:
        raise InputError(Phrase("archive member '%(name)s' is not a record (.txt or .md)", name=name), archive)
    if size > max_member:
        mb = f"{max_member / 1048576:g}"
        raise InputError(Phrase("archive member '%(name)s' is over the %(mb)s MB limit", name=name, mb=mb), archive)
    if len(checked) >= MAX_MEMBERS:
        raise InputError(Phrase("the archive holds more than %(count)s records", count=MAX_MEMBERS), archive)
    if total + size > max_total:
        mb = f"{max_total / 1048576:g}"
        raise InputError(Phrase("the archive unpacks to more than %(mb)s MB", mb=mb), archive)
    checked.append(name)
    return True


def _zip(data: bytes, archive: str, max_member: int, max_total: int) -> list[tuple[bytes, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members: list[zipfile.ZipInfo] = []
        names: list[str] = []
        total = 0
        for info in z.infolist():
            mode = info.external_attr >> 16
            regular = not info.is_dir() and stat.S_IFMT(mode) in (0, stat.S_IFREG)  # 0: no type recorded
            if _check(info.filename, archive, info.file_size, regular, names, total, max_member, max_total):
                members.append(info)
                total += info.file_size
        out = []
        for info in members:
            with z.open(info) as fh:
                out.append((fh.read(info.file_size + 1)[: info.file_size], info.filename))
        return out


def _tar(data: bytes, archive: str, max_member: int, max_total: int) -> list[tuple[bytes, str]]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
        members: list[tarfile.TarInfo] = []
        names: list[str] = []
        total = 0
        while (info := tar.next()) is not None:  # headers only; data is skipped, not kept
            if info.isdir():
                continue
            if _check(info.name, archive, info.size, info.isreg(), names, total, max_member, max_total):
                members.append(info)
                total += info.size
        out = []
        for info in members:
            fh = tar.extractfile(info)
            assert fh is not None  # a regular file
            out.append((fh.read(info.size), info.name))
        return out
