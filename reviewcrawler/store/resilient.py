"""Writing batches so that nothing is lost: retries, isolating bad rows, and the spool.

Wraps the StoreWriter (one transaction per batch) with what an unattended crawl
needs when a write fails:

* A connection fault (store/faults.py) is retried STORE_RETRY_TIMES times with
  doubling backoff; writing a batch whose commit went through unacknowledged
  again changes nothing. If it lasts, the database counts as lost: this batch and
  every later one go to the run's dead-letter spool (store/deadletter.py), in
  order, so that ``reviewcrawler replay`` ends where an undisturbed crawl would.
* A data error (a value the database cannot encode or hold, a broken constraint)
  is the rows' fault, not the database's: the batch is split in halves, each
  written on its own, until the offending rows stand alone. Every good row is
  written; each bad one is quarantined in the spool as a ``rejected`` record with
  its reason, counted ``store/rejected/<reason>``, and the crawl keeps writing
  to its database. One bad row among 1,000 costs about 20 transactions.

Blocking: call from the store's worker thread (pipelines/store.py), never the reactor.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.store.deadletter import DeadLetterSpool
from reviewcrawler.store.engine import first_line, is_connection_fault, mask_url
from reviewcrawler.store.faults import data_error_reason
from reviewcrawler.store.writer import BatchResult, StoreWriter

logger = logging.getLogger(__name__)

Item = FilmSummaryItem | ReviewItem


@dataclass
class WriteOutcome:
    """What became of one batch."""

    #: What the database made of the rows written (None when the batch was spooled).
    result: BatchResult | None
    #: Rows refused as data and quarantined, by reason.
    rejected: Counter[str] = field(default_factory=Counter)
    #: Summaries and reviews written (rejected ones not counted).
    summaries_written: int = 0


class ResilientWriter:
    def __init__(
        self,
        writer: StoreWriter,
        spool: Callable[[], DeadLetterSpool],
        database_url: str,
        *,
        retry_times: int = 4,
        retry_backoff: float = 1.0,
        retry_backoff_max: float = 30.0,
        quarantine: Callable[[int, Item, str, str], None] | None = None,
    ) -> None:
        """``quarantine(batch, item, reason, error)`` receives each refused row; by default
        it goes to the spool as a ``rejected`` record."""
        self.writer = writer
        self.quarantine = quarantine or self._spool_rejected
        self._make_spool = spool
        self.database_url = database_url
        self.retry_times = retry_times
        self.retry_backoff = retry_backoff
        self.retry_backoff_max = retry_backoff_max
        self.spool: DeadLetterSpool | None = None
        #: Why the database counts as lost (set once; every later batch is spooled).
        self.lost_because: str | None = None

    def get_spool(self) -> DeadLetterSpool:
        if self.spool is None:
            self.spool = self._make_spool()
        return self.spool

    def lose_database(self, exc: BaseException) -> None:
        if self.lost_because is None:
            self.lost_because = first_line(exc)

    def write(
        self,
        number: int,
        summaries: list[FilmSummaryItem],
        reviews: list[ReviewItem],
        pages: int | None = None,
    ) -> WriteOutcome:
        """Write a batch: into the database, rows it refuses quarantined, or all to the spool.
        ``pages``: the crawl's pages so far, for the run's row."""
        if self.lost_because is None:
            outcome = WriteOutcome(BatchResult())
            try:
                self.write_isolating(number, [*summaries, *reviews], outcome, pages)
                return outcome
            except Exception as exc:  # a connection fault that outlasted its retries
                self.lose_database(exc)
                logger.error(
                    "Database %s lost (%s): batch %d and every later one go to %s",
                    mask_url(self.database_url),
                    self.lost_because,
                    number,
                    self.get_spool().path,
                    exc_info=not is_connection_fault(exc),
                )
                # Rows this batch wrote before the fault are written again on replay:
                # harmless, as every write is an upsert.
        self._spool_batch(number, summaries, reviews)
        return WriteOutcome(None)

    def write_isolating(
        self, number: int, items: list[Item], outcome: WriteOutcome, pages: int | None = None
    ) -> None:
        """Write ``items``; on a data error, halves until each refused row stands alone.
        A connection fault propagates (after its retries)."""
        summaries = [item for item in items if isinstance(item, FilmSummaryItem)]
        reviews = [item for item in items if isinstance(item, ReviewItem)]
        try:
            result = self._write_with_retries(number, summaries, reviews, pages)
        except Exception as exc:
            reason = data_error_reason(exc)
            if reason is None:
                raise
            if len(items) > 1:
                middle = len(items) // 2
                self.write_isolating(number, items[:middle], outcome)
                self.write_isolating(number, items[middle:], outcome)
                return
            self._reject(number, items[0], reason, exc, outcome)
            return
        assert outcome.result is not None
        _add(outcome.result, result)
        outcome.summaries_written += len(summaries)

    def _write_with_retries(
        self,
        number: int,
        summaries: list[FilmSummaryItem],
        reviews: list[ReviewItem],
        pages: int | None = None,
    ) -> BatchResult:
        for retry in range(1, self.retry_times + 2):
            try:
                return self.writer.write_batch(summaries, reviews, pages)
            except Exception as exc:
                if retry > self.retry_times or not is_connection_fault(exc):
                    raise
                delay = min(self.retry_backoff * 2 ** (retry - 1), self.retry_backoff_max)
                logger.warning(
                    "Writing batch %d failed (%s); retry %d of %d in %.3g s",
                    number,
                    first_line(exc),
                    retry,
                    self.retry_times,
                    delay,
                )
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _reject(
        self, number: int, item: Item, reason: str, exc: BaseException, outcome: WriteOutcome
    ) -> None:
        outcome.rejected[reason] += 1
        what = "review" if isinstance(item, ReviewItem) else "summary"
        logger.warning(
            "The database refused a %s of %s from %s (%s: %s); it is quarantined",
            what,
            item.film_key,
            item.source_url,
            reason,
            first_line(exc),
        )
        self.quarantine(number, item, reason, first_line(exc))

    def _spool_rejected(self, number: int, item: Item, reason: str, error: str) -> None:
        spool = self.get_spool()
        try:
            spool.add_rejected(number, item, reason, error)
        except OSError as exc:
            logger.error("Cannot write %s: %s", spool.path, exc)

    def _spool_batch(
        self, number: int, summaries: list[FilmSummaryItem], reviews: list[ReviewItem]
    ) -> None:
        spool = self.get_spool()
        try:
            spool.add_batch(number, summaries, reviews)
        except OSError as exc:
            # Nowhere left to keep them: say exactly what is lost.
            logger.error(
                "LOST batch %d (%d reviews, %d summaries): cannot write %s: %s",
                number,
                len(reviews),
                len(summaries),
                spool.path,
                exc,
            )
            spool.lost_reviews += len(reviews)
            spool.lost_summaries += len(summaries)


def _add(total: BatchResult, part: BatchResult) -> None:
    total.new += part.new
    total.changed += part.changed
    total.unchanged += part.unchanged
    total.film_ids |= part.film_ids
    total.reviewed_film_ids |= part.reviewed_film_ids
    total.new_by_film.update(part.new_by_film)
    total.changed_by_film.update(part.changed_by_film)
