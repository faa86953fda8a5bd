"""The command group, its subcommands and its one-line errors (shared options: options.py)."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from reviewcrawler.cli import (
    alerts,
    catalogue,
    changes,
    critics,
    db,
    enqueue,
    export,
    links,
    read,
    replay,
    report,
    watch,
)
from reviewcrawler.store.engine import StoreUnavailable, first_line
from reviewcrawler.store.queries import LookupFailed


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


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Read what `scrapy crawl reviews` stored: summaries, reviews, history, exports."""


for module in (
    read,
    export,
    db,
    enqueue,
    replay,
    report,
    critics,
    links,
    changes,
    watch,
    alerts,
    catalogue,
):
    for command in module.COMMANDS:
        main.add_command(command)
