"""One engine per process and database URL, opened with a one-line error on failure."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)

_engines: dict[str, Engine] = {}
#: Any constant shared by all reviewcrawler processes: the PostgreSQL advisory
#: lock that serialises writers (see write_transaction).
_WRITE_LOCK_KEY = 0x7265766965777372  # "reviewsr"
_SQLITE_BEGIN = "reviewcrawler_sqlite_begin"
_SQLITE_FILE_ID = "reviewcrawler_sqlite_file"
#: Seconds a PostgreSQL connection attempt may take (unless the URL sets
#: ``connect_timeout``): a server that stopped answering fails the attempt, so the
#: writer's retries and dead-letter spool take over instead of a hung crawl.
PG_CONNECT_TIMEOUT = 10


class StoreUnavailable(Exception):
    """The database cannot be opened; the message is one line with the password masked."""


class DatabaseFileMoved(SQLAlchemyError):
    """The SQLite file an open connection writes to is no longer at its path.

    A connection keeps writing into a file that was deleted, moved or replaced (a
    WAL database even accepts the writes): they would be lost without an error.
    """


def is_connection_fault(exc: BaseException) -> bool:
    """A fault of the database or the way to it (worth retrying), not of the statement."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError | DatabaseFileMoved)


def mask_url(url: str) -> str:
    """The URL as safe to print: any password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def _file_id(path: str) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino)


def _sqlite_connect(path: str | None, dbapi_connection: Any, record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so
    # that a write transaction can take the write lock up front (BEGIN IMMEDIATE).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers (the CLI, a user's queries) work while a crawl writes, and
    # NORMAL sync is durable across crashes of the process in WAL mode.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    if path is not None:
        # Which file this connection writes; write_transaction checks it is still there.
        record.info[_SQLITE_FILE_ID] = _file_id(path)


def _sqlite_file(url: Any) -> str | None:
    database = url.database
    if not database or database == ":memory:" or url.query.get("uri"):
        return None
    return database


def _check_sqlite_file(connection: Connection, *, invalidate: bool = True) -> None:
    """Raise DatabaseFileMoved if this connection's file is no longer at its path."""
    path = _sqlite_file(connection.engine.url)
    if path is None:
        return
    info = connection.connection.info
    if _SQLITE_FILE_ID not in info:  # an engine not made by get_engine
        return
    opened = info[_SQLITE_FILE_ID]
    if opened is not None and _file_id(path) == opened:
        return
    if invalidate:
        # A new connection will open whatever is at the path now (or fail to).
        connection.invalidate()
    raise DatabaseFileMoved(
        f"the SQLite file {path} was moved, deleted or replaced while the crawl wrote it"
    )


def _sqlite_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(_SQLITE_BEGIN, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def get_engine(url: str) -> Engine:
    """The process's engine for ``url`` (created on first use, never connected here)."""
    if url in _engines:
        return _engines[url]
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreUnavailable(f"Invalid database URL {mask_url(url)!r}: {exc}") from None
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False}
    elif parsed.get_backend_name() == "postgresql":
        # psycopg prepares a statement after a few runs, and PostgreSQL may then keep a
        # generic plan made while the tables were small: the writer's lookups by
        # fingerprint turned into sequential scans as a crawl filled an empty store.
        kwargs["connect_args"] = {"options": "-c plan_cache_mode=force_custom_plan"}
        if "connect_timeout" not in parsed.query:
            kwargs["connect_args"]["connect_timeout"] = PG_CONNECT_TIMEOUT
    try:
        engine = create_engine(parsed, **kwargs)
    except Exception as exc:  # missing driver, bad options
        raise StoreUnavailable(f"Cannot use database {mask_url(url)}: {exc}") from None
    if engine.dialect.name not in ("sqlite", "postgresql"):
        raise StoreUnavailable(
            f"Cannot use database {mask_url(url)}: the store supports SQLite and PostgreSQL"
        )
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", functools.partial(_sqlite_connect, _sqlite_file(parsed)))
        event.listen(engine, "begin", _sqlite_begin)
    _engines[url] = engine
    return engine


def dispose_engine(url: str) -> None:
    """Close the pooled connections of ``url``'s engine and forget it."""
    engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the database's single writer lock from its first statement.

    Writers (crawls, upgrades) are serialised per database: SQLite by BEGIN
    IMMEDIATE, PostgreSQL by a transaction-scoped advisory lock. A batch then reads
    what is stored, decides new/changed/unchanged and writes, without another
    crawl's batch interleaving: no lost update, no double insert, no deadlock.
    Readers are never blocked. A SQLite file moved or replaced under an open
    connection raises DatabaseFileMoved rather than writing into the lost file.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            _check_sqlite_file(connection)
            connection.execution_options(**{_SQLITE_BEGIN: "IMMEDIATE"})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK_KEY}
                )
            yield connection
            if connection.dialect.name == "sqlite":
                # Moved while this transaction wrote: roll back rather than commit
                # into the lost file (the next attempt's check drops the connection).
                _check_sqlite_file(connection, invalidate=False)


def first_line(exc: BaseException) -> str:
    message = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return message[0] if message else type(exc).__name__


def _check_sqlite_folder(engine: Engine, url: str, *, must_exist: bool) -> None:
    database = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    path = Path(database).expanduser().resolve()
    if not path.parent.is_dir():
        raise StoreUnavailable(
            f"Cannot open database {mask_url(url)}: folder {path.parent} does not exist"
        )
    if must_exist and not path.is_file():
        raise StoreUnavailable(f"Cannot open database {mask_url(url)}: {path} does not exist")


def connect(url: str, *, must_exist: bool = False) -> Engine:
    """The engine for ``url`` after a first round trip; StoreUnavailable (one line) if not.

    ``must_exist``: a SQLite file that does not exist is an error rather than
    created (readers such as the CLI must not leave empty databases behind).
    """
    engine = get_engine(url)
    _check_sqlite_folder(engine, url, must_exist=must_exist)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise StoreUnavailable(f"Cannot open database {mask_url(url)}: {first_line(exc)}") from None
    return engine
