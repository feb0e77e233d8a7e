"""Compiled regular expressions kept between runs, so that a command does not compile ~400
patterns again every time it starts.

CPython compiles a regular expression in Python code (`re._parser`, `re._compiler`): for
this program's patterns (long alternations of words, many under IGNORECASE) that is most
of a cold command's start-up, ~0.2 s of CPU before any record is read. The compiled form
is a list of integers that `_sre.compile` turns into a `Pattern`; this module keeps those
lists in one `marshal` file in the user's cache folder and lets `re` look there first.

The file is keyed by the interpreter (implementation, version, `_sre.MAGIC`, `CODESIZE`):
another Python never reads it. An entry is keyed by the pattern's text and flags, so a
changed pattern is simply a new entry; a pattern not used for `_KEEP_RUNS` saves is dropped,
and the file never holds more than `_MAX_ENTRIES`. What comes out is what `re` would have
made (a `Pattern` compares equal to another by text, flags and code; tests check every
entry), and anything unexpected (no cache folder, an unreadable or foreign file, an
interpreter without `_sre.compile`) leaves `re` as it was.

Only a command installs it (`publish` owns its process); the Python API does not, because a
library must not change `re` under its host.
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

try:  # CPython's private compiler interface, as re._compiler uses it
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another implementation
    _sre = None

ENV = "PUBLISHER_REGEX_CACHE"  # a file to use instead of the default, or "off"
_FORMAT = 1
_KEEP_RUNS = 50  # saves an entry may go unused before it is dropped
_MAX_ENTRIES = 4000
_MAX_BYTES = 16 * 1024 * 1024
# Seconds of compiling worth a save. Some libraries build a pattern from a set (babel,
# markdown-it), so its text changes with the hash seed of every run: a handful of such misses
# would otherwise rewrite the file every time.
_SAVE_AFTER = 0.01

Key = tuple[str, int]  # pattern text, flags
Entry = tuple[int, list[int], int, dict[str, int], tuple[Any, ...], int]  # flags, code, groups, index, names, last run


class _Cache:
    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[Key, Entry] = {}
        self.run = 0
        self.missed = 0
        self.spent = 0.0  # seconds compiling what was missed
        self.used: set[Key] = set()

    def load(self) -> None:
        try:
            with open(self.path, "rb") as f:
                data = f.read(_MAX_BYTES + 1)
            if len(data) > _MAX_BYTES:
                return
            stamp, run, entries = marshal.loads(data)
        except (OSError, ValueError, EOFError, TypeError):
            return
        if stamp == _stamp() and isinstance(entries, dict) and isinstance(run, int):
            self.entries, self.run = entries, run

    def compile(self, pattern: Any, flags: int = 0) -> Any:
        if not isinstance(pattern, str) or flags & re.DEBUG:
            return _ORIGINAL(pattern, flags)  # type: ignore[misc]
        flags = int(flags)  # a RegexFlag is an int to _sre, not to marshal
        key = (pattern, flags)
        entry = self.entries.get(key)
        if entry is not None:
            try:
                compiled = _sre.compile(pattern, entry[0], entry[1], entry[2], entry[3], entry[4])
            except (TypeError, ValueError, RuntimeError):
                pass  # a damaged entry: compile it again
            else:
                self.used.add(key)
                return compiled
        start = time.perf_counter()
        parsed_flags, code, groups, index, names = _parts(pattern, flags)
        self.spent += time.perf_counter() - start
        compiled = _sre.compile(pattern, parsed_flags, code, groups, index, names)
        self.entries[key] = (parsed_flags, code, groups, index, names, self.run + 1)
        self.used.add(key)
        self.missed += 1
        return compiled

    def save(self) -> None:
        """Write the cache back if this run spent time compiling; atomic, never raises."""
        if self.spent < _SAVE_AFTER:
            return
        run = self.run + 1
        kept = {k: (e[:5] + (run,) if k in self.used else e) for k, e in self.entries.items()
                if k in self.used or run - e[5] <= _KEEP_RUNS}
        if len(kept) > _MAX_ENTRIES:
            kept = dict(sorted(kept.items(), key=lambda item: -item[1][5])[:_MAX_ENTRIES])
        try:
            data = marshal.dumps((_stamp(), run, kept))
            if len(data) > _MAX_BYTES:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".regex-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, ValueError):
            pass  # a cache that cannot be written costs time, never the run


def _parts(pattern: str, flags: int) -> tuple[int, list[int], int, dict[str, int], tuple[Any, ...]]:
    """What `re._compiler.compile` hands to `_sre.compile`, computed the same way."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # named opcodes are ints to _sre, not to marshal
    index = dict(parsed.state.groupdict)
    names: list[Any] = [None] * parsed.state.groups
    for name, i in index.items():
        names[i] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, index, tuple(names)


def _stamp() -> tuple[str, tuple[int, ...], int, int, int]:
    return (sys.implementation.name, tuple(sys.version_info[:3]), _sre.MAGIC, _sre.CODESIZE, _FORMAT)


def default_path() -> Path | None:
    chosen = os.environ.get(ENV)
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(home):
        return None
    version = "".join(map(str, sys.version_info[:2]))
    return Path(home) / "publisher" / f"regex-{sys.implementation.name}{version}.marshal"


_ORIGINAL = _compiler.compile if _sre is not None else None
_installed: _Cache | None = None


def install(path: Path | None = None) -> bool:
    """Let `re` take compiled patterns from the cache file from now on; True if it does."""
    global _installed
    if _installed is not None:
        return True
    if _sre is None or not hasattr(_compiler, "_code") or _compiler.compile is not _ORIGINAL:
        return False
    path = path or default_path()
    if path is None:
        return False
    cache = _Cache(path)
    cache.load()
    _compiler.compile = cache.compile
    atexit.register(cache.save)
    _installed = cache
    return True
