"""The `publish` command as a user meets it: exit codes, messages, where files go, batches.

Most tests run `main()` in this process and publish JSON (no pandoc), to stay fast; one
batch goes through the process pool, and one test starts the real command.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import publisher.batch
from publisher import __version__
from publisher.api import publish
from publisher.cli import EXIT_FAILED, EXIT_OK, EXIT_STRICT, EXIT_USAGE, main
from publisher.result import localised

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples").glob("*.txt"))

# name -> (file content, words the one-line error must contain)
BAD_INPUTS: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"\n  \n\t\n", "empty"),
    "nul.txt": (b"\x00\x01\x02binary", "binary"),
    "bad-utf16.txt": (b"\xff\xfe" + "大纲:".encode("utf-16-le") + b"\x00\xd8\x41", "not UTF-16"),
    "undecodable.txt": (bytes(range(128, 256)) * 8, "not text in any encoding"),
    "controls.txt": (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 40, "binary"),
    "chat.txt": (b"hello, this is just a chat message and not a record", "not a callback record"),
    "pdf.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\x00", "binary"),
}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """No locale in the environment: the command speaks English (a test of another language sets one)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def records(tmp_path: Path) -> list[Path]:
    """The two real samples, copied so that nothing can touch the originals."""
    folder = tmp_path / "in"
    folder.mkdir()
    return [Path(shutil.copy(s, folder / s.name)) for s in SAMPLES]


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("publish: error:")]


# --- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_naming_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    content, words = BAD_INPUTS[name]
    record = tmp_path / name
    record.write_bytes(content)
    before = sha(record)
    status = main([str(record), "--to", "json,md", "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == EXIT_FAILED
    assert error_lines(err) == err.strip().splitlines()  # nothing else, and no traceback
    assert len(error_lines(err)) == 1
    assert str(record) in err and words in err
    assert files_in(tmp_path / "out") == []
    assert sha(record) == before


@pytest.mark.parametrize("case", ["missing", "folder", "too-large"])
def test_unreadable_input_is_one_line(tmp_path: Path, records: list[Path], capsys: pytest.CaptureFixture[str],
                                      case: str) -> None:
    args = {
        "missing": [str(tmp_path / "nope.txt")],
        "folder": [str(records[0].parent)],
        "too-large": [str(records[0]), "--max-size", "0.001"],
    }[case]
    status = main([*args, "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == EXIT_FAILED
    assert len(err.strip().splitlines()) == 1 and err.startswith("publish: error: ")
    assert args[0] in err
    assert files_in(tmp_path / "out") == []


def test_output_onto_the_input_is_refused(tmp_path: Path, records: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    record = records[0]
    before = sha(record)
    assert main([str(record), "-o", str(record)]) == EXIT_USAGE
    assert "-o names the input file itself" in capsys.readouterr().err
    as_json = record.with_suffix(".json")
    as_json.write_bytes(record.read_bytes())
    assert main([str(as_json), "--to", "json"]) == EXIT_USAGE
    assert "overwrite the input" in capsys.readouterr().err
    assert sha(record) == before and sha(as_json) == before


def test_two_records_writing_one_file_are_refused_before_any_work(tmp_path: Path, records: list[Path],
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other"
    other.mkdir()
    twin = Path(shutil.copy(records[0], other / records[0].name))
    status = main([str(records[1]), str(records[0]), str(twin), "-o", str(tmp_path / "out")])
    assert status == EXIT_USAGE
    assert "would both write" in capsys.readouterr().err
    assert files_in(tmp_path / "out") == []


@pytest.mark.parametrize("args, words", [
    (["--to", "odt"], "unknown format 'odt'"), (["--to", ","], "no output format"), (["-j", "0"], "-j"),
    (["-j", "x"], "-j"), (["-o", "-", "--to", "docx,pdf"], "-o - writes one file format"),
    (["--max-size", "nan"], "--max-size"), (["--max-size", "inf"], "--max-size"), (["--max-size", "-1"], "--max-size"),
    (["--max-size", "0"], "--max-size"), (["--font-dir", "/no/such/fonts"], "/no/such/fonts"),
    (["--nonsense"], "--nonsense"),
])
def test_usage_errors_are_one_line_and_exit_2(records: list[Path], capsys: pytest.CaptureFixture[str],
                                               args: list[str], words: str) -> None:
    try:
        status = main([str(records[0]), *args])
    except SystemExit as exc:  # argparse's own refusals
        status = int(exc.code or 0)
    err = capsys.readouterr().err
    assert status == EXIT_USAGE
    assert len(err.splitlines()) == 1 and err.startswith("publish: error: ")  # no usage block, no traceback
    assert words in err
    assert files_in(records[0].parent) == sorted(r.name for r in records)


def test_font_dir_error_names_the_folder_not_the_input(records: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(records[0]), "--to", "pdf", "--font-dir", "/no/such/fonts"]) == EXIT_USAGE
    assert capsys.readouterr().err == "publish: error: --font-dir: font folder not found: /no/such/fonts\n"


def test_a_writer_error_without_a_file_name_gets_the_records(records: list[Path]) -> None:
    from publisher.errors import RenderError
    from publisher.render import RenderOptions

    with pytest.raises(RenderError) as error:  # fonts.find_fonts knows no file name
        publish(records[0], "pdf", render_options=RenderOptions(font_dirs=(Path("/no/such/fonts"),)))
    assert str(error.value) == f"{records[0].name}: font folder not found: /no/such/fonts"


def test_help_mentions_the_web_service(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "publish serve" in capsys.readouterr().out


# --- where outputs go ----------------------------------------------------------------------

def test_output_goes_beside_the_input_by_default(records: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(records[0]), "--to", "json,md"]) == EXIT_OK
    folder = records[0].parent
    stem = records[0].stem
    assert {f"{stem}.json", f"{stem}.md"} <= set(files_in(folder))
    assert f"wrote {folder / stem}.json" in capsys.readouterr().err


@pytest.mark.parametrize("name, fmt", [("article.docx", "docx"), ("article.HTML", "html"), ("a.b/article.md", "md"),
                                       ("article.json", "json")])
def test_output_file_takes_its_format_from_the_extension(tmp_path: Path, records: list[Path], name: str, fmt: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / name
    assert main([str(records[0]), "-o", str(target)]) == EXIT_OK
    assert target.is_file()  # a file, not a folder named like one
    assert f"wrote {target}" in capsys.readouterr().err
    expected = publish(records[0], fmt).outputs[fmt]
    if fmt == "docx":  # a zip: compare what is inside
        import zipfile

        assert zipfile.ZipFile(target).read("word/document.xml") == \
            zipfile.ZipFile(io.BytesIO(expected)).read("word/document.xml")  # type: ignore[arg-type]
    else:
        assert target.read_bytes() == expected
    assert files_in(tmp_path) == sorted({name.split("/")[0], "in"})


def test_output_file_with_to_writes_that_format_under_that_name(tmp_path: Path, records: list[Path]) -> None:
    target = tmp_path / "article.txt"
    assert main([str(records[0]), "--to", "md", "-o", str(target), "-q"]) == EXIT_OK
    assert target.read_bytes() == publish(records[0], "md").outputs["md"]


@pytest.mark.parametrize("args, words", [
    (["-o", "{tmp}/article.txt"], "cannot tell the format from the file name"),
    (["--to", "docx,pdf", "-o", "{tmp}/article.docx"], "one file, for one format"),
    (["--to", "sphinx", "-o", "{tmp}/site.d"], "one file, for one format"),
    (["{rec1}", "-o", "{tmp}/article.json"], "one file, for one record"),
])
def test_output_file_that_cannot_be_written_is_refused(tmp_path: Path, records: list[Path], args: list[str],
                                                        words: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [str(records[0]), *(a.format(tmp=tmp_path, rec1=records[1]) for a in args)]
    assert main(argv) == EXIT_USAGE
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and words in err
    assert files_in(tmp_path) == ["in"]


@pytest.mark.parametrize("how", ["trailing slash", "existing folder", "no extension"])
def test_output_folder_keeps_its_meaning(tmp_path: Path, records: list[Path], how: str) -> None:
    folder = tmp_path / ("out.docx" if how != "no extension" else "out")
    if how == "existing folder":
        folder.mkdir()
    arg = str(folder) + ("/" if how == "trailing slash" else "")
    assert main([str(records[0]), "--to", "json", "-o", arg, "-q"]) == EXIT_OK
    assert files_in(folder) == [f"{records[0].stem}.json"]


def test_report_alone_prints_the_report_and_writes_nothing(records: list[Path],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    before = files_in(records[0].parent)
    assert main([str(records[0]), "--report"]) == EXIT_OK
    err = capsys.readouterr().err
    assert files_in(records[0].parent) == before
    for m in publish(records[0]).report:  # in English: no locale is set (the `english` fixture)
        assert f"{m.severity}: [{m.rule}] {localised(m, 'en')}" in err
    assert "wrote" not in err


def test_stdin_in_stdout_out(records: list[Path], monkeypatch: pytest.MonkeyPatch,
                             capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(records[0].read_bytes())))
    assert main(["-", "--to", "json", "-o", "-", "-q"]) == EXIT_OK
    out, err = capsysbinary.readouterr()
    doc = json.loads(out)
    assert doc["title"] == publish(records[0]).document.title
    assert err == b""


def test_stdin_output_lands_in_the_current_folder(tmp_path: Path, records: list[Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(records[1].read_bytes())))
    assert main(["-", "--to", "md", "-q"]) == EXIT_OK
    assert (tmp_path / "stdin.md").read_text(encoding="utf-8").strip()


# --- reporting -----------------------------------------------------------------------------

def test_strict_exits_3_on_the_samples(records: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    for record in records:
        assert main([str(record), "--strict", "-q"]) == EXIT_STRICT
        assert record.with_suffix(".json").exists()  # published all the same
    assert main([str(records[0]), "-q"]) == EXIT_OK


def test_report_prints_every_message(records: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    report = publish(records[0]).report
    assert any(m.severity == "info" for m in report)  # so that "every" means more than the warnings
    assert main([str(records[0]), "--report", "--to", "json"]) == EXIT_OK
    err = capsys.readouterr().err
    for m in report:
        assert f"{m.severity}: [{m.rule}] {localised(m, 'en')}" in err
    assert main([str(records[0])]) == EXIT_OK
    short = capsys.readouterr().err
    assert short.count("\n") < err.count("\n")


def test_quiet_prints_nothing_on_success(records: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(r) for r in records] + ["-q", "-j", "1"]) == EXIT_OK
    assert capsys.readouterr().err == ""


def test_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "publish records/*.txt --to docx,pdf,html -o out/ -j 4" in out
    assert "exit status" in out


def test_version_answers_without_loading_the_pipeline() -> None:
    code = ("import sys\nfrom publisher.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('rich', 'docx', 'pypandoc', 'typst', 'jinja2', 'markdown_it') or m == 'publisher.pipeline'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == [f"publish {__version__}", "[]"]


# --- batches -------------------------------------------------------------------------------

def test_batch_one_bad_record_does_not_stop_the_others(tmp_path: Path, records: list[Path],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    bad = records[0].parent / "broken.txt"
    bad.write_bytes(b"\x00not a record")
    out = tmp_path / "out"
    status = main([str(records[0]), str(bad), str(records[1]), "--to", "json,md", "-o", str(out), "-j", "2",
                   "--strict"])
    err = capsys.readouterr().err
    assert status == EXIT_FAILED  # a failure outranks --strict's warnings
    stems = [r.stem for r in records]
    assert files_in(out) == sorted(f"{s}.{ext}" for s in stems for ext in ("json", "md"))
    assert "publish: published 2 of 3 records in" in err and "1 failed" in err
    failures = err.split("publish: failed:\n", 1)[1].splitlines()
    assert failures[0] == f"  {bad}: binary data (NUL bytes), not a text record"
    # one line per record as it finishes (stderr is not a terminal here)
    assert sum(1 for line in err.splitlines() if line.startswith("[")) == 2
    assert len(error_lines(err)) == 1


def test_batch_internal_error_is_one_line_and_the_rest_publish(tmp_path: Path, records: list[Path],
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    real = publisher.batch.publish

    def flaky(source: object, *args: object, **kwargs: object) -> object:
        if str(source).endswith(records[0].name):
            raise KeyError("a bug")
        return real(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(publisher.batch, "publish", flaky)
    status = main([str(r) for r in records] + ["-o", str(tmp_path / "out"), "-j", "1"])
    err = capsys.readouterr().err
    assert status == EXIT_FAILED
    assert "Traceback" not in err
    assert f"publish: error: {records[0]}: internal error, please report it: KeyError" in err
    assert files_in(tmp_path / "out") == [f"{records[1].stem}.json"]


def test_batch_strict_and_report(tmp_path: Path, records: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    status = main([str(r) for r in records] + ["-o", str(tmp_path / "out"), "-j", "1", "--strict", "--report"])
    err = capsys.readouterr().err
    assert status == EXIT_STRICT
    for record in records:
        for m in publish(record).report:
            assert f"{record}:" in err and f"[{m.rule}] {localised(m, 'en')}" in err


def test_batch_with_a_terminal_shows_progress_and_summary(tmp_path: Path, records: list[Path],
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    status = main([str(records[0]), str(bad), "-o", str(tmp_path / "out"), "-j", "1"])
    err = capsys.readouterr().err
    assert status == EXIT_FAILED
    assert f"publish: error: {bad}: file is empty" in err
    assert "published 1 of 2 records" in err


def test_a_format_that_times_out_costs_only_itself(tmp_path: Path, records: list[Path]) -> None:
    from publisher.batch import plan_jobs, publish_job
    from publisher.pipeline import BuildOptions
    from publisher.render import RenderOptions

    out = tmp_path / "out"
    job = plan_jobs([str(records[0])], ["json", "docx", "md"], str(out), BuildOptions(), RenderOptions(timeout=0.001),
                    lambda: b"")[0]
    outcome = publish_job(job)
    assert outcome.error is None and outcome.failed_formats == ["docx"]
    assert outcome.errors == [f"{records[0]}: docx: pandoc (docx) took longer than 0.001 s and was stopped"]
    assert files_in(out) == [f"{records[0].stem}.json", f"{records[0].stem}.md"]


def test_output_file_with_pandoc_citations_writes_the_bibliography_beside_it(tmp_path: Path,
                                                                             records: list[Path]) -> None:
    target = tmp_path / "article.md"
    assert main([str(records[0]), "-o", str(target), "--pandoc-citations", "-q"]) == EXIT_OK
    bibliography = tmp_path / f"{records[0].stem}.csl.json"  # the name the markdown gives it
    assert f"bibliography: \"{bibliography.name}\"" in target.read_text(encoding="utf-8")
    assert json.loads(bibliography.read_text(encoding="utf-8"))


# --- the reader's language ------------------------------------------------------------------

def test_the_report_follows_lang_and_lang_option_overrides_it(records: list[Path], monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    report = publish(records[0]).report
    assert main([str(records[0]), "--report"]) == EXIT_OK
    english = capsys.readouterr().err
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main([str(records[0]), "--report"]) == EXIT_OK
    chinese = capsys.readouterr().err
    assert main([str(records[0]), "--report", "--lang", "en"]) == EXIT_OK
    assert capsys.readouterr().err == english
    for m in report:
        assert f"[{m.rule}] {localised(m, 'zh')}" in chinese
    assert "：报告：" in chinese and ": report: " in english
    assert "警告: [" in chinese and "warning: [" in english


def test_lc_all_wins_over_lang_and_an_unknown_locale_is_english(records: list[Path], monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert main([str(records[0]), "--report"]) == EXIT_OK
    assert ": report: " in capsys.readouterr().err
    monkeypatch.setenv("LC_ALL", "zh_TW.UTF-8")
    assert main([str(records[0]), "--report"]) == EXIT_OK
    assert "：报告：" in capsys.readouterr().err


def test_the_batch_summary_and_errors_in_chinese(records: list[Path], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "in" / "empty.txt"
    broken.write_text("", encoding="utf-8")
    status = main([str(r) for r in [*records, broken]] + ["-o", str(tmp_path / "out"), "-j", "1", "--lang", "zh"])
    assert status == EXIT_FAILED
    err = capsys.readouterr().err
    assert "publish：3 份记录中已发布 2 份" in err and "1 份失败" in err
    assert "publish：错误：" in err and "publish: error:" not in err
