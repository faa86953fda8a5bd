"""``INSERT ... ON CONFLICT`` for the dialects the store supports."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    Table,
    and_,
    any_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite

T = TypeVar("T")


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
    SQLite gets multi-row VALUES (see ``_sqlite_many``).
    """
    if not rows:
        return
    names = list(rows[0])
    dialect = connection.dialect
    if dialect.name != "postgresql":
        _sqlite_many(
            connection,
            table,
            rows,
            lambda: (
                insert_for(connection, table)
                .values({name: bindparam(name) for name in names})
                .on_conflict_do_nothing(index_elements=[conflict])
            ),
            ("insert", table.name, tuple(names), conflict.name),
        )
        return
    # Each array is cast to its column's type without a length: an explicit cast to
    # VARCHAR(300) would cut a longer value without a word, where the column itself
    # refuses it (a data error, which the writer isolates: store/resilient.py).
    arrays = ", ".join(
        f"CAST(:{name} AS {_unbounded(table.c[name].type).compile(dialect=dialect)}[])"
        for name in names
    )
    quoted = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
    statement = text(
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({quoted}) "
        f"SELECT * FROM unnest({arrays}) "
        f"ON CONFLICT ({dialect.identifier_preparer.quote(conflict.name)}) DO NOTHING"
    )
    connection.execute(statement, {name: [row[name] for row in rows] for name in names})


def _unbounded(type_: Any) -> Any:
    return String() if isinstance(type_, String) and type_.length is not None else type_


def upsert_run_film(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """crawl_run_films rows: inserted, or for a film an earlier batch of the run recorded,
    ``reviewed`` set when the new row's is (never back to false) and the review counts
    added, in one statement. A row that would not change is not rewritten."""

    def adding(stmt: Any) -> Any:
        new = stmt.excluded
        return stmt.on_conflict_do_update(
            index_elements=[table.c.run_id, table.c.film_id],
            set_={
                "reviewed": or_(table.c.reviewed, new.reviewed),
                "reviews_new": table.c.reviews_new + new.reviews_new,
                "reviews_changed": table.c.reviews_changed + new.reviews_changed,
            },
            where=or_(
                and_(new.reviewed.is_(True), table.c.reviewed.is_(False)),
                # Literal zeros: the SQLite path binds only the VALUES row's parameters.
                new.reviews_new > literal_column("0"),
                new.reviews_changed > literal_column("0"),
            ),
        )

    _upsert(connection, table, rows, adding, ("run_film", table.name))


def _upsert(
    connection: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    on_conflict: Callable[[Any], Any],
    key: tuple[Any, ...],
) -> None:
    """Rows through ``on_conflict(the dialect's insert)``: on PostgreSQL one executemany
    (SQLAlchemy sends it as multi-row statements), on SQLite ``_sqlite_many``, compiled
    once per ``key`` and row shape."""
    if not rows:
        return
    insert = insert_for(connection, table)
    if connection.dialect.name == "postgresql":
        connection.execute(on_conflict(insert), list(rows))
        return
    names = list(rows[0])
    _sqlite_many(
        connection,
        table,
        rows,
        lambda: on_conflict(insert.values({name: bindparam(name) for name in names})),
        (*key, tuple(names)),
    )


#: Bound parameters per SQLite statement: its limit since 3.32 (SQLITE_MAX_VARIABLE_NUMBER).
_SQLITE_MAX_PARAMETERS = 32766


def _sqlite_many(
    connection: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    statement: Callable[[], Any],
    key: tuple[Any, ...],
) -> None:
    """Rows through a one-row SQLite insert (``statement()``, its values bound by column
    name), run as multi-row ``VALUES`` statements of tuples.

    Not an executemany: the driver releases the GIL around every row's step and must
    win it back from the reactor thread each time, which made a batch's insert wait
    on the crawl far longer than SQLite took to write it. One statement per few
    thousand values hands the GIL over once. The one-row statement is compiled once
    per shape (``key``); each value goes through its column type's bind processor
    (dates to text), as SQLAlchemy would.
    """
    compiled = _SQLITE_COMPILED.get(key)
    if compiled is None:
        done = statement().compile(dialect=connection.dialect)
        names = list(done.positiontup or ())
        marks = "(" + ", ".join("?" for _ in names) + ")"
        head, found, tail = done.string.partition(f" VALUES {marks}")
        if not found:  # never expected: SQLAlchemy wrote the values clause differently
            raise RuntimeError(f"Unexpected SQLite insert: {done.string}")
        # Columns the rows leave out but SQLAlchemy renders get their scalar default.
        defaults = {}
        for name in names:
            if name not in rows[0]:
                default = table.c[name].default
                if default is None or not default.is_scalar:
                    raise RuntimeError(f"No value and no scalar default for {table.name}.{name}")
                defaults[name] = default.arg
        compiled = _SQLITE_COMPILED[key] = (head + " VALUES ", marks, tail, names, defaults)
    head, marks, tail, names, defaults = compiled
    # The dialect's own type (sqlite.DATE, not the generic Date): only it converts dates
    # to text, where the generic one would leave them to sqlite3's default adapters,
    # deprecated since Python 3.12 and writing datetimes in another format.
    processors = [
        table.c[name].type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
        for name in names
    ]
    converted = [(i, process) for i, process in enumerate(processors) if process is not None]
    per_statement = max(1, _SQLITE_MAX_PARAMETERS // len(names))
    # A row holding every name (the common case) is read in one C-level call.
    row_values = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        values: list[Any] = []
        for row in chunk:
            if defaults and not all(name in row for name in defaults):
                row = {**defaults, **row}
            if not converted:
                values += row_values(row)
                continue
            ordered = list(row_values(row))
            for i, process in converted:
                if ordered[i] is not None:
                    ordered[i] = process(ordered[i])
            values += ordered
        connection.exec_driver_sql(head + ", ".join(marks for _ in chunk) + tail, tuple(values))


#: Compiled one-row SQLite inserts by shape: head, one row's marks, tail, the value
#: names in order, and defaults for the names the rows leave out.
_SQLITE_COMPILED: dict[tuple[Any, ...], tuple[str, str, str, list[str], dict[str, Any]]] = {}


#: Values named per ``IN`` (or array) list: a crawl may touch more films or reviews
#: than one statement may bind (SQLite: 32,766 parameters; PostgreSQL's protocol: 65,535).
IN_CHUNK = 5000


def chunked(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in slices of at most ``size``, for statements that name each one."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


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

    def filling(stmt: Any) -> Any:
        excluded = stmt.excluded
        return stmt.on_conflict_do_update(
            index_elements=[conflict],
            set_={n: func.coalesce(excluded[n], table.c[n]) for n in fields},
            where=or_(
                *(
                    and_(excluded[n].is_not(None), excluded[n].is_distinct_from(table.c[n]))
                    for n in fields
                )
            ),
        )

    _upsert(connection, table, rows, filling, ("filling", table.name, conflict.name, tuple(fields)))


def upsert_ranked(
    connection: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    conflict: Any,
    ranked: Sequence[str],
    filled: Sequence[str],
    rank: Any,
    *,
    whole: bool = False,
) -> None:
    """``upsert_filling`` for facts whose source has a strength (``rank``, a column).

    A stored ``ranked`` value is replaced only by a row whose rank is at least the
    stored one (a NULL rank is the weakest), and filled in by any row when it is NULL;
    the stored rank rises to the strongest that wrote. ``filled`` are filled in as by
    ``upsert_filling``. A row that would change nothing is not rewritten.

    ``whole``: the ``ranked`` values are one statement of one source, replaced together
    (NULLs included) by a row at least as strong and never filled in from a weaker one.
    """
    zero = literal_column("0")  # a literal: the SQLite path binds only the VALUES row

    def ranking(stmt: Any) -> Any:
        new = stmt.excluded
        stronger = func.coalesce(new[rank.name], zero) >= func.coalesce(rank, zero)
        takes = {
            n: stronger if whole else and_(new[n].is_not(None), or_(table.c[n].is_(None), stronger))
            for n in ranked
        }
        rises = func.coalesce(new[rank.name], zero) > func.coalesce(rank, zero)
        return stmt.on_conflict_do_update(
            index_elements=[conflict],
            set_={
                **{n: case((takes[n], new[n]), else_=table.c[n]) for n in ranked},
                **{n: func.coalesce(new[n], table.c[n]) for n in filled},
                rank.name: case((rises, new[rank.name]), else_=rank),
            },
            where=or_(
                rises,
                *(and_(takes[n], new[n].is_distinct_from(table.c[n])) for n in ranked),
                *(and_(new[n].is_not(None), new[n].is_distinct_from(table.c[n])) for n in filled),
            ),
        )

    key = ("ranked", table.name, conflict.name, tuple(ranked), tuple(filled), rank.name, whole)
    _upsert(connection, table, rows, ranking, key)
