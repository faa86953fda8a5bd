"""Gathers the items one response yields into a single PageItems, after every other
spider middleware has seen them one by one.

Requests pass straight through; the page's reviews and summaries go to the item
pipelines together when the response is done. Ordered last in
SPIDER_MIDDLEWARES (the smallest number) so that middlewares which inspect
individual items (page_yield.py) still see them individually.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy.http import Response

from reviewcrawler.items import FilmSummaryItem, PageItems, ReviewItem


class PageBatchMiddleware:
    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        summaries: list[FilmSummaryItem] = []
        reviews: list[ReviewItem] = []
        async for output in result:
            if isinstance(output, ReviewItem):
                reviews.append(output)
            elif isinstance(output, FilmSummaryItem):
                summaries.append(output)
            else:
                yield output
        if summaries or reviews:
            yield PageItems(url=response.url, summaries=summaries, reviews=reviews)
