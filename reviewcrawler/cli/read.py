"""Commands that read the store: summary, reviews, history, runs, compare."""

from __future__ import annotations

import dataclasses

import click

from reviewcrawler.cli.main import database_url_option, reading
from reviewcrawler.cli.render import echo_json, shorten, table
from reviewcrawler.normalize.scores import MIXED, NEGATIVE, POSITIVE
from reviewcrawler.store.queries import (
    compare_runs,
    find_film,
    history_of,
    recent_runs,
    require_runs,
    reviews_of,
)
from reviewcrawler.store.summaries import SummaryRow, load_summaries

json_option = click.option("--json", "as_json", is_flag=True, help="JSON for machines.")


def _counts(*values: int | None) -> str:
    return "/".join("?" if value is None else str(value) for value in values)


def _consistency(row: SummaryRow) -> str:
    if row.consistent is None:
        return "no stated count"
    stated = (
        row.stated_listed_count if row.stated_listed_count is not None else row.stated_critic_count
    )
    return "yes" if row.consistent else f"NO ({row.review_count} vs {stated})"


@click.command()
@click.argument("films", nargs=-1, metavar="[FILM]...")
@database_url_option
@json_option
def summary(films: tuple[str, ...], database_url: str, as_json: bool) -> None:
    """Each film's stated summary beside the one computed from stored reviews.

    FILM is a film key (metacritic:her) or a title ("Her", "Her (2013)"); all films
    when none is given.
    """
    engine = reading(database_url)
    keys = [find_film(engine, name).key for name in films] if films else None
    rows = load_summaries(engine, keys=keys)
    if as_json:
        echo_json([dataclasses.asdict(row) for row in rows])
        return
    if not rows:
        click.echo("No films stored.")
        return
    click.echo(
        table(
            (
                "title",
                "year",
                "key",
                "stated label",
                "metascore",
                "computed label",
                "mean",
                "critics stated/stored",
                "+/~/- stated",
                "+/~/- stored",
                "consistent",
            ),
            [
                (
                    row.title,
                    row.year,
                    row.key,
                    row.stated_label,
                    row.stated_metascore,
                    row.computed_label,
                    row.mean_score,
                    _counts(row.stated_critic_count, row.review_count),
                    _counts(row.stated_positive, row.stated_mixed, row.stated_negative),
                    _counts(row.positive_count, row.mixed_count, row.negative_count),
                    _consistency(row),
                )
                for row in rows
            ],
        )
    )


@click.command()
@click.argument("film")
@click.option("--sentiment", type=click.Choice([POSITIVE, MIXED, NEGATIVE]))
@click.option("--include-gone", is_flag=True, help="Also reviews the source no longer lists.")
@database_url_option
@json_option
def reviews(
    film: str, sentiment: str | None, include_gone: bool, database_url: str, as_json: bool
) -> None:
    """One film's stored reviews, best score first."""
    engine = reading(database_url)
    ref = find_film(engine, film)
    rows = reviews_of(engine, ref.id, sentiment, include_gone)
    if as_json:
        echo_json({"film": dataclasses.asdict(ref), "reviews": rows})
        return
    click.echo(f"{ref.name} [{ref.key}]: {len(rows)} reviews")
    if rows:
        click.echo(
            table(
                ("score", "sentiment", "critic", "publication", "date", "quote"),
                [
                    (
                        row["score"] if row["score"] is not None else row["original_score"],
                        row["sentiment"],
                        row["critic"],
                        row["publication"],
                        row["published_on"],
                        shorten(row["quote"], 70) + (" [gone]" if row["gone_run"] else "")
                        if row["quote"]
                        else ("[gone]" if row["gone_run"] else None),
                    )
                    for row in rows
                ],
            )
        )


@click.command()
@click.argument("film")
@database_url_option
@json_option
def history(film: str, database_url: str, as_json: bool) -> None:
    """A film's summary as each crawl run that touched it left it."""
    engine = reading(database_url)
    ref = find_film(engine, film)
    rows = history_of(engine, ref.id)
    if as_json:
        echo_json({"film": dataclasses.asdict(ref), "snapshots": rows})
        return
    click.echo(f"{ref.name} [{ref.key}]: {len(rows)} snapshots")
    if rows:
        click.echo(
            table(
                (
                    "run",
                    "started",
                    "metascore",
                    "stated label",
                    "critics stated/stored",
                    "mean",
                    "computed label",
                    "+/~/- stored",
                ),
                [
                    (
                        row["run_id"],
                        row["started_at"].strftime("%Y-%m-%d %H:%M:%S"),
                        row["stated_metascore"],
                        row["stated_label"],
                        _counts(row["stated_critic_count"], row["review_count"]),
                        row["mean_score"],
                        row["computed_label"],
                        _counts(row["positive_count"], row["mixed_count"], row["negative_count"]),
                    )
                    for row in rows
                ],
            )
        )


@click.command()
@click.option("--limit", default=20, show_default=True, help="How many runs, newest first.")
@database_url_option
@json_option
def runs(limit: int, database_url: str, as_json: bool) -> None:
    """Recent crawl runs, newest first."""
    rows = recent_runs(reading(database_url), limit)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("No crawl runs recorded.")
        return
    click.echo(
        table(
            (
                "run",
                "spider",
                "started",
                "finished",
                "reason",
                "pages",
                "films",
                "new",
                "changed",
                "unchanged",
                "gone",
                "dropped",
                "errors",
            ),
            [
                (
                    row["id"],
                    row["spider"],
                    row["started_at"].strftime("%Y-%m-%d %H:%M:%S"),
                    row["finished_at"].strftime("%H:%M:%S") if row["finished_at"] else None,
                    row["finish_reason"] or ("running or died" if not row["finished_at"] else None),
                    row["pages"],
                    row["films"],
                    row["reviews_new"],
                    row["reviews_changed"],
                    row["reviews_unchanged"],
                    row["reviews_gone"],
                    row["items_dropped"],
                    row["errors"],
                )
                for row in rows
            ],
        )
    )


@click.command()
@click.argument("run_a", type=int)
@click.argument("run_b", type=int)
@database_url_option
@json_option
def compare(run_a: int, run_b: int, database_url: str, as_json: bool) -> None:
    """Reviews added, changed and gone after RUN_A up to RUN_B, and summary deltas."""
    engine = reading(database_url)
    require_runs(engine, (run_a, run_b))
    result = compare_runs(engine, run_a, run_b)
    if as_json:
        echo_json(result)
        return
    low, high = result["run_a"], result["run_b"]
    click.echo(f"From run {low} to run {high}:")
    review_headers = ("run", "film", "critic", "publication", "score", "quote")
    for title in ("added", "gone"):
        rows = result[title]
        click.echo(f"\n{len(rows)} reviews {title}")
        if rows:
            click.echo(
                table(
                    review_headers,
                    [
                        (
                            row["run"],
                            row["film"],
                            row["critic"],
                            row["publication"],
                            row["score"],
                            shorten(row["quote"], 50),
                        )
                        for row in rows
                    ],
                )
            )
        if title == "added":
            changes = result["changed"]
            click.echo(f"\n{len(changes)} review fields changed")
            if changes:
                click.echo(
                    table(
                        ("run", "film", "critic", "publication", "field", "before", "after"),
                        [
                            (
                                row["run"],
                                row["film"],
                                row["critic"],
                                row["publication"],
                                row["field"],
                                shorten(row["old_value"], 40),
                                shorten(row["new_value"], 40),
                            )
                            for row in changes
                        ],
                    )
                )
    deltas = result["summaries"]
    click.echo(f"\n{len(deltas)} film summaries changed")
    if deltas:
        click.echo(
            table(
                ("film", "figure", "before", "after"),
                [
                    (delta["film"], name, values["before"], values["after"])
                    for delta in deltas
                    for name, values in delta["changes"].items()
                ],
            )
        )


COMMANDS = (summary, reviews, history, runs, compare)
