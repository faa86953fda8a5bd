"""Buffers items and writes them in batches on a worker thread; refreshes summaries at close.

The reactor thread only appends to a list: every database call runs on one
dedicated thread, so SQLite sees a single writer and the crawl never blocks on I/O.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.report import summary_line
from reviewcrawler.store.engine import StoreUnavailable, mask_url, open_store
from reviewcrawler.store.summaries import SummaryRow, refresh_summaries
from reviewcrawler.store.writer import BatchResult, StoreWriter

logger = logging.getLogger(__name__)
T = TypeVar("T")


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("STORE_ENABLED"):
            raise NotConfigured("STORE_ENABLED is off")
        self.stats = crawler.stats
        self.database_url: str = settings.get("DATABASE_URL")
        self.batch_size = max(1, settings.getint("STORE_BATCH_SIZE"))
        self.print_summaries = settings.getbool("STORE_PRINT_SUMMARIES")
        self.summaries: list[FilmSummaryItem] = []
        self.reviews: list[ReviewItem] = []
        self.touched_films: set[int] = set()
        self.writer: StoreWriter | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reviewcrawler-store")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    async def _in_thread(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.wrap_future(self._executor.submit(function, *args))

    async def open_spider(self) -> None:
        try:
            engine = await self._in_thread(open_store, self.database_url)
        except StoreUnavailable as exc:
            logger.error("%s", exc)
            raise
        self.writer = StoreWriter(engine)
        logger.info("Storing into %s", mask_url(self.database_url))

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, ReviewItem):
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
        self.stats.inc_value("store/batches")
        self.stats.inc_value("store/reviews_new", result.new)
        self.stats.inc_value("store/reviews_changed", result.changed)
        self.stats.inc_value("store/reviews_unchanged", result.unchanged)
        self.stats.inc_value("store/summaries_stated", len(summaries))

    async def close_spider(self) -> None:
        try:
            if self.writer is None:
                return
            await self._flush()
            rows = await self._in_thread(refresh_summaries, self.writer.engine, self.touched_films)
            self.stats.set_value("store/films", len(rows))
            self._report(rows)
        finally:
            self._executor.shutdown(wait=True)

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
