"""`publish serve`, `publish worker`, `publish db`: the service's command lines.

Secrets (the API token, database and broker passwords) are read from the environment
(config.py), never from the command line, where other users of the machine could see them
in the process list. Every mistake is one line on stderr and exit status 2 (usage) or 1
(the data folder, database, broker or port cannot be used); never a traceback.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path

from publisher.read import DEFAULT_MAX_BYTES
from publisher.service.config import BROKER_ENV, DATABASE_ENV, TOKEN_ENV
from publisher.service.workers import default_workers

DEFAULT_DATA = "publisher-data"
EXIT_FAILED, EXIT_USAGE = 1, 2


def _number(kind: type, low: float, high: float = math.inf, low_open: bool = False) -> Callable[[str], float]:
    """An argparse type: a finite number in [low, high] ((low, high] when low_open)."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not math.isfinite(value) or value > high or value < low or (low_open and value == low):
            bound = f"more than {low:g}" if low_open else f"at least {low:g}"
            upper = f" and at most {high:g}" if math.isfinite(high) else ""
            raise argparse.ArgumentTypeError(f"must be a finite number {bound}{upper}: {text!r}")
        return value

    return parse


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default=DEFAULT_DATA, metavar="DIR",
                   help=f"folder for the SQLite drafts and rendered files (default: ./{DEFAULT_DATA}); "
                        f"unused when {DATABASE_ENV} names PostgreSQL")
    p.add_argument("--max-size", type=_number(float, 0, 4096, low_open=True), default=DEFAULT_MAX_BYTES / 1048576,
                   metavar="MB", help="refuse records larger than this (default: 20)")
    p.add_argument("--timeout", type=_number(float, 0, 86400, low_open=True), default=120.0, metavar="S",
                   help="seconds one conversion may take (default: 120)")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])


def serve_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="publish serve",
                description="Serve the authors' pages and the CMS API (/api/v1/documents, /api/v1/batches, /docs).",
                epilog=f"Environment: {TOKEN_ENV} (require a token), {DATABASE_ENV} (postgresql://...), "
                       f"{BROKER_ENV} (redis://...: conversions go to `publish worker`).")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=_number(int, 1, 65535), default=8000, help="port (default: 8000)")
    p.add_argument("--workers", type=_number(int, 1, 256), default=default_workers(), metavar="N",
                   help="conversion processes (default: one per core)")
    p.add_argument("--queue", type=_number(int, 0, 100000), default=100, metavar="N",
                   help="conversions that may wait for a worker before 503 (default: 100)")
    _common(p)
    return p


def serve_main(argv: list[str]) -> int:
    args, status = _parse(serve_parser(), argv)
    if args is None:
        return status
    import os

    from publisher.service import logs, server
    from publisher.service.app import create_app
    from publisher.service.config import database_url
    from publisher.service.store import StoreError

    logs.configure(args.log_level)
    data = Path(args.data)
    try:
        sock = server.bind(args.host, int(args.port))
    except OSError as exc:
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
    try:
        if database_url(data).startswith("sqlite"):
            data.mkdir(parents=True, exist_ok=True)
        app = create_app(data, os.environ.get(TOKEN_ENV) or None, max_bytes=int(args.max_size * 1048576),
                         workers=int(args.workers), queue=int(args.queue), timeout=args.timeout)
    except OSError as exc:
        sock.close()
        return _fail(f"{data}: {exc.strerror or exc}")
    except StoreError as exc:
        sock.close()
        return _fail(str(exc))
    server.run(app, sock, args.log_level)
    return 0


def worker_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="publish worker",
                description=f"Convert records queued by `publish serve` (needs {BROKER_ENV}=redis://...).")
    p.add_argument("--concurrency", type=_number(int, 1, 256), default=default_workers(), metavar="N",
                   help="conversion processes (default: one per core)")
    _common(p)
    return p


def worker_main(argv: list[str]) -> int:
    args, status = _parse(worker_parser(), argv)
    if args is None:
        return status
    from publisher.service import logs
    from publisher.service.config import broker_url
    from publisher.service.store import DraftStore, StoreError

    logs.configure(args.log_level)
    broker = broker_url()
    if not broker:
        return _fail(f"set {BROKER_ENV} (for example redis://127.0.0.1:6379/0) to the broker `publish serve` uses")
    try:
        # the schema is current and the database answers; the worker processes open their own connections
        DraftStore(Path(args.data), None).engine.dispose()
    except (OSError, StoreError) as exc:
        return _fail(str(exc))
    from publisher.service.tasks import run_worker

    return run_worker(broker, concurrency=int(args.concurrency), data=Path(args.data),
                      max_bytes=int(args.max_size * 1048576), timeout=args.timeout, log_level=args.log_level)


def db_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="publish db", description=f"Manage the drafts database ({DATABASE_ENV}, default SQLite in --data).")
    p.add_argument("command", choices=["upgrade", "current"],
                   help="upgrade: apply every migration not yet applied; current: print the schema revision")
    p.add_argument("--data", default=DEFAULT_DATA, metavar="DIR", help=f"SQLite folder (default: ./{DEFAULT_DATA})")
    return p


def db_main(argv: list[str]) -> int:
    args, status = _parse(db_parser(), argv)
    if args is None:
        return status
    from sqlalchemy.exc import SQLAlchemyError

    from publisher.service import migrate
    from publisher.service.config import database_url, redacted
    from publisher.service.store import make_engine

    if args.command == "upgrade" and database_url(Path(args.data)).startswith("sqlite"):
        Path(args.data).mkdir(parents=True, exist_ok=True)
    url = database_url(Path(args.data))
    engine = make_engine(url)
    try:
        if args.command == "current":
            print(migrate.current(engine) or "none")
            return 0
        before, after = migrate.upgrade(engine)
    except SQLAlchemyError as exc:
        reason = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["error"])[0]
        return _fail(f"{redacted(url)}: {reason}")
    finally:
        engine.dispose()
    print(f"publish db: {redacted(url)}: " + (f"already at {after}" if before == after else f"{before or 'empty'} -> {after}"))
    return 0


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> tuple[argparse.Namespace | None, int]:
    """(arguments, 0), or (None, exit status) after --help or a usage error was printed."""
    try:
        return parser.parse_args(argv), 0
    except SystemExit as exc:
        return None, exc.code if isinstance(exc.code, int) else EXIT_USAGE


def _fail(message: str) -> int:
    print(f"publish: error: {message}", file=sys.stderr)
    return EXIT_FAILED


ENTRANCES = {"serve": serve_main, "worker": worker_main, "db": db_main}
