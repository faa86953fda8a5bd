"""Runs CPython's cyclic garbage collector less often during a crawl.

CPython starts a young-generation collection after 700 net allocations of
container objects, and a crawl allocates them by the million (parsed elements,
items, requests, stats), almost all freed by reference counting alone; so most
collections find nothing, and each older-generation one walks every object the
crawl holds. With the young threshold at ``GC_THRESHOLD`` (and each older
generation collected a twentieth as often as the one below it, instead of a
tenth) the crawl benchmark's stored crawl ran about 14% faster (197-230 pages/s
against 172-203, benchmarks/crawl_throughput.py, 2,000 pages), with the same
peak RSS. Cycles are still collected, only in fewer, larger passes.

Applied in the crawl's process by the ``CollectorThreshold`` extension and in
each parse worker by parse_workers.py.
"""

from __future__ import annotations

import gc
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: How much less often each older generation is collected than the one below it.
OLDER_GENERATIONS_RATIO = 20


def set_collector_threshold(threshold: int) -> bool:
    """Collect the young generation after ``threshold`` allocations; whether it applied
    (0 or less keeps CPython's defaults)."""
    if threshold <= 0:
        return False
    gc.set_threshold(threshold, OLDER_GENERATIONS_RATIO, OLDER_GENERATIONS_RATIO)
    return True


class CollectorThreshold:
    """Extension: applies ``GC_THRESHOLD`` when the crawl is set up."""

    def __init__(self, applied: bool) -> None:
        self.applied = applied

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CollectorThreshold:
        threshold = crawler.settings.getint("GC_THRESHOLD")
        applied = set_collector_threshold(threshold)
        if applied:
            logger.debug("garbage collector threshold set at %d allocations", threshold)
        return cls(applied)
