"""One engine per process and database URL, opened with a one-line error on failure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

_engines: dict[str, Engine] = {}


class StoreUnavailable(Exception):
    """The database cannot be opened; the message is one line with the password masked."""


def mask_url(url: str) -> str:
    """The URL as safe to print: any password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (the CLI, a user's queries) work while a crawl writes, and
    # NORMAL sync is durable across crashes of the process in WAL mode.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


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
    try:
        engine = create_engine(parsed, **kwargs)
    except Exception as exc:  # missing driver, bad options
        raise StoreUnavailable(f"Cannot use database {mask_url(url)}: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    _engines[url] = engine
    return engine


def _first_line(exc: BaseException) -> str:
    message = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return message[0] if message else type(exc).__name__


def open_store(url: str) -> Engine:
    """Connect to the database and make sure its schema is current.

    Raises StoreUnavailable with a one-line reason naming the (masked) URL.
    """
    from reviewcrawler.store.schema import ensure_schema

    engine = get_engine(url)
    database = engine.url.database
    if engine.url.get_backend_name() == "sqlite" and database and database != ":memory:":
        folder = Path(database).expanduser().resolve().parent
        if not folder.is_dir():
            raise StoreUnavailable(
                f"Cannot open database {mask_url(url)}: folder {folder} does not exist"
            )
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        ensure_schema(engine)
    except SQLAlchemyError as exc:
        raise StoreUnavailable(
            f"Cannot open database {mask_url(url)}: {_first_line(exc)}"
        ) from None
    return engine
