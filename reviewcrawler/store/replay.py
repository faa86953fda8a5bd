"""Writing a dead-letter spool (store/deadletter.py) into the database, idempotently.

The spooled batches go through the crawl's own StoreWriter, in their order and
under the crawl run that fetched them, so the database ends as the undisturbed
crawl would have left it. Replaying again changes nothing: every review is then
unchanged, and ``last_seen_run`` only ever moves forward. A review a later crawl
has seen (or marked gone) since is left as that crawl stored it.

Nothing stops at the first bad line: lines the spool cannot read
(``Spool.refused``) and rows the database refuses as data (isolated as the
crawl's writer isolates them, store/resilient.py) are reported, each with its
reason, and everything else is stored. Rows the crawl quarantined
(``rejected`` records) are tried once more.

Blocking: call from a worker thread or the CLI, never the reactor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, delete, select

from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.store import run_films
from reviewcrawler.store.deadletter import DeadLetterSpool, Spool
from reviewcrawler.store.engine import write_transaction
from reviewcrawler.store.history import snapshot_summaries
from reviewcrawler.store.models import CrawlRun, Film, SummarySnapshot
from reviewcrawler.store.resilient import ResilientWriter, WriteOutcome
from reviewcrawler.store.summaries import SummaryRow, refresh_summaries
from reviewcrawler.store.upsert import IN_CHUNK, any_of, chunked
from reviewcrawler.store.writer import BatchResult, StoreWriter


class ReplayRefused(Exception):
    """The spool does not belong to this database."""


@dataclass
class ReplayResult:
    batches: int = 0
    summaries: int = 0
    reviews_new: int = 0
    reviews_changed: int = 0
    reviews_unchanged: int = 0
    films: list[SummaryRow] | None = None
    #: ``(where, why)`` for each line or row not stored: ``line N`` of the file, or
    #: ``batch B review|summary of <film key>``.
    refused: list[tuple[str, str]] = field(default_factory=list)


def replay(engine: Engine, spool: Spool) -> ReplayResult:
    runs = CrawlRun.__table__
    with engine.connect() as connection:
        known = connection.scalar(select(runs.c.id).where(runs.c.id == spool.run_id))
    if known is None:
        raise ReplayRefused(
            f"crawl run {spool.run_id} (of {spool.database or 'an unnamed database'}) is not in "
            f"this database: replay into the database that crawl wrote"
        )
    result = ReplayResult(refused=[(f"line {number}", why) for number, why in spool.refused])

    def refuse(batch: int, item: FilmSummaryItem | ReviewItem, reason: str, error: str) -> None:
        what = "summary" if isinstance(item, FilmSummaryItem) else "review"
        result.refused.append((f"batch {batch} {what} of {item.film_key}", f"{reason}: {error}"))

    writer = ResilientWriter(
        StoreWriter(engine, spool.run_id, keep_newer=True),
        lambda: DeadLetterSpool(spool.path, spool.run_id, spool.database),
        spool.database,
        retry_times=0,
        quarantine=refuse,
    )
    touched: set[int] = set()
    for batch in [*spool.batches, *spool.rejected]:
        outcome = WriteOutcome(BatchResult())
        # A connection fault propagates: the replay stops, and running it again is safe.
        writer.write_isolating(batch.number, [*batch.summaries, *batch.reviews], outcome)
        written = outcome.result
        assert written is not None
        touched |= written.film_ids
        result.batches += 1
        result.summaries += outcome.summaries_written
        result.reviews_new += written.new
        result.reviews_changed += written.changed
        result.reviews_unchanged += written.unchanged
    if spool.refresh_run:
        for chunk in run_films.film_id_chunks(engine, spool.run_id, IN_CHUNK):
            touched.update(chunk)
    if spool.refresh_keys:
        films = Film.__table__
        keys = sorted(spool.refresh_keys)
        with engine.connect() as connection:
            for chunk in chunked(keys):
                touched |= set(
                    connection.scalars(
                        select(films.c.id).where(any_of(connection, films.c.key, chunk))
                    )
                )
    result.films = refresh_summaries(engine, touched)
    _replace_snapshots(engine, spool.run_id, touched)
    return result


def _replace_snapshots(engine: Engine, run_id: int, film_ids: set[int]) -> None:
    """The run's snapshots of these films, as the run would have left them."""
    if not film_ids:
        return
    table = SummarySnapshot.__table__
    with write_transaction(engine) as connection:
        for chunk in chunked(sorted(film_ids)):
            connection.execute(
                delete(table)
                .where(table.c.run_id == run_id)
                .where(any_of(connection, table.c.film_id, chunk))
            )
    snapshot_summaries(engine, run_id, film_ids)
