"""`publish resident`: a real warm server in a temporary folder, and `publish` calls that go
through it, compared byte for byte with the same calls run on their own (PUBLISH_RESIDENT=off).

Every call is the real command in a child process; the server is stopped (and killed if it
did not stop) at the end. The status line's count of calls run shows that a call did go
through the server, so that a comparison is never of the normal path with itself.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from publisher.resident import client

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "samples").glob("*.txt"))
FIXTURES = REPO / "tests" / "fixtures" / "records"
RECORDS = [*SAMPLES, FIXTURES / "en_chinese_markers.txt", FIXTURES / "en_crlf_outline_markers.txt"]
HAN = re.compile(r"[\u4e00-\u9fff]")
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
WAIT = 60.0  # seconds: generous bounds for a loaded machine, never a timing assertion


def _environment(folder: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (*LOCALE_VARS, client.OFF_ENV, *client.WARM_ENV)}
    env[client.DIR_ENV] = folder
    env.update(extra)
    return env


def publish(args: list[str], env: dict[str, str], stdin: bytes | None = None, cwd: Path = REPO
            ) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "publisher", *args]
    env = {**env, "PYTHONPATH": str(REPO)}  # this tree's publisher, from any working folder
    return subprocess.run(command, cwd=cwd, env=env, input=stdin, capture_output=True, timeout=300, check=False)


def plain(env: dict[str, str]) -> dict[str, str]:
    return {**env, client.OFF_ENV: "off"}


class Resident:
    """A started server: its environment, its pid, and how many calls it has run."""

    def __init__(self, folder: str, *options: str) -> None:
        self.folder = folder
        self.env = _environment(os.path.join(folder, "run"))
        started = publish(["resident", "start", "--idle", "10", "--lang", "en", *options], self.env)
        assert started.returncode == 0, started.stderr.decode()
        found = re.search(r"pid (\d+)", started.stdout.decode())
        assert found, started.stdout
        self.pid = int(found.group(1))

    def runs(self) -> int:
        done = publish(["resident", "status", "--lang", "en"], self.env)
        assert done.returncode == 0, done.stdout
        found = re.search(r"(\d+) calls run", done.stdout.decode())
        assert found, done.stdout
        return int(found.group(1))

    def close(self) -> None:
        publish(["resident", "stop"], self.env)
        if _alive(self.pid):
            os.kill(self.pid, signal.SIGKILL)
        shutil.rmtree(self.folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def server() -> Iterator[Resident]:
    # under /tmp, not pytest's deep tmp_path: a socket's path holds at most 108 bytes
    resident = Resident(tempfile.mkdtemp(prefix="pubres-", dir="/tmp"))
    try:
        yield resident
    finally:
        resident.close()


def through(server: Resident, args: list[str], env: dict[str, str] | None = None, **kwargs: object
            ) -> subprocess.CompletedProcess[bytes]:
    """The call run by the server; checked to have been run by it."""
    before = server.runs()
    done = publish(args, env or server.env, **kwargs)  # type: ignore[arg-type]
    assert server.runs() == before + 1, "the call did not go through the resident server"
    return done


def zip_members(path: Path) -> dict[str, tuple[bytes, tuple[int, ...]]]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: (z.read(i), i.date_time) for i in z.infolist()}


@pytest.mark.parametrize("record", RECORDS, ids=lambda p: p.name)
def test_the_server_publishes_the_same_bytes_and_says_the_same(server: Resident, record: Path, tmp_path: Path
                                                                ) -> None:
    out = tmp_path / "out"
    args = [str(record), "--to", "docx,json,html", "-o", f"{out}/"]
    alone = publish(args, plain(server.env))
    (tmp_path / "alone").mkdir()
    for path in out.iterdir():
        path.rename(tmp_path / "alone" / path.name)
    resident = through(server, args)
    assert (resident.returncode, resident.stdout, resident.stderr) == (alone.returncode, alone.stdout, alone.stderr)
    names = sorted(p.name for p in (tmp_path / "alone").iterdir())
    assert names == sorted(p.name for p in out.iterdir()) and len(names) == 3
    for name in names:
        mine, theirs = out / name, tmp_path / "alone" / name
        if name.endswith(".docx"):  # the members, their contents and their dates (SOURCE_DATE_EPOCH)
            assert zip_members(mine) == zip_members(theirs)
        assert mine.read_bytes() == theirs.read_bytes(), name


def test_a_batch_runs_its_process_pool_from_the_servers_child(server: Resident, tmp_path: Path) -> None:
    args = [*map(str, RECORDS), "--to", "json,html", "-j", "2", "-o", f"{tmp_path}/out/"]
    alone = publish(args, plain(server.env))
    (tmp_path / "out").rename(tmp_path / "alone")
    resident = through(server, args)

    def said(done: subprocess.CompletedProcess[bytes]) -> bytes:
        # in the order the records finished, counted as they did
        lines = sorted(re.sub(rb"^\[\d+/\d+\] ", b"", line) for line in done.stderr.splitlines())
        return re.sub(rb" in [0-9.]+ s ", b" in - s ", b"\n".join(lines))  # the summary says how long

    assert (resident.returncode, said(resident)) == (alone.returncode, said(alone)) and resident.returncode == 0
    names = sorted(p.name for p in (tmp_path / "alone").iterdir())
    assert len(names) == 2 * len(RECORDS) and names == sorted(p.name for p in (tmp_path / "out").iterdir())
    for name in names:
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes(), name


def test_standard_input_and_output_are_the_callers(server: Resident) -> None:
    data = SAMPLES[1].read_bytes()
    alone = publish(["-", "--to", "json", "-o", "-"], plain(server.env), stdin=data)
    resident = through(server, ["-", "--to", "json", "-o", "-"], stdin=data)
    assert resident.stdout.startswith(b"{") and resident.returncode == 0
    assert (resident.returncode, resident.stdout, resident.stderr) == (alone.returncode, alone.stdout, alone.stderr)


@pytest.mark.parametrize("case", ["missing", "empty", "usage", "help"])
def test_refusals_keep_their_exit_status_and_words(server: Resident, tmp_path: Path, case: str) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    args = {"missing": ["no-such-record.txt", "--to", "json"], "empty": ["empty.txt", "--to", "json"],
            "usage": ["empty.txt", "--to", "nonsense"], "help": ["--help"]}[case]
    alone = publish(args, plain(server.env), cwd=tmp_path)
    resident = through(server, args, cwd=tmp_path)
    assert alone.returncode != 0 or case == "help"
    assert (resident.returncode, resident.stdout, resident.stderr) == (alone.returncode, alone.stdout, alone.stderr)


@pytest.mark.parametrize("how", ["--lang", "LANG", "LC_ALL"])
def test_the_callers_language_is_spoken(server: Resident, tmp_path: Path, how: str) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    # one record at a time: a batch's summary says how long it took
    args = ["empty.txt", "--to", "json"] + (["--lang", "zh"] if how == "--lang" else [])
    env = server.env if how == "--lang" else {**server.env, how: "zh_CN.UTF-8"}
    alone = publish(args, plain(env), cwd=tmp_path)
    resident = through(server, args, env, cwd=tmp_path)
    assert HAN.search(alone.stderr.decode()), alone.stderr.decode()
    assert (resident.returncode, resident.stdout, resident.stderr) == (alone.returncode, alone.stdout, alone.stderr)


def test_the_callers_umask_makes_the_folders(server: Resident, tmp_path: Path) -> None:
    def made(folder: str, env: dict[str, str]) -> int:
        command = f"umask 027 && exec {sys.executable} -m publisher {SAMPLES[1]} --to json -o {tmp_path}/{folder}/ -q"
        done = subprocess.run(["sh", "-c", command], cwd=REPO, env={**env, "PYTHONPATH": str(REPO)},
                              capture_output=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr
        return (tmp_path / folder).stat().st_mode & 0o777

    before = server.runs()
    assert made("resident", server.env) == made("alone", plain(server.env)) == 0o750
    assert server.runs() == before + 1


def _blocked_reading_stdin(pid: int) -> bool:
    """The process sleeps in read(0, ...) (x86-64 and arm64 syscall numbers)."""
    try:
        fields = Path(f"/proc/{pid}/syscall").read_text().split()
    except OSError:
        return False
    number = {"x86_64": "0", "aarch64": "63"}.get(os.uname().machine)
    return len(fields) > 1 and fields[0] == number and int(fields[1], 16) == 0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _caller_reading_stdin(server: Resident) -> tuple[subprocess.Popen[bytes], int]:
    """A `publish -` whose call waits in the server for a record on stdin: (the caller, the server's child)."""
    before = set(_children(server.pid))
    caller = subprocess.Popen([sys.executable, "-m", "publisher", "-", "--to", "json", "-o", "-"], cwd=REPO,
                              env={**server.env, "PYTHONPATH": str(REPO)}, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + WAIT
    while True:
        waiting = [c for c in set(_children(server.pid)) - before if _blocked_reading_stdin(c)]
        if waiting:
            return caller, waiting[0]
        if time.monotonic() > deadline:
            caller.kill()
            caller.communicate()
            raise AssertionError("the call never started in the server")
        time.sleep(0.02)


ON_LINUX_WITH_KNOWN_SYSCALLS = pytest.mark.skipif(os.uname().machine not in ("x86_64", "aarch64"),
                                                  reason="syscall numbers of this machine")


@ON_LINUX_WITH_KNOWN_SYSCALLS
def test_ctrl_c_reaches_the_call_running_in_the_server(server: Resident) -> None:
    caller, _child = _caller_reading_stdin(server)
    try:
        caller.send_signal(signal.SIGINT)
        caller.wait(timeout=WAIT)  # stdin stays open: an end of the record would end the call first
        out, err = caller.communicate(timeout=WAIT)
    finally:
        if caller.poll() is None:
            caller.kill()
    assert (caller.returncode, out, err) == (130, b"", b"publish: interrupted\n")


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


@ON_LINUX_WITH_KNOWN_SYSCALLS
def test_ctrl_z_stops_the_call_with_its_caller_and_fg_goes_on(server: Resident) -> None:
    caller, child = _caller_reading_stdin(server)
    try:
        caller.send_signal(signal.SIGTSTP)
        _until(lambda: _state(caller.pid) == "T" and _state(child) == "T", "the call did not stop with its caller")
        caller.send_signal(signal.SIGCONT)
        _until(lambda: _state(child) == "S", "the call did not go on with its caller")
        out, err = caller.communicate(SAMPLES[1].read_bytes(), timeout=WAIT)
    finally:
        if caller.poll() is None:
            caller.kill()
    assert caller.returncode == 0 and out.startswith(b"{"), err


@ON_LINUX_WITH_KNOWN_SYSCALLS
def test_a_caller_killed_outright_takes_its_call_along(server: Resident) -> None:
    caller, child = _caller_reading_stdin(server)
    caller.kill()
    caller.communicate()
    deadline = time.monotonic() + WAIT
    while _alive(child):
        assert time.monotonic() < deadline, "the call outlived its caller"
        time.sleep(0.02)
    assert _alive(server.pid)


@pytest.mark.parametrize("name", ["PYPANDOC_PANDOC", "PYTHONHASHSEED"])
def test_a_different_environment_of_the_warm_state_passes_the_server_by(server: Resident, tmp_path: Path,
                                                                        name: str) -> None:
    from publisher.render.pandoc_run import pandoc_path

    before = server.runs()
    # another pandoc binary, or another order of sets: another fingerprint
    env = {**server.env, name: pandoc_path() if name == "PYPANDOC_PANDOC" else "7"}
    done = publish([str(SAMPLES[1]), "--to", "json", "-o", str(tmp_path / "a.json"), "-q"], env)
    assert done.returncode == 0 and (tmp_path / "a.json").is_file()
    assert server.runs() == before


def test_the_fingerprint_follows_the_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "stage").mkdir()
    (tmp_path / "stage" / "__pycache__").mkdir()
    source = tmp_path / "stage" / "rules.py"
    source.write_text("X = 1\n")
    monkeypatch.setattr(client, "PACKAGE", str(tmp_path))
    first = client.fingerprint()
    (tmp_path / "stage" / "__pycache__" / "rules.cpython.pyc").write_bytes(b"compiled")
    (tmp_path / "notes.txt").write_text("not code")
    assert client.fingerprint() == first  # compiled files and other files are not the code
    source.write_text("X = 2\n")
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 1_000_000))
    assert client.fingerprint() != first
    (tmp_path / "stage" / "new.py").write_text("")
    assert len({first, client.fingerprint()}) == 2


def test_commands_of_their_own_never_go_through_a_server(server: Resident, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(client.DIR_ENV, server.env[client.DIR_ENV])
    for argv in (["serve", "--help"], ["worker"], ["db"], ["resident", "status"]):
        assert client.forward(argv) is None
    monkeypatch.setenv(client.OFF_ENV, "off")
    assert client.forward(["--version"]) is None


def test_a_folder_others_may_enter_is_refused(tmp_path: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="pubres-", dir="/tmp"))
    try:
        folder.chmod(0o755)
        env = _environment(str(folder))
        done = publish(["resident", "start", "--lang", "en"], env)
        assert done.returncode == 1 and b"could not start" in done.stderr and b"0700" in done.stderr
        assert not client.private_folder(str(folder))
        assert publish([str(SAMPLES[1]), "--to", "json", "-o", str(tmp_path / "a.json"), "-q"], env).returncode == 0
    finally:
        shutil.rmtree(folder)


def test_stop_and_the_idle_timeout_end_the_server_and_take_its_socket() -> None:
    stopped = Resident(tempfile.mkdtemp(prefix="pubres-", dir="/tmp"))
    idle = None
    try:
        run = Path(stopped.env[client.DIR_ENV])
        assert [p.suffix for p in run.iterdir()] == [".sock"]
        done = publish(["resident", "stop", "--lang", "en"], stopped.env)
        assert done.stdout.decode() == f"publish resident: stopped (pid {stopped.pid})\n"
        assert list(run.iterdir()) == [] and not _alive(stopped.pid)
        assert publish(["resident", "status"], stopped.env).returncode == 1
        # --idle in minutes: 0.005 is 0.3 s without a call
        started = publish(["resident", "start", "--idle", "0.005", "--lang", "en"], stopped.env)
        idle = int(re.search(rb"pid (\d+)", started.stdout).group(1))  # type: ignore[union-attr]
        deadline = time.monotonic() + WAIT
        while _alive(idle) or list(run.iterdir()):
            assert time.monotonic() < deadline, "the idle server did not leave"
            time.sleep(0.05)
    finally:
        if idle and _alive(idle):
            os.kill(idle, signal.SIGKILL)
        stopped.close()


def test_a_socket_left_by_a_dead_server_is_passed_by_silently(tmp_path: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="pubres-", dir="/tmp"))
    try:
        env = _environment(str(folder))
        dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        dead.bind(client.socket_path(str(folder)))  # this code's name, but nobody listens
        dead.close()
        args = [str(SAMPLES[1]), "--to", "json", "-o", str(tmp_path / "a.json")]
        done = publish(args, env)
        alone = publish(args, plain(env))
        assert (done.returncode, done.stdout, done.stderr) == (alone.returncode, alone.stdout, alone.stderr)
        assert done.returncode == 0 and b"Traceback" not in done.stderr
        started = publish(["resident", "start", "--idle", "1"], env)  # and `start` replaces the dead socket
        assert started.returncode == 0, started.stderr
        assert publish(["resident", "status"], env).returncode == 0
    finally:
        publish(["resident", "stop"], _environment(str(folder)))
        shutil.rmtree(folder)


def test_calls_beyond_the_limit_wait_for_a_free_child(tmp_path: Path) -> None:
    one = Resident(tempfile.mkdtemp(prefix="pubres-", dir="/tmp"), "--jobs", "1")
    try:
        callers = [subprocess.Popen([sys.executable, "-m", "publisher", str(SAMPLES[1]), "--to", "json", "-o",
                                     str(tmp_path / f"{n}.json"), "-q"], cwd=REPO,
                                    env={**one.env, "PYTHONPATH": str(REPO)}, stderr=subprocess.PIPE)
                   for n in range(3)]
        for caller in callers:
            assert caller.wait(timeout=300) == 0, caller.stderr.read() if caller.stderr else ""
            if caller.stderr:
                caller.stderr.close()
        assert one.runs() == 3
        assert len({(tmp_path / f"{n}.json").read_bytes() for n in range(3)}) == 1
    finally:
        one.close()
