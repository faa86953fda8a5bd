"""``reviewcrawler db upgrade|current``: the schema, owned by Alembic migrations."""

from __future__ import annotations

import click

from reviewcrawler.cli.main import database_url_option
from reviewcrawler.store.engine import connect, mask_url
from reviewcrawler.store.schema import SchemaTooNew, schema_state, upgrade


@click.group()
def db() -> None:
    """The database schema (Alembic migrations shipped inside reviewcrawler)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@database_url_option
def upgrade_command(revision: str, database_url: str) -> None:
    """Create the database's tables, or bring them to the current schema."""
    engine = connect(database_url)
    before = schema_state(engine)
    try:
        after = upgrade(engine, revision)
    except SchemaTooNew as exc:
        raise click.ClickException(str(exc)) from None
    if before.current == after.current:
        click.echo(f"{mask_url(database_url)}: already at {after.describe()}")
    else:
        click.echo(f"{mask_url(database_url)}: {before.describe()} -> {after.describe()}")


@db.command("current")
@database_url_option
def current_command(database_url: str) -> None:
    """Show the database's schema revision and whether it is current."""
    engine = connect(database_url, must_exist=True)
    state = schema_state(engine)
    if state.is_current:
        verdict = "current"
    elif not state.is_known:
        verdict = f"newer than this reviewcrawler (head {state.head})"
    else:
        verdict = f"behind head {state.head}: run `reviewcrawler db upgrade`"
    click.echo(f"{mask_url(database_url)}: {state.describe()} ({verdict})")


COMMANDS = (db,)
