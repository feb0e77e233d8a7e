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
from publisher.render import FORMATS, Output


def output_path(source: str, fmt: str, outdir: str | None) -> Path:
    """`DIR/<stem>.<ext>` (default DIR: beside the input; the current folder for stdin)."""
    src = Path(source) if source != "-" else Path("stdin.txt")
    folder = Path(outdir) if outdir else (src.parent if source != "-" else Path.cwd())
    ext = FORMATS[fmt][1]
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
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
