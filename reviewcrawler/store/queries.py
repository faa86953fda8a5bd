"""What the ``reviewcrawler`` command reads: films by name, reviews, runs, history, comparisons.

Blocking, read-only; every function takes an engine whose schema is current.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, func, select

from reviewcrawler.store.models import (
    SUMMARY_FIELDS,
    CrawlRun,
    Film,
    Review,
    ReviewChange,
    SummarySnapshot,
)
from reviewcrawler.store.upsert import any_of, chunked

_TITLE_AND_YEAR = re.compile(r"^(?P<title>.*?)\s*\((?P<year>\d{4})\)\s*$")


class LookupFailed(Exception):
    """A film or run named on the command line is not in the database (or is ambiguous)."""


@dataclass(frozen=True)
class FilmRef:
    id: int
    key: str
    title: str | None
    year: int | None

    @property
    def name(self) -> str:
        name = self.title or self.key
        return f"{name} ({self.year})" if self.year else name


def find_film(engine: Engine, name: str) -> FilmRef:
    """The film whose key is ``name``, else whose title is (``Title`` or ``Title (Year)``,
    case-insensitive). LookupFailed when none or several match."""
    films = Film.__table__
    columns = (films.c.id, films.c.key, films.c.title, films.c.year)
    with engine.connect() as connection:
        row = connection.execute(select(*columns).where(films.c.key == name)).first()
        if row is not None:
            return FilmRef(*row)
        conditions = [func.lower(films.c.title) == name.strip().lower()]
        if match := _TITLE_AND_YEAR.match(name):
            conditions = [
                and_(
                    func.lower(films.c.title) == match["title"].lower(),
                    films.c.year == int(match["year"]),
                )
            ]
        rows = connection.execute(select(*columns).where(*conditions).order_by(films.c.key)).all()
    if not rows:
        raise LookupFailed(f"no film with key or title {name!r}")
    if len(rows) > 1:
        keys = ", ".join(row.key for row in rows)
        raise LookupFailed(f"several films are titled {name!r}: {keys}; give a key")
    return FilmRef(*rows[0])


def reviews_of(
    engine: Engine, film_id: int, sentiment: str | None = None, include_gone: bool = False
) -> list[dict[str, Any]]:
    """A film's reviews, best score first (unscored last), then by critic."""
    reviews = Review.__table__
    query = select(reviews).where(reviews.c.film_id == film_id)
    if sentiment:
        query = query.where(reviews.c.sentiment == sentiment)
    if not include_gone:
        query = query.where(reviews.c.gone_run.is_(None))
    query = query.order_by(
        reviews.c.score.is_(None), reviews.c.score.desc(), reviews.c.critic, reviews.c.id
    )
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def history_of(engine: Engine, film_id: int) -> list[dict[str, Any]]:
    """A film's summary as each run that touched it left it, oldest first."""
    snapshots = SummarySnapshot.__table__
    runs = CrawlRun.__table__
    query = (
        select(snapshots.c.run_id, runs.c.started_at, *(snapshots.c[n] for n in SUMMARY_FIELDS))
        .join(runs, runs.c.id == snapshots.c.run_id)
        .where(snapshots.c.film_id == film_id)
        .order_by(snapshots.c.run_id)
    )
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def recent_runs(engine: Engine, limit: int = 20) -> list[dict[str, Any]]:
    runs = CrawlRun.__table__
    with engine.connect() as connection:
        rows = connection.execute(select(runs).order_by(runs.c.id.desc()).limit(limit))
        return [dict(row._mapping) for row in rows]


def require_runs(engine: Engine, run_ids: Iterable[int]) -> None:
    runs = CrawlRun.__table__
    wanted = set(run_ids)
    with engine.connect() as connection:
        found = set(connection.scalars(select(runs.c.id).where(runs.c.id.in_(wanted))))
    if missing := sorted(wanted - found):
        raise LookupFailed(f"no crawl run {', '.join(map(str, missing))}")


def _review_rows(engine: Engine, query: Any) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def compare_runs(engine: Engine, run_a: int, run_b: int) -> dict[str, Any]:
    """What changed after run A up to and including run B (A < B).

    added: reviews first seen in (A, B]; changed: field changes recorded in
    (A, B]; gone: reviews marked gone in (A, B]; summaries: for each film a run in
    (A, B] touched, its latest snapshot up to A against its latest up to B.
    """
    require_runs(engine, (run_a, run_b))
    low, high = sorted((run_a, run_b))
    reviews, films = Review.__table__, Film.__table__
    changes = ReviewChange.__table__
    review_columns = (
        films.c.key.label("film"),
        reviews.c.id,
        reviews.c.critic,
        reviews.c.publication,
        reviews.c.score,
        reviews.c.quote,
    )
    in_range = lambda column: and_(column > low, column <= high)  # noqa: E731

    def reviews_by(run_column: Any) -> list[dict[str, Any]]:
        """Reviews whose ``run_column`` (first seen, gone) falls in the compared runs."""
        return _review_rows(
            engine,
            select(*review_columns, run_column.label("run"))
            .join(films, films.c.id == reviews.c.film_id)
            .where(in_range(run_column))
            .order_by(films.c.key, reviews.c.id),
        )

    added = reviews_by(reviews.c.first_seen_run)
    gone = reviews_by(reviews.c.gone_run)
    changed = _review_rows(
        engine,
        select(
            films.c.key.label("film"),
            changes.c.review_id,
            reviews.c.critic,
            reviews.c.publication,
            changes.c.run_id.label("run"),
            changes.c.field,
            changes.c.old_value,
            changes.c.new_value,
        )
        .join(reviews, reviews.c.id == changes.c.review_id)
        .join(films, films.c.id == reviews.c.film_id)
        .where(in_range(changes.c.run_id))
        .order_by(films.c.key, changes.c.review_id, changes.c.id),
    )
    return {
        "run_a": low,
        "run_b": high,
        "added": added,
        "changed": changed,
        "gone": gone,
        "summaries": _summary_deltas(engine, low, high),
    }


def _latest_snapshots(engine: Engine, film_ids: list[int], up_to: int) -> dict[int, dict]:
    snapshots = SummarySnapshot.__table__
    found: dict[int, dict] = {}
    with engine.connect() as connection:
        for chunk in chunked(sorted(film_ids)):
            latest = (
                select(snapshots.c.film_id, func.max(snapshots.c.run_id).label("run_id"))
                .where(any_of(connection, snapshots.c.film_id, chunk), snapshots.c.run_id <= up_to)
                .group_by(snapshots.c.film_id)
                .subquery()
            )
            query = select(snapshots).join(
                latest,
                and_(
                    latest.c.film_id == snapshots.c.film_id, latest.c.run_id == snapshots.c.run_id
                ),
            )
            found.update({row.film_id: dict(row._mapping) for row in connection.execute(query)})
    return found


def _summary_deltas(engine: Engine, low: int, high: int) -> list[dict[str, Any]]:
    snapshots, films = SummarySnapshot.__table__, Film.__table__
    with engine.connect() as connection:
        touched = dict(
            connection.execute(
                select(films.c.id, films.c.key)
                .where(
                    films.c.id.in_(
                        select(snapshots.c.film_id).where(
                            snapshots.c.run_id > low, snapshots.c.run_id <= high
                        )
                    )
                )
                .order_by(films.c.key)
            ).all()
        )
    ids = list(touched)
    before = _latest_snapshots(engine, ids, low) if ids else {}
    after = _latest_snapshots(engine, ids, high) if ids else {}
    deltas = []
    for film_id, key in touched.items():
        old, new = before.get(film_id, {}), after.get(film_id, {})
        fields = {
            name: {"before": old.get(name), "after": new.get(name)}
            for name in SUMMARY_FIELDS
            if old.get(name) != new.get(name)
        }
        if fields:
            deltas.append({"film": key, "changes": fields})
    return deltas
