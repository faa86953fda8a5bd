"""Changes of a film's reviews: added (``first_seen_run``), changed (``review_changes``)
and gone (``gone_run``), as the store's writer and the runs' closes recorded them.

Blocking, read-only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from reviewcrawler.changes.model import (
    REVIEW_ADDED,
    REVIEW_CHANGED,
    REVIEW_GONE,
    Change,
    FilmInfo,
    ReviewInfo,
    RunInfo,
)
from reviewcrawler.changes.scope import Scope
from reviewcrawler.changes.scores import first_run_of
from reviewcrawler.store.models import CrawlRun, Film, Review, ReviewChange

REVIEWS, FILMS, RUNS = Review.__table__, Film.__table__, CrawlRun.__table__
CHANGES = ReviewChange.__table__
_COLUMNS = (
    FILMS.c.id.label("film_id"),
    FILMS.c.key,
    FILMS.c.title,
    FILMS.c.year,
    RUNS.c.started_at,
    REVIEWS.c.id.label("review_id"),
    REVIEWS.c.critic,
    REVIEWS.c.publication,
    REVIEWS.c.score,
    REVIEWS.c.quote,
    REVIEWS.c.review_url,
    first_run_of(FILMS.c.id).label("first_run"),
)


def _rows(engine: Engine, query: Any, run_column: Any, scope: Scope, order: Any) -> list[Any]:
    query = (
        query.join(FILMS, FILMS.c.id == REVIEWS.c.film_id)
        .join(RUNS, RUNS.c.id == run_column)
        .where(*scope.conditions(run_column, REVIEWS.c.film_id, RUNS))
        .order_by(run_column.desc(), FILMS.c.key, *order)
    )
    if scope.limit is not None:
        query = query.limit(scope.limit)
    with engine.connect() as connection:
        return list(connection.execute(query))


def _parts(row: Any) -> tuple[FilmInfo, RunInfo, ReviewInfo]:
    return (
        FilmInfo(row.film_id, row.key, row.title, row.year),
        RunInfo(row.run_id, row.started_at),
        ReviewInfo(
            row.review_id, row.critic, row.publication, row.score, row.quote, row.review_url
        ),
    )


def _listed(engine: Engine, kind: str, run_column: Any, scope: Scope) -> list[Change]:
    """Reviews whose ``run_column`` (first seen, gone) is a run in scope; the review's
    score is the new value of one added, the old of one gone."""
    query = select(*_COLUMNS, run_column.label("run_id")).select_from(REVIEWS)
    found = []
    for row in _rows(engine, query, run_column, scope, (REVIEWS.c.id,)):
        film, run, review = _parts(row)
        old, new = (None, review.score) if kind == REVIEW_ADDED else (review.score, None)
        found.append(
            Change(kind, film, run, old, new, review=review, film_new=row.first_run == run.id)
        )
    return found


def _changed(engine: Engine, scope: Scope) -> list[Change]:
    query = (
        select(
            *_COLUMNS,
            CHANGES.c.run_id,
            CHANGES.c.field,
            CHANGES.c.old_value,
            CHANGES.c.new_value,
        )
        .select_from(CHANGES)
        .join(REVIEWS, REVIEWS.c.id == CHANGES.c.review_id)
    )
    found = []
    for row in _rows(engine, query, CHANGES.c.run_id, scope, (REVIEWS.c.id, CHANGES.c.id)):
        film, run, review = _parts(row)
        found.append(
            Change(
                REVIEW_CHANGED,
                film,
                run,
                row.old_value,
                row.new_value,
                row.field,
                review,
                film_new=row.first_run == run.id,
            )
        )
    return found


def review_changes(engine: Engine, scope: Scope) -> list[Change]:
    """The reviews added, changed and gone in ``scope`` (unsorted)."""
    found: list[Change] = []
    if scope.wants(REVIEW_ADDED):
        found += _listed(engine, REVIEW_ADDED, REVIEWS.c.first_seen_run, scope)
    if scope.wants(REVIEW_CHANGED):
        found += _changed(engine, scope)
    if scope.wants(REVIEW_GONE):
        found += _listed(engine, REVIEW_GONE, REVIEWS.c.gone_run, scope)
    return found
