"""The benchmark: publisher against the naive pandoc alternative, and its own limits.

    python -m bench.run                # the full run (~30-60 min on 2 cores), rewrites BENCHMARKS.md
    python -m bench.run --quick        # a smoke run of every part (~2 min), prints only

S0 pandoc launch cost (does a long-lived `pandoc server` matter?)
S1 start-up: `python -X importtime` of what `publish --to docx` imports, top entries
P1 one record to DOCX: `publish rec --to docx` vs `pandoc rec -f markdown -o x.docx`, cold, cold with
   `publish resident` running, and warm
P2 a batch to docx+html+pdf: `publish *.txt -j 2` vs a loop of pandoc/typst calls, two at a time
P3 read+clean+assemble throughput on one core (MB/s)
P4 peak memory on a 5 MB record and on one just under the 20 MB limit
P5 time against record size, 10 KB to 5 MB: growth should be linear
P6 the web service against `publish -j 1` (the measurement of bench/service.py)

Comparisons are interleaved (A B B A ...) so that a change in the machine's load falls on
both sides. Records come from bench/corpus.py with a fixed seed.
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench import corpus
from bench.measure import (
    REPO,
    S1_CODE,
    Timing,
    import_times,
    in_process,
    load_average,
    machine,
    median,
    peak_rss,
    run,
    run_many,
)
from bench.report import print_results, write_markdown
from bench.resident import calls_run, environment, resident_server, run_resident

KB, MB = 1024, 1024 * 1024
SAMPLES = sorted((REPO / "samples").glob("*.txt"))

# the naive PDF route compiles pandoc's standalone Typst with the typst package, system fonts on
TYPST_COMPILE = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])"


@dataclass(frozen=True)
class Plan:
    p1_sizes: list[int]
    p1_rounds: int
    p2_records: int
    p2_sizes: tuple[int, int]
    p2_rounds: int
    p3_records: int
    p3_sizes: tuple[int, int]
    p4_runs: list[tuple[int, str]]  # (record size, formats)
    p4_paragraph: tuple[int, str] | None  # (size, formats) of a record that is one paragraph without a break
    p5_sizes: list[int]
    p5_rounds: int
    seed: int = 1
    quick: bool = False
    command: str = field(default="")


NEAR_LIMIT = 19 * MB  # the largest record size the P4 run uses: under the 20 MB limit once generated
FULL = Plan(p1_sizes=[10 * KB, 50 * KB, 200 * KB, 1 * MB], p1_rounds=5,
            p2_records=200, p2_sizes=(10 * KB, 160 * KB), p2_rounds=2,
            p3_records=30, p3_sizes=(10 * KB, 1 * MB),
            p4_runs=[(5 * MB, "json"), (5 * MB, "docx,html,pdf"), (NEAR_LIMIT, "docx,html,pdf")],
            p4_paragraph=(10 * MB, "docx,html,jats,pdf"),
            p5_sizes=[10 * KB, 50 * KB, 100 * KB, 500 * KB, 1 * MB, 5 * MB], p5_rounds=5)
QUICK = Plan(p1_sizes=[10 * KB], p1_rounds=2,
             p2_records=4, p2_sizes=(10 * KB, 30 * KB), p2_rounds=1,
             p3_records=4, p3_sizes=(10 * KB, 200 * KB),
             p4_runs=[(300 * KB, "json"), (300 * KB, "docx")], p4_paragraph=(100 * KB, "docx,pdf"),
             p5_sizes=[10 * KB, 100 * KB], p5_rounds=1, quick=True)


def publish_cmd() -> list[str]:
    script = Path(sys.executable).parent / "publish"
    return [str(script)] if script.exists() else [sys.executable, "-m", "publisher"]


def pandoc() -> str:
    from publisher.render.pandoc_run import pandoc_path

    return pandoc_path()


# --- S0 --------------------------------------------------------------------------------------

def s0_pandoc_launch(work: Path, rounds: int) -> dict[str, Any]:
    """What starting pandoc (and the typst child) costs, apart from the conversion itself."""
    from publisher.model import Document, Metadata
    from publisher.render import RenderOptions
    from publisher.render.pandoc_ast import to_pandoc

    tiny = work / "tiny.json"
    import json

    tiny.write_text(json.dumps(to_pandoc(Document(title="x", language="en", metadata=Metadata()),
                                         RenderOptions(), "docx")), encoding="utf-8")
    cases = {
        "pandoc --version": [pandoc(), "--version"],
        "pandoc tiny -> html": [pandoc(), "-f", "json", "-t", "html", str(tiny), "-o", str(work / "t.html")],
        "pandoc tiny -> typst": [pandoc(), "-f", "json", "-t", "typst", str(tiny), "-o", str(work / "t.typ")],
        "pandoc tiny -> docx": [pandoc(), "-f", "json", "-t", "docx", str(tiny), "-o", str(work / "t.docx")],
        "python -I -c 'import typst'": [sys.executable, "-I", "-c", "import typst"],
    }
    return {name: median([run(cmd) for _ in range(rounds)]) for name, cmd in cases.items()}


# --- P1 --------------------------------------------------------------------------------------

def p1_single(records: list[Path], work: Path, rounds: int) -> list[dict[str, Any]]:
    from publisher.api import publish

    out = work / "p1"
    out.mkdir(exist_ok=True)
    # cold: no server in its folder, so the command pays for looking for one, as it does for a user
    (work / "p1-none").mkdir(mode=0o700, exist_ok=True)
    cold_env = environment(work / "p1-none")
    rows = []
    with resident_server(publish_cmd(), work / "p1-resident") as (resident_env, server):
        for record in records:
            ours_cmd = [*publish_cmd(), str(record), "--to", "docx", "-o", str(out), "-q"]
            naive_cmd = [pandoc(), str(record), "-f", "markdown", "-o", str(out / f"{record.stem}.naive.docx")]
            ours: list[Timing] = []
            naive: list[Timing] = []
            resident: list[Timing] = []
            for r in range(rounds):
                trio: list[tuple[list[Timing], Callable[[], Timing]]] = [
                    (ours, partial(run, ours_cmd, env=cold_env)), (naive, partial(run, naive_cmd)),
                    (resident, partial(run_resident, ours_cmd, resident_env, server))]
                for bucket, measure in trio if r % 2 == 0 else reversed(trio):
                    bucket.append(measure())
            publish(record, "docx")  # warm: imports, regexes, pandoc's API version
            warm = median([in_process(partial(publish, record, "docx")) for _ in range(rounds)])
            rows.append({"record": record.name, "bytes": record.stat().st_size, "ours": median(ours),
                         "naive": median(naive), "resident": median(resident), "warm": warm})
        ran = calls_run(publish_cmd(), resident_env)
        if ran != rounds * len(records):  # a call that passed the server by measured the cold path again
            raise RuntimeError(f"the resident server ran {ran} of {rounds * len(records)} calls: "
                               "was the code changed during the run?")
    return rows


# --- P2 --------------------------------------------------------------------------------------

def _naive_record(record: Path, out: Path) -> bool:
    import subprocess

    stem = out / record.stem
    steps = [
        [pandoc(), str(record), "-f", "markdown", "-o", f"{stem}.docx"],
        [pandoc(), str(record), "-f", "markdown", "-s", "--metadata", f"title={record.stem}", "-o", f"{stem}.html"],
        [pandoc(), str(record), "-f", "markdown", "-s", "-t", "typst", "-o", f"{stem}.typ"],
        [sys.executable, "-c", TYPST_COMPILE, f"{stem}.typ", f"{stem}.pdf"],
    ]
    return all(subprocess.run(s, capture_output=True, check=False).returncode == 0 for s in steps)


def _count_outputs(folder: Path) -> dict[str, int]:
    return {ext: len(list(folder.glob(f"*.{ext}"))) for ext in ("docx", "html", "pdf")}


def p2_batch(records: list[Path], work: Path, rounds: int) -> dict[str, Any]:
    ours: list[Timing] = []
    naive: list[Timing] = []
    counts: dict[str, dict[str, int]] = {}

    def run_ours() -> None:
        out = work / "p2-ours"
        shutil.rmtree(out, ignore_errors=True)
        ours.append(run([*publish_cmd(), *map(str, records), "--to", "docx,html,pdf", "-o", str(out), "-j", "2",
                         "-q"]))
        counts["ours"] = _count_outputs(out)

    def run_naive() -> None:
        out = work / "p2-naive"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        naive.append(run_many([partial(_naive_record, rec, out) for rec in records], parallel=2))
        counts["naive"] = _count_outputs(out)

    for r in range(rounds):  # naive ours ours naive ...
        for step in (run_naive, run_ours) if r % 2 == 0 else (run_ours, run_naive):
            step()
    return {"records": len(records), "bytes": sum(r.stat().st_size for r in records),
            "ours": median(ours), "naive": median(naive), "counts": counts, "runs": {"ours": ours, "naive": naive}}


# --- P3, P4, P5 ------------------------------------------------------------------------------

def p3_throughput(records: list[Path], rounds: int) -> dict[str, Any]:
    from publisher.pipeline import build_document

    build_document(SAMPLES[0])  # warm
    timings = []
    for record in records:
        data = record.read_bytes()
        timings.append(median([in_process(partial(build_document, data, name="x")) for _ in range(rounds)]))
    total = sum(r.stat().st_size for r in records)
    return {"records": len(records), "bytes": total, "wall": sum(t.wall for t in timings),
            "cpu": sum(t.cpu for t in timings)}


def p4_memory(runs: list[tuple[Path, str]], work: Path) -> list[dict[str, Any]]:
    rows = []
    for record, fmt in runs:
        result = peak_rss([str(record), "--to", fmt, "-o", str(work / "p4"), "-q"])
        kind = "one paragraph" if record.name.startswith("paragraph") else ""
        rows.append({"formats": fmt, "bytes": record.stat().st_size, "kind": kind, **result})
    return rows


def paragraph_record(folder: Path, size: int, seed: int) -> Path:
    """A record that is one paragraph without a space or break (bench.corpus.one_paragraph_record)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"paragraph{size // KB}k.txt"
    path.write_text(corpus.one_paragraph_record(size, seed), encoding="utf-8", newline="")
    return path


def p5_scaling(records: list[Path], work: Path, rounds: int) -> list[dict[str, Any]]:
    from publisher.pipeline import build_document

    build_document(SAMPLES[0])
    rows = []
    for record in records:
        data = record.read_bytes()
        n = rounds if len(data) < MB else 1
        build = median([in_process(partial(build_document, data, name="x")) for _ in range(n)])
        docx = median([run([*publish_cmd(), str(record), "--to", "docx", "-o", str(work / "p5"), "-q"])
                       for _ in range(n)])
        rows.append({"record": record.name, "bytes": len(data), "build": build, "docx": docx})
    return rows


# --- P6 ---------------------------------------------------------------------------------------

def p6_service(work: Path, plan: Plan) -> dict[str, Any]:
    """The service's conversions per minute against `publish -j 1` on the same records, measured
    by the service's own benchmark (`bench/service.py`, which starts `publish serve` on loopback)."""
    from bench import service

    return service.p6(40 if plan.quick else 200, work)


# --- the run ---------------------------------------------------------------------------------

def sized_records(folder: Path, sizes: list[int], seed: int) -> list[Path]:
    """One record per size; a record generated past the reader's 20 MB limit is made smaller."""
    from publisher.read import DEFAULT_MAX_BYTES

    folder.mkdir(parents=True, exist_ok=True)
    pool = corpus.load_samples()
    paths = []
    for size in sizes:
        path = folder / f"size{size // KB}k.txt"
        target = size
        text = corpus.record_of_size(target, seed, pool)
        while len(text.encode("utf-8")) > DEFAULT_MAX_BYTES:
            target = int(target * 0.95)
            text = corpus.record_of_size(target, seed, pool)
        path.write_text(text, encoding="utf-8", newline="")
        paths.append(path)
    return paths


def benchmark(plan: Plan, work: Path, parts: set[str]) -> dict[str, Any]:
    results: dict[str, Any] = {"plan": plan, "machine": machine(), "load_before": load_average()}
    results["date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    log = print
    if "s0" in parts:
        log("S0 pandoc launch cost ...", flush=True)
        results["s0"] = s0_pandoc_launch(work, 5 if not plan.quick else 2)
    if "s1" in parts:
        log("S1 import time ...", flush=True)
        results["s1"] = import_times(S1_CODE, 7 if not plan.quick else 2)
    if "p1" in parts:
        log("P1 one record to docx ...", flush=True)
        p1 = [*SAMPLES, *sized_records(work / "p1-in", plan.p1_sizes, plan.seed)]
        results["p1"] = p1_single(p1, work, plan.p1_rounds)
    if "p2" in parts:
        log(f"P2 batch of {plan.p2_records} records ...", flush=True)
        p2 = corpus.write_corpus(work / "p2-in", plan.p2_records, plan.seed, *plan.p2_sizes)
        results["p2"] = p2_batch(p2, work, plan.p2_rounds)
    if "p3" in parts:
        log("P3 pipeline throughput ...", flush=True)
        p3 = corpus.write_corpus(work / "p3-in", plan.p3_records, plan.seed + 1, *plan.p3_sizes)
        results["p3"] = p3_throughput(p3, 3 if not plan.quick else 1)
    if "p4" in parts:
        log("P4 peak memory ...", flush=True)
        sizes = sorted({size for size, _ in plan.p4_runs})
        by_size = dict(zip(sizes, sized_records(work / "p4-in", sizes, plan.seed), strict=True))
        runs = [(by_size[size], fmt) for size, fmt in plan.p4_runs]
        if plan.p4_paragraph:
            size, fmt = plan.p4_paragraph
            runs.append((paragraph_record(work / "p4-in", size, plan.seed), fmt))
        results["p4"] = p4_memory(runs, work)
    if "p5" in parts:
        log("P5 time against size ...", flush=True)
        results["p5"] = p5_scaling(sized_records(work / "p5-in", plan.p5_sizes, plan.seed), work, plan.p5_rounds)
    if "p6" in parts:
        log("P6 the service ...", flush=True)
        results["p6"] = p6_service(work, plan)
    results["load_after"] = load_average()
    return results


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small records and few of them: a smoke run")
    p.add_argument("--only", default="s0,s1,p1,p2,p3,p4,p5,p6", help="parts to run (default: all)")
    p.add_argument("--write", type=Path, help="write the results into this markdown file "
                   "(default: BENCHMARKS.md for a full run, nothing for --quick)")
    p.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    base = QUICK if args.quick else FULL
    command = "python -m bench.run" + (" --quick" if args.quick else "") + \
        (f" --only {args.only}" if args.only != p.get_default("only") else "") + \
        (f" --seed {args.seed}" if args.seed != 1 else "")
    plan = Plan(**{**base.__dict__, "seed": args.seed, "command": command})
    parts = {s.strip() for s in args.only.split(",")}
    work = args.keep or Path(tempfile.mkdtemp(prefix="publisher-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    # An installed tool has its bytecode compiled (pip does it); a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every changed module again in every cold run.
    compileall.compile_dir(REPO / "publisher", quiet=1)
    try:
        results = benchmark(plan, work, parts)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print_results(results)
    target = args.write or (None if args.quick else REPO / "BENCHMARKS.md")
    if target:
        write_markdown(results, target)
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
