"""Folder outputs (sphinx): only folders publisher wrote are replaced, never the user's files,
and a run killed at any moment leaves a folder in place; its leftovers go on the next run."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from publisher.cli import EXIT_OK, EXIT_USAGE, main
from publisher.errors import UsageError
from publisher.render import folders
from publisher.render.folders import MANIFEST, check_replaceable
from publisher.render.outputs import write_output

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = sorted((ROOT / "samples").glob("*.txt"))[0]
OLD = {"index.rst": b"old", "conf.py": b"x = 1"}
NEW = {"index.rst": b"new", "conf.py": b"x = 2", "_static/a.css": b"p {}"}


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != MANIFEST}


# --------------------------------------------------------------------------- the input is never deleted
def test_sphinx_output_over_the_folder_holding_the_input_is_refused(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    # issue 12: `publish sph/rec-sphinx/rec.txt --to sphinx -o sph` deleted rec.txt
    inner = tmp_path / "sph" / "rec-sphinx"
    inner.mkdir(parents=True)
    record = inner / "rec.txt"
    shutil.copy(SAMPLE, record)
    status = main([str(record), "--to", "sphinx", "-o", str(tmp_path / "sph")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == EXIT_USAGE
    assert record.read_bytes() == SAMPLE.read_bytes()
    assert listing(tmp_path / "sph") == ["rec-sphinx", "rec-sphinx/rec.txt"]
    assert len(err) == 1 and "the input lies inside" in err[0] and str(record) in err[0]


def test_input_inside_a_folder_we_wrote_is_refused_too(tmp_path: Path) -> None:
    target = tmp_path / "rec-sphinx"
    write_output(target, OLD)
    with pytest.raises(UsageError, match="the input lies inside"):
        check_replaceable(target, protect=[target / "index.rst"])


def test_a_folder_we_did_not_write_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "rec-sphinx"
    target.mkdir()
    (target / "index.rst").write_text("the user's own")
    with pytest.raises(UsageError, match="not written by publisher"):
        write_output(target, NEW)
    assert (target / "index.rst").read_text() == "the user's own"
    assert listing(tmp_path) == ["rec-sphinx", "rec-sphinx/index.rst"]


@pytest.mark.parametrize("extra", ["notes.txt", "_build/html/index.html", "empty-folder/"])
def test_a_folder_we_wrote_with_anything_added_is_refused(tmp_path: Path, extra: str) -> None:
    target = tmp_path / "rec-sphinx"
    write_output(target, OLD)
    added = target / extra
    if extra.endswith("/"):
        added.mkdir()
    else:
        added.parent.mkdir(parents=True, exist_ok=True)
        added.write_text("mine")
    with pytest.raises(UsageError, match=f"holds files publisher did not write \\({extra.split('/')[0]}"):
        write_output(target, NEW)
    assert added.exists() and contents(target).get("index.rst") == b"old"


def test_a_manifest_cannot_point_outside_its_folder(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    target = tmp_path / "out" / "rec-sphinx"
    write_output(target, OLD)
    (target / MANIFEST).write_text("../../victim.txt\nindex.rst\nconf.py\n")
    write_output(target, NEW)
    assert victim.read_text() == "keep me"
    assert contents(target) == NEW


@pytest.mark.parametrize("kind", ["symlink", "file"])
def test_a_link_or_a_file_in_place_of_the_folder_is_refused(tmp_path: Path, kind: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    write_output(elsewhere, OLD)
    target = tmp_path / "rec-sphinx"
    if kind == "symlink":
        target.symlink_to(elsewhere, target_is_directory=True)
    else:
        target.write_text("a file")
    with pytest.raises(UsageError):
        write_output(target, NEW)
    assert contents(elsewhere) == OLD


# --------------------------------------------------------------------------- replacing our own folder
def test_our_folder_is_replaced_with_normal_permissions(tmp_path: Path) -> None:
    target = tmp_path / "rec-sphinx"
    old_umask = os.umask(0o077)  # like a cautious user's shell: must not make the output private
    try:
        write_output(target, OLD)
        write_output(target, NEW)
    finally:
        os.umask(old_umask)
    assert contents(target) == NEW
    assert sorted((target / MANIFEST).read_text().split("\n")[2:]) == ["", "_static/a.css", "conf.py", "index.rst"]
    assert listing(tmp_path) == ["rec-sphinx", *[f"rec-sphinx/{p}" for p in listing(target)]]  # no leftovers
    modes = {p.relative_to(target).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in [target, *target.rglob("*")]}
    assert modes == {".": 0o755, "_static": 0o755, "_static/a.css": 0o644, "conf.py": 0o644, "index.rst": 0o644,
                     MANIFEST: 0o644}


def test_cli_sphinx_twice_replaces_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = tmp_path / "rec.txt"
    shutil.copy(SAMPLE, record)
    out = tmp_path / "out"
    assert main([str(record), "--to", "sphinx", "-o", str(out), "-q"]) == EXIT_OK
    first = contents(out / "rec-sphinx")
    assert main([str(record), "--to", "sphinx", "-o", str(out), "-q"]) == EXIT_OK
    assert contents(out / "rec-sphinx") == first and set(first) == {"conf.py", "index.rst"}
    assert sorted(p.name for p in out.iterdir()) == ["rec-sphinx"]
    assert stat.S_IMODE((out / "rec-sphinx").stat().st_mode) == 0o755


def test_without_exchange_the_two_step_swap_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(folders, "_renameat2", lambda src, dst, flags: False)
    target = tmp_path / "rec-sphinx"
    write_output(target, OLD)
    write_output(target, NEW)
    assert contents(target) == NEW and listing(tmp_path)[0] == "rec-sphinx"
    assert [p.name for p in tmp_path.iterdir()] == ["rec-sphinx"]


def test_a_failed_swap_keeps_the_old_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "rec-sphinx"
    write_output(target, OLD)

    def broken(src: Path, dst: Path, flags: int) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(folders, "_renameat2", broken)
    with pytest.raises(OSError):
        write_output(target, NEW)
    assert contents(target) == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["rec-sphinx"]


# --------------------------------------------------------------------------- killed midway
_KILLED = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from publisher.render import folders
    from publisher.render.outputs import write_output
    marker, where = Path(sys.argv[2]), sys.argv[3]

    def pause():
        marker.write_text("here")
        time.sleep(60)

    write, remove, rename = folders._write, folders._remove_ours, os.rename
    if where == "filling":  # the new folder half written
        folders._write = lambda path, data: (path.name == "index.rst" and pause(), write(path, data))
    elif where == "removing the old":  # exchanged; the old folder not yet removed
        folders._remove_ours = lambda *args: (pause(), remove(*args))[1]
    else:  # no exchange on this system: the old folder moved aside, the new one not yet in
        folders._renameat2 = lambda src, dst, flags: False
        os.rename = lambda src, dst: (rename(src, dst), str(dst).endswith(".old") and pause())
    write_output(Path(sys.argv[1]), {{"index.rst": b"new", "conf.py": b"x = 2"}})
    """
)


@pytest.mark.parametrize("where", ["filling", "removing the old", "two-step"])
def test_a_killed_swap_leaves_a_folder_and_the_next_run_cleans_up(tmp_path: Path, where: str) -> None:
    target = tmp_path / "rec-sphinx"
    write_output(target, OLD)
    marker, script = tmp_path.parent / f"{tmp_path.name}-marker", tmp_path.parent / f"{tmp_path.name}-writer.py"
    script.write_text(_KILLED.format(root=str(ROOT)))
    proc = subprocess.Popen([sys.executable, str(script), str(target), str(marker), where])
    try:
        for _ in range(600):
            if marker.exists():
                break
            time.sleep(0.05)
        assert marker.exists(), "the writer never got there"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.wait()
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "rec-sphinx")
    assert leftovers, "the pause came after the leftovers were gone"
    if where == "two-step":
        assert not target.exists()  # the one moment the fallback has no folder in place
    else:
        assert contents(target) in (OLD, {"index.rst": b"new", "conf.py": b"x = 2"})
    write_output(target, NEW)  # the next run
    assert contents(target) == NEW
    assert [p.name for p in tmp_path.iterdir()] == ["rec-sphinx"]


def test_the_next_run_puts_back_an_old_folder_left_aside(tmp_path: Path) -> None:
    target = tmp_path / "rec-sphinx"
    write_output(target, OLD)
    aside = tmp_path / ".rec-sphinx.999999999-0123abcd.old"
    target.rename(aside)
    folders._clean_leftovers(target)
    assert contents(target) == OLD and [p.name for p in tmp_path.iterdir()] == ["rec-sphinx"]


def test_leftovers_of_older_versions_are_cleaned_when_they_hold_only_their_files(tmp_path: Path) -> None:
    target = tmp_path / "rec-sphinx"
    for name in (".rec-sphinx.old", ".rec-sphinx.k3j_9xq2"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.rst").write_text("old")
        (tmp_path / name / "conf.py").write_text("x = 0")
    kept = tmp_path / ".rec-sphinx.abcdefgh"
    kept.mkdir()
    (kept / "index.rst").write_text("old")
    (kept / "thesis.tex").write_text("the user's")
    write_output(target, NEW)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".rec-sphinx.abcdefgh", "rec-sphinx"]
    assert listing(kept) == ["index.rst", "thesis.tex"]


def test_a_running_writers_folder_is_not_taken_for_a_leftover(tmp_path: Path) -> None:
    busy = tmp_path / f".rec-sphinx.{os.getppid()}-0123abcd.partial"  # the pytest runner's parent: alive
    write_output(busy, OLD)
    write_output(tmp_path / "rec-sphinx", NEW)
    assert contents(busy) == OLD
