"""Drops a review already seen in this crawl (same fingerprint).

Across crawls, the store's unique fingerprint does the same job, so this only
saves the store from rewriting rows a crawl met twice (a film page and its
critic-reviews page list the same reviews).
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from reviewcrawler.items import ReviewItem


class DedupePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ReviewItem) or item.fingerprint is None:
            return item
        if item.fingerprint in self.seen:
            self.stats.inc_value("dedupe/duplicates")
            raise DropItem(
                f"Duplicate review {item.fingerprint[:12]} on {item.source_url}", log_level="DEBUG"
            )
        self.seen.add(item.fingerprint)
        return item
