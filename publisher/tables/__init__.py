"""Stage 4, tables: captions attached, placeholders dropped, tables numbered 1..k."""

from publisher.tables.captions import resolve_tables

__all__ = ["resolve_tables"]
