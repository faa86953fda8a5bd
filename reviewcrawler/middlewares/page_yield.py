"""Counts, per format, how often each watched field was filled: the field-coverage monitor's input.

A redesign rarely crashes a scraper; it makes selectors find nothing, or find
less. For each response this spider middleware counts the reviews yielded and
the reviews carrying each field of ``MONITOR_FIELD_COVERAGE``, per format (a
format that never carries a field, such as publications in the plain-text
rendering, is judged only on the fields it has). Stats:

* ``coverage/<format>/reviews`` and ``coverage/<format>/<field>``: reviews
  yielded, and those with the field filled (as the page wrote it, before
  normalization: this measures the selectors, not the data);
* ``pages/stating_reviews``: pages stating N > 0 critic reviews. Pages meant to
  list reviews that list none while stating N are counted by the spider itself
  (``pages/suspected_markup_drift``), as only the format knows which pages list.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from scrapy.http import Response

from reviewcrawler.items import PageItems, ReviewItem

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class PageYieldMiddleware:
    def __init__(self, stats: StatsCollector, fields: list[str]) -> None:
        self.stats = stats
        self.fields = fields

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageYieldMiddleware:
        fields = list(crawler.settings.getdict("MONITOR_FIELD_COVERAGE"))
        return cls(crawler.stats, fields)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for output in result:
            if isinstance(output, PageItems):
                self._count_fields(output)
                if any(summary.stated_critic_count for summary in output.summaries):
                    self.stats.inc_value("pages/stating_reviews")
            yield output

    def _count_fields(self, page: PageItems) -> None:
        """Add the page's field counts to the stats, once per field rather than per review."""
        counts = (
            page.coverage
            if page.coverage is not None
            else field_coverage(page.reviews, self.fields)
        )
        if not counts.get("reviews"):
            return
        prefix = f"coverage/{page.format_name}"
        for name, filled in counts.items():
            if filled:
                self.stats.inc_value(f"{prefix}/{name}", filled)


def field_coverage(reviews: list[ReviewItem], fields: list[str]) -> dict[str, int]:
    """``reviews``: how many reviews; and per field, how many have it filled."""
    counts = {"reviews": len(reviews)}
    for name in fields:
        counts[name] = sum(1 for review in reviews if _filled(getattr(review, name, None)))
    return counts


def _filled(value: object) -> bool:
    return value is not None and bool(str(value).strip())
