"""The client half: hand this `publish` call to a warm resident server, or say it cannot.

`publish` asks here before it imports anything of its own, so this module imports only the
standard library's cheapest parts (no pathlib, no tempfile, no hashlib). When no server runs
for this user and this exact code, the answer is None in a few milliseconds and the call runs
in its own process as always; when anything fails before the server's child has started,
the answer is None too. Once the child runs, this process only waits for its exit status
and passes Ctrl-C, SIGTERM, SIGHUP and Ctrl-Z on to it.

The socket lives in a folder only its owner may enter, and both ends check the other's uid
(SO_PEERCRED). Its name carries the package version and a fingerprint of the installed
code and of what the warm state depends on, so a changed tree never talks to an old server.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import sys
import zlib

from publisher import __version__

DIR_ENV = "PUBLISH_RESIDENT_DIR"  # the folder of the sockets (tests, or a user's choice)
OFF_ENV = "PUBLISH_RESIDENT"  # "off": never hand a call to a server
# never handed over: the service's commands, and `publish resident` itself
OWN_PROCESS = frozenset({"serve", "worker", "db", "resident"})
PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FINGERPRINTED = (".py", ".po", ".mo")  # the code, and the catalogues the server loads once
# the environment the server's interpreter and warm state were made from: where its modules
# come from, its hash seed (the order of sets), the pandoc it asked for its API version
WARM_ENV = ("PYTHONPATH", "PYTHONHOME", "PYTHONHASHSEED", "PYPANDOC_PANDOC")
START_TIMEOUT = 30.0  # seconds to wait for a child (all the server's slots may be busy)
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_FRAME = struct.Struct(">I")
MAX_FRAME = 16 * 1024 * 1024
SUFFIX = ".sock"


def runtime_dir(environ: os._Environ[str] | dict[str, str] = os.environ) -> str:
    """Where this user's servers listen: $PUBLISH_RESIDENT_DIR, else $XDG_RUNTIME_DIR/publisher,
    else a folder of this uid's under the temporary folder."""
    chosen = environ.get(DIR_ENV)
    if chosen:
        return os.path.abspath(chosen)
    xdg = environ.get("XDG_RUNTIME_DIR")
    if xdg:
        return os.path.join(xdg, "publisher")
    return os.path.join(environ.get("TMPDIR") or "/tmp", f"publisher-{os.getuid()}")


def fingerprint() -> str:
    """The code this process would run: every source file's name, size and mtime, the
    interpreter, and the environment the warm state depends on."""
    parts = [__version__, sys.executable, sys.version, PACKAGE, *(os.environ.get(n, "") for n in WARM_ENV)]
    for root, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(FINGERPRINTED):
                st = os.stat(os.path.join(root, name))
                parts.append(f"{root}/{name}:{st.st_size}:{st.st_mtime_ns}")
    data = "\0".join(parts).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def socket_path(folder: str | None = None) -> str:
    return os.path.join(folder or runtime_dir(), f"publish-{__version__}-{fingerprint()}{SUFFIX}")


def private_folder(folder: str) -> bool:
    """The folder is a real folder of this user's that nobody else may enter."""
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    return st.st_mode & 0o170000 == 0o040000 and st.st_uid == os.getuid() and not st.st_mode & 0o077


def peer(conn: socket.socket) -> tuple[int, int]:
    """(pid, uid) of the process at the other end of a unix socket."""
    pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
    return pid, uid


def connect(path: str, timeout: float = START_TIMEOUT) -> socket.socket | None:
    """A connection to the server at `path`, checked to be this user's; None when there is none."""
    folder = os.path.dirname(path)
    if not private_folder(folder) or len(path.encode()) >= 104:  # sun_path holds 108 bytes
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(timeout)
        conn.connect(path)
        if peer(conn)[1] != os.getuid():
            raise ConnectionRefusedError("the server belongs to another user")
    except OSError:
        conn.close()
        return None
    return conn


def send(conn: socket.socket, message: dict[str, object], fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode("utf-8", "surrogateescape")
    frame = _FRAME.pack(len(data)) + data
    if fds:
        sent = socket.send_fds(conn, [frame], fds)
        frame = frame[sent:]
    conn.sendall(frame)


def receive(conn: socket.socket, max_fds: int = 0) -> tuple[dict[str, object], list[int]]:
    """One message (and the descriptors sent with it); ConnectionError at the end of the stream."""
    fds: list[int] = []
    head = b""
    if max_fds:
        head, fds, _flags, _addr = socket.recv_fds(conn, _FRAME.size, max_fds)
    head += _exactly(conn, _FRAME.size - len(head))
    (size,) = _FRAME.unpack(head)
    if size > MAX_FRAME:
        raise ConnectionError("message too large")
    message = json.loads(_exactly(conn, size).decode("utf-8", "surrogateescape"))
    if not isinstance(message, dict):
        raise ConnectionError("not a message")
    return message, fds


def _exactly(conn: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = conn.recv(left)
        if not chunk:
            raise ConnectionError("the other end went away")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _streams() -> list[list[object] | None]:
    """How Python set up this process's stdin, stdout, stderr, for the child to do the same."""
    return [[s.encoding, s.errors, s.line_buffering] if s is not None and hasattr(s, "encoding") else None
            for s in (sys.stdin, sys.stdout, sys.stderr)]


def request(argv: list[str]) -> dict[str, object]:
    """Everything the child needs to be this process (the descriptors travel beside it)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return {"op": "run", "argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "umask": umask,
            "path": sys.path, "streams": _streams(), "interpreter": interpreter(), "utf8_mode": sys.flags.utf8_mode}


def interpreter() -> dict[str, object]:
    """The options of this Python that a call could notice; UTF-8 mode apart (the server's
    child speaks UTF-8 whenever the caller's locale does)."""
    flags = dict(zip(type(sys.flags).__match_args__, sys.flags, strict=False))
    flags.pop("utf8_mode", None)
    xoptions = {k: v if isinstance(v, str) else bool(v) for k, v in sys._xoptions.items()}
    return {"flags": flags, "warnoptions": sys.warnoptions, "xoptions": xoptions}


def forward(argv: list[str]) -> int | None:
    """The exit status of this call as run by a resident server, or None: run it here."""
    if os.environ.get(OFF_ENV) == "off" or (argv[:1] and argv[0] in OWN_PROCESS):
        return None
    if "-" in argv and os.isatty(0):
        return None  # a record typed at the terminal: stay in the terminal's process group
    folder = runtime_dir()
    try:
        if not any(name.endswith(SUFFIX) for name in os.listdir(folder)):
            return None
    except OSError:
        return None
    conn = connect(socket_path(folder))
    if conn is None:
        return None
    with conn:
        try:
            send(conn, request(argv), [0, 1, 2])
            answer, _ = receive(conn)
        except (OSError, ValueError):
            return None
        child = answer.get("pid")
        if not isinstance(child, int) or child <= 0:
            return None
        return _wait(conn, child)


def _wait(conn: socket.socket, child: int) -> int | None:
    """Let the child run, pass signals on to its process group, and return its exit status."""
    forwarded: list[int] = []

    def pass_on(signum: int, _frame: object) -> None:
        forwarded.append(signum)
        with contextlib.suppress(OSError):  # the child has just ended
            os.killpg(child, signum)

    def suspend(_signum: int, _frame: object) -> None:
        """Ctrl-Z: the call stops with this process, and goes on when it does (fg, bg)."""
        with contextlib.suppress(OSError):
            os.killpg(child, signal.SIGSTOP)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)  # stopped here until SIGCONT
        signal.signal(signal.SIGTSTP, suspend)
        with contextlib.suppress(OSError):
            os.killpg(child, signal.SIGCONT)

    before = {signum: signal.signal(signum, pass_on) for signum in FORWARDED}
    before[signal.SIGTSTP] = signal.signal(signal.SIGTSTP, suspend)
    try:
        conn.settimeout(None)
        send(conn, {"go": True})
    except OSError:  # the child will not run: nothing of this call has happened yet
        for signum, handler in before.items():
            signal.signal(signum, handler)
        return None
    try:
        answer, _ = receive(conn)
        status = answer.get("status")
        if isinstance(status, int):
            return status
    except (OSError, ValueError):
        pass
    # the child died without an answer: die of the signal it died of, as the call would have
    for number in reversed(forwarded):
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
    return 1
