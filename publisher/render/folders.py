"""Folder outputs (sphinx): publisher replaces only folders it wrote, and never leaves none.

Every folder publisher writes carries a manifest, `MANIFEST`, listing the files in it. A
folder is replaced only when it carries that mark and holds nothing but the files listed
there, so an input, a build the user ran inside it, or any other file of theirs is never
deleted: the command is refused instead. Files are only ever removed one by one from a
manifest, never by removing a tree.

The new folder is built beside the target under a name of our own and exchanged with the
old one in one step (Linux `renameat2(RENAME_EXCHANGE)`), so a run killed at any moment
leaves the old folder or the new one in place, never neither. The leftovers of an
interrupted run (our temporary names, holding only our files) are removed by the next run
that writes the same folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from publisher.errors import UsageError

MANIFEST = ".publisher-output"
_MANIFEST_HEADER = (
    "# Written by publisher. The next run replaces this folder only while it holds nothing\n"
    "# but the files listed here; add a file of your own and it refuses instead.\n"
)
# Our temporary folders: .<name>.<pid>-<token>.partial (being built, or the old folder after
# the exchange); .<name>.<pid>-<token>.old only where the system cannot exchange.
_OURS_RE = r"\.(?P<pid>\d+)-[0-9a-f]{8}\.(?:partial|old)"
# What versions before the manifest left when interrupted: .<name>.old and mkdtemp's .<name>.XXXXXXXX
_LEGACY_RE = r"\.(?:old|[a-z0-9_]{8})"
_LEGACY_FILES = frozenset({"conf.py", "index.rst"})  # all those versions ever wrote
_MAX_NAMED = 3  # foreign files named in a refusal

_RENAME_NOREPLACE, _RENAME_EXCHANGE = 1, 2
_AT_FDCWD = -100


def check_replaceable(target: Path, protect: Iterable[Path] = (), source: str | None = None) -> None:
    """UsageError unless `target` is absent, or a real folder that publisher wrote and that
    holds nothing else and none of the `protect`ed paths."""
    label = source or str(target)
    if not os.path.lexists(target):
        return
    if target.is_symlink():
        raise UsageError(f"{target} is a symbolic link; publisher replaces only folders it wrote", label)
    if not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder; choose another -o folder", label)
    real = target.resolve()
    for path in protect:
        if real in Path(path).resolve().parents:
            raise UsageError(f"the input lies inside {target}, which this output would replace; "
                             "choose another -o folder", label)
    listed = _listed(target)
    if listed is None:
        raise UsageError(f"{target} exists and was not written by publisher (it has no {MANIFEST}); "
                         "remove it or choose another -o folder", label)
    foreign = _foreign(target, listed)
    if foreign:
        named = ", ".join(foreign[:_MAX_NAMED]) + (", ..." if len(foreign) > _MAX_NAMED else "")
        raise UsageError(f"{target} holds files publisher did not write ({named}); "
                         "move them or choose another -o folder", label)


def write_folder(target: Path, files: dict[str, bytes], protect: Sequence[Path] = ()) -> None:
    """Build the folder beside `target` and swap it in (see the module's docstring)."""
    _clean_leftovers(target)
    check_replaceable(target, protect)
    tmp = target.parent / f".{target.name}.{os.getpid()}-{os.urandom(4).hex()}.partial"
    os.mkdir(tmp, 0o755)
    try:
        os.chmod(tmp, 0o755)  # whatever the umask: the same modes as every other output
        _fill(tmp, files)
        if not os.path.lexists(target):
            if not _renameat2(tmp, target, _RENAME_NOREPLACE):
                os.rename(tmp, target)
        elif not _renameat2(tmp, target, _RENAME_EXCHANGE):
            _replace_in_two_steps(tmp, target)
    finally:
        # before the swap tmp holds the unfinished new folder, after the exchange the old
        # one, after a rename nothing
        _remove_ours(tmp, _listed(tmp) or frozenset())


def _fill(folder: Path, files: dict[str, bytes]) -> None:
    """The manifest first, so that a run killed while writing leaves only listed files."""
    root = folder.resolve()
    paths = {}
    for rel in sorted(files):
        path = (folder / rel).resolve()
        if not _plain(rel) or root not in path.parents or rel == MANIFEST:
            raise UsageError(f"refusing to write outside the output folder: {rel}", str(folder))
        paths[rel] = path
    _write(folder / MANIFEST, (_MANIFEST_HEADER + "".join(f"{rel}\n" for rel in paths)).encode("utf-8"))
    for rel, path in paths.items():
        for parent in reversed(path.relative_to(root).parents[:-1]):
            with contextlib.suppress(FileExistsError):
                os.mkdir(root / parent, 0o755)
            os.chmod(root / parent, 0o755)
        _write(path, files[rel])


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as fh:
        os.fchmod(fd, 0o644)
        fh.write(data)


def _listed(folder: Path) -> frozenset[str] | None:
    """The files the folder's manifest lists, or None when it has no readable manifest.

    Only plain relative paths count: a manifest can never point outside its folder."""
    manifest = folder / MANIFEST
    if manifest.is_symlink() or not manifest.is_file():
        return None
    try:
        text = manifest.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = (line for line in text.splitlines() if line and not line.startswith("#"))
    return frozenset(rel for rel in lines if _plain(rel))


def _plain(rel: str) -> bool:
    path = PurePosixPath(rel)
    return not path.is_absolute() and all(part not in ("", ".", "..") for part in rel.split("/"))


def _foreign(folder: Path, listed: frozenset[str]) -> list[str]:
    """Entries that are not ours: unlisted files, links, and folders holding no listed file."""
    ancestors = {p.as_posix() for rel in listed for p in PurePosixPath(rel).parents} - {"."}
    foreign = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = PurePosixPath(Path(dirpath).relative_to(folder).as_posix())
        keep = []
        for name in sorted(dirnames):
            rel = (here / name).as_posix()
            if os.path.islink(os.path.join(dirpath, name)):
                foreign.append(rel)
            elif rel not in ancestors:
                foreign.append(rel + "/")
            else:
                keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            rel = (here / name).as_posix()
            if rel == MANIFEST:
                continue
            path = os.path.join(dirpath, name)
            if rel not in listed or os.path.islink(path) or not os.path.isfile(path):
                foreign.append(rel)
    return foreign


def _remove_ours(folder: Path, listed: Iterable[str]) -> bool:
    """Remove the listed files, the manifest and the folders left empty; True if all gone.

    Nothing is followed through a link, and a folder still holding anything stays."""
    if folder.is_symlink() or not folder.is_dir():
        return not os.path.lexists(folder)
    dirs = set()
    for rel in [*listed, MANIFEST]:
        parts = rel.split("/")
        inner = [folder.joinpath(*parts[:i]) for i in range(1, len(parts))]
        if not _plain(rel) or any(d.is_symlink() or not d.is_dir() for d in inner):
            continue
        path = folder.joinpath(*parts)
        if path.is_file() and not path.is_symlink():
            path.unlink()
        dirs.update(inner)
    for d in sorted(dirs, key=lambda p: -len(p.parts)) + [folder]:
        with contextlib.suppress(OSError):
            d.rmdir()  # fails, and keeps the folder, when anything else is in it
    return not os.path.lexists(folder)


def _clean_leftovers(target: Path) -> None:
    """Remove what an interrupted run left beside `target`, if it holds only our files;
    put an old folder back if the interruption came between the two renames of the fallback."""
    prefix = f".{target.name}"
    ours, legacy = re.compile(re.escape(prefix) + _OURS_RE), re.compile(re.escape(prefix) + _LEGACY_RE)
    try:
        entries = sorted(target.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        mine = ours.fullmatch(entry.name)
        if mine:
            if _running(int(mine["pid"])):
                continue  # a run in progress (or another thread of this one)
            listed = _listed(entry)
        elif legacy.fullmatch(entry.name):
            listed = _LEGACY_FILES
        else:
            continue
        if listed is None or entry.is_symlink() or not entry.is_dir() or _foreign(entry, listed):
            continue
        if entry.name.endswith(".old") and not os.path.lexists(target) and mine:
            os.rename(entry, target)  # the old folder was moved aside and never replaced
            continue
        _remove_ours(entry, listed)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _renameat2(src: Path, dst: Path, flags: int) -> bool:
    import ctypes  # only folder outputs need it

    try:
        call = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if call(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False  # the kernel or this file system does not know the flag
    raise OSError(code, os.strerror(code), str(src), None, str(dst))


def _replace_in_two_steps(new: Path, target: Path) -> None:
    """Where folders cannot be exchanged: move the old one aside, move the new one in. A run
    killed between the two leaves the old folder aside; the next run puts it back."""
    old = new.with_name(new.name.removesuffix(".partial") + ".old")
    os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)  # put the old folder back: never leave none
        raise
    _remove_ours(old, _listed(old) or frozenset())
