"""The resident server: one warm process that forks a fresh child for each `publish` call.

The parent imports the pipeline, every writer and the catalogues once, asks pandoc for its
API version once, then only accepts connections and forks; it never runs the pipeline, so
no call sees what an earlier one left behind (each child starts from the same warm parent
and is never reused). The child becomes the caller: its stdin, stdout and stderr, working
folder, environment, umask and sys.path; it leads its own process group, so the caller's
Ctrl-C reaches it and the pandoc or typst it started. Nothing that starts threads or child
processes of its own (the typst compiler, a process pool) runs in the parent.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import io
import os
import signal
import socket
import sys
import time
import traceback
from typing import Any, NoReturn

from publisher.resident.client import START_TIMEOUT, connect, interpreter, peer, private_folder, receive, send

ACCEPT_TICK = 1.0  # seconds between looks at the idle clock and at the socket file
_KEPT: list[object] = []  # the parent's std streams, kept alive: collecting one would close fd 0-2


class _Stop(Exception):
    pass


def warm() -> None:
    """Import everything a call may need and load what does not depend on the call."""
    import concurrent.futures  # noqa: F401  (a batch's process pool)

    import rich.progress  # noqa: F401  (the progress bar on a terminal)
    from babel.lists import format_list
    from babel.numbers import format_decimal

    import publisher.api  # noqa: F401
    import publisher.batch  # noqa: F401
    import publisher.cli  # noqa: F401
    import publisher.pipeline  # noqa: F401
    from publisher.formats import FORMATS
    from publisher.i18n import LANGS, babel_locale, translations
    from publisher.render import writer_for
    from publisher.render.pandoc_run import pandoc_api_version

    for name in FORMATS:
        writer_for(name)
    for lang in LANGS:  # the catalogues, and Babel's locale data the messages format numbers and lists with
        translations(lang)
        format_decimal(1.5, locale=babel_locale(lang))
        format_list(["a", "b"], locale=babel_locale(lang))
    pandoc_api_version()  # PYPANDOC_PANDOC is in the socket's fingerprint


def listen(path: str) -> socket.socket:
    """The listening socket at `path`, in a folder only this user may enter."""
    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    if not private_folder(folder):
        raise PermissionError(f"{folder} must be a folder of this user's that only they may enter (mode 0700)")
    running = connect(path, timeout=5.0)
    if running is not None:
        running.close()
        raise FileExistsError(f"a server already listens on {path}")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # left by a server that did not clean up
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    umask = os.umask(0o077)
    try:
        listener.bind(path)
    finally:
        os.umask(umask)
    listener.listen(128)
    listener.settimeout(ACCEPT_TICK)
    return listener


class Server:
    def __init__(self, listener: socket.socket, path: str, idle: float, limit: int) -> None:
        self.listener, self.path, self.idle, self.limit = listener, path, idle, limit
        self.inode = os.stat(path).st_ino
        self.pid = os.getpid()
        self.children: set[int] = set()
        self.served = 0
        # each child that runs a call says so with one byte here (a ping or a refusal does not)
        self.ran_read, self.ran_write = os.pipe()
        os.set_blocking(self.ran_read, False)
        self.ran = 0
        self.last = time.monotonic()

    def state(self) -> dict[str, Any]:
        """What `publish resident status` shows (as the parent was when this child forked)."""
        return {"pid": os.getppid(), "socket": self.path, "ran": self.ran, "connections": self.served,
                "active": len(self.children), "limit": self.limit, "idle": self.idle}

    def count_runs(self) -> None:
        with contextlib.suppress(BlockingIOError):
            self.ran += len(os.read(self.ran_read, 65536))

    def reap(self, *_: object) -> None:
        while True:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                self.children.clear()
                return
            if pid == 0:
                return
            self.children.discard(pid)
            self.last = time.monotonic()

    def stop(self, *_: object) -> None:
        raise _Stop

    def still_ours(self) -> bool:
        """The socket file is still the one this server made (`stop` or a newer server may remove it)."""
        try:
            return os.stat(self.path).st_ino == self.inode
        except OSError:
            return False

    def run(self) -> None:
        signal.signal(signal.SIGCHLD, self.reap)
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self.stop)
        try:
            while self.still_ours():
                if self.children:
                    self.last = time.monotonic()
                elif time.monotonic() - self.last > self.idle:
                    return
                if len(self.children) >= self.limit:
                    time.sleep(0.05)  # a slot frees when SIGCHLD reaps a child
                    continue
                self.count_runs()
                try:
                    conn, _ = self.listener.accept()
                except (TimeoutError, InterruptedError):
                    continue
                self.fork(conn)
        except _Stop:
            pass
        finally:
            if os.getpid() == self.pid and self.still_ours():  # not a child a signal caught mid-fork
                os.unlink(self.path)
            self.listener.close()

    def fork(self, conn: socket.socket) -> None:
        with conn:
            if peer(conn)[1] != os.getuid():
                return
            self.served += 1
            self.count_runs()
            # SIGCHLD waits until the pid is in the set: a child that ends at once is still counted out
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGCHLD])
            try:
                pid = os.fork()
                if pid == 0:
                    _child(conn, self)
                self.children.add(pid)
            finally:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGCHLD])


def _child(conn: socket.socket, server: Server) -> NoReturn:
    """One call, start to end, in a fresh fork of the warm parent; never returns."""
    code = 1
    try:
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGIO):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGCHLD])
        server.listener.close()
        os.close(server.ran_read)
        os.setpgid(0, 0)
        conn.settimeout(START_TIMEOUT)
        message, fds = receive(conn, max_fds=3)
        if message.get("op") == "ping":
            send(conn, server.state())
            code = 0
        else:
            try:
                _become(message, fds)
            except Exception as exc:
                send(conn, {"error": str(exc)})
                raise
            send(conn, {"pid": os.getpid()})
            if receive(conn)[0].get("go") is True:
                os.write(server.ran_write, b"r")
                conn.settimeout(None)
                # a caller that dies (SIGKILL) takes its call along: its end closing sends SIGIO,
                # whose default is to end the process, to this whole process group
                fcntl.fcntl(conn, fcntl.F_SETOWN, -os.getpid())
                fcntl.fcntl(conn, fcntl.F_SETFL, fcntl.fcntl(conn, fcntl.F_GETFL) | os.O_ASYNC)
                argv = message["argv"]
                code = _run_cli([str(a) for a in argv] if isinstance(argv, list) else [])
                send(conn, {"status": code})
    except BaseException:  # noqa: BLE001  the caller runs the call itself, or exits with `code`
        pass
    finally:
        os._exit(code)


def _become(message: dict[str, Any], fds: list[int]) -> None:
    """This process takes the caller's place: descriptors, folder, environment, umask."""
    if message.get("interpreter") != interpreter():
        raise RuntimeError("the caller's Python options differ from the server's")
    if len(fds) != 3 or min(fds) <= 2:
        raise RuntimeError("expected the caller's stdin, stdout and stderr")
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(message["cwd"])
    os.environ.clear()
    os.environ.update(message["env"])
    os.umask(int(message["umask"]))
    sys.path[:] = [str(p) for p in message["path"]]
    import locale

    with contextlib.suppress(locale.Error):
        locale.setlocale(locale.LC_CTYPE, "")  # as Python does at start-up, from the caller's LANG/LC_*
    utf8 = locale.getencoding().lower().replace("-", "") == "utf8"
    if message.get("utf8_mode") != sys.flags.utf8_mode and not utf8:
        raise RuntimeError("the caller's UTF-8 mode differs from the server's")
    _reopen_streams(message["streams"])


def _reopen_streams(streams: list[list[Any] | None]) -> None:
    """sys.stdin/stdout/stderr over the caller's descriptors, with the caller's encoding."""
    _KEPT.extend((sys.stdin, sys.stdout, sys.stderr))
    made: list[Any] = []
    for fd, spec in enumerate(streams):
        if spec is None:
            made.append(None)
            continue
        encoding, errors, line_buffering = spec
        binary = open(fd, "rb" if fd == 0 else "wb", closefd=False)  # noqa: SIM115  lives as long as the child
        made.append(io.TextIOWrapper(binary, encoding=encoding, errors=errors, line_buffering=line_buffering))
    sys.stdin, sys.stdout, sys.stderr = made
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = made  # type: ignore[misc]


def _run_cli(argv: list[str]) -> int:
    """`publish argv` as the `publish` script runs it: main(), then what Python does at exit."""
    from publisher.cli import main

    sys.argv = ["publish", *argv]
    try:
        code = _exit_code(main(argv))
    except SystemExit as exc:
        code = _exit_code(exc.code)
    except KeyboardInterrupt:
        traceback.print_exc()
        code = 130
    except BaseException:  # noqa: BLE001  as Python itself: the traceback, exit status 1
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            code = code or 120  # Python's status when stdout cannot be flushed at exit
    return code


def _exit_code(value: object) -> int:
    """What sys.exit(value) makes the exit status."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    print(value, file=sys.stderr)
    return 1


def main(argv: list[str]) -> int:
    """The server process (`publish resident start` starts it): SOCKET IDLE_SECONDS LIMIT.
    Says `ready` on stdout once listening, or why not, and then lets go of the starter's pipe."""
    path, idle, limit = argv[0], float(argv[1]), int(argv[2])
    try:
        warm()
        if len(os.listdir("/proc/self/task")) > 1:  # forking a threaded process can copy a held lock
            raise RuntimeError("warming up started a thread; forking from it would not be safe")
        listener = listen(path)
    except Exception as exc:  # noqa: BLE001  one line for `publish resident start` to show
        print(f"{type(exc).__name__}: {exc}", flush=True)
        return 1
    server = Server(listener, path, idle, limit)
    import gc

    gc.freeze()  # the warm objects stay out of the collector's way: fewer pages copied per fork
    print("ready", flush=True)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    server.run()
    return 0
