"""What a closing crawl records about the films it touched: reviews gone, summary snapshots.

Gone rule (README "Store"): when a crawl finished normally with no failed,
unparsed or unrecognised page and no error, every film it saw at least one
review of counts as crawled completely; that film's reviews that this crawl did
not see (``last_seen_run`` before it) and that are not already gone get
``gone_run`` set. Nothing is deleted; a gone review seen again is restored (and
the change recorded by the writer).

Blocking: call from a worker thread, never the reactor.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, literal, or_, select, update

from reviewcrawler.store.engine import write_transaction
from reviewcrawler.store.models import SUMMARY_FIELDS, FilmSummary, Review, SummarySnapshot
from reviewcrawler.store.upsert import any_of, chunked

#: Films to work on: ids, or a query of them (run_films.films_of) that the
#: database resolves itself, however many there are.
Films = Iterable[int] | Select[tuple[int]]


def _film_conditions(
    connection: Connection, column: Any, films: Films
) -> Iterator[ColumnElement[bool]]:
    """``column`` among ``films``: one subquery, or chunks of ids small enough to bind."""
    if isinstance(films, Select):
        yield column.in_(films)
        return
    for chunk in chunked(sorted(set(films))):
        yield any_of(connection, column, chunk)


def mark_gone(engine: Engine, run_id: int, complete_films: Films) -> int:
    """Mark the reviews of these completely crawled films that ``run_id`` did not see."""
    reviews = Review.__table__
    marked = 0
    with write_transaction(engine) as connection:
        for among in _film_conditions(connection, reviews.c.film_id, complete_films):
            result = connection.execute(
                update(reviews)
                .where(among)
                .where(reviews.c.gone_run.is_(None))
                .where(or_(reviews.c.last_seen_run.is_(None), reviews.c.last_seen_run < run_id))
                .values(gone_run=run_id)
            )
            marked += result.rowcount or 0
    return marked


def snapshot_summaries(engine: Engine, run_id: int, films: Films) -> None:
    """Copy these films' current summaries as they stand at the end of ``run_id``."""
    summaries = FilmSummary.__table__
    snapshots = SummarySnapshot.__table__
    columns = ["film_id", *SUMMARY_FIELDS]
    with write_transaction(engine) as connection:
        for among in _film_conditions(connection, summaries.c.film_id, films):
            connection.execute(
                snapshots.insert().from_select(
                    ["run_id", *columns],
                    select(literal(run_id), *(summaries.c[n] for n in columns)).where(among),
                )
            )
