"""`publish`: the command line. Thin: parse arguments, plan the jobs, run them, report.

Exit status: 0 published; 1 a record could not be read or rendered; 2 bad usage;
3 published with warnings under --strict. A failed record never stops the others.

Start-up stays small: the pipeline, the writers and rich are imported only once the
arguments are known to need them, so `publish --version` and `--help` answer at once.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from publisher import __version__
from publisher.formats import ALL_FORMATS

if TYPE_CHECKING:
    from publisher.batch import Job, Outcome
    from publisher.pipeline import BuildOptions
    from publisher.render import RenderOptions

EXAMPLES = """examples:
  publish samples/000_0a9243bf99b5b6c4.txt --to docx
  publish record.txt -o article.docx           (the format from the file name)
  publish record.txt --to docx,pdf,html -o out/
  publish records/*.txt --to docx,pdf,html -o out/ -j 4
  publish record.txt --report                  (the report alone; nothing written)
  cat record.txt | publish - --to json -o -
  publish record.txt --to html --fragment --strict
  publish record.txt --to docx --review

the web service (upload page and CMS API): publish serve --help
a warm server that makes each call start faster: publish resident --help

exit status: 0 published, 1 a record or one of its formats could not be read or rendered
(everything else is still published), 2 usage error, 3 published with warnings under --strict.
"""

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_STRICT = 0, 1, 2, 3
EXIT_INTERRUPTED = 130
DEFAULT_MAX_MB = 20  # the reader's DEFAULT_MAX_BYTES, in MB; not imported, to keep start-up light


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # one line, like every other refusal, instead of argparse's usage block
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="publish",
        description="Turn LLM callback records into publishable articles. "
        "`publish serve` runs the web service instead (publish serve --help).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="callback record(s); - reads standard input")
    p.add_argument("--to", metavar="FMT[,FMT...]",
                   help=f"{', '.join(ALL_FORMATS)}, or all (default: from the -o file's extension, else "
                   "json; with --report and no -o, nothing is written)")
    p.add_argument("-o", "--output", metavar="FILE|DIR/",
                   help="a file for one record and one format (article.docx), or a folder: a name ending "
                   "in /, an existing folder or a name without extension (default: beside each input); "
                   "- for standard output")
    p.add_argument("-j", "--jobs", type=_positive_int, metavar="N",
                   help="records published at once (default: one per core; 1 runs in this process)")
    p.add_argument("--report", action="store_true",
                   help="print the whole report, not only the summary (alone: print it, write nothing)")
    p.add_argument("--strict", action="store_true", help="exit 3 when the report has warnings")
    p.add_argument("--toc", action="store_true", help="add a table of contents (docx, pdf)")
    p.add_argument("--fragment", action="store_true", help="html: the article body alone, for a CMS")
    p.add_argument("--draft", action="store_true", help="show placeholders for outline chapters never written")
    p.add_argument("--include-uncited", action="store_true", help="list uncited supplied references after the cited")
    p.add_argument("--skip-rule", action="append", default=[], metavar="RULE",
                   help="do not run this cleaning rule (e.g. repetition); may be repeated")
    p.add_argument("--font-dir", action="append", default=[], metavar="DIR", help="pdf: extra font folder")
    p.add_argument("--templates", metavar="DIR",
                   help="a copy of the templates/ folder (reference.docx, html/, pdf/) to restyle every output")
    p.add_argument("--report-in-html", action="store_true",
                   help="html: end the standalone page with the processing report")
    p.add_argument("--review", action="store_true",
                   help="docx: the review draft, every change as a tracked deletion or a comment to accept or reject")
    p.add_argument("--csl", metavar="STYLE",
                   help="format the reference list with a CSL style: a .csl file, or vancouver / gb7714 (shipped)")
    p.add_argument("--journal", metavar="FILE",
                   help="jats: a TOML file naming the journal (id, issn, title, publisher) for <journal-meta>")
    p.add_argument("--pandoc-citations", action="store_true",
                   help="md: pandoc citations [@ref-N], with the csl bibliography written beside it")
    p.add_argument("--max-size", type=_megabytes, default=DEFAULT_MAX_MB, metavar="MB",
                   help=f"refuse records larger than this (default: {DEFAULT_MAX_MB})")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument("--lang", choices=("en", "zh"),
                   help="the language of the summary, the report and the errors (default: from LC_ALL, "
                   "LC_MESSAGES or LANG; English when none is set)")
    p.add_argument("--version", action="version", version=f"publish {__version__}")
    return p


def _checked(parse: Callable[[str], float], kind: str, ok: Callable[[float], bool], wanted: str
             ) -> Callable[[str], float]:
    """An argparse type: `parse` the text, then refuse in one line what is not `ok`."""
    def convert(text: str) -> float:
        try:
            value = parse(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {kind}: {text!r}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"must be {wanted}, not {text}")
        return value

    return convert


_positive_int = _checked(int, "a whole number", lambda v: v >= 1, "1 or more")
# nan and inf parse as floats
_megabytes = _checked(float, "a number", lambda v: math.isfinite(v) and v > 0, "a number of megabytes above 0")


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    if args_list[:1] in (["serve"], ["worker"], ["db"]):
        from publisher.service.cli import ENTRANCES

        return ENTRANCES[args_list[0]](args_list[1:])
    if args_list[:1] == ["resident"]:
        from publisher.resident.command import main as resident_main

        return resident_main(args_list[1:])
    args = build_parser().parse_args(args_list)
    if args.lang is None:
        from publisher.i18n import from_environment

        args.lang = from_environment()
    try:
        return _run(args)
    except KeyboardInterrupt:
        print(_say(args.lang, "publish: interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader of `-o -` went away (`publish - -o - | head`): nothing left to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED


def _run(args: argparse.Namespace) -> int:
    # the heavy part of the program, imported only now that the arguments are known
    from publisher.batch import default_jobs, plan_jobs, run_jobs
    from publisher.errors import InputError, PublishError, UsageError
    from publisher.pipeline import BuildOptions
    from publisher.read import read_stream
    from publisher.render import RenderOptions
    from publisher.render.outputs import refuse_output_onto_input

    build = BuildOptions(max_bytes=int(args.max_size * 1048576), draft=args.draft,
                         include_uncited=args.include_uncited, skip_rules=frozenset(args.skip_rule))
    render = RenderOptions(toc=args.toc, fragment=args.fragment, draft=args.draft,
                           font_dirs=tuple(Path(d).expanduser() for d in args.font_dir),
                           templates=Path(args.templates) if args.templates else None,
                           report_in_html=args.report_in_html, pandoc_citations=args.pandoc_citations,
                           review=args.review, csl=Path(args.csl) if args.csl else None)
    try:
        if args.files.count("-") > 1:
            raise UsageError("standard input can be read only once", "-")
        refuse_output_onto_input(args.files, args.output)
        formats = _formats(args)
        if args.pandoc_citations and "md" in formats and "csljson" not in formats:
            formats.append("csljson")  # the bibliography the markdown names
        if args.journal:
            from dataclasses import replace

            from publisher.render.journal import load_journal

            render = replace(render, journal=load_journal(Path(args.journal)))
        if args.csl:
            from publisher.render.citeproc import style_path

            style_path(args.csl)  # a style that does not exist is a usage error, before any work
        _check_options(build, render)
        if render.review and "docx" not in formats:  # the API answers 422 for the same request
            raise UsageError("--review makes the review draft in Word: it needs docx among the formats", "--review")
        jobs = plan_jobs(args.files, formats, args.output, build, render,
                         lambda: read_stream(sys.stdin.buffer, "<stdin>", build.max_bytes))
    except InputError as exc:
        _error(args.lang, str(exc))
        return EXIT_FAILED
    except PublishError as exc:
        _error(args.lang, str(exc))
        return EXIT_USAGE
    workers = args.jobs or default_jobs()
    if len(jobs) == 1:
        outcome = run_jobs(jobs, 1, lambda _: None)[0]
        _show_single(outcome, args, report_only=not formats)
        outcomes = [outcome]
    else:
        outcomes = _run_batch(jobs, workers, args)
    return _exit_status(outcomes, args.strict)


def _formats(args: argparse.Namespace) -> list[str]:
    """--to; else the -o file's extension; else nothing for --report alone; else json."""
    from publisher.api import parse_formats
    from publisher.errors import UsageError
    from publisher.render.outputs import format_of_file, output_is_file

    if args.to is not None:
        return parse_formats(args.to)
    if output_is_file(args.output):
        fmt = format_of_file(args.output)
        if fmt is None:
            raise UsageError(f"cannot tell the format from the file name {args.output}; give --to", "-o")
        return [fmt]
    if args.report and args.output is None:
        return []
    return ["json"]


def _check_options(build: BuildOptions, render: RenderOptions) -> None:
    """Options that name things which must exist, checked before any record is touched."""
    from publisher.clean import RULE_NAMES
    from publisher.errors import UsageError

    unknown = sorted(build.skip_rules - set(RULE_NAMES))
    if unknown:
        raise UsageError(f"unknown cleaning rule {', '.join(unknown)} (rules: {', '.join(RULE_NAMES)})", "--skip-rule")
    for folder in render.font_dirs:
        if not folder.is_dir():
            raise UsageError(f"font folder not found: {folder}", "--font-dir")
    if render.templates is not None and not render.templates.is_dir():
        raise UsageError(f"not a folder: {render.templates}", "--templates")


def _exit_status(outcomes: Sequence[Outcome], strict: bool) -> int:
    if any(o.usage for o in outcomes):
        return EXIT_USAGE
    if any(o.errors for o in outcomes):
        return EXIT_FAILED
    if strict and any(o.warnings for o in outcomes):
        return EXIT_STRICT
    return EXIT_OK


def _say(lang: str, msgid: str, /, **args: str | int) -> str:
    """A line of the command's own, in the reader's language (catalogue: publisher/locale)."""
    from publisher.result import said

    return said(msgid, **args).say(lang)  # type: ignore[arg-type]


def _error(lang: str, text: str) -> None:
    print(_say(lang, "publish: error: {error}", error=text), file=sys.stderr)


# --- one record: the full account ---------------------------------------------------------

def _show_single(outcome: Outcome, args: argparse.Namespace, report_only: bool) -> None:
    if not outcome.error:  # else nothing was published
        _show_published(outcome, args, report_only)
    for error in outcome.errors:  # last, where the eye lands
        _error(args.lang, error)


def _show_published(outcome: Outcome, args: argparse.Namespace, report_only: bool) -> None:
    if outcome.stdout is not None:
        sys.stdout.buffer.write(outcome.stdout)
        sys.stdout.buffer.flush()
    if not args.quiet:
        for path in outcome.written:
            print(_say(args.lang, "{label}: wrote {path}", label=outcome.label, path=str(path)), file=sys.stderr)
        lines = _report_lines(outcome, full=args.report, lang=args.lang)
        if report_only and not lines:
            lines = [_say(args.lang, "{label}: report: nothing changed", label=outcome.label)]
        for line in lines:
            print(line, file=sys.stderr)


def _report_lines(outcome: Outcome, full: bool, lang: str) -> list[str]:
    """The count by rule (the stable rule codes), then each message in the reader's language."""
    from publisher.i18n import N_, gettext
    from publisher.result import localised

    severities = {"info": N_("info"), "warning": N_("warning"), "error": N_("error")}
    label, report = outcome.label, outcome.report
    counts = Counter(m.rule for m in report)
    lines = []
    if counts:
        lines.append(_say(lang, "{label}: report: {counts}", label=label,
                          counts=", ".join(f"{rule} {n}" for rule, n in sorted(counts.items()))))
    for m in report:
        if full or m.severity != "info":
            where = f"{m.line}" if m.line == m.end_line or m.end_line is None else f"{m.line}-{m.end_line}"
            severity = gettext(lang, severities[m.severity])  # type: ignore[arg-type]
            lines.append(f"{label}:{where}: {severity}: [{m.rule}] {localised(m, lang)}: {m.excerpt}")  # type: ignore[arg-type]
    return lines


# --- many records: progress, one line each, a summary -------------------------------------

def _run_batch(jobs: Sequence[Job], workers: int, args: argparse.Namespace) -> list[Outcome]:
    from publisher.batch import run_jobs

    started = time.monotonic()
    if sys.stderr.isatty() and not args.quiet:
        outcomes = _with_progress_bar(jobs, workers, args)
    else:
        total, done = len(jobs), [0]

        def plain(outcome: Outcome) -> None:
            done[0] += 1
            for line in _record_lines(outcome, args, f"[{done[0]}/{total}] "):
                print(line, file=sys.stderr, flush=True)

        outcomes = run_jobs(jobs, workers, plain)
    if not args.quiet:
        for line in _summary_lines(outcomes, time.monotonic() - started, hint=not args.report, lang=args.lang):
            print(line, file=sys.stderr)
    return outcomes


def _with_progress_bar(jobs: Sequence[Job], workers: int, args: argparse.Namespace) -> list[Outcome]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from publisher.batch import run_jobs

    console = Console(stderr=True, highlight=False)
    columns = (TextColumn("publishing"), BarColumn(), MofNCompleteColumn(), TextColumn("failed {task.fields[failed]}"),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("publish", total=len(jobs), failed=0)
        failed = [0]

        def advance(outcome: Outcome) -> None:
            failed[0] += bool(outcome.errors)
            for line in _record_lines(outcome, args, "", quiet_success=not args.report):
                progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
            progress.update(task, advance=1, failed=failed[0])

        return run_jobs(jobs, workers, advance)


def _record_lines(outcome: Outcome, args: argparse.Namespace, prefix: str, quiet_success: bool = False) -> list[str]:
    """A failure always; a success as one line unless quiet; every message with --report."""
    lang = args.lang
    failures = [_say(lang, "publish: error: {error}", error=error) for error in outcome.errors]
    if outcome.error or args.quiet:
        return failures
    lines = failures + ([] if quiet_success and not failures else [f"{prefix}{outcome.label}: {_published(outcome, lang)}"])
    if args.report:
        lines.extend(_report_lines(outcome, full=True, lang=lang))
    return lines


def _written_as(path: Path) -> str:
    """What a written output is called in the summary: its format's extension (`csl.json`,
    not `json` a second time), or the folder's name."""
    from publisher.formats import FORMATS

    ext = max((f.extension for f in FORMATS.values() if f.extension and path.name.endswith(f.extension)),
              key=len, default=path.suffix)
    return ext.lstrip(".") or path.name


def _published(outcome: Outcome, lang: str) -> str:
    from publisher.result import said_n

    names = ", ".join(_written_as(path) for path in outcome.written)
    said = _say(lang, "published {formats}", formats=names) if names else _say(lang, "published nothing (report only)")
    if outcome.warnings:
        said += said_n(", {n} warning", ", {n} warnings", outcome.warnings).say(lang)  # type: ignore[arg-type]
    if outcome.failed_formats:
        said += _say(lang, "; {formats} failed", formats=", ".join(outcome.failed_formats))
    return said


def _summary_lines(outcomes: Sequence[Outcome], seconds: float, hint: bool, lang: str = "en") -> list[str]:
    from babel.numbers import format_decimal

    from publisher.i18n import babel_locale
    from publisher.result import said_n

    failed = [o for o in outcomes if o.errors]
    ok = len(outcomes) - len(failed)
    with_warnings = sum(1 for o in outcomes if not o.errors and o.warnings)
    lines = [said_n("publish: published {ok} of {n} record in {seconds} s ({warned} with warnings, {failed} failed)",
                    "publish: published {ok} of {n} records in {seconds} s ({warned} with warnings, {failed} failed)",
                    len(outcomes), ok=ok, seconds=format_decimal(seconds, "0.0", locale=babel_locale(lang)),
                    warned=with_warnings,
                    failed=len(failed)).say(lang)]  # type: ignore[arg-type]
    if failed:
        lines.append(_say(lang, "publish: failed:"))
        lines.extend(f"  {error}" for o in failed for error in o.errors)
    if with_warnings and hint:
        lines.append(_say(lang, "publish: --report prints every message"))
    return lines


if __name__ == "__main__":
    sys.exit(main())
