"""Measured prototypes of the speed-ups BENCHMARKS.md proposes, for the owners of the code.

Nothing here is used by the package. Each prototype is applied by monkeypatching, then the
same records are built again: the output must be identical and the time lower.

    python -m bench.speedups            # pipeline fixes (P3, P5) on an 11 MB corpus, ~1 min
    python -m bench.speedups --pdf 40   # plus: the kept typst compiler against a fresh one per PDF, ~2 min

1. clean.clean_content re-runs the whole chain (up to MAX_PASSES) on every generation where
   a rule reported anything, which in a large record is nearly all of them: the cost per MB
   doubles with size. The later passes need only the cheap structural rules (fences,
   stray rules, junk headings, truncation) that another rule's removal can expose.
2. repetition._in_line_loops: IN_LINE_RE tries 24 unit lengths with a backreference at
   every character. `may_loop` is an exact necessary condition checked at C speed: with the
   separators gone, a unit of length L repeated 6 times makes a run of 5L characters each
   equal to the one L places on, i.e. 20L zero bytes in (UTF-32 text) XOR (itself shifted
   by L). Only lines that pass go through the regex.
3. typst_run.compile_pdf (landed): a fresh child per PDF started Python, imported typst and
   indexed the 89 MB of Noto CJK fonts every time; the compiler child now stays alive per
   thread with its typst.Fonts built once. `--pdf N` measures it against a child closed
   after every PDF, which is what the writer did before.
"""

from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import corpus

KB = 1024
_SEP = re.compile(r"[\s,，、;；]+")


def may_loop(text: str, max_unit: int = 24, repeats: int = 6) -> bool:
    s = _SEP.sub("", text)
    n = len(s)
    if n < repeats:
        return False
    whole = int.from_bytes(s.encode("utf-32-le"), "little")
    for unit in range(1, min(max_unit, n // repeats) + 1):
        width = 4 * (n - unit)
        diff = (whole ^ (whole >> (32 * unit))) & ((1 << (8 * width)) - 1)
        if b"\0" * (4 * (repeats - 1) * unit) in diff.to_bytes(width, "little"):
            return True
    return False


def apply_repetition_prefilter() -> None:
    import publisher.clean.repetition as rep

    regex = rep.IN_LINE_RE

    class Prefiltered:
        def finditer(self, text: str) -> Any:
            return regex.finditer(text) if may_loop(text) else iter(())

    rep.IN_LINE_RE = Prefiltered()  # type: ignore[assignment]


CHEAP_RULES = frozenset({"unterminated-fence", "stray-rule", "junk-heading", "truncated-ending"})


def apply_cheap_later_passes() -> None:
    """clean_content re-runs the whole chain on any generation where a rule reported
    something (MAX_PASSES); run the later passes with the cheap structural rules only."""
    import publisher.clean as clean
    import publisher.pipeline as pipeline
    from publisher.result import Result

    skip = frozenset(name for name, _ in clean.RULES) - CHEAP_RULES

    def clean_content(lines: Any, disabled: frozenset[str] = frozenset()) -> Any:
        messages: list[Any] = []
        generations, msgs = clean.split_generations(lines)
        messages.extend(msgs)
        out = []
        for gen in generations:
            gen, msgs = clean._run_chain(gen, disabled)
            messages.extend(msgs)
            for _ in range(clean.MAX_PASSES - 1):
                if not msgs:
                    break
                gen, msgs = clean._run_chain(gen, disabled | skip)
                messages.extend(msgs)
            if any(ln.text.strip() for ln in gen):
                out.append(clean._trim_blank_lines(gen))
        return Result(out, messages)

    pipeline.clean_content = clean_content


def pipeline_speedups(records: list[bytes]) -> None:
    from publisher.pipeline import build_document

    size = sum(map(len, records)) / KB / KB
    build_document(records[0], name="warm")

    def build_all() -> tuple[list[dict[str, Any]], float]:
        t0 = time.process_time()
        docs = [build_document(r, name="x").to_dict() for r in records]
        return docs, time.process_time() - t0

    base, t_base = build_all()
    print(f"pipeline, {len(records)} records, {size:.1f} MB: as is {size / t_base:.2f} MB/s CPU")
    steps: list[tuple[str, Callable[[], None]]] = [("+ later passes with cheap rules", apply_cheap_later_passes),
                                                   ("+ repetition prefilter", apply_repetition_prefilter)]
    for name, apply in steps:
        apply()
        docs, t = build_all()
        print(f"  {name}: {size / t:.2f} MB/s CPU ({t_base / t:.2f}x), same documents: {docs == base}")


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
