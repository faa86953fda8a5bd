"""``reviewcrawler links``: films of different sites that are the same work.

``links`` lists them, ``links confirm A B`` / ``links reject A B`` record a person's
decision (kept when links are recomputed), ``links suggest`` recomputes every film's
links (store/links.py has the rules).
"""

from __future__ import annotations

import click

from reviewcrawler.cli.options import database_url_option, reading
from reviewcrawler.cli.render import echo_json, table
from reviewcrawler.store.links import (
    CONFIRMED,
    REJECTED,
    STATES,
    LinkRefused,
    decide,
    describe,
    list_links,
    recompute_links,
)
from reviewcrawler.store.queries import find_film

json_option = click.option("--json", "as_json", is_flag=True, help="JSON for machines.")


@click.group(invoke_without_command=True)
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice(STATES),
    help="Only links in this state (repeatable).",
)
@database_url_option
@json_option
@click.pass_context
def links(ctx: click.Context, states: tuple[str, ...], database_url: str, as_json: bool) -> None:
    """Films of different sites that are the same work, with each link's state.

    automatic: exact title and year, or a shared IMDb id; suggested: a year off by
    one or a subtitle, for a person to confirm or reject.
    """
    if ctx.invoked_subcommand is not None:
        return
    rows = list_links(reading(database_url), states)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("No links stored." if not states else f"No {'/'.join(states)} links.")
        return
    click.echo(
        table(
            ("state", "confidence", "reason", "film", "same work as"),
            [
                (
                    row["state"],
                    row["confidence"],
                    row["reason"],
                    describe(row["film_a"]),
                    describe(row["film_b"]),
                )
                for row in rows
            ],
        )
    )


def _store_url(database_url: str) -> str:
    """The subcommand's ``--database-url``, else the one given to ``links`` before it
    (``reviewcrawler links --database-url URL confirm A B``), else the default."""
    context = click.get_current_context()
    if context.params.get("database_url") is None and context.parent is not None:
        given = context.parent.params.get("database_url")
        if given:
            return given
    return database_url


def _decide(film_a: str, film_b: str, database_url: str, state: str) -> None:
    engine = reading(_store_url(database_url))
    a, b = find_film(engine, film_a), find_film(engine, film_b)
    try:
        before = decide(engine, a.id, b.id, state)
    except LinkRefused as exc:
        raise click.ClickException(str(exc)) from None
    was = "" if before == state else f" (was {before})"
    click.echo(f"{state}: {a.described} = {b.described}{was}")


@links.command()
@click.argument("film_a")
@click.argument("film_b")
@database_url_option
def confirm(film_a: str, film_b: str, database_url: str) -> None:
    """Record that FILM_A and FILM_B are the same work (kept when links are recomputed)."""
    _decide(film_a, film_b, database_url, CONFIRMED)


@links.command()
@click.argument("film_a")
@click.argument("film_b")
@database_url_option
def reject(film_a: str, film_b: str, database_url: str) -> None:
    """Record that FILM_A and FILM_B are different works (kept when links are recomputed)."""
    _decide(film_a, film_b, database_url, REJECTED)


@links.command()
@database_url_option
@json_option
def suggest(database_url: str, as_json: bool) -> None:
    """Recompute every film's links; confirmed and rejected ones are kept as decided."""
    engine = reading(_store_url(database_url))
    result = recompute_links(engine)
    if as_json:
        echo_json(result.__dict__)
        return
    click.echo(
        f"Links of {result.films} films recomputed: {result.added} added, {result.updated} "
        f"updated, {result.removed} removed, {result.kept} decided by hand kept."
    )
    pending = list_links(engine, ("suggested",))
    if pending:
        click.echo(
            f"{len(pending)} suggested, to confirm or reject (reviewcrawler links confirm A B):"
        )
        for row in pending:
            click.echo(f"  {describe(row['film_a'])} ~ {describe(row['film_b'])}: {row['reason']}")


COMMANDS = (links,)
