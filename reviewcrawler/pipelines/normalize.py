"""Turns the text a page states into typed, cleaned values, in place.

The rules live in normalize/items.py (pure functions that report what they
found); this stage applies them and records their findings in stats and the log.
A page read by a parse worker (parse_workers.py) arrives already normalized, with
its findings: those are only recorded, so stats and log are the same either way.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from reviewcrawler.findings import Findings
from reviewcrawler.items import FilmSummaryItem, PageItems, ReviewItem
from reviewcrawler.normalize import items as rules
from reviewcrawler.normalize.items import RejectedReview

logger = logging.getLogger(__name__)

__all__ = ["NormalizePipeline", "RejectedReview"]


class NormalizePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItems):
            if item.normalized is None:
                item.summaries, item.reviews, item.normalized = rules.normalize_page(
                    item.summaries, item.reviews
                )
            self._record(item.normalized)
            return item
        if isinstance(item, ReviewItem):
            try:
                return self.normalize_review(item)
            except RejectedReview as exc:
                raise DropItem(str(exc)) from None
        if isinstance(item, FilmSummaryItem):
            return self.normalize_summary(item)
        return item

    def normalize_review(self, item: ReviewItem) -> ReviewItem:
        """Normalize in place; raises RejectedReview (counted) for an empty review."""
        findings = Findings()
        try:
            return rules.normalize_review(item, findings)
        finally:
            self._record(findings)

    def normalize_summary(self, item: FilmSummaryItem) -> FilmSummaryItem:
        return rules.normalize_summary(item)

    def _record(self, findings: Findings) -> None:
        for stat, count in findings.stats.items():
            self.stats.inc_value(stat, count)
        for level, message in findings.messages:
            logger.log(level, "%s", message)
