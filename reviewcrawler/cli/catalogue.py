"""``reviewcrawler catalogue``: what the catalogue knows, and what is due and why."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from reviewcrawler.cli.options import database_url_option, reading
from reviewcrawler.cli.render import echo_json
from reviewcrawler.identity import MEDIA
from reviewcrawler.store import catalogue as table
from reviewcrawler.store.moments import as_utc

#: The counts shown, in order, and how the text output names them.
_COUNTS = (
    ("known", "known"),
    ("due_new", "due: new"),
    ("due_changed", "due: changed"),
    ("due_failed", "due: failed"),
    ("due_stale", "due: stale"),
    ("never_fetched", "never fetched"),
    ("failing", "failing"),
)


def _moment(value: dt.datetime | None) -> str | None:
    moment = as_utc(value)
    return moment.isoformat(timespec="seconds") if moment is not None else None


def _why(row: Any, now: dt.datetime) -> str | None:
    if row.due_reason:
        return row.due_reason
    if row.last_fetched is None:
        return "new"
    due = as_utc(row.next_due)
    return "stale" if due is not None and due <= now else None


def _page_urls(row: Any) -> list[str]:
    """A title's pages on its site: a game's once per platform the catalogue knows (a
    start URL naming its platform gets that platform's API-first requests)."""
    page = f"https://www.metacritic.com/{row.media}/{row.slug}/"
    platforms = [
        key.split(":")[3]
        for key in (row.film_keys or "").split()
        if key.count(":") == 3 and key.split(":")[1] == "game"
    ]
    return [f"{page}?platform={platform}" for platform in platforms] or [page]


def _title(row: Any, now: dt.datetime) -> dict[str, Any]:
    return {
        "site": row.site,
        "media": row.media,
        "slug": row.slug,
        "keys": (row.film_keys or "").split(),
        "title": row.title,
        "release_date": row.release_date.isoformat() if row.release_date else None,
        "listed": {
            "score": row.listed_score,
            "count": row.listed_count,
            "positive": row.listed_positive,
            "mixed": row.listed_mixed,
            "negative": row.listed_negative,
            "user_score": row.listed_user_score,
        },
        "first_listed": _moment(row.first_listed),
        "last_listed": _moment(row.last_listed),
        "last_fetched": _moment(row.last_fetched),
        "last_changed": _moment(row.last_changed),
        "next_due": _moment(row.next_due),
        "consecutive_failures": row.consecutive_failures,
        "due": _why(row, now),
    }


@click.command("catalogue")
@click.option("--json", "as_json", is_flag=True, help="One object per title, with the counts.")
@click.option("--media", type=click.Choice(MEDIA), help="Only this product.")
@click.option("--due", "only_due", is_flag=True, help="Only the titles due now.")
@click.option(
    "--urls",
    is_flag=True,
    help="Print the pages of the titles (with --due: the due ones), one per line, a game "
    "once per known platform: a targets file for `reviewcrawler enqueue` or -a urls_file.",
)
@database_url_option
def catalogue(
    as_json: bool, media: str | None, only_due: bool, urls: bool, database_url: str
) -> None:
    """The catalogue `scrapy crawl catalogue` keeps: counts, and the titles due and why."""
    engine = reading(database_url)
    now = dt.datetime.now(dt.UTC)
    with engine.connect() as connection:
        counts = table.counts(connection, now, media)
        rows = table.rows(connection, media=media, only_due_at=now if only_due else None)
    if urls:
        for row in rows:
            for url in _page_urls(row):
                click.echo(url)
        return
    figures = {name: counts.get(name, 0) for name, _ in _COUNTS}
    if as_json:
        echo_json({"counts": figures, "titles": [_title(row, now) for row in rows]})
        return
    click.echo(", ".join(f"{label} {figures[name]}" for name, label in _COUNTS))
    if only_due:
        for row in rows:
            title = _title(row, now)
            click.echo(
                f"{title['due']:<8} {row.media:<6} {row.slug}  "
                f"{row.title or ''}  last fetched {title['last_fetched'] or 'never'}"
            )


COMMANDS = [catalogue]
