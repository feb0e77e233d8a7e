"""Compile Typst to PDF in a child process: time-limited, memory-capped, confined to a root.

typst runs in-process through its Python binding, which cannot be interrupted; a child
process can. The parent sends one JSON request on stdin and reads the PDF from stdout; the
child reports a typst failure as one line on stderr. The child sees only the folder named
as root (typst refuses to read files outside it) and only the font folders it is given.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from publisher.errors import RenderError

MEMORY_CAP = 2 * 1024**3  # bytes of heap (RLIMIT_DATA) the child may take

# The child runs isolated (-I: no PYTHONPATH, no current folder on the path), so it is told
# where this package lives; the same code then runs whether publisher is installed or not.
PACKAGE_PARENT = Path(__file__).resolve().parents[2]
_CHILD = (
    "import sys; sys.path.insert(0, {package_parent!r}); "
    "from publisher.render.typst_run import _child; sys.exit(_child())"
)


def compile_pdf(
    source: str,
    *,
    root: Path,
    font_dirs: Sequence[Path],
    inputs: Mapping[str, str],
    timeout: float = 120.0,
    origin: str | None = None,
) -> bytes:
    """Compile the Typst `source` (a main file living in `root`) and return the PDF bytes.

    `inputs` reach the document as `sys.inputs`, plain strings that typst never evaluates.
    Any failure raises RenderError with a one-line message naming `origin`.
    """
    request = {
        "source": source,
        "root": str(root),
        "font_dirs": [str(d) for d in font_dirs],
        "inputs": dict(inputs),
    }
    command = [sys.executable, "-I", "-c", _CHILD.format(package_parent=str(PACKAGE_PARENT))]
    try:
        done = subprocess.run(
            command,
            input=json.dumps(request, ensure_ascii=False).encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(f"typst took longer than {timeout:g} s and was stopped", origin) from None
    except OSError as exc:
        raise RenderError(f"could not start typst: {exc}", origin) from None
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        reason = _last_line(done.stderr.decode("utf-8", "replace")) or f"exit status {done.returncode}"
        raise RenderError(f"typst failed: {reason}", origin)
    return done.stdout


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _child() -> int:
    """The child's side: cap memory, compile, write the PDF or one line of error."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_DATA, (MEMORY_CAP, MEMORY_CAP))
    except (ImportError, ValueError, OSError):
        pass  # no rlimits on this platform; the parent's time-out still holds

    import typst

    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    try:
        pdf = typst.compile(
            request["source"].encode("utf-8"),
            root=request["root"],
            font_paths=request["font_dirs"],
            ignore_system_fonts=True,
            sys_inputs=request["inputs"],
        )
    except typst.TypstError as exc:
        sys.stderr.write(" ".join(str(exc).split()) + "\n")
        return 1
    except MemoryError:
        sys.stderr.write("typst ran out of memory\n")
        return 1
    sys.stdout.buffer.write(pdf)
    return 0
