"""Where the service keeps its state and sends its work, chosen by environment variables.

    PUBLISHER_DATABASE_URL  unset: SQLite in the data folder, rendered files beside it;
                            postgresql://user:pass@host/db: drafts and files in PostgreSQL
    PUBLISHER_BROKER_URL    unset: conversions run in the web process's own worker processes;
                            redis://host:port/0: they go to Celery workers (`publish worker`)
    PUBLISHER_API_TOKEN     set: every route but health checks and static files needs it

Secrets stay out of the command line, where other users of the machine could read them.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DATABASE_ENV = "PUBLISHER_DATABASE_URL"
BROKER_ENV = "PUBLISHER_BROKER_URL"
TOKEN_ENV = "PUBLISHER_API_TOKEN"
VISIBILITY_ENV = "PUBLISHER_VISIBILITY_TIMEOUT"  # seconds before an unacknowledged job is redone
SQLITE_NAME = "drafts.sqlite3"

# the scheme a user writes -> the SQLAlchemy dialect and driver we ship (psycopg 3)
_DIALECTS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}


def database_url(data_dir: Path | None, url: str | None = None) -> str:
    """The SQLAlchemy URL: the given one, else the environment's, else SQLite in `data_dir`."""
    given = url or os.environ.get(DATABASE_ENV) or ""
    if not given:
        if data_dir is None:
            raise ValueError(f"no database: set {DATABASE_ENV} or give a data folder")
        return f"sqlite:///{Path(data_dir).resolve() / SQLITE_NAME}"
    parts = urlsplit(given)
    scheme = _DIALECTS.get(parts.scheme, parts.scheme)
    return urlunsplit(parts._replace(scheme=scheme))


def broker_url(url: str | None = None) -> str | None:
    return url or os.environ.get(BROKER_ENV) or None


def visibility_timeout(conversion_timeout: float) -> float:
    """How long a job may stay unacknowledged before the broker hands it to another worker:
    longer than any conversion may run, so a slow job is never done twice at once."""
    configured = os.environ.get(VISIBILITY_ENV)
    return float(configured) if configured else max(300.0, 2 * conversion_timeout)


def redacted(url: str) -> str:
    """The URL with its password hidden, for logs and error lines."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))
