"""Structured logs: one JSON object a line on stderr, with the draft or batch id it is about.

    {"time": "...", "level": "info", "event": "conversion done", "draft_id": "...", ...}

Call sites pass ids as `extra={"draft_id": ...}`; whatever else they pass is kept too.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

# attributes every LogRecord has: everything else on a record came from `extra`
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: str = "info") -> None:
    """JSON lines for publisher's own loggers (the web server keeps its access log)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("publisher")
    logger.handlers[:] = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False


def log_event(event: str, level: int = logging.INFO, **fields: object) -> None:
    """One structured line from the service: `log_event("upload converted", draft_id=...)`."""
    logging.getLogger("publisher.service").log(level, event, extra=fields)
