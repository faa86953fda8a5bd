"""``INSERT ... ON CONFLICT`` for the dialects the store supports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_for(connection: Connection, table: Table) -> Any:
    """The dialect's insert construct, which has ``on_conflict_do_update``."""
    name = connection.dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"The store supports SQLite and PostgreSQL, not {name}")
