"""Running the store's migrations (Alembic, scripts in migrations/versions/).

SQLite, the single-node default, is upgraded when the service starts. A shared PostgreSQL
is upgraded on purpose, once, with `publish db upgrade`: web nodes and workers only check
that the schema is current, so several of them starting together never race a migration.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(Exception):
    """The database cannot be used: unreachable, not a database, or its schema is old."""


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None
    return revision


def current(engine: Engine) -> str | None:
    with engine.connect() as db:
        return MigrationContext.configure(db).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to the newest revision: (revision before, revision after)."""
    config = _config()
    with engine.begin() as db:
        before = MigrationContext.configure(db).get_current_revision()
        config.attributes["connection"] = db
        command.upgrade(config, "head")
    return before, head()


def check_schema(engine: Engine) -> None:
    found, wanted = current(engine), head()
    if found != wanted:
        raise StoreError(f"the database schema is at {found or 'nothing'}, this version needs {wanted}: "
                         "run `publish db upgrade` once")
