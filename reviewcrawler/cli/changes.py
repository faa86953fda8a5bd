"""``reviewcrawler changes``: what moved, newest first (reviewcrawler/changes defines it)."""

from __future__ import annotations

import click

from reviewcrawler.changes import KINDS, BadSince, Change, Scope, list_changes, parse_since
from reviewcrawler.changes.model import kind_of_text
from reviewcrawler.cli.options import database_url_option, reading
from reviewcrawler.cli.render import cell, echo_json, shorten, table
from reviewcrawler.store.queries import find_film

json_option = click.option("--json", "as_json", is_flag=True, help="JSON for machines.")


def _kinds(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> frozenset[str] | None:
    """``--kind`` values, ``score-moved`` or ``score_moved``, some of them comma-separated."""
    kinds = {kind_of_text(part) for value in values for part in value.split(",") if part.strip()}
    if unknown := kinds - set(KINDS):
        raise click.BadParameter(
            f"{', '.join(sorted(unknown))}; choose from {', '.join(KINDS)}", param_hint="--kind"
        )
    return frozenset(kinds) or None


def _film_name(change: Change) -> str:
    film = change.film
    name = film.title or film.key
    return f"{name} ({film.year})" if film.year else name


def _who(change: Change) -> str | None:
    review = change.review
    if review is None:
        return None
    return " / ".join(part for part in (review.critic, review.publication) if part) or None


@click.command()
@click.option(
    "--since",
    metavar="SPAN|DATE",
    help="Only runs started since: a span back from now (30m, 12h, 1d, 2w) or a date "
    "or time (2026-12-01, UTC unless it says).",
)
@click.option("--film", metavar="FILM", help="Only this film (a key, slug or title).")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    callback=_kinds,
    metavar="KIND",
    help=f"Only these kinds (repeatable or comma-separated): {', '.join(KINDS)}.",
)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many, the newest.")
@json_option
@database_url_option
def changes(
    since: str | None,
    film: str | None,
    kinds: frozenset[str] | None,
    limit: int | None,
    as_json: bool,
    database_url: str,
) -> None:
    """Changes the crawls found, newest first: stated scores that moved, crossed a
    band or were stated for the first time (critics' and audience's), and reviews
    added, changed or gone."""
    try:
        moment = parse_since(since) if since else None
    except BadSince as exc:
        raise click.BadParameter(str(exc).removeprefix("--since "), param_hint="--since") from None
    engine = reading(database_url)
    film_ids = frozenset({find_film(engine, film).id}) if film else None
    found = list_changes(engine, Scope(since=moment, film_ids=film_ids, kinds=kinds, limit=limit))
    if as_json:
        echo_json([change.as_json() for change in found])
        return
    if not found:
        click.echo("No changes.")
        return
    click.echo(
        table(
            ("run", "started", "film", "key", "kind", "what", "old", "new", "review by"),
            [
                (
                    change.run.id,
                    change.run.started_at.strftime("%Y-%m-%d %H:%M")
                    if change.run.started_at
                    else None,
                    _film_name(change),
                    change.film.key,
                    change.kind,
                    change.field,
                    shorten(cell(change.old), 40),
                    shorten(cell(change.new), 40),
                    _who(change),
                )
                for change in found
            ],
        )
    )


COMMANDS = (changes,)
