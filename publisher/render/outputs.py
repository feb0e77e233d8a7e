"""Where outputs go and how they are written: atomically, never over the input.

A file is written to a temporary name in the target folder and renamed into place, so a
conversion killed midway leaves the old complete file or none. A folder output (sphinx)
is built beside the target and swapped in.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from publisher.errors import UsageError
from publisher.formats import FORMATS
from publisher.render import Output


def output_path(source: str, fmt: str, outdir: str | None) -> Path:
    """`DIR/<stem>.<ext>` (default DIR: beside the input; the current folder for stdin)."""
    src = Path(source) if source != "-" else Path("stdin.txt")
    folder = Path(outdir) if outdir else (src.parent if source != "-" else Path.cwd())
    ext = FORMATS[fmt].extension
    target = folder / (src.stem + (ext if ext else "-" + fmt))
    if source != "-":
        if outdir and Path(outdir).exists() and Path(outdir).resolve() == src.resolve():
            raise UsageError("the output folder is the input file", source)
        if target.resolve() == src.resolve():
            raise UsageError(f"the {fmt} output would overwrite the input; choose another -o folder", source)
    return target


def write_output(target: Path, data: Output) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        _write_file(target, data)
    else:
        _write_folder(target, data)


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


def _write_folder(target: Path, files: dict[str, bytes]) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for rel, content in sorted(files.items()):
            path = (tmp / rel).resolve()
            if tmp.resolve() not in path.parents:
                raise UsageError(f"refusing to write outside the output folder: {rel}", str(target))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
        try:
            os.replace(tmp, target)
        except BaseException:
            if old is not None and not target.exists():
                os.replace(old, target)  # put the old folder back: never leave none
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
