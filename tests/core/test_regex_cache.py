"""The compiled-pattern cache of the command: what comes out of it is what `re` makes, a
damaged or foreign file is ignored, the file stays bounded, and the output never changes.

The command runs for real (a fresh interpreter each time, the cache in a temporary file);
the cache's own bookkeeping is tested on a `_Cache` of its own, which never touches `re`.
"""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher import regex_cache

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "000_0a9243bf99b5b6c4.txt"


def command(cache: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, regex_cache.ENV: cache, "LC_ALL": "C"}
    return subprocess.run([sys.executable, "-m", "publisher", *args], capture_output=True, env=env, cwd=ROOT,
                          timeout=120, check=False)


def original(pattern: str, flags: int) -> re.Pattern[str]:
    return regex_cache._ORIGINAL(pattern, flags)  # type: ignore[misc]


def test_the_command_fills_the_cache_and_every_entry_is_what_re_compiles(tmp_path: Path) -> None:
    cache = tmp_path / "regex.marshal"
    cold = command(str(cache), str(SAMPLE), "--to", "json", "-o", "-")
    assert cold.returncode == 0, cold.stderr
    stamp, run, entries = marshal.loads(cache.read_bytes())
    assert stamp == regex_cache._stamp() and run == 1
    assert len(entries) > 200  # the pipeline's patterns, not a handful
    for (pattern, flags), (parsed_flags, code, groups, index, names, _) in entries.items():
        import _sre

        cached = _sre.compile(pattern, parsed_flags, code, groups, index, names)
        fresh = original(pattern, flags)
        assert cached == fresh and cached.groupindex == fresh.groupindex, pattern  # == compares the code
    warm = command(str(cache), str(SAMPLE), "--to", "json", "-o", "-")
    off = command("off", str(SAMPLE), "--to", "json", "-o", "-")
    assert warm.stdout == cold.stdout == off.stdout and warm.stderr == cold.stderr == off.stderr


def test_a_run_that_compiled_little_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "regex.marshal"
    first = regex_cache._Cache(path)
    first.compile("a+b", 0)
    first.spent = regex_cache._SAVE_AFTER  # as if it had been slow
    first.save()
    written = path.read_bytes()
    second = regex_cache._Cache(path)
    second.load()
    second.compile("a+b", 0)
    second.compile("x|y", 0)  # a cheap miss (a pattern built from a set, say): not worth a write
    second.save()
    assert path.read_bytes() == written and second.missed == 1


@pytest.mark.parametrize("damage", [b"", b"not marshal at all", marshal.dumps((("other", (3, 9, 0), 0, 4, 1), 3, {})),
                                    marshal.dumps(("short",)), b"\x00" * 100])
def test_a_damaged_or_foreign_cache_is_ignored_and_replaced(tmp_path: Path, damage: bytes) -> None:
    cache = tmp_path / "regex.marshal"
    cache.write_bytes(damage)
    done = command(str(cache), str(SAMPLE), "--to", "json", "-o", "-")
    reference = command("off", str(SAMPLE), "--to", "json", "-o", "-")
    assert done.returncode == 0 and done.stdout == reference.stdout, done.stderr
    assert marshal.loads(cache.read_bytes())[0] == regex_cache._stamp()


def test_an_entry_whose_code_is_damaged_is_compiled_again(tmp_path: Path) -> None:
    path = tmp_path / "regex.marshal"
    cache = regex_cache._Cache(path)
    cache.compile(r"(?P<year>\d{4})年", 0)
    flags, code, groups, index, names, run = cache.entries[(r"(?P<year>\d{4})年", 0)]
    cache.entries[(r"(?P<year>\d{4})年", 0)] = (flags, [999999], groups, index, names, run)
    pattern = cache.compile(r"(?P<year>\d{4})年", 0)
    assert pattern == original(r"(?P<year>\d{4})年", 0) and pattern.match("2024年").group("year") == "2024"


def test_a_cache_that_cannot_be_written_costs_nothing_but_time(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    done = command(str(blocked / "sub" / "regex.marshal"), str(SAMPLE), "--to", "json", "-o", "-")
    assert done.returncode == 0 and done.stdout == command("off", str(SAMPLE), "--to", "json", "-o", "-").stdout


def test_entries_unused_for_many_saves_are_dropped_and_the_size_is_bounded(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "regex.marshal"
    monkeypatch.setattr(regex_cache, "_KEEP_RUNS", 2)
    monkeypatch.setattr(regex_cache, "_MAX_ENTRIES", 5)

    def one_run(*patterns: str) -> set[str]:
        cache = regex_cache._Cache(path)
        cache.load()
        for p in patterns:
            cache.compile(p, 0)
        cache.spent = regex_cache._SAVE_AFTER
        cache.save()
        return {k[0] for k in marshal.loads(path.read_bytes())[2]}

    assert one_run("old", "kept") == {"old", "kept"}
    assert one_run("kept", "new1") == {"old", "kept", "new1"}
    assert one_run("kept", "new2") == {"old", "kept", "new1", "new2"}
    assert one_run("kept", "new3") == {"kept", "new1", "new2", "new3"}  # "old" unused for three saves
    assert len(one_run(*(f"many{i}" for i in range(8)))) == 5  # the newest first, up to the bound


def test_the_python_api_leaves_re_alone() -> None:
    probe = ("import re, publisher; publisher.publish; from publisher.api import publish; "
             "from re import _compiler; print(_compiler.compile.__module__)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "re._compiler"


def test_off_installs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(regex_cache.ENV, "off")
    assert regex_cache.default_path() is None


# ---- generated patterns: whatever the shape, a cached compile equals re's --------------------

_ATOMS = st.sampled_from([r"a", r"\d", r"[a-z]", r"[^\s。]", r"\w", r".", r"表", r"[\u4e00-\u9fff]", r"\b", r"^", r"$",
                          r"(?:ab|cd)", r"\[", r"[0-9０-９]", r"(?i:abc)", r"\s"])
_QUANTIFIERS = st.sampled_from(["", "*", "+", "?", "{2}", "{1,3}", "*?", "+?"])


@st.composite
def patterns(draw: st.DrawFn) -> str:
    parts = [draw(_ATOMS) + draw(_QUANTIFIERS) for _ in range(draw(st.integers(1, 6)))]
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(parts)))
        parts = [*parts[:cut], "(?P<g>" + "".join(parts[cut:]) + ")"]
    alternatives = "".join(parts)
    if draw(st.booleans()):
        alternatives += "|" + draw(_ATOMS)
    return alternatives


@settings(max_examples=150, deadline=None)
@given(patterns(), st.sampled_from([0, re.I, re.M | re.S, re.X, re.A]), st.text(max_size=30))
def test_a_cached_pattern_is_re_s_pattern(tmp_path_factory: pytest.TempPathFactory, pattern: str, flags: int,
                                          text: str) -> None:
    path = tmp_path_factory.mktemp("cache") / "regex.marshal"
    try:
        fresh = original(pattern, flags)
    except re.error as error:  # a pattern re refuses is refused the same way
        with pytest.raises(re.error, match=re.escape(error.msg)):
            regex_cache._Cache(path).compile(pattern, flags)
        return
    first = regex_cache._Cache(path)
    first.compile(pattern, flags)
    first.spent = regex_cache._SAVE_AFTER
    first.save()
    again = regex_cache._Cache(path)
    again.load()
    cached = again.compile(pattern, flags)
    assert again.missed == 0 and cached == fresh and cached.groupindex == fresh.groupindex
    assert [m.span() for m in cached.finditer(text)] == [m.span() for m in fresh.finditer(text)]
