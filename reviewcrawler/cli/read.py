"""Commands that read the store: summary, reviews, history, runs, compare.

Media, platform and season are shown where they apply: the listing gains media and
platform columns when it holds anything but movies, a film's heading names its
media and platform, and a TV show's reviews list their season.
"""

from __future__ import annotations

import dataclasses

import click
from sqlalchemy import Engine

from reviewcrawler.cli.options import database_url_option, reading
from reviewcrawler.cli.render import cell, echo_json, shorten, table
from reviewcrawler.identity import MEDIA
from reviewcrawler.items import FILM_FACT_FIELDS
from reviewcrawler.normalize.scores import MIXED, NEGATIVE, POSITIVE
from reviewcrawler.store.links import describe, work_members, work_views
from reviewcrawler.store.queries import (
    AmbiguousFilm,
    FilmRef,
    compare_runs,
    find_film,
    history_of,
    recent_runs,
    require_runs,
    reviews_of,
)
from reviewcrawler.store.summaries import (
    AudienceRow,
    FilmDetails,
    SummaryRow,
    load_details,
    load_summaries,
)

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


def _audience_score(audience: AudienceRow | None) -> str | None:
    """``9.3/10 (93/100)``: the site's own scale first, then 0-100; never a blend
    with the critics' figures, which have their own columns."""
    if audience is None or audience.score is None:
        return None
    own = (
        f"{cell(audience.score)}/{cell(audience.scale)}" if audience.scale else cell(audience.score)
    )
    if audience.score_100 is None or audience.scale == 100:
        return own
    return f"{own} ({cell(audience.score_100)}/100)"


def _audience_counts(audience: AudienceRow | None) -> str | None:
    """``18: 16/1/1``: the ratings, then positive/mixed/negative."""
    if audience is None or all(
        value is None
        for value in (audience.count, audience.positive, audience.mixed, audience.negative)
    ):
        return None
    split = _counts(audience.positive, audience.mixed, audience.negative)
    return f"{cell(audience.count)}: {split}"


def _film_refs(engine: Engine, names: tuple[str, ...]) -> list[FilmRef]:
    """The films named, in order; a name several films answer to is accepted when they
    are all one linked work (``Moonlight (2016)`` on two sites), else refused."""
    refs = []
    for name in names:
        try:
            refs.append(find_film(engine, name))
        except AmbiguousFilm as ambiguous:
            ids = [ref.id for ref in ambiguous.candidates]
            members = work_members(engine, ids)
            if len({tuple(group) for group in members.values()}) != 1:
                raise
            refs.extend(ambiguous.candidates)
    return refs


def _media_columns(rows: list[SummaryRow]) -> bool:
    """Whether the listing needs media and platform columns (anything but movies)."""
    return any(row.media != "movie" or row.platform for row in rows)


def _side_by_side(view: dict, details: dict[str, FilmDetails]) -> str:
    """A linked work's sites as columns, figure by figure (the audience's last, apart)."""
    sites = view["sites"]
    figures = (
        ("stated score", lambda s: f"{s['stated_score_name']} {cell(s['stated_score'])}"),
        ("computed score", lambda s: f"{s['computed_score_name']} {cell(s['computed_score'])}"),
        ("stated label", lambda s: s["stated_label"]),
        ("computed label", lambda s: s["computed_label"]),
        ("mean score", lambda s: s["mean_score"]),
        ("positive share", lambda s: s["positive_share"]),
        ("critics stated/stored", lambda s: _counts(s["stated_critic_count"], s["review_count"])),
        (
            "+/~/- stated",
            lambda s: _counts(s["stated_positive"], s["stated_mixed"], s["stated_negative"]),
        ),
        (
            "+/~/- stored",
            lambda s: _counts(s["positive_count"], s["mixed_count"], s["negative_count"]),
        ),
        ("consistent", lambda s: s["consistent"]),
        ("audience score", lambda s: _audience_score(_audience_of(details, s["key"]))),
        (
            "audience ratings: +/~/-",
            lambda s: _audience_counts(_audience_of(details, s["key"])),
        ),
    )
    lines = []
    if len(sites) > 1:
        lines.append(f"{sites[0]['title'] or sites[0]['key']}: {len(sites)} sites side by side")
        lines.append(
            table(
                ("", *(s["key"] for s in sites)),
                [(label, *(show(s) for s in sites)) for label, show in figures],
            )
        )
    for link in view["links"]:
        lines.append(
            f"linked: {link['film_a']['key']} = {link['film_b']['key']}: {link['state']}"
            f" ({link['reason']}, confidence {cell(link['confidence'])})"
        )
    for other in view["suggested"]:
        lines.append(
            f"suggested: {describe(other)}: {other['reason']}"
            f" (confidence {cell(other['confidence'])}); decide with"
            f" `reviewcrawler links confirm|reject {sites[0]['key']} {other['key']}`"
        )
    return "\n".join(lines)


def _audience_of(details: dict[str, FilmDetails], key: str) -> AudienceRow | None:
    found = details.get(key)
    return found.audience if found else None


def _audience_json(found: FilmDetails | None) -> dict | None:
    return found.audience.as_json() if found and found.audience else None


def _facts_json(found: FilmDetails | None) -> dict:
    """The title's facts, every one named (None where no page stated it)."""
    if found is None:
        return {name: None for name in FILM_FACT_FIELDS}
    return found.facts.as_json()


@click.command()
@click.argument("films", nargs=-1, metavar="[FILM]...")
@click.option("--media", type=click.Choice(MEDIA), help="Only movies, TV shows or games.")
@database_url_option
@json_option
def summary(films: tuple[str, ...], media: str | None, database_url: str, as_json: bool) -> None:
    """Each film's stated summary beside the one computed from stored reviews.

    The critics' figures and the audience's are separate columns (and separate
    objects in --json: ``audience``, beside the title's ``facts``), never one number.

    FILM is a film key (metacritic:her), a slug (her, moonlight-2016) or a title
    ("Her", "Her (2013)"); all films when none is given. A named film linked to the
    same work on other sites (`reviewcrawler links`) is shown beside them: Metascore
    and Tomatometer, each site's stated and computed figures.
    """
    engine = reading(database_url)
    refs = _film_refs(engine, films) if films else None
    rows = load_summaries(engine, keys=[ref.key for ref in refs] if refs is not None else None)
    if media:
        rows = [row for row in rows if row.media == media]
    views: dict[str, dict | None] = {}
    if refs is not None:
        ids = {ref.key: ref.id for ref in refs}
        by_id = work_views(engine, sorted(set(ids.values())))
        views = {key: by_id[film_id] for key, film_id in ids.items()}
    # Every film's in one read when none is named; else the named ones.
    details = load_details(engine, None if refs is None else [row.key for row in rows])
    if refs is not None:
        # A linked work's other sites are shown beside the named films: their audience too.
        others = {site["key"] for view in views.values() if view for site in view["sites"]} - set(
            details
        )
        if others:
            details.update(load_details(engine, others))
    if as_json:
        echo_json(
            [
                {
                    **dataclasses.asdict(row),
                    # Apart from the critics' figures above, never merged into them.
                    "audience": _audience_json(details.get(row.key)),
                    "facts": _facts_json(details.get(row.key)),
                    **({"work": views.get(row.key)} if refs else {}),
                }
                for row in rows
            ]
        )
        return
    if not rows:
        click.echo("No films stored." if not media else f"No {media} films stored.")
        return
    with_media = _media_columns(rows)
    click.echo(
        table(
            (
                "title",
                "year",
                "key",
                *(("media", "platform") if with_media else ()),
                "stated label",
                "metascore",
                "computed label",
                "mean",
                "critics stated/stored",
                "+/~/- stated",
                "+/~/- stored",
                "consistent",
                "audience score",
                "audience ratings: +/~/-",
            ),
            [
                (
                    row.title,
                    row.year,
                    row.key,
                    *((row.media, row.platform) if with_media else ()),
                    row.stated_label,
                    row.stated_metascore,
                    row.computed_label,
                    row.mean_score,
                    _counts(row.stated_critic_count, row.review_count),
                    _counts(row.stated_positive, row.stated_mixed, row.stated_negative),
                    _counts(row.positive_count, row.mixed_count, row.negative_count),
                    _consistency(row),
                    _audience_score(_audience_of(details, row.key)),
                    _audience_counts(_audience_of(details, row.key)),
                )
                for row in rows
            ],
        )
    )
    shown: set[tuple[str, ...]] = set()
    for row in rows:
        view = views.get(row.key)
        if view is None:
            continue
        members = tuple(site["key"] for site in view["sites"])
        if members in shown:
            continue
        shown.add(members)
        click.echo("\n" + _side_by_side(view, details))


def _heading(ref: FilmRef, what: str) -> str:
    """``Title (Year) [key], game on PlayStation 5: N what``."""
    kind = "" if ref.media == "movie" else f", {ref.media}"
    if ref.platform:
        kind += f" on {ref.platform}"
    return f"{ref.name} [{ref.key}]{kind}: {what}"


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
    click.echo(_heading(ref, f"{len(rows)} reviews"))
    with_season = any(row["season"] for row in rows)
    if rows:
        click.echo(
            table(
                (
                    *(("season",) if with_season else ()),
                    "score",
                    "sentiment",
                    "critic",
                    "publication",
                    "date",
                    "quote",
                ),
                [
                    (
                        *((row["season"],) if with_season else ()),
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
    click.echo(_heading(ref, f"{len(rows)} snapshots"))
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
