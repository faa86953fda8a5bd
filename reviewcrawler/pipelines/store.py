"""Buffers items and writes them in batches on a worker thread; records the crawl's history.

The reactor thread only appends to a list: every database call runs on one
dedicated thread, so the crawl never blocks on I/O.

Lifecycle: opening inserts the ``crawl_runs`` row; each batch upserts films and
reviews; closing flushes the last batch. The rest waits for ``spider_closed``,
the first moment the finish reason is known: reviews gone from completely
crawled films are marked (store/history.py), summaries recomputed and
snapshotted for every film the crawl touched, the run row completed, and one
summary line per film printed. Which films those are, the batches record in the
database as they commit (store/run_films.py), so the crawl's memory does not grow
with the number of films.

Database lost mid-crawl: a batch that fails on a connection fault is retried
with backoff (STORE_RETRY_TIMES, STORE_RETRY_BACKOFF; writing a batch whose commit
went through unacknowledged again changes nothing); then it and every later
batch go to the run's dead-letter spool (store/deadletter.py, in
STORE_DEAD_LETTER_DIR) and the crawl goes on. Later batches are not retried
against the database, so the spool keeps the crawl's order and a replay ends
exactly where an undisturbed crawl would have. The closing writes are each tried
once, never crash the close, and mark no review gone; films whose summaries could
not be recomputed are spooled for the replay too. The crawl is marked failed with
the spool's path and ``reviewcrawler replay`` (exit status 1).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.statscollectors import StatsCollector

from reviewcrawler.items import FilmSummaryItem, PageItems, ReviewItem
from reviewcrawler.outcome import FAILED_STAT, failure_reason, mark_failed
from reviewcrawler.store import run_films
from reviewcrawler.store.deadletter import REPLAY_COMMAND, DeadLetterSpool, spool_path
from reviewcrawler.store.engine import (
    StoreUnavailable,
    first_line,
    is_connection_fault,
    mask_url,
    open_store,
)
from reviewcrawler.store.history import mark_gone, snapshot_summaries
from reviewcrawler.store.runs import RunOutcome, finish_run, start_run
from reviewcrawler.store.summaries import SummaryRow, refresh_run_in_chunks
from reviewcrawler.store.writer import BatchResult, StoreWriter
from reviewcrawler.summary_lines import summary_line

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: Stats that mean some page of the crawl was not read as it should have been;
#: any of them makes the crawl incomplete, so no review is marked gone.
ERROR_STATS = (
    "pages/failed",
    "pages/parse_errors",
    "pages/unrecognised",
    "spider_exceptions/count",
    "log_count/ERROR",
)
DROP_REASON_PREFIXES = ("normalize/rejected/", "dedupe/duplicates")


def dropped_reasons(stats: dict[str, Any]) -> dict[str, int]:
    """Why items were dropped, by the stat that counted them; ``other`` for the rest."""
    reasons = {
        name: int(value)
        for name, value in stats.items()
        if name.startswith(DROP_REASON_PREFIXES) and value
    }
    unexplained = int(stats.get("item_dropped_count", 0)) - sum(reasons.values())
    if unexplained > 0:
        reasons["other"] = unexplained
    return reasons


def error_details(stats: dict[str, Any]) -> dict[str, int]:
    return {
        name: int(value)
        for name, value in stats.items()
        if value and (name in ERROR_STATS or name.startswith("spider_exceptions/"))
    }


def pages_crawled(stats: dict[str, Any]) -> int:
    """Responses received, robots.txt files not counted."""
    received = int(stats.get("response_received_count", 0))
    return received - int(stats.get("robotstxt/response_count", 0))


def crawled_completely(reason: str, stats: dict[str, Any]) -> bool:
    return (
        reason == "finished"
        and not stats.get(FAILED_STAT)
        and not any(stats.get(name) for name in ERROR_STATS)
    )


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("STORE_ENABLED"):
            raise NotConfigured("STORE_ENABLED is off")
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.database_url: str = settings.get("DATABASE_URL")
        self.batch_size = max(1, settings.getint("STORE_BATCH_SIZE"))
        self.retry_times = max(0, settings.getint("STORE_RETRY_TIMES"))
        self.retry_backoff = max(0.0, settings.getfloat("STORE_RETRY_BACKOFF"))
        self.retry_backoff_max = max(0.0, settings.getfloat("STORE_RETRY_BACKOFF_MAX"))
        self.dead_letter_dir = Path(settings.get("STORE_DEAD_LETTER_DIR"))
        self.print_summaries = settings.getbool("STORE_PRINT_SUMMARIES")
        # A worker of a distributed crawl sees only some of each film's pages, so
        # no worker can tell that a review disappeared.
        self.may_mark_gone = not settings.get("REDIS_URL")
        self.summaries: list[FilmSummaryItem] = []
        self.reviews: list[ReviewItem] = []
        self.writer: StoreWriter | None = None
        self.batches = 0
        #: Set once the database is lost: every later batch goes to the spool.
        self.spool: DeadLetterSpool | None = None
        self.lost_because: str | None = None
        self.closing_failures: list[str] = []
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reviewcrawler-store")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    async def _in_thread(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.wrap_future(self._executor.submit(function, *args))

    def run_arguments(self) -> dict[str, Any]:
        """Spider arguments and command-line settings; runs.py masks secrets before storing."""
        settings = self.crawler.settings
        cmdline = SETTINGS_PRIORITIES["cmdline"]
        overrides = {
            name: settings[name]
            for name in settings.attributes
            if settings.getpriority(name) == cmdline and name != "CRAWL_ARGUMENTS"
        }
        return {
            "spider": dict(settings.getdict("CRAWL_ARGUMENTS")),
            "settings": overrides,
        }

    async def open_spider(self) -> None:
        try:
            engine = await self._in_thread(open_store, self.database_url)
        except StoreUnavailable as exc:
            logger.error("%s", exc)
            raise
        spider_name = self.crawler.spidercls.name
        run_id = await self._in_thread(start_run, engine, spider_name, self.run_arguments())
        self.writer = StoreWriter(engine, run_id)
        self.stats.set_value("store/run_id", run_id)
        logger.info("Storing into %s as crawl run %d", mask_url(self.database_url), run_id)

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItems):
            self.summaries.extend(item.summaries)
            self.reviews.extend(item.reviews)
        elif isinstance(item, ReviewItem):
            self.reviews.append(item)
        elif isinstance(item, FilmSummaryItem):
            self.summaries.append(item)
        else:
            return item
        if len(self.reviews) + len(self.summaries) >= self.batch_size:
            await self._flush()
        return item

    async def _flush(self) -> None:
        summaries, reviews = self.summaries, self.reviews
        self.summaries, self.reviews = [], []
        if not (summaries or reviews):
            return
        assert self.writer is not None
        self.batches += 1
        result = await self._in_thread(self._store_batch, self.batches, summaries, reviews)
        if result is None:
            self._count_spooled()
            return
        self.stats.inc_value("store/batches")
        self.stats.inc_value("store/reviews_new", result.new)
        self.stats.inc_value("store/reviews_changed", result.changed)
        self.stats.inc_value("store/reviews_unchanged", result.unchanged)
        self.stats.inc_value("store/summaries_stated", len(summaries))

    def _count_spooled(self) -> None:
        assert self.spool is not None
        if self.spool.path.exists():
            self.stats.set_value("store/dead_letter_file", str(self.spool.path))
        self.stats.set_value("store/spooled_reviews", self.spool.reviews)
        self.stats.set_value("store/spooled_summaries", self.spool.summaries)
        mark_failed(self.stats, self._failure_message())

    def _failure_message(self) -> str:
        assert self.spool is not None
        return (
            f"database lost ({self.lost_because}): what could not be written is in "
            f"{self.spool.path}; store it with `{REPLAY_COMMAND} {self.spool.path}` "
            f"(--database-url naming {mask_url(self.database_url)})"
        )

    # --- On the store thread ----------------------------------------------------------

    def _store_batch(
        self, number: int, summaries: list[FilmSummaryItem], reviews: list[ReviewItem]
    ) -> BatchResult | None:
        """Write the batch, retrying connection faults; None when it went to the spool."""
        if self.spool is None:
            try:
                return self._write_with_retries(number, summaries, reviews)
            except Exception as exc:
                self._lose_database(exc)
                logger.error(
                    "Database %s lost (%s): batch %d and every later one go to %s",
                    mask_url(self.database_url),
                    self.lost_because,
                    number,
                    self._spool().path,
                    exc_info=not is_connection_fault(exc),
                )
        self._spool_batch(number, summaries, reviews)
        return None

    def _write_with_retries(
        self, number: int, summaries: list[FilmSummaryItem], reviews: list[ReviewItem]
    ) -> BatchResult:
        assert self.writer is not None
        for retry in range(1, self.retry_times + 2):
            try:
                return self.writer.write_batch(summaries, reviews)
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

    def _lose_database(self, exc: BaseException) -> None:
        if self.lost_because is None:
            self.lost_because = first_line(exc)

    def _spool(self) -> DeadLetterSpool:
        if self.spool is None:
            assert self.writer is not None
            path = spool_path(self.dead_letter_dir, self.writer.run_id)
            self.spool = DeadLetterSpool(path, self.writer.run_id, mask_url(self.database_url))
        return self.spool

    def _spool_batch(
        self, number: int, summaries: list[FilmSummaryItem], reviews: list[ReviewItem]
    ) -> None:
        spool = self._spool()
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
            self.stats.inc_value("store/lost_reviews", len(reviews))
            self.stats.inc_value("store/lost_summaries", len(summaries))

    async def close_spider(self) -> None:
        if self.writer is not None:
            await self._flush()

    async def spider_closed(self, reason: str) -> None:
        try:
            if self.writer is not None:
                await self._in_thread(self._close_run, reason, self.stats.get_stats())
        finally:
            self._executor.shutdown(wait=True)

    def _close_run(self, reason: str, stats: dict[str, Any]) -> None:
        """Blocking: the end-of-crawl writes, on the store thread.

        Each step is tried once; a database still gone is logged, never raised, and
        the summaries then left stale are spooled for the replay to recompute.
        """
        assert self.writer is not None
        engine, run_id = self.writer.engine, self.writer.run_id
        complete = self.may_mark_gone and crawled_completely(reason, stats) and self.spool is None
        gone = 0
        if complete:
            gone = (
                self._closing_step(
                    "mark gone reviews",
                    mark_gone,
                    engine,
                    run_id,
                    run_films.films_of(run_id, reviewed=True),
                )
                or 0
            )
        elif self.batches:
            logger.info(
                "Crawl %s (%s) was not complete: no review is marked gone",
                run_id,
                reason,
            )
        films = self._closing_step("recompute summaries", self._summaries, engine, run_id)
        if films is None and self.batches:
            spool = self._spool()
            try:
                spool.add_refresh()
            except OSError as exc:
                logger.error("Cannot write %s: %s", spool.path, exc)
            logger.error(
                "The summaries of the films this crawl touched were not recomputed; "
                "`%s` recomputes them",
                REPLAY_COMMAND,
            )
        if self.spool is not None:
            self._count_spooled()
            logger.error(
                "%d reviews and %d summaries were not written to the database: they are "
                "in %s; store them with `%s %s`",
                self.spool.reviews,
                self.spool.summaries,
                self.spool.path,
                REPLAY_COMMAND,
                self.spool.path,
            )
        else:
            self._mark_closing_failed()
        self.stats.set_value("store/reviews_gone", gone)
        if films is None:
            films = self._films_recorded(engine, run_id)
        self.stats.set_value("store/films", films)
        outcome = RunOutcome(
            finish_reason=reason,
            pages=pages_crawled(stats),
            films=films,
            reviews_new=int(stats.get("store/reviews_new", 0)),
            reviews_changed=int(stats.get("store/reviews_changed", 0)),
            reviews_unchanged=int(stats.get("store/reviews_unchanged", 0)),
            reviews_gone=gone,
            items_dropped=int(stats.get("item_dropped_count", 0)),
            dropped_reasons=dropped_reasons(stats),
            errors=int(stats.get("log_count/ERROR", 0)),
            error_details=error_details(stats),
            failure=failure_reason(self.stats),
        )
        self._closing_step("complete the crawl_runs row", finish_run, engine, run_id, outcome)
        self._mark_closing_failed()

    def _summaries(self, engine: Any, run_id: int) -> int:
        """Recompute, report and snapshot the touched films' summaries, a chunk at a time."""
        films = inconsistent = 0
        for rows in refresh_run_in_chunks(engine, run_id):
            films += len(rows)
            inconsistent += self._report(rows)
        snapshot_summaries(engine, run_id, run_films.films_of(run_id))
        self.stats.set_value("summaries/inconsistent", inconsistent)
        if not films and self.print_summaries:
            print("No films stored by this crawl.", flush=True)
        return films

    @staticmethod
    def _films_recorded(engine: Any, run_id: int) -> int:
        """How many films the run touched, for its stats; 0 when the database cannot say
        (the step that failed before this has logged why)."""
        try:
            return run_films.count(engine, run_id)
        except Exception:
            return 0

    def _closing_step(self, what: str, step: Callable[..., T], *args: Any) -> T | None:
        try:
            return step(*args)
        except Exception as exc:
            self._lose_database(exc)
            logger.error(
                "Could not %s of crawl run %s: %s",
                what,
                self.writer.run_id if self.writer else "?",
                first_line(exc),
                exc_info=not is_connection_fault(exc),
            )
            self.closing_failures.append(what)
            return None

    def _mark_closing_failed(self) -> None:
        if self.closing_failures:
            mark_failed(
                self.stats,
                f"database lost when the crawl closed ({self.lost_because}): could not "
                + ", ".join(self.closing_failures),
            )

    def _report(self, rows: list[SummaryRow]) -> int:
        """Log (and print) one line per film; returns how many are inconsistent."""
        inconsistent = 0
        for row in rows:
            if row.consistent is False:
                inconsistent += 1
                logger.warning(
                    "%s: %d reviews stored but the page states %d critics; the crawled pages "
                    "did not list them all (or listed more)",
                    row.key,
                    row.review_count,
                    row.stated_critic_count,
                )
        lines = [summary_line(row) for row in rows]
        for line in lines:
            logger.info("Summary: %s", line)
        if self.print_summaries and lines:
            print("\n".join(lines), flush=True)
        return inconsistent
