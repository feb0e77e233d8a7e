"""Measured prototypes of the speed-ups BENCHMARKS.md proposes, for the owners of the code.

Nothing here is used by the package. Each prototype is applied by monkeypatching, then the
same records are built again: the output must be identical and the time lower.

    python -m bench.speedups            # the pipeline (P3, P5) on an 11 MB corpus, ~1 min
    python -m bench.speedups --pdf 40   # plus: a reused typst compiler, 40 records to PDF (P2), ~2 min

1. and 2. have landed (the cleaning chain runs once, with second looks by the structural
   rules only: `publisher/clean/__init__.py`; phrase loops are searched only in the windows an
   XOR pre-filter finds: `publisher/clean/repetition.py`), so `python -m bench.speedups`
   now only reports the pipeline's throughput as it is.
3. typst_run.compile_pdf: a fresh child per PDF starts Python, imports typst and indexes
   the 89 MB of Noto CJK fonts every time. A compiler kept alive per worker with a
   typst.Fonts built once does that once. (Prototyped in-process here; the writer would keep
   a long-lived child for its time-out and memory cap.)
"""

from __future__ import annotations

import argparse
import functools
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
    """The same batch to PDF, -j 1 in this process, with a fresh typst child per PDF and reused."""
    import publisher.render.pdf as pdf
    from publisher.cli import main

    def batch(label: str, out: Path) -> float:
        cpu0 = sum(resource.getrusage(w).ru_utime + resource.getrusage(w).ru_stime
                   for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        main([*map(str, paths), "--to", "pdf", "-o", str(out), "-j", "1", "-q"])
        cpu = sum(resource.getrusage(w).ru_utime + resource.getrusage(w).ru_stime
                  for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) - cpu0
        print(f"  {label}: {cpu / len(paths):.2f} s CPU per PDF")
        return cpu

    import typst

    @functools.lru_cache(maxsize=4)
    def fonts(dirs: tuple[str, ...]) -> Any:
        return typst.Fonts(include_system_fonts=False, font_paths=list(dirs))

    def reused(source: str, *, root: Path, font_dirs: Any, inputs: Any, timeout: float = 120.0,
               origin: str | None = None) -> bytes:
        return typst.compile(source.encode("utf-8"), root=str(root), font_paths=fonts(tuple(map(str, font_dirs))),
                             sys_inputs=dict(inputs))

    with tempfile.TemporaryDirectory() as tmp:
        print(f"PDF of {len(paths)} records:")
        shipped = batch("a fresh typst child per PDF (as shipped)", Path(tmp) / "a")
        pdf.compile_pdf = reused
        kept = batch("one typst compiler, fonts indexed once", Path(tmp) / "b")
        same = all((Path(tmp) / "a" / p.name).read_bytes() == (Path(tmp) / "b" / p.name).read_bytes()
                   for p in (Path(tmp) / "a").iterdir())
        print(f"  {shipped / kept:.2f}x less CPU, identical PDFs: {same}")


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
