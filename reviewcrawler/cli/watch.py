"""``reviewcrawler watch``: the films whose new reviews are alerts (docs/alerts.md)."""

from __future__ import annotations

import click

from reviewcrawler.alerts.watchlist import unwatch, watch, watched_films
from reviewcrawler.cli.options import database_url_option, reading
from reviewcrawler.cli.render import echo_json, table
from reviewcrawler.store.queries import find_film

json_option = click.option("--json", "as_json", is_flag=True, help="JSON for machines.")


@click.group("watch")
def watch_group() -> None:
    """The watch list: every new review of a watched film is an alert."""


@watch_group.command("add")
@click.argument("film")
@database_url_option
def add(film: str, database_url: str) -> None:
    """Watch FILM (a key, slug or title)."""
    engine = reading(database_url)
    ref = find_film(engine, film)
    added = watch(engine, ref.id)
    click.echo(f"{'Watching' if added else 'Already watching'} {ref.described}")


@watch_group.command("remove")
@click.argument("film")
@database_url_option
def remove(film: str, database_url: str) -> None:
    """Stop watching FILM."""
    engine = reading(database_url)
    ref = find_film(engine, film)
    removed = unwatch(engine, ref.id)
    click.echo(f"{'No longer watching' if removed else 'Was not watching'} {ref.described}")


@watch_group.command("list")
@json_option
@database_url_option
def list_(as_json: bool, database_url: str) -> None:
    """The watched films, by key."""
    rows = watched_films(reading(database_url))
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("No film is watched; `reviewcrawler watch add FILM` watches one.")
        return
    click.echo(
        table(
            ("key", "title", "year", "watched since"),
            [
                (row["key"], row["title"], row["year"], row["added_at"].strftime("%Y-%m-%d"))
                for row in rows
            ],
        )
    )


COMMANDS = (watch_group,)
