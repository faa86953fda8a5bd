"""Changes of a film's stated scores: the critics' (``summary_snapshots``) and the
audience's (``audience_snapshots``), read from the snapshot each run that touched
the film left.

A score is compared with the last one stated before it: a run whose pages stated none
(the snapshot holds NULL) neither moves it nor hides a later move. Blocking, read-only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Table, func, or_, select

from reviewcrawler.changes.model import (
    AUDIENCE,
    BAND_CROSSED,
    FIRST_SCORE,
    METASCORE,
    SCORE_KINDS,
    SCORE_MOVED,
    Change,
    FilmInfo,
    RunInfo,
)
from reviewcrawler.changes.scope import Scope
from reviewcrawler.normalize.scores import label_for_score
from reviewcrawler.store import run_films
from reviewcrawler.store.models import (
    AudienceSnapshot,
    CrawlRun,
    CrawlRunFilm,
    Film,
    SummarySnapshot,
)

#: Films whose stated critics' score is a Tomatometer: Metacritic's bands say nothing of it.
NO_BANDS_PREFIX = "rottentomatoes:"


def first_run_of(film_column: Any) -> Any:
    """The first run that touched the film (``crawl_run_films``), as a scalar subquery."""
    table = CrawlRunFilm.__table__
    return select(func.min(table.c.run_id)).where(table.c.film_id == film_column).scalar_subquery()


def _score_rows(engine: Engine, snapshots: Table, value: Any, scope: Scope) -> list[Any]:
    """Each snapshot whose score differs from the film's previous stated one (or is its
    first), with that previous score, its film and its run."""
    runs, films = CrawlRun.__table__, Film.__table__
    stated = select(
        snapshots.c.run_id,
        snapshots.c.film_id,
        value.label("value"),
        # The previous non-NULL score: NULL snapshots are filtered out first.
        func.lag(value)
        .over(partition_by=snapshots.c.film_id, order_by=snapshots.c.run_id)
        .label("previous"),
    ).where(value.is_not(None))
    if scope.run_id is not None:
        # The run's films only, and nothing after it: the window needs no more.
        stated = stated.where(
            snapshots.c.run_id <= scope.run_id,
            snapshots.c.film_id.in_(run_films.films_of(scope.run_id)),
        )
    if scope.film_ids is not None:
        stated = stated.where(snapshots.c.film_id.in_(sorted(scope.film_ids)))
    known = stated.subquery()
    query = (
        select(
            known.c.run_id,
            known.c.value,
            known.c.previous,
            runs.c.started_at,
            films.c.id,
            films.c.key,
            films.c.title,
            films.c.year,
            first_run_of(films.c.id).label("first_run"),
        )
        .join(runs, runs.c.id == known.c.run_id)
        .join(films, films.c.id == known.c.film_id)
        .where(or_(known.c.previous.is_(None), known.c.previous != known.c.value))
        .where(*scope.conditions(known.c.run_id, known.c.film_id, runs))
        .order_by(known.c.run_id.desc(), films.c.key)
    )
    if scope.limit is not None:
        query = query.limit(scope.limit)
    with engine.connect() as connection:
        return list(connection.execute(query))


def _changes_of(row: Any, field: str, number: type) -> list[Change]:
    film = FilmInfo(row.id, row.key, row.title, row.year)
    run = RunInfo(row.run_id, row.started_at)
    new = number(row.value)
    if row.previous is None:
        return [Change(FIRST_SCORE, film, run, None, new, field, film_new=row.first_run == run.id)]
    old = number(row.previous)
    found = [Change(SCORE_MOVED, film, run, old, new, field)]
    if field == METASCORE and not row.key.startswith(NO_BANDS_PREFIX):
        before, after = label_for_score(old), label_for_score(new)
        if before != after:
            found.append(Change(BAND_CROSSED, film, run, before, after, field))
    return found


def score_changes(engine: Engine, scope: Scope) -> list[Change]:
    """The critics' and the audience's score changes in ``scope`` (unsorted)."""
    if not scope.wants(*SCORE_KINDS):
        return []
    summaries, audience = SummarySnapshot.__table__, AudienceSnapshot.__table__
    found: list[Change] = []
    for row in _score_rows(engine, summaries, summaries.c.stated_metascore, scope):
        found.extend(_changes_of(row, METASCORE, int))
    if scope.wants(FIRST_SCORE, SCORE_MOVED):
        for row in _score_rows(engine, audience, audience.c.score_100, scope):
            found.extend(_changes_of(row, AUDIENCE, float))
    return [change for change in found if scope.wants(change.kind)]
