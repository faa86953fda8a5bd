"""What every subcommand shares: the ``--database-url`` option and opening the store to read.

Apart from main.py, which registers the subcommands: they import this module, and
main.py imports them, so nothing imports in a circle.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click
from sqlalchemy import Engine

from reviewcrawler.store.open import open_store
from reviewcrawler.store.url import DATABASE_URL_ENV, DEFAULT_DATABASE_URL, default_database_url


def database_url_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--database-url``: the same default as the crawler (store/url.py)."""

    @click.option(
        "--database-url",
        metavar="URL",
        default=None,
        help=f"SQLAlchemy URL of the store [default: ${DATABASE_URL_ENV}, else "
        f"{DEFAULT_DATABASE_URL}]",
    )
    @functools.wraps(command)
    def with_url(*args: Any, database_url: str | None, **kwargs: Any) -> Any:
        return command(*args, database_url=database_url or default_database_url(), **kwargs)

    return with_url


def reading(database_url: str) -> Engine:
    """The store, for reading: it must exist and be at the current schema."""
    return open_store(database_url, upgrade_sqlite=False, must_exist=True)
