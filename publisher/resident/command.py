"""`publish resident start|stop|status`: the warm server's command line.

Exit status: 0 done (for status: running); 1 not running, or it could not start; 2 usage.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from typing import Any, NoReturn

from publisher.resident.client import PACKAGE, SUFFIX, connect, peer, receive, runtime_dir, send, socket_path

DEFAULT_IDLE_MINUTES = 30.0
STOP_WAIT = 10.0  # seconds for a server to let its socket go after SIGTERM
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# the server: this package's folder first on sys.path, so that it runs exactly this code
SERVER_CODE = "import sys; sys.path.insert(0, sys.argv[1]); from publisher.resident.server import main; " \
              "sys.exit(main(sys.argv[2:]))"

DESCRIPTION = """\
A warm server that makes each `publish` call start faster: it keeps the pipeline and the
writers imported, and every `publish` call of yours that finds it hands its arguments,
working folder, environment and stdin/stdout/stderr to a fresh fork of it, then exits with
that fork's status. The output is the same as without it; without a server (or when it
cannot be used) `publish` runs on its own as always.

It listens on a unix socket in a folder only you may enter ($PUBLISH_RESIDENT_DIR, else
$XDG_RUNTIME_DIR/publisher, else publisher-<uid> in the temporary folder); a change to the
installed code makes `publish` pass it by (start a new one). It exits after --idle minutes
without a call. PUBLISH_RESIDENT=off makes `publish` never use it.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _positive(kind: type) -> Any:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not value > 0 or value != value or value == float("inf"):
            raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="publish resident", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=("start", "stop", "status"),
                   help="start a server for this code; stop every server of yours; show this code's server")
    p.add_argument("--idle", type=_positive(float), default=DEFAULT_IDLE_MINUTES, metavar="MIN",
                   help=f"start: exit after this many minutes without a call (default: {DEFAULT_IDLE_MINUTES:g})")
    p.add_argument("-j", "--jobs", type=_positive(int), metavar="N",
                   help="start: calls run at once, the others wait (default: one per core)")
    p.add_argument("--lang", choices=("en", "zh"), help="the language of the messages (default: from LC_ALL, LANG)")
    return p


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.lang is None:
        from publisher.i18n import from_environment

        args.lang = from_environment()
    return ACTIONS[args.action](args)


def _say(lang: str, msgid: str, /, **args: str | int) -> str:
    from publisher.result import said

    return said(msgid, **args).say(lang)  # type: ignore[arg-type]


def ping(path: str) -> dict[str, Any] | None:
    """The state of the server at `path` (its pid checked against the socket's peer), or None."""
    conn = connect(path, timeout=5.0)
    if conn is None:
        return None
    with conn:
        try:
            send(conn, {"op": "ping"})
            state, _ = receive(conn)
            if state.get("pid") != peer(conn)[0]:
                return None
        except (OSError, ValueError):
            return None
    return state


def status(args: argparse.Namespace) -> int:
    path = socket_path()
    state = ping(path)
    if state is None:
        print(_say(args.lang, "publish resident: not running ({socket})", socket=path))
        return EXIT_FAILED
    print(_say(args.lang, "publish resident: running (pid {pid}, {ran} calls run, {socket})",
               pid=str(state["pid"]), ran=state["ran"], socket=path))
    return EXIT_OK


def start(args: argparse.Namespace) -> int:
    path = socket_path()
    state = ping(path)
    if state is not None:
        print(_say(args.lang, "publish resident: already running (pid {pid}, {socket})", pid=str(state["pid"]), socket=path))
        return EXIT_OK
    jobs = args.jobs or os.cpu_count() or 1
    command = [sys.executable, *subprocess._args_from_interpreter_flags(), "-c", SERVER_CODE,  # type: ignore[attr-defined]
               os.path.dirname(PACKAGE), path, str(args.idle * 60), str(jobs)]
    server = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              cwd="/", start_new_session=True, close_fds=True)
    assert server.stdout is not None
    said = server.stdout.read().decode("utf-8", "replace").strip().splitlines()  # to `ready`, or its end
    server.stdout.close()
    state = ping(path) if said[-1:] == ["ready"] else None
    if state is None:
        server.wait()
        reason = said[-1] if said else f"exit status {server.returncode}"
        print(_say(args.lang, "publish resident: could not start: {error}", error=reason), file=sys.stderr)
        return EXIT_FAILED
    print(_say(args.lang, "publish resident: started (pid {pid}, {socket})", pid=str(state["pid"]), socket=path))
    return EXIT_OK


def stop(args: argparse.Namespace) -> int:
    """Every server in the folder, this code's and older ones; stale socket files go too."""
    folder = runtime_dir()
    try:
        sockets = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(SUFFIX))
    except OSError:
        sockets = []
    stopped = 0
    for path in sockets:
        state = ping(path)
        if state is None:
            _remove(path)
            continue
        with contextlib.suppress(ProcessLookupError):
            os.kill(state["pid"], signal.SIGTERM)
        deadline = time.monotonic() + STOP_WAIT
        while os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(0.02)
        _remove(path)
        stopped += 1
        print(_say(args.lang, "publish resident: stopped (pid {pid})", pid=str(state["pid"])))
    if not stopped:
        print(_say(args.lang, "publish resident: nothing to stop"))
    return EXIT_OK


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


ACTIONS = {"start": start, "stop": stop, "status": status}
