"""Records, per page, what it states and what it yielded: the raw material of the monitors.

A redesign rarely crashes a scraper; it makes selectors find nothing. So for each
response this spider middleware counts the reviews the page yielded against the
critic count the page itself states, and how often each watched field was filled,
per format (a format that never carries a field, such as publications in the
plain-text rendering, is judged only on the fields it has). Stats:

* ``pages/stating_reviews``: pages stating N > 0 critic reviews;
* ``pages/stating_reviews_empty`` (+ ``..._urls``, the first few): such pages
  that yielded no review at all, i.e. markup drift;
* ``coverage/<format>/reviews`` and ``coverage/<format>/<field>``: reviews
  yielded, and those with the field filled (as the page wrote it, before
  normalization: this measures the selectors, not the data).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from scrapy.http import Response

from reviewcrawler.items import FilmSummaryItem, ReviewItem

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

#: Where the spider leaves the name of the format that parsed a response.
FORMAT_META = "reviewcrawler_format"
MAX_LISTED_URLS = 20


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
        stated = 0
        reviews = 0
        async for output in result:
            if isinstance(output, ReviewItem):
                reviews += 1
                # Read late: the spider names the format once it has parsed the page.
                self._count_fields(response.meta.get(FORMAT_META) or "unknown", output)
            elif isinstance(output, FilmSummaryItem) and output.stated_critic_count:
                stated = max(stated, output.stated_critic_count)
            yield output
        if stated > 0:
            self.stats.inc_value("pages/stating_reviews")
            if reviews == 0:
                self.stats.inc_value("pages/stating_reviews_empty")
                urls = self.stats.get_value("pages/stating_reviews_empty_urls") or []
                if len(urls) < MAX_LISTED_URLS:
                    self.stats.set_value("pages/stating_reviews_empty_urls", [*urls, response.url])

    def _count_fields(self, format_name: str, review: ReviewItem) -> None:
        self.stats.inc_value(f"coverage/{format_name}/reviews")
        for name in self.fields:
            value = getattr(review, name, None)
            if value is not None and str(value).strip():
                self.stats.inc_value(f"coverage/{format_name}/{name}")
