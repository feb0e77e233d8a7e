"""The Typst compiler child: kept alive between PDFs, killed on time-out, dead with its parent,
and a record too large for its memory cap reported as such in one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from publisher.errors import RenderError
from publisher.render import typst_run
from publisher.render.template_dir import installed_templates
from publisher.render.typst_run import compile_pdf

ROOT = Path(__file__).resolve().parents[2]
PDF_TEMPLATES = installed_templates() / "pdf"
TINY = "#set page(width: 5cm, height: 5cm)\nHello"
SLOW = "#for i in range(20000) { for j in range(20000) { } }\nx"  # seconds of work, little memory
HUGE = "#let a = range(400000000)\n#a.len()"  # an array of more than 2 GB


def compile_tiny(source: str = TINY, timeout: float = 60.0) -> bytes:
    return compile_pdf(source, root=PDF_TEMPLATES, font_dirs=[], inputs={}, timeout=timeout, origin="rec.txt")


def child_pid() -> int:
    compiler = typst_run._LOCAL.compiler
    assert compiler is not None
    return compiler.process.pid


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"  # a zombie is dead, only not yet collected
    except FileNotFoundError:
        return False


def test_one_child_compiles_one_pdf_after_another() -> None:
    first = compile_tiny()
    pid = child_pid()
    assert compile_tiny() == first and child_pid() == pid


def test_a_typst_error_is_one_line_and_keeps_the_child() -> None:
    compile_tiny()
    pid = child_pid()
    with pytest.raises(RenderError) as error:
        compile_tiny("#let x = (1, 2")
    assert str(error.value) == "rec.txt: typst failed: unclosed delimiter"
    assert child_pid() == pid
    assert compile_tiny().startswith(b"%PDF")


def test_a_time_out_kills_the_child_and_the_next_pdf_gets_a_new_one() -> None:
    compile_tiny()
    pid = child_pid()
    with pytest.raises(RenderError, match="typst took longer than 0.5 s and was stopped"):
        compile_tiny(SLOW, timeout=0.5)
    time.sleep(0.2)
    assert not alive(pid)
    assert compile_tiny().startswith(b"%PDF") and child_pid() != pid


def test_over_the_memory_cap_is_record_too_large(tmp_path: Path) -> None:
    # issue 13: the cap used to surface as a Rust panic ("note: Some details are omitted, ...")
    with pytest.raises(RenderError) as error:
        compile_tiny(HUGE)
    assert str(error.value) == "rec.txt: record too large for PDF (typst needed more than its 2 GB memory cap)"
    assert compile_tiny().startswith(b"%PDF")  # and the next record is fine


def test_each_thread_has_its_own_child() -> None:
    pids: list[int] = []

    def work() -> None:
        compile_tiny()
        pids.append(child_pid())

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(pids)) == 2
    for pid in pids:  # each died with the thread that started it
        for _ in range(100):
            if not alive(pid):
                break
            time.sleep(0.05)
        assert not alive(pid)


_PARENT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from publisher.render.typst_run import compile_pdf
    compile_pdf({slow!r}, root={templates!r}, font_dirs=[], inputs={{}}, timeout=600)
    """
)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().split(")")[-1].split()[1]) == pid:
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def test_a_killed_parent_takes_its_child_along(tmp_path: Path) -> None:
    # issue 12: a SIGKILLed server left its Typst child running, reparented to init
    script = tmp_path / "parent.py"
    script.write_text(_PARENT.format(root=str(ROOT), templates=str(PDF_TEMPLATES), slow=SLOW * 20))
    with subprocess.Popen([sys.executable, str(script)]) as parent:
        try:
            for _ in range(600):
                kids = children_of(parent.pid)
                if kids:
                    break
                time.sleep(0.05)
            assert kids, "the parent never started a compiler"
            time.sleep(1.0)  # the child is compiling the slow document now
            assert alive(kids[0])
        finally:
            parent.send_signal(signal.SIGKILL)
            parent.wait(timeout=30)
        for _ in range(100):
            if not alive(kids[0]):
                break
            time.sleep(0.05)
        still = alive(kids[0])
        if still:
            os.kill(kids[0], signal.SIGKILL)
        assert not still


def test_a_forked_process_starts_its_own_child() -> None:
    compile_tiny()
    pid = child_pid()
    read, write = os.pipe()
    fork = os.fork()
    if fork == 0:  # the child: compile, report its compiler's pid, leave without cleanup
        try:
            compile_tiny()
            os.write(write, str(child_pid()).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(fork, 0)
    forked_child = int(os.read(read, 64) or b"0")
    os.close(read)
    assert forked_child not in (0, pid)
    assert compile_tiny().startswith(b"%PDF") and child_pid() == pid  # ours is untouched
