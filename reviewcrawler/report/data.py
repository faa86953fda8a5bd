"""What the report reads from the store: SQLAlchemy Core over the project's tables.

``iter_films`` streams films a keyset page at a time (``FILM_PAGE`` films, with
their reviews, history and last run's changes read in one query per table), so a
report of any number of films holds one page in memory. Blocking; the report is a
command, not part of the crawl's reactor.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import Engine, Select, String, and_, func, select, type_coerce

from reviewcrawler.store.models import (
    AudienceSummary,
    CrawlRun,
    CrawlRunFilm,
    Film,
    FilmSummary,
    Review,
    ReviewChange,
    SummarySnapshot,
)
from reviewcrawler.store.moments import as_utc

#: Films read per keyset page: bounds memory and keeps ``IN`` lists far below
#: SQLite's and PostgreSQL's bound-parameter limits.
FILM_PAGE = 500

ROTTEN_TOMATOES = "rottentomatoes"
SITE_NAMES = {"metacritic": "Metacritic", ROTTEN_TOMATOES: "Rotten Tomatoes"}


def site_of_key(key: str) -> str:
    """``metacritic``, ``rottentomatoes``, or ``other`` (``film:`` and ``file:`` keys)."""
    prefix = key.split(":", 1)[0]
    return prefix if prefix in SITE_NAMES else "other"


@dataclass(frozen=True)
class FilmRow:
    """A film with its current summary (NULL figures when it has none yet)."""

    id: int
    key: str
    title: str | None
    year: int | None
    url: str | None
    media: str
    platform: str | None
    review_count: int | None
    scored_count: int | None
    mean_score: float | None
    median_score: float | None
    min_score: int | None
    max_score: int | None
    positive_count: int | None
    mixed_count: int | None
    negative_count: int | None
    positive_share: float | None
    computed_label: str | None
    stated_label: str | None
    stated_critic_count: int | None
    stated_listed_count: int | None
    stated_metascore: int | None
    stated_positive: int | None
    stated_mixed: int | None
    stated_negative: int | None
    consistent: bool | None
    # The title's facts (``films``), None where no page stated them.
    release_date: dt.date | None = None
    genres: str | None = None
    age_rating: str | None = None
    developers: str | None = None
    publishers: str | None = None
    director: str | None = None
    network: str | None = None
    seasons: int | None = None
    runtime: int | None = None
    # The audience's summary (``audience_summaries``, each column prefixed), kept apart
    # from the critics' figures above: no figure of the report ever mixes the two.
    audience_score: float | None = None
    audience_scale: int | None = None
    audience_score_100: float | None = None
    audience_count: int | None = None
    audience_positive: int | None = None
    audience_mixed: int | None = None
    audience_negative: int | None = None
    audience_path: str | None = None

    @property
    def site(self) -> str:
        return site_of_key(self.key)

    @property
    def is_rotten_tomatoes(self) -> bool:
        return self.site == ROTTEN_TOMATOES

    @property
    def name(self) -> str:
        return self.title or self.key

    @property
    def stated_score(self) -> int | None:
        """The site's own score: the Metascore, or on Rotten Tomatoes the Tomatometer."""
        return self.stated_metascore

    @property
    def computed_score(self) -> float | None:
        """What stored reviews give for the same figure: their mean score, or on Rotten
        Tomatoes the share of fresh reviews (the computed Tomatometer)."""
        return self.positive_share if self.is_rotten_tomatoes else self.mean_score

    @property
    def stated_count(self) -> int | None:
        """The count stored reviews are checked against (listed, else critic count)."""
        if self.stated_listed_count is not None:
            return self.stated_listed_count
        return self.stated_critic_count


@dataclass(frozen=True)
class Snapshot:
    """A film's summary as one run left it."""

    run_id: int
    started_at: dt.datetime | None
    stated_metascore: int | None
    mean_score: float | None
    positive_share: float | None
    review_count: int
    scored_count: int
    stated_critic_count: int | None
    stated_listed_count: int | None
    stated_label: str | None
    computed_label: str | None


class ReviewRow(NamedTuple):
    """A stored review. A named tuple: built straight from the driver's row, since a
    report reads every review of the store once (500,000 in the benchmark)."""

    id: int
    critic: str | None
    publication: str | None
    season: str | None
    score: int | None
    original_score: str | None
    sentiment: str | None
    #: ISO 8601 text: read as stored, not parsed into a date only to be printed again.
    published_on: str | dt.date | None
    quote: str | None
    review_url: str | None
    first_seen_run: int | None
    gone_run: int | None


@dataclass(frozen=True)
class FieldChange:
    review_id: int
    field: str
    old_value: str | None
    new_value: str | None


@dataclass(frozen=True)
class LastRun:
    """The latest run that wrote anything about the film (crawl_run_films)."""

    run_id: int
    started_at: dt.datetime | None
    reviews_new: int
    reviews_changed: int


@dataclass
class FilmData:
    """Everything one film page shows."""

    film: FilmRow
    reviews: list[ReviewRow] = field(default_factory=list)
    history: list[Snapshot] = field(default_factory=list)
    last_run: LastRun | None = None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def listed(self) -> list[ReviewRow]:
        """Reviews the source still lists (what the summary counts), best score first."""
        return [review for review in self.reviews if review.gone_run is None]

    @property
    def scored(self) -> list[tuple[int, str | None]]:
        return [(r.score, r.sentiment) for r in self.listed if r.score is not None]

    @property
    def added(self) -> list[ReviewRow]:
        run = self.last_run.run_id if self.last_run else None
        return [r for r in self.reviews if run is not None and r.first_seen_run == run]

    @property
    def gone(self) -> list[ReviewRow]:
        run = self.last_run.run_id if self.last_run else None
        return [r for r in self.reviews if run is not None and r.gone_run == run]

    def review(self, review_id: int) -> ReviewRow | None:
        return next((r for r in self.reviews if r.id == review_id), None)


def _review_order(review: ReviewRow) -> tuple[Any, ...]:
    """Best score first, unscored last, then by critic: as ``reviewcrawler reviews``."""
    return (
        review.score is None,
        -(review.score or 0),
        (review.critic or "").casefold(),
        review.id,
    )


_FILM_COLUMNS = tuple(FilmRow.__dataclass_fields__)


#: FilmRow's audience fields, by their ``audience_summaries`` column.
_AUDIENCE_COLUMNS = {
    n.removeprefix("audience_"): n for n in _FILM_COLUMNS if n.startswith("audience_")
}


def _films_query() -> Select[Any]:
    films, summaries = Film.__table__, FilmSummary.__table__
    audience = AudienceSummary.__table__
    columns = [films.c[n] for n in _FILM_COLUMNS if n in films.c]
    columns += [summaries.c[n] for n in _FILM_COLUMNS if n in summaries.c and n not in films.c]
    columns += [audience.c[column].label(name) for column, name in _AUDIENCE_COLUMNS.items()]
    return (
        select(*columns)
        .select_from(
            films.outerjoin(summaries, summaries.c.film_id == films.c.id).outerjoin(
                audience, audience.c.film_id == films.c.id
            )
        )
        .order_by(films.c.id)
    )


def count_films(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Film.__table__)) or 0


def film_id_pages(
    engine: Engine, film_ids: Sequence[int] | None = None, size: int = FILM_PAGE
) -> Iterator[list[int]]:
    """Film ids in keyset pages of ``size``: these ids, or every film's."""
    if film_ids is not None:
        wanted = sorted(set(film_ids))
        for start in range(0, len(wanted), size):
            yield wanted[start : start + size]
        return
    films = Film.__table__
    last_id = 0
    with engine.connect() as connection:
        while True:
            query = select(films.c.id).where(films.c.id > last_id).order_by(films.c.id)
            ids = list(connection.scalars(query.limit(size)))
            if not ids:
                return
            yield ids
            last_id = ids[-1]


def iter_films(engine: Engine, film_ids: Sequence[int] | None = None) -> Iterator[FilmData]:
    """Every film (or these films), with what its page shows, in id order."""
    films = Film.__table__
    with engine.connect() as connection:
        if film_ids is not None:
            wanted = sorted(set(film_ids))
            for start in range(0, len(wanted), FILM_PAGE):
                chunk = wanted[start : start + FILM_PAGE]
                query = _films_query().where(films.c.id.in_(chunk))
                yield from _page(
                    connection, [FilmRow(**r._asdict()) for r in connection.execute(query)]
                )
            return
        last_id = 0
        while True:
            query = _films_query().where(films.c.id > last_id).limit(FILM_PAGE)
            rows = [FilmRow(**row._asdict()) for row in connection.execute(query)]
            if not rows:
                return
            yield from _page(connection, rows)
            last_id = rows[-1].id


def _page(connection: Any, films: list[FilmRow]) -> Iterator[FilmData]:
    """One keyset page of films, with one query per table for all of them."""
    ids = [film.id for film in films]
    reviews = _reviews(connection, ids)
    history = _history(connection, ids)
    last_runs = _last_runs(connection, ids)
    changes = _changes(connection, ids, last_runs)
    for film in films:
        yield FilmData(
            film=film,
            reviews=sorted(reviews.get(film.id, ()), key=_review_order),
            history=history.get(film.id, []),
            last_run=last_runs.get(film.id),
            changes=changes.get(film.id, []),
        )


def _reviews(connection: Any, ids: list[int]) -> dict[int, list[ReviewRow]]:
    reviews = Review.__table__
    columns = [
        type_coerce(reviews.c[n], String) if n == "published_on" else reviews.c[n]
        for n in ReviewRow._fields
    ]
    found: dict[int, list[ReviewRow]] = defaultdict(list)
    query = select(*columns, reviews.c.film_id).where(reviews.c.film_id.in_(ids))
    make = ReviewRow._make
    # fetchall: one driver call for the page rather than one per review.
    for row in connection.execute(query).all():
        found[row[-1]].append(make(row[:-1]))
    return found


def _history(connection: Any, ids: list[int]) -> dict[int, list[Snapshot]]:
    snapshots, runs = SummarySnapshot.__table__, CrawlRun.__table__
    names = [n for n in Snapshot.__dataclass_fields__ if n not in ("run_id", "started_at")]
    query = (
        select(
            snapshots.c.film_id,
            snapshots.c.run_id,
            runs.c.started_at,
            *(snapshots.c[n] for n in names),
        )
        .join(runs, runs.c.id == snapshots.c.run_id)
        .where(snapshots.c.film_id.in_(ids))
        .order_by(snapshots.c.film_id, snapshots.c.run_id)
    )
    found: dict[int, list[Snapshot]] = defaultdict(list)
    for row in connection.execute(query):
        film_id, *values = row
        found[film_id].append(Snapshot(*values))
    return found


def _last_run_ids(ids: list[int]) -> Any:
    run_films = CrawlRunFilm.__table__
    return (
        select(run_films.c.film_id, func.max(run_films.c.run_id).label("run_id"))
        .where(run_films.c.film_id.in_(ids))
        .group_by(run_films.c.film_id)
        .subquery()
    )


def _last_runs(connection: Any, ids: list[int]) -> dict[int, LastRun]:
    run_films, runs = CrawlRunFilm.__table__, CrawlRun.__table__
    latest = _last_run_ids(ids)
    query = (
        select(
            run_films.c.film_id,
            run_films.c.run_id,
            runs.c.started_at,
            run_films.c.reviews_new,
            run_films.c.reviews_changed,
        )
        .join(
            latest,
            and_(latest.c.film_id == run_films.c.film_id, latest.c.run_id == run_films.c.run_id),
        )
        .join(runs, runs.c.id == run_films.c.run_id)
    )
    return {
        row.film_id: LastRun(
            row.run_id, row.started_at, row.reviews_new or 0, row.reviews_changed or 0
        )
        for row in connection.execute(query)
    }


def _changes(
    connection: Any, ids: list[int], last_runs: dict[int, LastRun]
) -> dict[int, list[FieldChange]]:
    """Field changes each film's last run recorded, by film.

    Found through the reviews of the page's films (both lookups indexed) and the
    page's last run ids; joining the latest-run subquery instead made SQLite scan
    ``review_changes`` once per page.
    """
    changes, reviews = ReviewChange.__table__, Review.__table__
    runs = {run.run_id for run in last_runs.values()}
    if not runs:
        return {}
    query = (
        select(
            reviews.c.film_id,
            changes.c.run_id,
            changes.c.review_id,
            changes.c.field,
            changes.c.old_value,
            changes.c.new_value,
        )
        .join(reviews, reviews.c.id == changes.c.review_id)
        .where(reviews.c.film_id.in_(ids), changes.c.run_id.in_(sorted(runs)))
        .order_by(changes.c.review_id, changes.c.id)
    )
    found: dict[int, list[FieldChange]] = defaultdict(list)
    for film_id, run_id, *values in connection.execute(query).all():
        if last_runs[film_id].run_id == run_id:
            found[film_id].append(FieldChange(*values))
    return found


def store_origin(engine: Engine) -> str:
    """What tells this store from another, for the feed's ids: its first run's id and
    start time (runs are never deleted, so it never changes once a run exists), else
    the database URL without its password.

    The database URL alone would not do: two stores both reached as
    ``sqlite:///reviews.db`` from different folders would give the same change the
    same id in two feeds.
    """
    runs = CrawlRun.__table__
    query = select(runs.c.id, runs.c.started_at).order_by(runs.c.id).limit(1)
    with engine.connect() as connection:
        first = connection.execute(query).first()
    if first is None:
        return "url " + engine.url.render_as_string(hide_password=True)
    started = first.started_at
    if started is not None:
        # SQLite hands the stored UTC time back without its zone, PostgreSQL in the
        # session's zone: one spelling either way, or the ids would change with it.
        started = as_utc(started)
    return f"run {first.id} {started.isoformat() if started else ''}"
