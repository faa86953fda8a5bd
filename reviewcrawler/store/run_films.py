"""Which films a crawl run touched, recorded in ``crawl_run_films`` as its batches commit.

A run's close (reviews gone, summaries recomputed and snapshotted, the replay of
a spool) works from these rows instead of sets the crawl would otherwise grow in
memory by one entry per film: a night's crawl closes in flat memory however many
films it touched, and what it recorded commits or rolls back with its batch.

Blocking: call from a worker thread, never the reactor.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, Select, func, select

from reviewcrawler.store.models import CrawlRunFilm
from reviewcrawler.store.upsert import upsert_run_film

if TYPE_CHECKING:
    from reviewcrawler.store.writer import BatchResult

TABLE = CrawlRunFilm.__table__


def record(connection: Connection, run_id: int, batch: BatchResult) -> None:
    """In the batch's transaction: the films it touched, whether it saw reviews of each,
    and how many of each film's reviews it stored new or changed (added to earlier
    batches' counts)."""
    upsert_run_film(
        connection,
        TABLE,
        [
            {
                "run_id": run_id,
                "film_id": film_id,
                "reviewed": film_id in batch.reviewed_film_ids,
                "reviews_new": batch.new_by_film.get(film_id, 0),
                "reviews_changed": batch.changed_by_film.get(film_id, 0),
            }
            for film_id in sorted(batch.film_ids)
        ],
    )


def films_of(run_id: int, *, reviewed: bool = False) -> Select[tuple[int]]:
    """The run's film ids as a subquery (``reviewed``: only films it saw reviews of)."""
    query = select(TABLE.c.film_id).where(TABLE.c.run_id == run_id)
    return query.where(TABLE.c.reviewed.is_(True)) if reviewed else query


def film_id_chunks(engine: Engine, run_id: int, size: int) -> Iterator[list[int]]:
    """The run's film ids in ascending chunks of at most ``size``, one short query each."""
    after: int | None = None
    while True:
        query = films_of(run_id).order_by(TABLE.c.film_id).limit(size)
        if after is not None:
            query = query.where(TABLE.c.film_id > after)
        with engine.connect() as connection:
            chunk = list(connection.scalars(query))
        if not chunk:
            return
        yield chunk
        after = chunk[-1]


def count(engine: Engine, run_id: int) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(films_of(run_id).subquery())) or 0
