"""Reading pages in worker processes, beside the crawl's own process.

Reading a page (lxml's parse, then the format's extraction) is pure and CPU-bound,
while the crawl's process is busy with Scrapy's per-response work, the item
pipelines and the store writer, all under one GIL. ``PARSE_PROCESSES`` worker
processes take the reading off it, so that the two run on separate cores; the
page goes out as its decoded text and comes back as a ``formats.ParsedPage``.
Either way a page goes through reading.py's ``read_page``, the one place where a
page becomes normalized items; the spider records what it found, so stats and
log are the same wherever the page was read.

Nothing waits for the workers: until they have started (a fresh interpreter
importing lxml and the formats takes about half a second) pages are read in the
crawl's own process, so a crawl of a few pages is as quick as without them. If a
worker dies, the rest of the crawl is read in-process too. Stats:
``parse_workers/pages`` (read by a worker), ``parse_workers/inline`` (read
in-process, while starting or after a failure) and ``parse_workers/broken``.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.utils.asyncio import is_asyncio_available

from reviewcrawler.formats import ParsedPage
from reviewcrawler.formats.page import Page
from reviewcrawler.garbage_collection import set_collector_threshold
from reviewcrawler.reading import read_page

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)
#: How often a worker checks that the crawl's process still lives.
PARENT_CHECK_SECONDS = 1.0


def _start_worker(parent: int, gc_threshold: int) -> None:
    set_collector_threshold(gc_threshold)
    # Ctrl-C reaches the whole process group: the crawl stops gracefully and still
    # needs its workers for the pages in flight, then shuts them down itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A crawl killed outright (SIGKILL, the OOM killer) cannot shut its workers down,
    # and an idle worker would wait for pages forever: it leaves with its parent. The
    # parent's pid comes from the parent: it may have died before this ran.
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _ready() -> bool:
    """Submitted once at start: pages go to the workers only after a worker has imported
    what it needs and answered (with more than one worker, the others start as pages
    arrive)."""
    return True


class PageParser:
    """Reads pages through ``reading.read_page``: in worker processes once they are up."""

    def __init__(self, processes: int, crawler: Crawler) -> None:
        self.processes = processes
        self.coverage_fields = list(crawler.settings.getdict("MONITOR_FIELD_COVERAGE"))
        self.gc_threshold = crawler.settings.getint("GC_THRESHOLD")
        # The crawler, not its stats: a spider is made before the crawler has stats.
        self._crawler = crawler
        self._executor: ProcessPoolExecutor | None = None
        self._started: Future[bool] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageParser:
        parser = cls(crawler.settings.getint("PARSE_PROCESSES"), crawler)
        crawler.signals.connect(parser.start, signal=signals.spider_opened)
        crawler.signals.connect(parser.stop, signal=signals.spider_closed)
        return parser

    def start(self) -> None:
        if self.processes < 1 or self._executor is not None:
            return
        if not is_asyncio_available():
            logger.info("Pages are read in-process: parse workers need the asyncio reactor")
            return
        # spawn, not fork: the crawl's process has threads (the store writer's, Twisted's
        # pool) whose locks a forked child would inherit in whatever state they were.
        self._executor = ProcessPoolExecutor(
            self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(), self.gc_threshold),
        )
        self._started = self._executor.submit(_ready)

    @property
    def stats(self) -> StatsCollector:
        stats = self._crawler.stats
        assert stats is not None  # set when the crawl starts, before any page
        return stats

    @property
    def running(self) -> bool:
        """Whether pages now go to the workers."""
        started = self._started
        return (
            self._executor is not None
            and started is not None
            and started.done()
            and not started.cancelled()
            and started.exception() is None
        )

    async def wait_until_running(self) -> bool:
        """Wait for the workers' start; whether they run. (Tests use it; a crawl never waits.)"""
        if self._started is None:
            return False
        try:
            await asyncio.wrap_future(self._started)
        except Exception:  # noqa: BLE001  (a worker that could not start: read in-process)
            return False
        return self.running

    async def parse(self, page: Page) -> ParsedPage:
        executor = self._executor
        if executor is not None and self.running:
            try:
                future = executor.submit(read_page, page, self.coverage_fields)
                parsed = await asyncio.wrap_future(future)
            except BrokenProcessPool:
                self._give_up("A parse worker process died")
            else:
                self.stats.inc_value("parse_workers/pages")
                return parsed
        elif executor is not None and (error := self._start_error()) is not None:
            self._give_up(f"Parse workers could not start ({error})")
        self.stats.inc_value("parse_workers/inline")
        return read_page(page, self.coverage_fields)

    def _start_error(self) -> BaseException | None:
        started = self._started
        if started is None or not started.done() or started.cancelled():
            return None
        return started.exception()

    def _give_up(self, why: str) -> None:
        if self._executor is None:
            return
        self.stats.inc_value("parse_workers/broken")
        logger.warning("%s; the rest of the crawl reads pages in-process", why)
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None

    def worker_pids(self) -> list[int]:
        """The workers' process ids (for logs and tests)."""
        executor = self._executor
        processes = getattr(executor, "_processes", None) or {}
        return sorted(processes)

    def stop(self) -> None:
        if self._executor is not None and (error := self._start_error()) is not None:
            self._give_up(f"Parse workers could not start ({error})")
        # No page is in flight once the spider closes; the workers exit on their own.
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
