"""`publish`: the command line. Thin: parse arguments, call the API, write files, report.

Exit status: 0 published; 1 a record could not be read or rendered; 2 bad usage;
3 published with warnings under --strict.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from publisher import __version__
from publisher.api import parse_formats, publish
from publisher.errors import PublishError, UsageError
from publisher.model import Message
from publisher.outputs import output_path, write_output
from publisher.pipeline import BuildOptions
from publisher.reader import DEFAULT_MAX_BYTES
from publisher.render import RenderOptions

EXAMPLES = """examples:
  publish samples/000_0a9243bf99b5b6c4.txt --to docx
  publish record.txt --to docx,pdf,html -o out/
  publish records/*.txt --to all -o out/ --report
  cat record.txt | publish - --to json -o -
  publish record.txt --to html --fragment --strict

exit status: 0 published, 1 unreadable or unrenderable record, 2 usage error,
3 published with warnings under --strict.
"""

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_STRICT = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="publish",
        description="Turn LLM callback records into publishable articles.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="callback record(s); - reads standard input")
    p.add_argument("--to", default="json", metavar="FMT[,FMT...]",
                   help="json, html, md, docx, pdf, jats, sphinx, or all (default: json)")
    p.add_argument("-o", "--output", metavar="DIR", help="output folder (default: beside each input); - for stdout")
    p.add_argument("--report", action="store_true", help="print the whole report, not only the summary")
    p.add_argument("--strict", action="store_true", help="exit 3 when the report has warnings")
    p.add_argument("--toc", action="store_true", help="add a table of contents (docx, pdf)")
    p.add_argument("--fragment", action="store_true", help="html: the article body alone, for a CMS")
    p.add_argument("--draft", action="store_true", help="show placeholders for outline chapters never written")
    p.add_argument("--include-uncited", action="store_true", help="list uncited supplied references after the cited")
    p.add_argument("--font-dir", action="append", default=[], metavar="DIR", help="pdf: extra font folder")
    p.add_argument("--max-size", type=float, default=DEFAULT_MAX_BYTES / 1048576, metavar="MB",
                   help="refuse records larger than this (default: 20)")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument("--version", action="version", version=f"publish {__version__}")
    return p


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    if args_list[:1] == ["serve"]:
        from publisher.service.cli import serve_main

        return serve_main(args_list[1:])
    args = build_parser().parse_args(args_list)
    try:
        formats = parse_formats(args.to)
        if args.output == "-" and (len(formats) != 1 or len(args.files) != 1 or formats[0] == "sphinx"):
            raise UsageError("-o - writes one file format of one record to standard output", "-o")
    except PublishError as exc:
        print(f"publish: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    build = BuildOptions(max_bytes=int(args.max_size * 1048576), draft=args.draft,
                         include_uncited=args.include_uncited)
    render = RenderOptions(toc=args.toc, fragment=args.fragment, draft=args.draft,
                           font_dirs=tuple(Path(d) for d in args.font_dir))
    status = EXIT_OK
    for name in args.files:
        status = max(status, _publish_one(name, formats, args, build, render))
    return status


def _publish_one(name: str, formats: list[str], args: argparse.Namespace, build: BuildOptions,
                 render: RenderOptions) -> int:
    try:
        if name == "-":
            source: bytes | Path = sys.stdin.buffer.read()
            label = "<stdin>"
        else:
            source, label = Path(name), name
        targets = {fmt: output_path(name, fmt, args.output) for fmt in formats} if args.output != "-" else {}
        result = publish(source, formats, name=label, build=build, render_options=render)
        for fmt, data in result.outputs.items():
            if args.output == "-":
                assert isinstance(data, bytes)
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
            else:
                write_output(targets[fmt], data)
    except PublishError as exc:
        print(f"publish: error: {exc}", file=sys.stderr)
        return EXIT_FAILED if not isinstance(exc, UsageError) else EXIT_USAGE
    if not args.quiet:
        _print_report(label, result.report, full=args.report, written=list(targets.values()))
    return EXIT_STRICT if args.strict and result.warnings else EXIT_OK


def _print_report(label: str, report: list[Message], full: bool, written: list[Path]) -> None:
    err = sys.stderr
    for path in written:
        print(f"{label}: wrote {path}", file=err)
    counts = Counter(m.rule for m in report)
    if counts:
        summary = ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items()))
        print(f"{label}: report: {summary}", file=err)
    for m in report:
        if full or m.severity != "info":
            where = f"{m.line}" if m.line == m.end_line or m.end_line is None else f"{m.line}-{m.end_line}"
            print(f"{label}:{where}: {m.severity}: [{m.rule}] {m.message}: {m.excerpt}", file=err)


if __name__ == "__main__":
    sys.exit(main())
