"""Per-film summaries: figures computed from stored reviews beside what pages state."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, or_, select

from reviewcrawler.items import FILM_FACT_FIELDS
from reviewcrawler.normalize.scores import MIXED, NEGATIVE, POSITIVE, label_for_score
from reviewcrawler.store import run_films
from reviewcrawler.store.engine import write_transaction
from reviewcrawler.store.models import AudienceSummary, Film, FilmSummary, Review
from reviewcrawler.store.upsert import chunked, insert_for

COMPUTED_FIELDS = (
    "review_count",
    "scored_count",
    "mean_score",
    "median_score",
    "min_score",
    "max_score",
    "positive_count",
    "mixed_count",
    "negative_count",
    "positive_share",
    "computed_label",
    "consistent",
)


@dataclass(frozen=True)
class SummaryRow:
    """A film with its summary, as reports and the CLI show it."""

    key: str
    title: str | None
    year: int | None
    media: str
    platform: str | None
    review_count: int
    scored_count: int
    mean_score: float | None
    median_score: float | None
    min_score: int | None
    max_score: int | None
    positive_count: int
    mixed_count: int
    negative_count: int
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


def compute(
    scores: list[int], sentiments: list[str | None], stated_count: int | None
) -> dict[str, object]:
    """The computed columns for one film's stored reviews.

    Positive/mixed/negative count each review's sentiment: the site's own verdict
    (Rotten Tomatoes' fresh/rotten) where it states one, else its score's band.
    ``positive_share`` is the percentage of positive among reviews with a
    sentiment: on Rotten Tomatoes, the computed Tomatometer. ``stated_count`` is
    the listed count when the pages state one, else the stated critic count.
    """
    mean = round(statistics.fmean(scores), 2) if scores else None
    judged = [sentiment for sentiment in sentiments if sentiment is not None]
    share = round(100 * judged.count(POSITIVE) / len(judged), 2) if judged else None
    return {
        "review_count": len(sentiments),
        "scored_count": len(scores),
        "mean_score": mean,
        "median_score": float(statistics.median(scores)) if scores else None,
        "min_score": min(scores) if scores else None,
        "max_score": max(scores) if scores else None,
        "positive_count": sentiments.count(POSITIVE),
        "mixed_count": sentiments.count(MIXED),
        "negative_count": sentiments.count(NEGATIVE),
        "positive_share": share,
        "computed_label": label_for_score(mean),
        "consistent": None if stated_count is None else len(sentiments) == stated_count,
    }


#: Films recomputed per transaction: bounds memory and the number of bound
#: parameters (SQLite allows 32,766) however many films a crawl touched.
REFRESH_CHUNK = 500


def refresh_in_chunks(engine: Engine, film_ids: Iterable[int]) -> Iterator[list[SummaryRow]]:
    """Recompute and store these films' summaries, yielding each chunk's rows as stored.

    Computed from the reviews the source still lists: gone reviews (``gone_run``
    set) are kept in ``reviews`` but no longer counted. Each chunk runs under the
    writer lock, so a summary always reflects every review committed before it.
    A crawl of any number of films holds one chunk at a time.
    """
    yield from _refresh_chunks(engine, chunked(sorted(set(film_ids)), REFRESH_CHUNK))


def refresh_run_in_chunks(engine: Engine, run_id: int) -> Iterator[list[SummaryRow]]:
    """``refresh_in_chunks`` for every film the run touched (crawl_run_films)."""
    yield from _refresh_chunks(engine, run_films.film_id_chunks(engine, run_id, REFRESH_CHUNK))


def _refresh_chunks(engine: Engine, chunks: Iterable[Sequence[int]]) -> Iterator[list[SummaryRow]]:
    for chunk in chunks:
        _refresh_chunk(engine, chunk)
        yield load_summaries(engine, film_ids=chunk)


def refresh_summaries(engine: Engine, film_ids: Iterable[int]) -> list[SummaryRow]:
    """Recompute and store the summaries of these films; return them, ordered by key."""
    rows = [row for chunk in refresh_in_chunks(engine, film_ids) for row in chunk]
    return sorted(rows, key=lambda row: row.key)


def _refresh_chunk(engine: Engine, ids: Sequence[int]) -> None:
    reviews = Review.__table__
    summaries = FilmSummary.__table__
    with write_transaction(engine) as connection:
        by_film: dict[int, tuple[list[int], list[str | None]]] = {i: ([], []) for i in ids}
        for film_id, score, sentiment in connection.execute(
            select(reviews.c.film_id, reviews.c.score, reviews.c.sentiment)
            .where(reviews.c.film_id.in_(ids))
            .where(reviews.c.gone_run.is_(None))
        ):
            scores, sentiments = by_film[film_id]
            if score is not None:
                scores.append(score)
            sentiments.append(sentiment)
        stated = {
            film_id: listed if listed is not None else critics
            for film_id, listed, critics in connection.execute(
                select(
                    summaries.c.film_id,
                    summaries.c.stated_listed_count,
                    summaries.c.stated_critic_count,
                ).where(summaries.c.film_id.in_(ids))
            )
        }
        rows = [
            {"film_id": film_id, **compute(scores, sentiments, stated.get(film_id))}
            for film_id, (scores, sentiments) in by_film.items()
        ]
        stmt = insert_for(connection, summaries)
        excluded = stmt.excluded
        stmt = stmt.on_conflict_do_update(
            index_elements=[summaries.c.film_id],
            set_={n: excluded[n] for n in COMPUTED_FIELDS},
            where=or_(*(excluded[n].is_distinct_from(summaries.c[n]) for n in COMPUTED_FIELDS)),
        )
        connection.execute(stmt, rows)


def load_summaries(
    engine: Engine, film_ids: Iterable[int] | None = None, keys: Iterable[str] | None = None
) -> list[SummaryRow]:
    """Films with their summaries, optionally only some, ordered by film key."""
    films = Film.__table__
    summaries = FilmSummary.__table__
    query = (
        select(
            films.c.key,
            films.c.title,
            films.c.year,
            films.c.media,
            films.c.platform,
            *(summaries.c[n] for n in SummaryRow.__dataclass_fields__ if n in summaries.c),
        )
        .join(summaries, summaries.c.film_id == films.c.id)
        .order_by(films.c.key)
    )
    if keys is not None:
        query = query.where(films.c.key.in_(list(keys)))
    with engine.connect() as connection:
        if film_ids is None:
            return [SummaryRow(**row._asdict()) for row in connection.execute(query)]
        ids = sorted(set(film_ids))
        rows = [
            SummaryRow(**row._asdict())
            for chunk in chunked(ids, REFRESH_CHUNK)
            for row in connection.execute(query.where(films.c.id.in_(chunk)))
        ]
        return sorted(rows, key=lambda row: row.key)


def _whole(value: float | None) -> float | int | None:
    """``93.0`` as ``93``: the store keeps floats, but a whole figure reads as one."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass(frozen=True)
class AudienceRow:
    """A film's audience summary (``audience_summaries``), as the site states it.

    Kept apart from SummaryRow on purpose: the audience's figures are never counted
    with the critics', and the refreshes that build SummaryRows have no use for them.
    """

    #: On the site's own scale (``scale``: 10 or 100).
    score: float | None
    scale: int | None
    #: The same score on 0-100.
    score_100: float | None
    count: int | None
    positive: int | None
    mixed: int | None
    negative: int | None
    #: The way of the page it came from (items.py ``PATHS``).
    path: str | None

    def as_json(self) -> dict[str, Any]:
        """The object ``reviewcrawler summary --json`` gives, whole scores as integers."""
        return {
            "score": _whole(self.score),
            "scale": self.scale,
            "score_100": _whole(self.score_100),
            "count": self.count,
            "positive": self.positive,
            "mixed": self.mixed,
            "negative": self.negative,
            "path": self.path,
        }


@dataclass(frozen=True)
class FilmFacts:
    """A title's facts as stored on ``films`` (items.py FILM_FACT_FIELDS); None where
    no page stated one."""

    release_date: dt.date | None
    genres: str | None
    age_rating: str | None
    developers: str | None
    publishers: str | None
    director: str | None
    network: str | None
    seasons: int | None
    runtime: int | None

    def as_json(self) -> dict[str, Any]:
        facts: dict[str, Any] = {name: getattr(self, name) for name in FILM_FACT_FIELDS}
        if self.release_date is not None:
            facts["release_date"] = self.release_date.isoformat()
        return facts


AUDIENCE_COLUMNS: tuple[str, ...] = tuple(AudienceRow.__dataclass_fields__)


@dataclass(frozen=True)
class FilmDetails:
    """What a film has beside its critics' summary: its facts and its audience's."""

    facts: FilmFacts
    #: None when no page stated anything of the audience's.
    audience: AudienceRow | None


def load_details(engine: Engine, keys: Iterable[str] | None = None) -> dict[str, FilmDetails]:
    """Facts and audience summary of these films (of every film when None), by key.

    A separate read from ``load_summaries``: the crawl's closing and replays load
    SummaryRows for every film they touched and need neither.
    """
    films = Film.__table__
    audience = AudienceSummary.__table__
    query = select(
        films.c.key,
        *(films.c[n] for n in FILM_FACT_FIELDS),
        audience.c.film_id.label("audience_film_id"),
        *(audience.c[n].label(f"audience_{n}") for n in AUDIENCE_COLUMNS),
    ).select_from(films.outerjoin(audience, audience.c.film_id == films.c.id))
    wanted = None if keys is None else sorted(set(keys))
    found: dict[str, FilmDetails] = {}
    with engine.connect() as connection:
        queries = (
            [query]
            if wanted is None
            else [query.where(films.c.key.in_(chunk)) for chunk in chunked(wanted, REFRESH_CHUNK)]
        )
        for one in queries:
            for row in connection.execute(one):
                values = row._mapping
                found[row.key] = FilmDetails(
                    facts=FilmFacts(**{n: values[n] for n in FILM_FACT_FIELDS}),
                    audience=None
                    if values["audience_film_id"] is None
                    else AudienceRow(**{n: values[f"audience_{n}"] for n in AUDIENCE_COLUMNS}),
                )
    return found
