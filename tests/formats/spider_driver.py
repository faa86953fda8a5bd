"""The real ``reviews`` spider's routing, driven in-process over a 127.0.0.1 server.

A deliberately small engine: fetch each request with urllib, hand the response
to ``ReviewsSpider.parse``, queue the requests it returns (each URL once, as
Scrapy's duplicate filter would) and keep the items. It exercises the spider's
follow-up rules and the formats' paging without a subprocess crawl.
"""

from __future__ import annotations

import asyncio
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from scrapy.http import Headers, Request
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler

from reviewcrawler.items import FilmSummaryItem, PageItems, ReviewItem
from reviewcrawler.spiders.reviews import ReviewsSpider

LOCAL_PREFIXES = ("http://127.0.0.1:",)


@dataclass
class Crawl:
    reviews: list[ReviewItem] = field(default_factory=list)
    summaries: list[FilmSummaryItem] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


def crawl(start_url: str, settings: dict[str, Any] | None = None, limit: int = 200) -> Crawl:
    crawler = get_crawler(ReviewsSpider, settings or {})
    spider = ReviewsSpider.from_crawler(crawler)
    result = Crawl()
    queue = deque([Request(start_url, callback=spider.parse, meta={"film_argument": None})])
    seen = {start_url}
    while queue and len(result.fetched) < limit:
        request = queue.popleft()
        assert request.url.startswith(LOCAL_PREFIXES), f"left 127.0.0.1: {request.url}"
        result.fetched.append(request.url)
        with urllib.request.urlopen(request.url, timeout=10) as reply:  # noqa: S310
            body = reply.read()
            headers = Headers({k: v for k, v in reply.headers.items()})
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        response = cls(url=request.url, body=body, headers=headers, request=request)
        for output in asyncio.run(spider.parse(response)):
            if isinstance(output, Request):
                if output.url not in seen:
                    seen.add(output.url)
                    queue.append(output)
            elif isinstance(output, PageItems):
                result.reviews.extend(output.reviews)
                result.summaries.extend(output.summaries)
    assert not queue, "the crawl did not finish within its request limit"
    result.stats = crawler.stats.get_stats()
    return result
