"""The stages in order: read -> clean -> assemble -> tables -> citations. One call builds
the document model that every writer renders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publisher.assemble import assemble, parse_outline
from publisher.cite import number_citations, parse_supplied
from publisher.clean import clean_content
from publisher.errors import InputError
from publisher.model import Document
from publisher.read import DEFAULT_MAX_BYTES, read_record
from publisher.tables import resolve_tables


@dataclass(frozen=True)
class BuildOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    draft: bool = False  # placeholders for chapters never written
    include_uncited: bool = False  # list uncited supplied entries after the cited ones


def build_document(source: str | Path | bytes, name: str | None = None, options: BuildOptions | None = None) -> Document:
    """A record (a path, its bytes, or its text) -> the finished document model."""
    opts = options or BuildOptions()
    if isinstance(source, Path) or (isinstance(source, str) and name is None and _looks_like_path(source)):
        path = Path(source)
        name = name or str(path)
        try:
            size = path.stat().st_size
            if size > opts.max_bytes:
                raise InputError(f"file is {size / 1048576:.1f} MB, over the {opts.max_bytes / 1048576:.0f} MB limit "
                                 "(raise it with --max-size)", name)
            data: bytes | str = path.read_bytes()
        except IsADirectoryError:
            raise InputError("is a folder, not a record file", name) from None
        except FileNotFoundError:
            raise InputError("no such file", name) from None
        except PermissionError:
            raise InputError("permission denied", name) from None
        except OSError as exc:
            raise InputError(f"cannot read ({exc.strerror or exc})", name) from None
    else:
        data = source
    record = read_record(data, name or "<input>", opts.max_bytes)
    cleaned = clean_content(record.content)
    outline = parse_outline(record.outline)
    doc = assemble(record, cleaned, outline, draft=opts.draft)
    doc.report.extend(resolve_tables(doc))
    supplied, ref_messages = parse_supplied(record.references)
    doc.report.extend(ref_messages)
    doc.report.extend(number_citations(doc, supplied, include_uncited=opts.include_uncited))
    return doc


def _looks_like_path(s: str) -> bool:
    return "\n" not in s and len(s) < 4096
