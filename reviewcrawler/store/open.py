"""Opening the store for a crawl or a command: connected, and its schema at head.

Apart from engine.py (engines, transactions, faults), which schema.py builds on:
this module needs both, and neither needs it.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from reviewcrawler.store.engine import StoreUnavailable, connect, first_line, mask_url
from reviewcrawler.store.schema import UPGRADE_COMMAND, SchemaTooNew, schema_state, upgrade


def open_store(url: str, *, upgrade_sqlite: bool = True, must_exist: bool = False) -> Engine:
    """Connect to the database and make sure its schema is at head.

    SQLite databases are brought to head here (``upgrade_sqlite``); any other
    database that is behind raises StoreUnavailable naming ``reviewcrawler db upgrade``.
    """
    engine = connect(url, must_exist=must_exist)
    try:
        state = schema_state(engine)
        if state.is_current:
            return engine
        if not state.is_known:
            raise SchemaTooNew(state)
        if upgrade_sqlite and engine.dialect.name == "sqlite":
            upgrade(engine)
            return engine
    except SchemaTooNew as exc:
        raise StoreUnavailable(f"Cannot use database {mask_url(url)}: {exc}") from None
    except SQLAlchemyError as exc:
        raise StoreUnavailable(f"Cannot open database {mask_url(url)}: {first_line(exc)}") from None
    raise StoreUnavailable(
        f"Database {mask_url(url)} has schema {state.describe()}, this reviewcrawler needs "
        f"{state.head}: run `{UPGRADE_COMMAND}` (with --database-url or "
        f"REVIEWCRAWLER_DATABASE_URL naming this database) first"
    )
