"""Score published records against expectations worked out by hand.

Each record `NN.txt` has `NN.expect.json` (format: tests/fixtures/unseen/README.md). The
record is published as a user would (`publish NN.txt --to json -o -`); every expectation
item is one check. Strings are compared after NFKC and with whitespace removed; titles also
without punctuation.

    python -m tests.judgement.scoring FOLDER [--publish PATH] [-v]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[\W_]+")


def norm(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def norm_title(text: str) -> str:
    return _PUNCT.sub("", norm(text)).lower()


@dataclass
class Score:
    name: str
    passed: int = 0
    failed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.passed + len(self.failed)

    def check(self, ok: bool, what: str) -> None:
        if ok:
            self.passed += 1
        else:
            self.failed.append(what)


# --------------------------------------------------------------------------- the document
def _inline_segments(inlines: list[dict[str, Any]]) -> Iterator[str | list[int]]:
    for i in inlines:
        kind = i["type"]
        if kind in ("text", "code"):
            yield i["text"]
        elif kind == "cite":
            yield list(i["numbers"])
        else:
            yield from _inline_segments(i.get("inlines", []))


def _block_runs(block: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    """Each run of inlines (a paragraph, a cell) of a block, in reading order."""
    kind = block["type"]
    if kind == "paragraph":
        yield block["inlines"]
    elif kind == "table":
        yield from block["header"]
        for row in block["rows"]:
            yield from row
    elif kind == "list":
        for item in block["items"]:
            for b in item:
                yield from _block_runs(b)
    elif kind == "quote":
        for b in block["blocks"]:
            yield from _block_runs(b)
    elif kind == "code_block":
        yield [{"type": "text", "text": block["text"]}]


def _sections(sections: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for s in sections:
        yield s
        yield from _sections(s.get("sections", []))


def runs(doc: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    for b in doc.get("abstract", []):
        yield from _block_runs(b)
    for s in _sections(doc.get("sections", [])):
        yield [{"type": "text", "text": s["title"]}]
        for b in s.get("blocks", []):
            if b["type"] == "table" and b.get("caption"):
                yield [{"type": "text", "text": b["caption"]}]
            yield from _block_runs(b)


def tables(doc: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def visit(blocks: list[dict[str, Any]]) -> None:
        for b in blocks:
            if b["type"] == "table":
                out.append(b)
            elif b["type"] == "list":
                for item in b["items"]:
                    visit(item)
            elif b["type"] == "quote":
                visit(b["blocks"])

    visit(doc.get("abstract", []))
    for s in _sections(doc.get("sections", [])):
        visit(s.get("blocks", []))
    return out


def published_text(doc: dict[str, Any]) -> str:
    parts = [doc.get("title", ""), " ".join(doc.get("keywords", []))]
    for run in runs(doc):
        parts.append("".join(s for s in _inline_segments(run) if isinstance(s, str)))
    parts += [r.get("text", "") for r in doc.get("references", [])]
    return norm("\n".join(parts))


def report_text(doc: dict[str, Any]) -> str:
    return norm("\n".join(f"{m.get('excerpt', '')} {m.get('message', '')}" for m in doc.get("report", [])))


def cite_after(doc: dict[str, Any], after: str) -> list[int] | None:
    """The final numbers of the citation right after `after` (punctuation may sit between,
    as a marker moves before the sentence's punctuation), or None."""
    target = norm(after)
    for run in runs(doc):
        text, cites = "", []
        for seg in _inline_segments(run):
            if isinstance(seg, str):
                text += norm(seg)
            else:
                cites.append((len(text), seg))
        start = text.find(target)
        while start >= 0:
            end = start + len(target)
            for pos, numbers in cites:
                between = text[min(pos, end):max(pos, end)]
                if abs(pos - end) <= 2 and not re.search(r"\w", between):
                    return numbers
            start = text.find(target, start + 1)
    return None


# --------------------------------------------------------------------------- scoring
def score_record(path: Path, publish: str) -> Score:
    expect = json.loads(path.with_suffix("").with_suffix(".expect.json").read_text("utf-8")) \
        if path.suffix == ".txt" else {}
    score = Score(path.name)
    proc = subprocess.run([publish, str(path), "--to", "json", "-o", "-", "-q"], capture_output=True, timeout=300)
    if expect.get("refuse"):
        score.check(proc.returncode != 0 and not proc.stdout.strip(), "refused with a non-zero exit")
        return score
    if proc.returncode != 0:
        score.failed.append(f"publish failed: {proc.stderr.decode(errors='replace').strip()[:200]}")
        score.failed.extend(["(not scored)"] * max(0, _count_checks(expect) - 1))
        return score
    doc = json.loads(proc.stdout)
    _score_doc(doc, expect, score)
    return score


def _count_checks(expect: dict[str, Any]) -> int:
    n = sum(1 for k in ("language", "title", "keywords") if k in expect)
    n += len(expect.get("chapters", [])) + (1 if "chapters" in expect else 0)
    n += len(expect.get("subsections", {})) + len(expect.get("missing_chapters", []))
    n += len(expect.get("present", [])) + len(expect.get("absent", []))
    n += len(expect.get("references", [])) + (1 if "references" in expect else 0)
    n += len(expect.get("citations", [])) + len(expect.get("dropped_citations", []))
    n += len(expect.get("tables", [])) + (1 if "tables" in expect else 0) + len(expect.get("warnings", []))
    return n


def _score_doc(doc: dict[str, Any], expect: dict[str, Any], score: Score) -> None:
    text, report = published_text(doc), report_text(doc)
    if "language" in expect:
        score.check(doc["language"] == expect["language"], f"language {doc['language']} != {expect['language']}")
    if "title" in expect:
        score.check(norm_title(doc["title"]) == norm_title(expect["title"]), f"title: {doc['title']!r}")
    if "keywords" in expect:
        got = [norm(k) for k in doc.get("keywords", [])]
        score.check(got == [norm(k) for k in expect["keywords"]], f"keywords: {doc.get('keywords')}")
    chapters = [s["title"] for s in doc.get("sections", [])]
    if "chapters" in expect:
        want = expect["chapters"]
        score.check(len(chapters) == len(want), f"{len(chapters)} chapters published, {len(want)} expected: {chapters}")
        for k, title in enumerate(want):
            got = chapters[k] if k < len(chapters) else None
            score.check(got is not None and norm_title(got) == norm_title(title), f"chapter {k + 1}: {got!r} != {title!r}")
    for chapter, subs in expect.get("subsections", {}).items():
        sec = next((s for s in doc.get("sections", []) if norm_title(s["title"]) == norm_title(chapter)), None)
        got_subs = [s["title"] for s in sec.get("sections", [])] if sec else None
        score.check(got_subs is not None and [norm_title(s) for s in got_subs] == [norm_title(s) for s in subs],
                    f"subsections of {chapter!r}: {got_subs}")
    for title in expect.get("missing_chapters", []):
        score.check(norm_title(title) in _PUNCT.sub("", report).lower(), f"missing chapter not reported: {title!r}")
    for s in expect.get("present", []):
        score.check(norm(s) in text, f"present: {s!r}")
    for s in expect.get("absent", []):
        score.check(norm(s) not in text, f"absent: {s!r}")
    refs = [sorted(r["supplied"]) for r in doc.get("references", []) if r.get("cited", True)]
    if "references" in expect:
        want_refs = [sorted(r) for r in expect["references"]]
        score.check(len(refs) == len(want_refs), f"{len(refs)} references, {len(want_refs)} expected: {refs}")
        for k, r in enumerate(want_refs):
            got = refs[k] if k < len(refs) else None
            score.check(got == r, f"reference {k + 1}: {got} != {r}")
    by_final = {r["number"]: set(r["supplied"]) for r in doc.get("references", [])}
    for c in expect.get("citations", []):
        numbers = cite_after(doc, c["after"])
        want = set(c["supplied"])
        got = [by_final.get(n, set()) for n in numbers] if numbers is not None else None
        ok = got is not None and want <= set().union(*got) and all(g & want for g in got)
        score.check(ok, f"citation after {c['after']!r}: {numbers} -> {got}, want {sorted(want)}")
    for n in expect.get("dropped_citations", []):
        score.check(f"[{n}]" in report or f"{n}]" in report, f"dropped citation [{n}] not reported")
    if "tables" in expect:
        got_tables = tables(doc)
        want_tables = expect["tables"]
        score.check(len(got_tables) == len(want_tables), f"{len(got_tables)} tables, {len(want_tables)} expected")
        for k, t in enumerate(want_tables):
            g = got_tables[k] if k < len(got_tables) else None
            ok = g is not None and norm_title(t["caption"]) == norm_title(g.get("caption", "")) and \
                ("rows" not in t or len(g["rows"]) == t["rows"])
            score.check(ok, f"table {k + 1}: {(g or {}).get('caption')!r}/{len((g or {}).get('rows', []))} rows "
                            f"!= {t['caption']!r}/{t.get('rows')}")
    for w in expect.get("warnings", []):
        score.check(norm(w) in report, f"warning not in report: {w!r}")


def score_folder(folder: Path, publish: str) -> list[Score]:
    records = [p for p in sorted(folder.glob("*.txt")) if p.with_suffix(".expect.json").exists()]
    return [score_record(p, publish) for p in records]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder", type=Path)
    p.add_argument("--publish", default=str(Path(sys.executable).with_name("publish")))
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    scores = score_folder(args.folder, args.publish)
    passed = sum(s.passed for s in scores)
    total = sum(s.total for s in scores)
    for s in scores:
        print(f"{s.name:12} {s.passed:3}/{s.total:3}")
        if args.verbose:
            for f in s.failed:
                print(f"    FAIL {f}")
    print(f"TOTAL {passed}/{total} = {100 * passed / max(total, 1):.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
