"""Reading what the crawler stored, for assertions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, MetaData, select


def table_rows(engine: Engine, table: str, order_by: str = "id") -> list[dict[str, Any]]:
    metadata = MetaData()
    metadata.reflect(engine, only=[table])
    reflected = metadata.tables[table]
    with engine.connect() as connection:
        rows = connection.execute(select(reflected).order_by(reflected.c[order_by]))
        return [dict(row._mapping) for row in rows]


def snapshot(engine: Engine, ignore: dict[str, set[str]] | None = None) -> dict[str, list[dict]]:
    """Every row of the contract tables, minus columns that legitimately move per run."""
    ignore = ignore or {}
    tables = {"films": "id", "reviews": "id", "film_summaries": "film_id"}
    return {
        table: [
            {k: v for k, v in row.items() if k not in ignore.get(table, set())}
            for row in table_rows(engine, table, order_by)
        ]
        for table, order_by in tables.items()
    }
