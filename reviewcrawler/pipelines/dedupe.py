"""Drops a review already seen in this crawl (same fingerprint).

Across crawls the store's unique fingerprint does the same job, exactly: this
stage only spares the store rewriting rows a crawl meets twice (a film page and
its critic-reviews pages, HTML cards and the API list the same reviews), which
happens close together in a crawl. So it remembers the most recent
``DEDUPE_MEMORY`` fingerprints rather than all of them, and a night's crawl of
any size runs in flat memory; a repeat it has forgotten is still stored once.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from reviewcrawler.items import PageItems, ReviewItem


class DedupePipeline:
    def __init__(self, stats: StatsCollector, memory: int) -> None:
        self.stats = stats
        self.memory = max(1, memory)
        self.recent: OrderedDict[str, None] = OrderedDict()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler.stats, crawler.settings.getint("DEDUPE_MEMORY"))

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItems):
            item.reviews = [review for review in item.reviews if not self.seen(review)]
        elif isinstance(item, ReviewItem) and self.seen(item):
            raise DropItem(
                f"Duplicate review {item.fingerprint} on {item.source_url}", log_level="DEBUG"
            )
        return item

    def seen(self, review: ReviewItem) -> bool:
        """Whether this review was met recently (counted); remembers it either way."""
        fingerprint = review.fingerprint
        if fingerprint is None:
            return False
        if fingerprint in self.recent:
            self.recent.move_to_end(fingerprint)
            self.stats.inc_value("dedupe/duplicates")
            return True
        self.recent[fingerprint] = None
        if len(self.recent) > self.memory:
            self.recent.popitem(last=False)
        return False
