"""``reviewcrawler report``: the store drawn as a static site (reviewcrawler/report)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from reviewcrawler.cli.options import database_url_option, reading
from reviewcrawler.report.feed import base as feed_base
from reviewcrawler.report.writer import films_to_draw, write_report
from reviewcrawler.store.queries import find_film

#: Worker processes by default: this machine's cores, at most four (the writing of
#: files, not rendering, limits a report beyond that).
DEFAULT_JOBS = min(4, os.cpu_count() or 1)


@contextlib.contextmanager
def _progress(length: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing in pipes and logs."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=length, label="Writing film pages", file=sys.stderr) as bar:
        yield bar.update


@click.command()
@click.argument("films", nargs=-1, metavar="[FILM]...")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the report to (index.html, films/, changes.atom); created when missing.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=DEFAULT_JOBS,
    show_default=True,
    help="Processes writing film pages (1: all in this one).",
)
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Where the report will be published (https://…/report/): the feed's xml:base.",
)
@database_url_option
def report(
    films: tuple[str, ...], out: Path, jobs: int, base_url: str | None, database_url: str
) -> None:
    """Write a static HTML report: an index of films, a page per film, and
    changes.atom, an Atom feed of the newest changes.

    FILM is a film key (metacritic:her) or a title ("Her", "Her (2013)"); all films
    when none is given. The pages open from file:// and make no request.
    """
    try:
        base = None if base_url is None else feed_base(base_url)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base-url") from None
    engine = reading(database_url)
    film_ids = sorted({find_film(engine, name).id for name in films}) if films else None
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"cannot create {out}: {exc.strerror}") from None
    with _progress(films_to_draw(engine, film_ids)) as on_films:
        try:
            result = write_report(
                engine,
                out,
                film_ids,
                database_url=database_url,
                jobs=jobs,
                on_films=on_films,
                base_url=base,
            )
        except OSError as exc:
            raise click.ClickException(f"cannot write the report in {out}: {exc}") from None
    click.echo(f"Wrote {result.films} film pages ({result.reviews} reviews) to {result.index}")


report_command = report
COMMANDS = (report_command,)
