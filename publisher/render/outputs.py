"""Where outputs go and how they are written: atomically, never over the input.

A file is written to a temporary name in the target folder and renamed into place, so a
conversion killed midway leaves the old complete file or none. A folder output (sphinx)
is built beside the target and swapped in (see `folders.py`, which also decides which
folders publisher may replace at all).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from publisher.errors import UsageError
from publisher.formats import FORMATS
from publisher.render import Output
from publisher.render.folders import check_replaceable, write_folder

STDOUT = "-"
# File names whose extension is not the format's own but still says which format is meant.
EXTENSION_ALIASES = {".htm": "html", ".markdown": "md"}


def output_is_file(output: str | None) -> bool:
    """`-o out.docx` names a file; `-o out/`, `-o -`, an existing folder or a name with no
    extension name a folder (or standard output), as they always have."""
    if output is None or output == STDOUT or output.endswith(("/", os.sep)):
        return False
    path = Path(output)
    return not path.is_dir() and bool(path.suffix)


def format_of_file(output: str) -> str | None:
    """The format an output file's extension asks for (`.docx` -> docx), or None."""
    suffix = Path(output).suffix.lower()
    by_extension = {f.extension: f.name for f in FORMATS.values() if f.extension}
    return by_extension.get(suffix) or EXTENSION_ALIASES.get(suffix)


def refuse_output_onto_input(sources: Sequence[str], output: str | None) -> None:
    """`publish rec.txt -o rec.txt`, whatever -o would have meant."""
    if output is None or output == STDOUT or not os.path.exists(output):
        return
    for source in sources:
        if source != "-" and os.path.exists(source) and os.path.samefile(source, output):
            raise UsageError("-o names the input file itself; choose another name", source)


def output_path(source: str, fmt: str, outdir: str | None) -> Path:
    """`DIR/<stem>.<ext>` (default DIR: beside the input; the current folder for stdin)."""
    src = Path(source) if source != "-" else Path("stdin.txt")
    folder = Path(outdir) if outdir else (src.parent if source != "-" else Path.cwd())
    ext = FORMATS[fmt].extension
    target = folder / (src.stem + (ext if ext else "-" + fmt))
    if source != "-":
        refuse_output_onto_input([source], outdir)
        check_target(target, fmt, source)
    return target


def check_target(target: Path, fmt: str, source: str) -> None:
    """Refuse, before any work, an output that would overwrite or swallow the input."""
    if source == "-":
        return
    src = Path(source).resolve()
    if target.resolve() == src:
        raise UsageError(f"the {fmt} output would overwrite the input; choose another -o folder", source)
    if not FORMATS[fmt].extension:  # a folder output replaces everything in the folder
        check_replaceable(target, protect=[src], source=source)


def write_output(target: Path, data: Output, protect: Sequence[Path] = ()) -> None:
    """Write a file (bytes) or a folder ({relative path: bytes}) in place of `target`.

    `protect` names files (the inputs) that must never be inside a folder being replaced.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        _write_file(target, data)
    else:
        write_folder(target, data, protect)


def _write_file(target: Path, data: bytes) -> None:
    fd = _anonymous_file(target.parent)
    if fd is None:
        _write_named_temp(target, data)
        return
    # The file has no name until it is complete, so a process killed while writing
    # (even by SIGKILL) leaves nothing behind; it is named only for the rename.
    tmp = target.parent / f".{target.name}.{os.getpid()}.tmp"
    try:
        with os.fdopen(fd, "wb", closefd=False) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.fchmod(fd, 0o644)
        _name_anonymous_file(fd, tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)


def _anonymous_file(folder: Path) -> int | None:
    """An unnamed file in `folder` (Linux O_TMPFILE), or None where that is not supported."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, 0o600)
    except OSError:
        return None


def _name_anonymous_file(fd: int, path: Path) -> None:
    # linkat(AT_SYMLINK_FOLLOW) through /proc; os.link uses it only when given a dir fd
    # (plain link() would try to link the /proc symlink itself: EXDEV).
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(f"/proc/self/fd/{fd}", path.name, dst_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


def _write_named_temp(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
