"""Batches the crawl's items and hands them to the store, on a thread of its own.

The reactor thread only appends to a list; every database call runs on one
dedicated thread, so the crawl never blocks on I/O. The jobs around it live in
store/: opening the run (store/runs.py; its liveness lock, store/joblock.py; and
the repair of runs that died, store/repair.py), writing a batch so that nothing
is lost (store/resilient.py: retries, isolating rows the database refuses, the
dead-letter spool), and the run's close (store/closing.py), which works from a
copy of the crawl's stats once the spider has closed.

Audience reviews (``PageItems.audience_reviews``, only with ``AUDIENCE_REVIEWS``) are
batched beside the critics' and written right after each critic batch, on the same
thread, into their own table (store/audience_reviews.py); they never reach the
critic writer.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.statscollectors import StatsCollector

from reviewcrawler.alerts import AlertConfig
from reviewcrawler.catalogue.due import parse_max_ages
from reviewcrawler.catalogue.record import record_crawled
from reviewcrawler.closing_output import closing_lines
from reviewcrawler.items import AudienceReviewItem, FilmSummaryItem, PageItems, ReviewItem
from reviewcrawler.outcome import failure_reason, mark_failed
from reviewcrawler.store.audience_reviews import (
    AudienceResult,
    AudienceReviewWriter,
    write_resilient,
)
from reviewcrawler.store.closing import RunCloser, lost_failure, pages_crawled
from reviewcrawler.store.deadletter import DeadLetterSpool, spool_path
from reviewcrawler.store.engine import StoreUnavailable, mask_url
from reviewcrawler.store.joblock import job_lock, run_lock_name
from reviewcrawler.store.open import open_store
from reviewcrawler.store.repair import repair_died_runs
from reviewcrawler.store.resilient import ResilientWriter, WriteOutcome
from reviewcrawler.store.runs import start_run
from reviewcrawler.store.writer import StoreWriter

logger = logging.getLogger(__name__)
T = TypeVar("T")


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
        self.lines = settings.getint("STORE_SUMMARY_LINES")
        # A worker of a distributed crawl sees only some of each film's pages, so
        # no worker can tell that a review disappeared.
        self.may_mark_gone = not settings.get("REDIS_URL")
        self.summaries: list[FilmSummaryItem] = []
        self.reviews: list[ReviewItem] = []
        self.audience_reviews: list[AudienceReviewItem] = []
        self.writer: ResilientWriter | None = None
        self.audience_writer: AudienceReviewWriter | None = None
        self.run_id: int | None = None
        self.batches = 0
        #: The run's liveness lock, held from open to close (store/repair.py reads it).
        self._held = ExitStack()
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
            await self._in_thread(self._open_run, self.crawler.spidercls.name)
        except StoreUnavailable as exc:
            logger.error("%s", exc)
            raise
        logger.info("Storing into %s as crawl run %d", mask_url(self.database_url), self.run_id)

    def _open_run(self, spider_name: str) -> None:
        """On the store thread: the run's row and lock, then the repair of runs that died."""
        engine = open_store(self.database_url)
        run_id = start_run(engine, spider_name, self.run_arguments())
        self._held.enter_context(
            job_lock(self.database_url, run_lock_name(run_id), remove_file=True)
        )
        self.run_id = run_id
        self.stats.set_value("store/run_id", run_id)
        writer = StoreWriter(engine, run_id)
        self.audience_writer = AudienceReviewWriter(engine, run_id)
        self.writer = ResilientWriter(
            writer,
            lambda: DeadLetterSpool(
                spool_path(self.dead_letter_dir, run_id), run_id, mask_url(self.database_url)
            ),
            self.database_url,
            retry_times=self.retry_times,
            retry_backoff=self.retry_backoff,
            retry_backoff_max=self.retry_backoff_max,
        )
        try:
            repaired = repair_died_runs(engine, self.database_url, except_run=run_id)
        except Exception as exc:  # noqa: BLE001  (the repair is a courtesy; the crawl goes on)
            logger.warning("Could not repair the runs that died: %s", exc)
            return
        for run in repaired:
            logger.warning(
                "Crawl run %d died without closing: the summaries of its %d films are "
                "recomputed and the run is marked died",
                run.run_id,
                run.films,
            )
        self.stats.set_value("store/died_runs_repaired", len(repaired))

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItems):
            self.summaries.extend(item.summaries)
            self.reviews.extend(item.reviews)
            self.audience_reviews.extend(item.audience_reviews)
        elif isinstance(item, ReviewItem):
            self.reviews.append(item)
        elif isinstance(item, FilmSummaryItem):
            self.summaries.append(item)
        elif isinstance(item, AudienceReviewItem):
            self.audience_reviews.append(item)
        else:
            return item
        waiting = len(self.reviews) + len(self.summaries) + len(self.audience_reviews)
        if waiting >= self.batch_size:
            await self._flush()
        return item

    async def _flush(self) -> None:
        summaries, reviews, audience = self.summaries, self.reviews, self.audience_reviews
        self.summaries, self.reviews, self.audience_reviews = [], [], []
        if not (summaries or reviews or audience):
            return
        assert self.writer is not None
        self.batches += 1
        pages = pages_crawled(self.stats.get_stats())
        outcome, audience_result = await self._in_thread(
            self._write, self.batches, summaries, reviews, audience, pages
        )
        if summaries or reviews:
            self._count(outcome)
        self._count_audience(audience_result)

    def _write(
        self,
        number: int,
        summaries: list[FilmSummaryItem],
        reviews: list[ReviewItem],
        audience: list[AudienceReviewItem],
        pages: int | None,
    ) -> tuple[WriteOutcome, AudienceResult]:
        """On the store thread: the critic batch, then its audience reviews. After, so
        that a lost database is known to both, and a film the batch states is stored
        with its facts before its audience reviews name it."""
        assert self.writer is not None and self.audience_writer is not None
        outcome = (
            self.writer.write(number, summaries, reviews, pages)
            if summaries or reviews
            else WriteOutcome(None)
        )
        return outcome, write_resilient(self.writer, self.audience_writer, number, audience)

    def _count_audience(self, result: AudienceResult) -> None:
        for name in ("new", "changed", "unchanged", "unwritten"):
            if value := getattr(result, name):
                self.stats.inc_value(f"store/audience_reviews_{name}", value)
        for reason, count in result.rejected.items():
            self.stats.inc_value(f"store/rejected/{reason}", count)
        if result.unwritten:
            assert self.writer is not None
            mark_failed(
                self.stats,
                lost_failure(self.writer, self.database_url)
                or f"database lost ({self.writer.lost_because}): audience reviews not written",
            )

    def _count(self, outcome: WriteOutcome) -> None:
        assert self.writer is not None
        for reason, count in outcome.rejected.items():
            self.stats.inc_value(f"store/rejected/{reason}", count)
        spool = self.writer.spool
        if spool is not None and spool.path.exists():
            self.stats.set_value("store/dead_letter_file", str(spool.path))
        if outcome.result is None:
            assert spool is not None
            self.stats.set_value("store/spooled_reviews", spool.reviews)
            self.stats.set_value("store/spooled_summaries", spool.summaries)
            if spool.lost_reviews or spool.lost_summaries:
                self.stats.set_value("store/lost_reviews", spool.lost_reviews)
                self.stats.set_value("store/lost_summaries", spool.lost_summaries)
            mark_failed(self.stats, lost_failure(self.writer, self.database_url) or "")
            return
        result = outcome.result
        self.stats.inc_value("store/batches")
        self.stats.inc_value("store/reviews_new", result.new)
        self.stats.inc_value("store/reviews_changed", result.changed)
        self.stats.inc_value("store/reviews_unchanged", result.unchanged)
        self.stats.inc_value("store/summaries_stated", outcome.summaries_written)

    async def close_spider(self) -> None:
        if self.writer is not None:
            await self._flush()

    async def spider_closed(self, reason: str) -> None:
        try:
            if self.writer is not None:
                await self._in_thread(self._close_run, reason, dict(self.stats.get_stats()))
        finally:
            self._executor.shutdown(wait=True)

    def _crawled_titles_count(self) -> bool:
        """Whether this crawl's titles count as fetched for the catalogue: a crawl of the
        site itself (not of saved files, which may be years old), with no page failed
        beyond what another path covered, and not the catalogue's own (it records its
        titles itself)."""
        if self.crawler.spidercls.name == "catalogue":
            return False
        if not getattr(self.crawler.spider, "fetched_online", False):
            return False
        failed = self.stats.get_value("pages/failed", 0) or 0
        return failed <= (self.stats.get_value("pages/failed_covered", 0) or 0)

    def _catalogue_crawled(self) -> None:
        """The Metacritic titles this crawl reviewed, made known to the catalogue as
        fetched (catalogue/record.py): a title crawled by hand is not fetched again by
        the nightly job before it is due. Never costs the crawl: a failure is logged."""
        assert self.writer is not None and self.run_id is not None
        try:
            ages = parse_max_ages(self.crawler.settings.get("CATALOGUE_MAX_AGES"))
            recorded = record_crawled(
                self.writer.writer.engine, self.run_id, dt.datetime.now(dt.UTC), ages
            )
        except Exception as exc:  # noqa: BLE001
            logger.warning("Could not record the crawl's titles in the catalogue: %s", exc)
            return
        self.stats.set_value("catalogue/crawled_titles", recorded)

    def _close_run(self, reason: str, stats: dict[str, Any]) -> None:
        """On the store thread: the run's close (store/closing.py), from a copy of the
        stats, then the closing lines (closing_output.py)."""
        assert self.writer is not None and self.run_id is not None
        closer = RunCloser(
            self.writer.writer.engine,
            self.run_id,
            self.writer,
            self.database_url,
            may_mark_gone=self.may_mark_gone,
            alerts=AlertConfig.from_settings(self.crawler.settings),
        )
        try:
            report = closer.close(reason, stats, failure_reason(self.stats))
        finally:
            self._held.close()
        for name, value in report.stats.items():
            self.stats.set_value(name, value)
        if report.failure:
            mark_failed(self.stats, report.failure)
        elif self._crawled_titles_count():
            self._catalogue_crawled()
        if not self.print_summaries or not report.summaries_recomputed:
            return
        try:
            lines = closing_lines(
                self.writer.writer.engine, self.run_id, {**stats, **report.stats}, self.lines
            )
        except Exception as exc:  # noqa: BLE001  (the database went away after the close)
            logger.error("Could not read the crawl's summaries for its closing lines: %s", exc)
            return
        print("\n".join(lines), flush=True)
