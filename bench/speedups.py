"""Measured prototypes of the speed-ups BENCHMARKS.md proposes, for the owners of the code.

Nothing here is used by the package. Each prototype is applied by monkeypatching, then the
same records are built again: the output must be identical and the time lower.

    python -m bench.speedups            # the pipeline (P3, P5) on an 11 MB corpus, ~1 min
    python -m bench.speedups --pdf 40   # plus: the kept typst compiler against a fresh one per PDF, ~2 min

1. and 2. have landed (the cleaning chain runs once, with second looks by the structural
   rules only: `publisher/clean/__init__.py`; phrase loops are searched only in the windows an
   XOR pre-filter finds: `publisher/clean/repetition.py`), so `python -m bench.speedups`
   now only reports the pipeline's throughput as it is.
3. typst_run.compile_pdf has landed too: a fresh child per PDF started Python, imported typst
   and indexed the 89 MB of Noto CJK fonts every time; the compiler child now stays alive per
   thread with its typst.Fonts built once. `--pdf N` measures it against a child closed after
   every PDF, which is what the writer did before.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import corpus

KB = 1024


def pipeline_speedups(records: list[bytes]) -> None:
    from publisher.pipeline import build_document

    size = sum(map(len, records)) / KB / KB
    build_document(records[0], name="warm")

    def build_all() -> tuple[list[dict[str, Any]], float]:
        t0 = time.process_time()
        docs = [build_document(r, name="x").to_dict() for r in records]
        return docs, time.process_time() - t0

    _, t_base = build_all()
    print(f"pipeline, {len(records)} records, {size:.1f} MB: {size / t_base:.2f} MB/s CPU")


def pdf_speedup(paths: list[Path]) -> None:
    """The same batch to PDF, -j 1 in this process: a compiler closed after every PDF (as
    before) against the kept one (as shipped)."""
    from publisher.cli import main
    from publisher.render import typst_run

    def batch(label: str, out: Path) -> float:
        cpu0 = sum(resource.getrusage(w).ru_utime + resource.getrusage(w).ru_stime
                   for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        main([*map(str, paths), "--to", "pdf", "-o", str(out), "-j", "1", "-q"])
        typst_run.close_all()  # so that the kept child's CPU is counted among the children
        cpu = sum(resource.getrusage(w).ru_utime + resource.getrusage(w).ru_stime
                  for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) - cpu0
        print(f"  {label}: {cpu / len(paths):.2f} s CPU per PDF")
        return cpu

    shipped_compile = typst_run.compile_pdf

    def fresh_each_time(*args: Any, **kwargs: Any) -> bytes:
        try:
            return shipped_compile(*args, **kwargs)
        finally:
            typst_run.close_all()

    with tempfile.TemporaryDirectory() as tmp:
        print(f"PDF of {len(paths)} records:")
        typst_run.compile_pdf = fresh_each_time
        import publisher.render.pdf as pdf

        pdf.compile_pdf = fresh_each_time
        fresh = batch("a fresh typst child per PDF (before)", Path(tmp) / "a")
        typst_run.compile_pdf = pdf.compile_pdf = shipped_compile
        kept = batch("one typst child kept, fonts indexed once (as shipped)", Path(tmp) / "b")
        same = all((Path(tmp) / "a" / p.name).read_bytes() == (Path(tmp) / "b" / p.name).read_bytes()
                   for p in (Path(tmp) / "a").iterdir())
        print(f"  {fresh / kept:.2f}x less CPU, identical PDFs: {same}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.speedups", description=__doc__.splitlines()[0])
    p.add_argument("--pdf", type=int, default=0, metavar="N", help="also time N records to PDF both ways")
    args = p.parse_args(argv)
    records = [text.encode("utf-8") for _, text in corpus.generate(30, 2, 10 * KB, 1024 * KB)]
    records += [corpus.record_of_size(size, 1).encode("utf-8") for size in (1024 * KB, 4096 * KB)]
    pipeline_speedups(records)
    if args.pdf:
        with tempfile.TemporaryDirectory() as tmp:
            paths = corpus.write_corpus(Path(tmp), args.pdf, 1, 10 * KB, 160 * KB)
            pdf_speedup(paths)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
