"""`publish serve`: run the web service on uvicorn.

The API token is read from the environment (PUBLISHER_API_TOKEN), never from the command
line, where other users of the machine could see it in the process list.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path

from publisher.read import DEFAULT_MAX_BYTES
from publisher.service.app import TOKEN_ENV
from publisher.service.workers import default_workers

DEFAULT_DATA = "publisher-data"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="publish serve",
        description="Serve the authors' pages and the CMS API (/api/v1/documents, /docs).",
        epilog=f"Set {TOKEN_ENV} to require 'Authorization: Bearer <token>' on the API.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--data", default=DEFAULT_DATA, metavar="DIR",
                   help=f"folder for drafts and rendered files (default: ./{DEFAULT_DATA})")
    p.add_argument("--max-size", type=float, default=DEFAULT_MAX_BYTES / 1048576, metavar="MB",
                   help="refuse bodies larger than this (default: 20)")
    p.add_argument("--workers", type=int, default=default_workers(), metavar="N",
                   help="conversions run at once (default: one per core)")
    p.add_argument("--queue", type=int, default=100, metavar="N",
                   help="conversions that may wait for a worker before 503 (default: 100)")
    p.add_argument("--timeout", type=float, default=120.0, metavar="S",
                   help="seconds one conversion may take before 504 (default: 120)")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    return p


def serve_main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.workers < 1 or args.queue < 0 or args.timeout <= 0 or args.max_size <= 0:
        print("publish serve: error: --workers, --timeout and --max-size must be positive, --queue >= 0",
              file=sys.stderr)
        return 2
    import uvicorn  # only the server needs it

    from publisher.service.app import create_app

    data = Path(args.data)
    try:
        data.mkdir(parents=True, exist_ok=True)
        app = create_app(data, os.environ.get(TOKEN_ENV) or None, max_bytes=int(args.max_size * 1048576),
                         workers=args.workers, queue=args.queue, timeout=args.timeout)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        print(f"publish serve: error: {data}: {reason}", file=sys.stderr)
        return 1
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level,
                proxy_headers=False, server_header=False)
    return 0
