"""Buffers items and writes them in batches on a worker thread; records the crawl's history.

The reactor thread only appends to a list: every database call runs on one
dedicated thread, so the crawl never blocks on I/O.

Lifecycle: opening inserts the ``crawl_runs`` row; each batch upserts films and
reviews; closing flushes the last batch. The rest waits for ``spider_closed``,
the first moment the finish reason is known: reviews gone from completely
crawled films are marked (store/history.py), summaries recomputed and
snapshotted for every film the crawl touched, the run row completed, and one
summary line per film printed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.statscollectors import StatsCollector

from reviewcrawler.items import FilmSummaryItem, PageItems, ReviewItem
from reviewcrawler.outcome import FAILED_STAT, failure_reason
from reviewcrawler.report import summary_line
from reviewcrawler.store.engine import StoreUnavailable, mask_url, open_store
from reviewcrawler.store.history import mark_gone, snapshot_summaries
from reviewcrawler.store.runs import RunOutcome, finish_run, start_run
from reviewcrawler.store.summaries import SummaryRow, refresh_summaries
from reviewcrawler.store.writer import BatchResult, StoreWriter

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
        self.print_summaries = settings.getbool("STORE_PRINT_SUMMARIES")
        # A worker of a distributed crawl sees only some of each film's pages, so
        # no worker can tell that a review disappeared.
        self.may_mark_gone = not settings.get("REDIS_URL")
        self.summaries: list[FilmSummaryItem] = []
        self.reviews: list[ReviewItem] = []
        self.touched_films: set[int] = set()
        self.reviewed_films: set[int] = set()
        self.writer: StoreWriter | None = None
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
        result: BatchResult = await self._in_thread(self.writer.write_batch, summaries, reviews)
        self.touched_films |= result.film_ids
        self.reviewed_films |= result.reviewed_film_ids
        self.stats.inc_value("store/batches")
        self.stats.inc_value("store/reviews_new", result.new)
        self.stats.inc_value("store/reviews_changed", result.changed)
        self.stats.inc_value("store/reviews_unchanged", result.unchanged)
        self.stats.inc_value("store/summaries_stated", len(summaries))

    async def close_spider(self) -> None:
        if self.writer is not None:
            await self._flush()

    async def spider_closed(self, reason: str) -> None:
        try:
            if self.writer is not None:
                rows = await self._in_thread(self._close_run, reason, self.stats.get_stats())
                self._report(rows)
        finally:
            self._executor.shutdown(wait=True)

    def _close_run(self, reason: str, stats: dict[str, Any]) -> list[SummaryRow]:
        """Blocking: the end-of-crawl writes, on the store thread."""
        assert self.writer is not None
        engine, run_id = self.writer.engine, self.writer.run_id
        complete = self.may_mark_gone and crawled_completely(reason, stats)
        gone = mark_gone(engine, run_id, self.reviewed_films) if complete else 0
        if not complete and self.reviewed_films:
            logger.info(
                "Crawl %s (%s) was not complete: no review is marked gone",
                run_id,
                reason,
            )
        rows = refresh_summaries(engine, self.touched_films)
        snapshot_summaries(engine, run_id, self.touched_films)
        self.stats.set_value("store/reviews_gone", gone)
        self.stats.set_value("store/films", len(rows))
        finish_run(
            engine,
            run_id,
            RunOutcome(
                finish_reason=reason,
                pages=pages_crawled(stats),
                films=len(rows),
                reviews_new=int(stats.get("store/reviews_new", 0)),
                reviews_changed=int(stats.get("store/reviews_changed", 0)),
                reviews_unchanged=int(stats.get("store/reviews_unchanged", 0)),
                reviews_gone=gone,
                items_dropped=int(stats.get("item_dropped_count", 0)),
                dropped_reasons=dropped_reasons(stats),
                errors=int(stats.get("log_count/ERROR", 0)),
                error_details=error_details(stats),
                failure=failure_reason(self.stats),
            ),
        )
        return rows

    def _report(self, rows: list[SummaryRow]) -> None:
        inconsistent = [row for row in rows if row.consistent is False]
        self.stats.set_value("summaries/inconsistent", len(inconsistent))
        for row in inconsistent:
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
        if self.print_summaries:
            print("\n".join(lines) if lines else "No films stored by this crawl.", flush=True)
