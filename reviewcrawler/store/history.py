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

from collections.abc import Iterable

from sqlalchemy import Engine, literal, or_, select, update

from reviewcrawler.store.engine import write_transaction
from reviewcrawler.store.models import SUMMARY_FIELDS, FilmSummary, Review, SummarySnapshot
from reviewcrawler.store.upsert import any_of, chunked


def mark_gone(engine: Engine, run_id: int, complete_film_ids: Iterable[int]) -> int:
    """Mark the reviews of these completely crawled films that ``run_id`` did not see."""
    ids = sorted(set(complete_film_ids))
    reviews = Review.__table__
    marked = 0
    with write_transaction(engine) as connection:
        for chunk in chunked(ids):
            result = connection.execute(
                update(reviews)
                .where(any_of(connection, reviews.c.film_id, chunk))
                .where(reviews.c.gone_run.is_(None))
                .where(or_(reviews.c.last_seen_run.is_(None), reviews.c.last_seen_run < run_id))
                .values(gone_run=run_id)
            )
            marked += result.rowcount or 0
    return marked


def snapshot_summaries(engine: Engine, run_id: int, film_ids: Iterable[int]) -> None:
    """Copy these films' current summaries as they stand at the end of ``run_id``."""
    ids = sorted(set(film_ids))
    summaries = FilmSummary.__table__
    snapshots = SummarySnapshot.__table__
    columns = ["film_id", *SUMMARY_FIELDS]
    with write_transaction(engine) as connection:
        for chunk in chunked(ids):
            connection.execute(
                snapshots.insert().from_select(
                    ["run_id", *columns],
                    select(literal(run_id), *(summaries.c[n] for n in columns)).where(
                        any_of(connection, summaries.c.film_id, chunk)
                    ),
                )
            )
