"""Run the bundled pandoc on a JSON AST: sandboxed, time-limited, memory-capped.

Every writer that goes through pandoc calls `run_pandoc`; it is the one place that knows
how pandoc is started and how its failures read. pandoc never sees a file from the record:
the AST arrives on stdin and `--sandbox` stops its readers and writers from opening
anything but the files named on the command line (a reference document, a template).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import subprocess
from collections.abc import Sequence
from typing import Any

from publisher.errors import RenderError

# GHC runtime flags: pandoc gives up with "heap overflow" instead of eating the machine.
MEMORY_CAP = ("+RTS", "-M1024m", "-RTS")
VERSION_TIMEOUT = 30.0  # seconds; asking pandoc for its API version takes milliseconds


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    """The pandoc binary shipped with pypandoc-binary, so every machine runs the same pandoc
    (PYPANDOC_PANDOC overrides it, as it does for pypandoc).

    Found without importing pypandoc, which would cost a start-up ~20 ms of imports and a
    `pandoc --version` run."""
    override = os.environ.get("PYPANDOC_PANDOC")
    if override:
        return override
    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        bundled = os.path.join(folder, "files", "pandoc.exe" if os.name == "nt" else "pandoc")
        if os.access(bundled, os.X_OK):
            return bundled
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:
        raise RenderError(f"pandoc is not available: {_first_line(str(exc))}") from None
    return str(path)


def run_pandoc(
    ast: dict[str, Any],
    to: str,
    args: Sequence[str] = (),
    *,
    timeout: float = 120.0,
    source: str | None = None,
    epoch: int = 0,
) -> bytes:
    """Convert a pandoc JSON AST to format `to` and return pandoc's output bytes.

    `args` are extra pandoc options (`--reference-doc=...`). `epoch` becomes
    SOURCE_DATE_EPOCH, which pandoc uses instead of the clock wherever it writes a date.
    Any failure raises RenderError with a one-line message naming `source`.
    """
    command = [pandoc_path(), *MEMORY_CAP, "--sandbox", "-f", "json", "-t", to, *args, "-o", "-"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "LC_ALL": "C.UTF-8"}
    payload = json.dumps(ast, ensure_ascii=False).encode("utf-8")
    try:
        done = subprocess.run(
            command, input=payload, capture_output=True, timeout=timeout, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        raise RenderError(f"pandoc ({to}) took longer than {timeout:g} s and was stopped", source) from None
    except OSError as exc:
        raise RenderError(f"could not start pandoc: {_first_line(str(exc))}", source) from None
    if done.returncode != 0:
        reason = _first_line(done.stderr.decode("utf-8", "replace")) or f"exit status {done.returncode}"
        raise RenderError(f"pandoc ({to}) failed: {reason}", source)
    return done.stdout


@functools.lru_cache(maxsize=1)
def pandoc_api_version() -> list[int]:
    """The pandoc-api-version the bundled pandoc writes, which is also the one it reads."""
    try:
        done = subprocess.run(
            [pandoc_path(), "-f", "markdown", "-t", "json"],
            input=b"x",
            capture_output=True,
            timeout=VERSION_TIMEOUT,
            check=True,
        )
        version = json.loads(done.stdout)["pandoc-api-version"]
    except (OSError, subprocess.SubprocessError, ValueError, KeyError) as exc:
        raise RenderError(f"could not ask pandoc for its API version: {_first_line(str(exc))}") from None
    return [int(v) for v in version]


def _first_line(text: str) -> str:
    """The first non-blank line, trimmed: error messages stay one line long."""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("[WARNING]"):
            return line[:300]
    return ""
