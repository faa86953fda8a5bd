"""``INSERT ... ON CONFLICT`` for the dialects the store supports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, and_, any_, bindparam, func, or_, text
from sqlalchemy.dialects import postgresql, sqlite


def insert_for(connection: Connection, table: Table) -> Any:
    """The dialect's insert construct, which has ``on_conflict_do_update``."""
    name = connection.dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"The store supports SQLite and PostgreSQL, not {name}")


def insert_rows(
    connection: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    conflict: Any,
) -> None:
    """``INSERT ... ON CONFLICT (conflict) DO NOTHING`` of many rows with the same keys.

    PostgreSQL gets one statement whose columns arrive as arrays (``unnest``): one
    round trip and almost no client-side work, where an executemany costs a round
    trip per row and a multi-row VALUES costs psycopg a parse of a huge query.
    SQLite gets multi-row VALUES (see ``_insert_rows_sqlite``).
    """
    if not rows:
        return
    names = list(rows[0])
    dialect = connection.dialect
    if dialect.name != "postgresql":
        _insert_rows_sqlite(connection, table, names, rows, conflict)
        return
    arrays = ", ".join(
        f"CAST(:{name} AS {table.c[name].type.compile(dialect=dialect)}[])" for name in names
    )
    quoted = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
    statement = text(
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({quoted}) "
        f"SELECT * FROM unnest({arrays}) "
        f"ON CONFLICT ({dialect.identifier_preparer.quote(conflict.name)}) DO NOTHING"
    )
    connection.execute(statement, {name: [row[name] for row in rows] for name in names})


#: Bound parameters per SQLite statement: its limit since 3.32 (SQLITE_MAX_VARIABLE_NUMBER).
_SQLITE_MAX_PARAMETERS = 32766


def _insert_rows_sqlite(
    connection: Connection,
    table: Table,
    names: list[str],
    rows: Sequence[dict[str, Any]],
    conflict: Any,
) -> None:
    """Multi-row ``VALUES`` statements of tuples, each value through its column type's bind
    processor (dates to text).

    Not an executemany: the driver releases the GIL around every row's step and must
    win it back from the reactor thread each time, which made a batch's insert wait
    on the crawl far longer than SQLite took to write it. One statement per few
    thousand values hands the GIL over once.
    """
    preparer = connection.dialect.identifier_preparer
    processors = [table.c[name].type.bind_processor(connection.dialect) for name in names]
    converted = [(i, process) for i, process in enumerate(processors) if process is not None]
    row_marks = "(" + ", ".join("?" for _ in names) + ")"
    head = (
        f"INSERT INTO {preparer.format_table(table)} "
        f"({', '.join(preparer.quote(name) for name in names)}) VALUES "
    )
    tail = f" ON CONFLICT ({preparer.quote(conflict.name)}) DO NOTHING"
    per_statement = max(1, _SQLITE_MAX_PARAMETERS // len(names))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        values: list[Any] = []
        for row in chunk:
            row_values = [row[name] for name in names]
            for i, process in converted:
                if row_values[i] is not None:
                    row_values[i] = process(row_values[i])
            values += row_values
        statement = head + ", ".join(row_marks for _ in chunk) + tail
        connection.exec_driver_sql(statement, tuple(values))


def any_of(connection: Connection, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """``column IN (values)``; on PostgreSQL ``column = ANY(:array)``, one parameter
    rather than one per value (a short statement, parsed and planned quickly)."""
    if connection.dialect.name != "postgresql":
        return column.in_(values)
    return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))


def upsert_filling(
    connection: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    conflict: Any,
    fields: Sequence[str],
) -> None:
    """Insert rows, or fill in an existing row's ``fields`` with the new non-empty values.

    A value the new row lacks (None) never erases a stored one, and a row whose
    values all match is not rewritten.
    """
    if not rows:
        return
    stmt = insert_for(connection, table)
    excluded = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=[conflict],
        set_={n: func.coalesce(excluded[n], table.c[n]) for n in fields},
        where=or_(
            *(
                and_(excluded[n].is_not(None), excluded[n].is_distinct_from(table.c[n]))
                for n in fields
            )
        ),
    )
    connection.execute(stmt, list(rows))
