"""Alembic migrations of the store (`publish db upgrade`; SQLite is upgraded on start)."""
