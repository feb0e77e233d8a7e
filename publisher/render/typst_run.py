"""Compile Typst to PDF in a long-lived child process: time-limited, memory-capped, confined.

typst runs through its Python binding, which cannot be interrupted; a child process can be
killed. Starting a child costs a Python start, `import typst` and indexing the font folders
(~0.3 s of CPU with Noto CJK, as much as compiling a whole article), so each thread keeps
one child, a `Compiler`, alive between PDFs: it holds one `typst.Fonts` per list of font
folders and compiles whatever it is sent. The same bytes come out as from a fresh child.

The parent sends a request (the Typst source, the root folder, the font folders, the
`sys.inputs`) as one frame on the child's stdin and reads the answer frame from its stdout.
It gives up after the time-out and kills the child; the next PDF starts a new one. The child
caps its own heap (RLIMIT_DATA): a record whose PDF needs more dies in the child and is
reported as too large for PDF, after one retry in a fresh child when the one that failed had
been compiling other records (its caches count against the cap). The child dies with the
thread that started it (PR_SET_PDEATHSIG), so a killed parent leaves no compiler behind.
The child sees only the root folder (typst refuses to read outside it) and the font folders.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from publisher.errors import RenderError

MEMORY_CAP = 2 * 1024**3  # bytes of heap (RLIMIT_DATA) the child may take
RECYCLE_RSS = 1024**3  # a child that has grown past this is replaced after its answer
_HEADER = struct.Struct(">I")  # every frame: its length, then the bytes
_TAIL = 4096  # bytes of the child's stderr kept for an error message
_TOO_LARGE = f"record too large for PDF (typst needed more than its {MEMORY_CAP / 1024**3:g} GB memory cap)"

# The child runs isolated (-I: no PYTHONPATH, no current folder on the path), so it is told
# where this package lives; the same code then runs whether publisher is installed or not.
PACKAGE_PARENT = Path(__file__).resolve().parents[2]
_CHILD = (
    "import sys; sys.path.insert(0, {package_parent!r}); "
    "from publisher.render.typst_run import _child_main; sys.exit(_child_main({parent}))"
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
    request = json.dumps({"source": source, "root": str(root), "font_dirs": [str(d) for d in font_dirs],
                          "inputs": dict(inputs)}, ensure_ascii=False).encode("utf-8")
    for retry in (True, False):
        compiler = _compiler()
        fresh = not compiler.used
        try:
            return compiler.compile(request, timeout, origin)
        except _Died as died:
            if not (died.memory and retry and not fresh):
                raise died.error(origin) from None
            # out of memory in a child that had compiled other records, whose caches count
            # against the cap too: once more in a fresh child
    raise AssertionError("unreachable")


class _Died(Exception):
    """The child ended without an answer."""

    def __init__(self, memory: bool, reason: str):
        super().__init__(reason)
        self.memory, self.reason = memory, reason

    def error(self, origin: str | None) -> RenderError:
        return RenderError(_TOO_LARGE if self.memory else f"typst failed: {self.reason}", origin)


class Compiler:
    """One child process and the pipes to it; used by one thread at a time."""

    def __init__(self) -> None:
        code = _CHILD.format(package_parent=str(PACKAGE_PARENT), parent=os.getpid())
        env = {**os.environ, "RUST_BACKTRACE": "0"}  # a failure is one line, not a backtrace
        self.process = subprocess.Popen([sys.executable, "-I", "-c", code], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0, env=env)
        self.pid = os.getpid()  # a forked copy of this object must not touch the child
        self.used = False  # it has compiled at least one document
        self.stderr_head = self.stderr = b""
        self.spent = False  # killed, dead or grown too large: do not send it more
        _ALL.add(self)

    def compile(self, request: bytes, timeout: float, origin: str | None) -> bytes:
        deadline = time.monotonic() + timeout
        try:
            assert self.process.stdin is not None
            _write_frame(self.process.stdin, request)
            header = _header(self._read_frame(deadline, timeout, origin))
            if header is None:  # not our protocol: something else wrote on the child's stdout
                self.close(kill=True)
                raise RenderError("typst failed: the compiler process answered out of turn", origin)
            if not header["ok"]:
                raise RenderError(f"typst failed: {header['error']}", origin)
            pdf = self._read_frame(deadline, timeout, origin)
        except (BrokenPipeError, ConnectionResetError):
            raise self._died() from None
        finally:
            self.used = True
        if header.get("rss", 0) > RECYCLE_RSS:
            self.close()
        return pdf

    def _read_frame(self, deadline: float, timeout: float, origin: str | None) -> bytes:
        size = _HEADER.unpack(self._read(_HEADER.size, deadline, timeout, origin))[0]
        return self._read(size, deadline, timeout, origin)

    def _read(self, size: int, deadline: float, timeout: float, origin: str | None) -> bytes:
        """`size` bytes from the child's stdout, keeping its stderr drained meanwhile."""
        assert self.process.stdout is not None and self.process.stderr is not None
        out, err = self.process.stdout.fileno(), self.process.stderr.fileno()
        watched = [out, err]
        chunks, have = [], 0
        while have < size:
            left = deadline - time.monotonic()
            if left <= 0:
                self.close(kill=True)
                raise RenderError(f"typst took longer than {timeout:g} s and was stopped", origin)
            ready, _, _ = select.select(watched, [], [], left)
            if err in ready:
                data = os.read(err, 65536)
                self._keep_stderr(data)
                if not data:
                    watched = [out]  # closed: only stdout says more
            if out in ready:
                chunk = os.read(out, min(size - have, 1 << 20))
                if not chunk:
                    raise self._died()
                chunks.append(chunk)
                have += len(chunk)
        return b"".join(chunks)

    def _died(self) -> _Died:
        self.spent = True
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.close(kill=True)
            code = -signal.SIGKILL
        assert self.process.stderr is not None
        self._keep_stderr(self.process.stderr.read())
        self._release()
        text = (self.stderr_head + b"\n" + self.stderr).decode("utf-8", "replace")
        # Rust aborts when an allocation fails under the cap; the kernel's OOM killer sends SIGKILL
        memory = "memory" in text.lower() or code == -signal.SIGKILL or (code == -signal.SIGABRT and "stack" not in text)
        last = next((line.strip() for line in reversed(text.splitlines()) if line.strip()), "")
        return _Died(memory, last[:300] or f"the compiler ended with status {code}")

    def _keep_stderr(self, data: bytes) -> None:
        """The start (where Rust says what failed) and the end of what the child wrote."""
        if len(self.stderr_head) < _TAIL:
            self.stderr_head += data[: _TAIL - len(self.stderr_head)]
        self.stderr = (self.stderr + data)[-_TAIL:]

    def close(self, kill: bool = False) -> None:
        """Let the child go (it ends when its stdin closes), or kill it."""
        self.spent = True
        if self.pid != os.getpid():
            return
        if kill:
            self.process.kill()
        self._release()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _release(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()
        _ALL.discard(self)


class _Local(threading.local):
    compiler: Compiler | None = None


_LOCAL = _Local()
_ALL: set[Compiler] = set()  # every live child of this process, for the exit


def _compiler() -> Compiler:
    """This thread's compiler, started when there is none or the last one is spent."""
    current = _LOCAL.compiler
    if current is None or current.spent or current.process.poll() is not None:
        if current is not None:
            current.close(kill=True)
        _reap_orphans()
        current = _LOCAL.compiler = Compiler()
        _close_at_worker_exit()
    return current


def _reap_orphans() -> None:
    """Children of threads that have ended died with them (PR_SET_PDEATHSIG): collect them."""
    for compiler in list(_ALL):
        if compiler.process.poll() is not None:
            compiler.close()


@atexit.register
def close_all() -> None:
    """Let every child of this process go; they also end on their own when it dies."""
    for compiler in list(_ALL):
        compiler.close()


def _close_at_worker_exit() -> None:
    """A multiprocessing worker (a batch's) leaves by os._exit, past atexit: close the children
    from multiprocessing's own exit hook, so that they are waited for (and their CPU time is
    counted with the worker's) instead of being killed by the kernel."""
    global _WORKER_HOOK
    multiprocessing = sys.modules.get("multiprocessing")
    if _WORKER_HOOK or multiprocessing is None or multiprocessing.parent_process() is None:
        return
    from multiprocessing import util

    util.Finalize(None, close_all, exitpriority=0)
    _WORKER_HOOK = True


_WORKER_HOOK = False


def _forget_after_fork() -> None:
    # a forked process (a batch worker) inherits the pipes but not the children: drop them
    global _WORKER_HOOK
    for compiler in list(_ALL):
        compiler._release()
    _LOCAL.compiler = None
    _WORKER_HOOK = False


os.register_at_fork(after_in_child=_forget_after_fork)


def _header(frame: bytes) -> dict[str, Any] | None:
    try:
        header = json.loads(frame)
    except ValueError:
        return None
    return header if isinstance(header, dict) and "ok" in header else None


def _write_frame(stream: IO[bytes], data: bytes) -> None:
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


# --------------------------------------------------------------------------- the child's side

def _child_main(parent: int) -> int:
    """Cap memory, die with the parent, then compile requests until stdin closes."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_DATA, (MEMORY_CAP, MEMORY_CAP))
    except (ImportError, ValueError, OSError):
        pass  # no rlimits on this platform; the parent's time-out still holds

    import typst

    # the answers get a descriptor of their own; anything else printed goes to stderr
    stdin, stdout = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    fonts: dict[tuple[str, ...], Any] = {}
    while True:
        size = stdin.read(_HEADER.size)
        if len(size) < _HEADER.size:
            return 0  # the parent closed the pipe: done
        request = json.loads(stdin.read(_HEADER.unpack(size)[0]).decode("utf-8"))
        dirs = tuple(request["font_dirs"])
        try:
            if dirs not in fonts:
                fonts[dirs] = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                                          font_paths=list(dirs))
            pdf = typst.compile(request["source"].encode("utf-8"), root=request["root"], font_paths=fonts[dirs],
                                sys_inputs=request["inputs"])
        except typst.TypstError as exc:
            _write_frame(stdout, json.dumps({"ok": False, "error": " ".join(str(exc).split())[:300]}).encode())
            continue
        except MemoryError:
            sys.stderr.write("typst ran out of memory\n")
            return 1
        _write_frame(stdout, json.dumps({"ok": True, "rss": _rss()}).encode())
        _write_frame(stdout, pdf)


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when the thread that started it ends."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        _watch_parent(parent)  # not Linux: look now and then
    if os.getppid() != parent:
        os._exit(1)  # the parent was gone before the request could be made


def _watch_parent(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _rss() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
