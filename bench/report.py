"""Turning benchmark results into a table on the terminal and a section of BENCHMARKS.md.

Only the part between the two markers is rewritten, so the analysis written by hand around
it survives a re-run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.measure import S1_CODE

BEGIN, END = "<!-- bench:begin (written by python -m bench.run) -->", "<!-- bench:end -->"
KB, MB = 1024, 1024 * 1024
P1_SMALL = 50 * KB  # the P1 targets are for records up to this size
CAPPED = "needed more than its"  # how the PDF writer says its child ran into the memory cap
REFUSED = "too large for"  # a writer that refused the record before its child could reach the cap
S1_ROWS = 12


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / KB:.0f} KB"


def _ratio_pairs(rows: list[dict[str, Any]], key: str) -> list[tuple[str, str, float, float]]:
    """(small, large, size ratio, time ratio) for every pair of rows about 10x apart in size."""
    pairs = []
    for small in rows:
        for large in rows:
            size_ratio = large["bytes"] / small["bytes"]
            if 7 <= size_ratio <= 13:
                pairs.append((small["record"], large["record"], size_ratio, large[key].cpu / small[key].cpu))
    return pairs


def summary(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(target, measured, goal, verdict) rows."""
    rows: list[tuple[str, str, str, str]] = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    if "p1" in results:
        small = [r for r in results["p1"] if r["bytes"] <= P1_SMALL] or results["p1"]
        cold = [r["ours"].wall / r["naive"].wall for r in small]
        cold_cpu = [r["ours"].cpu / r["naive"].cpu for r in small]
        warm = [r["warm"].wall / r["naive"].wall for r in small]
        warm_cpu = [r["warm"].cpu / r["naive"].cpu for r in small]
        rows.append((f"P1 one record to DOCX, cold CLI / naive pandoc (wall), records up to {_size(P1_SMALL)}",
                     f"{min(cold):.2f}x .. {max(cold):.2f}x ({min(cold_cpu):.2f}x .. {max(cold_cpu):.2f}x by CPU)",
                     "<= 1.5x", verdict(max(cold) <= 1.5)))
        resident = [r for r in small if "resident" in r]
        if resident:
            wall = [r["resident"].wall / r["naive"].wall for r in resident]
            cpu = [r["resident"].cpu / r["naive"].cpu for r in resident]
            rows.append((f"P1 cold CLI with `publish resident` running / naive pandoc (wall), up to {_size(P1_SMALL)}",
                         f"{min(wall):.2f}x .. {max(wall):.2f}x ({min(cpu):.2f}x .. {max(cpu):.2f}x by CPU)",
                         "<= 1.5x", verdict(max(wall) <= 1.5)))
        rows.append((f"P1 warm (`publisher.publish` in a running process) / naive pandoc, up to {_size(P1_SMALL)}",
                     f"{min(warm):.2f}x .. {max(warm):.2f}x ({min(warm_cpu):.2f}x .. {max(warm_cpu):.2f}x by CPU)",
                     "<= 1.0x", verdict(max(warm) <= 1.0)))
    if "p2" in results:
        p2 = results["p2"]
        speedup = p2["naive"].wall / p2["ours"].wall
        by_cpu = p2["naive"].cpu / p2["ours"].cpu
        rows.append((f"P2 batch of {p2['records']} to docx+html+pdf, -j 2, throughput vs naive loop",
                     f"{speedup:.2f}x ({by_cpu:.2f}x by CPU per record)", ">= 1.5x", verdict(speedup >= 1.5)))
    if "p3" in results:
        p3 = results["p3"]
        cpu, wall = p3["bytes"] / MB / p3["cpu"], p3["bytes"] / MB / p3["wall"]
        rows.append(("P3 read+clean+assemble on one core", f"{cpu:.2f} MB/s CPU ({wall:.2f} wall)",
                     ">= 2 MB/s (long run: 5)", verdict(cpu >= 2)))
    if "p4" in results:
        five = [r for r in results["p4"] if r["bytes"] <= 6 * MB] or results["p4"]
        worst = max(five, key=lambda r: r.get("self_mb", 0))
        rows.append((f"P4 peak RSS, {_size(worst['bytes'])} record, publisher process",
                     f"{worst.get('self_mb', 0):.0f} MB", "<= 300 MB", verdict(worst.get("self_mb", 1e9) <= 300)))
        capped = [r for r in results["p4"] if any(CAPPED in e for e in r.get("errors", []))]
        refused = [f"{_size(r['bytes'])} {e.split(': ')[1]}" for r in results["p4"] for e in r.get("errors", [])
                   if REFUSED in e and CAPPED not in e]
        kids = max(r.get("children_mb", 0) for r in results["p4"])
        largest = max(r["bytes"] for r in results["p4"])
        rows.append((f"P4 pandoc/typst child under its cap on every accepted record (up to {_size(largest)})",
                     f"largest child {kids:.0f} MB; " + (", ".join(f"{_size(r['bytes'])} {r['formats']}: over the cap"
                                                            for r in capped) or "no format over its cap")
                     + (f"; refused before compiling: {', '.join(refused)}" if refused else ""),
                     "no format over its cap", verdict(not capped)))
    if "p5" in results:
        pairs = _ratio_pairs(results["p5"], "build")
        if pairs:
            worst_pair = max(p[3] / p[2] * 10 for p in pairs)
            rows.append(("P5 time(10x input) / time(x), pipeline CPU, normalised to exactly 10x",
                         f"{worst_pair:.1f}x worst", "<= 11x", verdict(worst_pair <= 11)))
    if "p6" in results:
        p6 = results["p6"]
        rows.append((f"P6 `publish serve` conversions per minute vs `publish -j 1`, {p6['records']:.0f} records",
                     f"{p6['ratio']:.2f}x ({p6['api_per_min']:.0f} against {p6['cli_per_min']:.0f} per minute)",
                     ">= 1.8x", verdict(p6["ratio"] >= 1.8)))
    return rows


def detail_lines(results: dict[str, Any]) -> list[str]:
    out: list[str] = []
    if "s0" in results:
        out += ["", "**S0 start-up cost of one external call** (median wall / CPU):", "",
                "| call | wall | CPU |", "|---|---:|---:|"]
        out += [f"| `{name}` | {t.wall * 1000:.0f} ms | {t.cpu * 1000:.0f} ms |" for name, t in results["s0"].items()]
    if "s1" in results:
        rows = results["s1"]
        out += ["", f"**S1 start-up**: `python -X importtime -c '{S1_CODE}'`, the least of several runs per module "
                f"(ms; self = the module's own code, with = its imports too); top {S1_ROWS} of {len(rows)} modules "
                f"by self time, {sum(r[1] for r in rows):.0f} ms of self time in all:", "",
                "| module | self | with imports |", "|---|---:|---:|"]
        out += [f"| `{name}` | {own:.1f} | {total:.1f} |" for name, own, total in rows[:S1_ROWS]]
    if "p1" in results and any("resident" in r for r in results["p1"]):
        out += ["", "**P1 with `publish resident` running** (the same command, handed to a warm server that "
                "forks a fresh child for it; CPU = the command's + the server's and its child's; median of rounds, "
                "run interleaved with the cold command and pandoc):", "",
                "| record | size | cold wall | resident wall | naive pandoc wall | cold ratio | resident ratio | "
                "cold CPU | resident CPU | naive CPU | resident CPU ratio |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in results["p1"]:
            if "resident" in r:
                o, s, n = r["ours"], r["resident"], r["naive"]
                out.append(f"| {r['record']} | {_size(r['bytes'])} | {o.wall:.2f} s | {s.wall:.2f} s | {n.wall:.2f} s | "
                           f"{o.wall / n.wall:.2f}x | {s.wall / n.wall:.2f}x | {o.cpu:.2f} s | {s.cpu:.2f} s | "
                           f"{n.cpu:.2f} s | {s.cpu / n.cpu:.2f}x |")
    if "p1" in results:
        out += ["", "**P1 one record to DOCX** (median of rounds; `warm` = `publisher.publish(rec, 'docx')` "
                "in an already started process):", "",
                "| record | size | publish wall | naive pandoc wall | ratio | publish CPU | naive CPU | warm wall | "
                "warm ratio | warm CPU |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in results["p1"]:
            out.append(f"| {r['record']} | {_size(r['bytes'])} | {r['ours'].wall:.2f} s | {r['naive'].wall:.2f} s | "
                       f"{r['ours'].wall / r['naive'].wall:.2f}x | {r['ours'].cpu:.2f} s | {r['naive'].cpu:.2f} s | "
                       f"{r['warm'].wall:.2f} s | {r['warm'].wall / r['naive'].wall:.2f}x | {r['warm'].cpu:.2f} s |")
    if "p2" in results:
        p2 = results["p2"]
        n = p2["records"]
        out += ["", f"**P2 batch** of {n} records ({_size(p2['bytes'])} in all) to docx+html+pdf, two at a time:", "",
                "| | wall | records/s | CPU per record | outputs docx/html/pdf |", "|---|---:|---:|---:|---|"]
        for name in ("ours", "naive"):
            t, c = p2[name], p2["counts"].get(name, {})
            label = "`publish -j 2`" if name == "ours" else "naive pandoc+typst loop"
            out.append(f"| {label} | {t.wall:.1f} s | {n / t.wall:.2f} | {t.cpu / n:.2f} s | "
                       f"{c.get('docx', 0)}/{c.get('html', 0)}/{c.get('pdf', 0)} |")
        runs = p2.get("runs", {})
        if runs:
            out += ["", "Every run, in the order run (wall / CPU): " + "; ".join(
                f"{name} " + ", ".join(f"{t.wall:.0f} s / {t.cpu:.0f} s" for t in runs[name]) for name in runs) + "."]
    if "p3" in results:
        p3 = results["p3"]
        out += ["", f"**P3** {p3['records']} corpus records, {_size(p3['bytes'])}: "
                f"{p3['cpu']:.2f} s CPU, {p3['wall']:.2f} s wall in `build_document`."]
    if "p4" in results:
        out += ["", "**P4 peak RSS** (`getrusage` of a child running the CLI):", "",
                "| formats | record | publisher process | largest child (pandoc/typst) | wall | failed |",
                "|---|---:|---:|---:|---:|---|"]
        for r in results["p4"]:
            failed = "; ".join(e.split(": ", 1)[-1] for e in r.get("errors", [])) or "-"
            record = _size(r["bytes"]) + (f", {r['kind']}" if r.get("kind") else "")
            out.append(f"| {r['formats']} | {record} | {r.get('self_mb', 0):.0f} MB | "
                       f"{r.get('children_mb', 0):.0f} MB | {r['wall']:.1f} s | {failed} |")
    if "p5" in results:
        out += ["", "**P5 time against size** (pipeline = `build_document` in process; docx = the whole "
                "`publish --to docx` command):", "",
                "| record | size | pipeline CPU | pipeline wall | docx CPU | docx wall |", "|---|---:|---:|---:|---:|---:|"]
        for r in results["p5"]:
            out.append(f"| {r['record']} | {_size(r['bytes'])} | {r['build'].cpu:.2f} s | {r['build'].wall:.2f} s | "
                       f"{r['docx'].cpu:.2f} s | {r['docx'].wall:.2f} s |")
        out += ["", "| pair | size ratio | pipeline CPU ratio | docx CPU ratio |", "|---|---:|---:|---:|"]
        docx = {(a, b): t for a, b, _, t in _ratio_pairs(results["p5"], "docx")}
        for a, b, s, t in _ratio_pairs(results["p5"], "build"):
            out.append(f"| {a} -> {b} | {s:.1f} | {t:.1f} | {docx[(a, b)]:.1f} |")
    if "p6" in results:
        p6 = results["p6"]
        out += ["", f"**P6** ({p6['records']:.0f} records to json through the API, four clients, against "
                f"`publish -j 1`): {p6['api_seconds']:.1f} s against {p6['cli_seconds']:.1f} s; CPU "
                f"{p6['api_cpu']:.1f} s (the service and its conversion processes) against {p6['cli_cpu']:.1f} s."]
    return out


def print_results(results: dict[str, Any]) -> None:
    print()
    for target, measured, goal, verdict in summary(results):
        print(f"{verdict:7} {target}: {measured} (target {goal})")
    print("\n".join(detail_lines(results)))
    print(f"\nload average before: {results['load_before']}, after: {results['load_after']}")


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    plan = results["plan"]
    lines = [
        BEGIN,
        f"Run on {results['date']}, commit {m['commit']}.",
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory']} RAM, {m['os']}; Python {m['python']}, "
        f"{m['pandoc']} (pypandoc-binary), typst {m['typst']} (Python package). "
        f"Load average before {results['load_before']}, after {results['load_after']}.",
        "",
        "Reproduce from the repository root:",
        "",
        "```sh",
        f".venv/bin/python -m {plan.command.removeprefix('python -m ')}",
        "```",
        "",
        "| target | measured | goal | |",
        "|---|---|---|---|",
    ]
    lines += [f"| {t} | {m_} | {g} | {v} |" for t, m_, g, v in summary(results)]
    lines += detail_lines(results)
    lines.append(END)
    return "\n".join(lines) + "\n"


def write_markdown(results: dict[str, Any], path: Path) -> None:
    section = markdown(results)
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            tail = rest.split(END, 1)[1].lstrip("\n")
            path.write_text(head + section + ("\n" + tail if tail else ""), encoding="utf-8")
            return
        path.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")
        return
    path.write_text("# Benchmarks\n\n" + section, encoding="utf-8")
