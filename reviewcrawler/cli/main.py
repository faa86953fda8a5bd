"""The command group, its shared ``--database-url`` option and its one-line errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from reviewcrawler.store.engine import StoreUnavailable, first_line, open_store
from reviewcrawler.store.queries import LookupFailed
from reviewcrawler.store.url import DATABASE_URL_ENV, DEFAULT_DATABASE_URL, default_database_url


class Group(click.Group):
    """Turns the store's expected failures into one line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (StoreUnavailable, LookupFailed) as exc:
            raise click.ClickException(str(exc)) from None
        except SQLAlchemyError as exc:
            raise click.ClickException(f"database error: {first_line(exc)}") from None
        except BrokenPipeError:  # `reviewcrawler export | head`
            ctx.exit(0)


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


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Read what `scrapy crawl reviews` stored: summaries, reviews, history, exports."""


def _register() -> None:
    from reviewcrawler.cli import db, enqueue, export, read, replay

    for module in (read, export, db, enqueue, replay):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
