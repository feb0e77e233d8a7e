"""`python -m publisher.schema [--check]`: regenerate (or check) document.schema.json."""

from __future__ import annotations

import json
import sys

from publisher.schema import SCHEMA_FILE, json_schema, write_schema

if "--check" in sys.argv[1:]:
    current = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    if current != json_schema():
        print(f"{SCHEMA_FILE} is out of date: run python -m publisher.schema", file=sys.stderr)
        raise SystemExit(1)
    print(f"{SCHEMA_FILE} is up to date")
else:
    write_schema()
    print(f"wrote {SCHEMA_FILE}")
