"""``reviewcrawler db upgrade|current|repair``: the schema (Alembic migrations), and repairs."""

from __future__ import annotations

import click

from reviewcrawler.cli.options import database_url_option
from reviewcrawler.store.engine import connect, mask_url
from reviewcrawler.store.open import open_store
from reviewcrawler.store.repair import repair_died_runs
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


@db.command("repair")
@database_url_option
def repair_command(database_url: str) -> None:
    """Recompute the summaries of films written by crawl runs that died (killed before
    they closed), and mark those runs died. Every crawl does this when it starts."""
    engine = open_store(database_url, upgrade_sqlite=False, must_exist=True)
    repaired = repair_died_runs(engine, database_url)
    if not repaired:
        click.echo(f"{mask_url(database_url)}: no crawl run died without closing")
        return
    for run in repaired:
        click.echo(
            f"crawl run {run.run_id} died without closing: summaries of its {run.films} "
            "films recomputed; marked died"
        )


COMMANDS = (db,)
