"""Publish records to several formats and compare the bytes with a saved baseline.

    python scripts/compare_outputs.py save DIR     # publish the samples and fixture records into DIR
    python scripts/compare_outputs.py check DIR    # publish again; list every output that differs

For a change that must not change behaviour (a refactoring): save before, check after.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from publisher.api import publish
from publisher.errors import PublishError

ROOT = Path(__file__).resolve().parent.parent
RECORDS = sorted(ROOT.glob("samples/*.txt")) + sorted(ROOT.glob("tests/fixtures/records/*.txt"))
FORMATS = ["json", "html", "docx", "md", "jats"]


def outputs() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for path in RECORDS:
        try:
            result = publish(path, FORMATS, name=path.name)
        except PublishError as exc:
            out[f"{path.name}.error"] = str(exc).encode()
            continue
        for fmt, data in result.outputs.items():
            if isinstance(data, bytes):
                out[f"{path.name}.{fmt}"] = data
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("save", "check"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    folder = Path(argv[1])
    now = outputs()
    if argv[0] == "save":
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in now.items():
            (folder / name).write_bytes(data)
        print(f"saved {len(now)} outputs in {folder}")
        return 0
    differ = []
    for name, data in sorted(now.items()):
        old = folder / name
        if not old.exists() or old.read_bytes() != data:
            differ.append(name)
    missing = sorted({p.name for p in folder.iterdir()} - set(now))
    for name in differ:
        print(f"DIFFERS {name}  {hashlib.sha256(now[name]).hexdigest()[:12]}")
    for name in missing:
        print(f"MISSING {name}")
    print(f"{len(now) - len(differ)} of {len(now)} outputs identical")
    return 1 if differ or missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
