"""Issue 27: a Metacritic URL fed through Redis gets the same API-first requests as one
given on the command line (before, a worker asked only its page)."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace

from scrapy.utils.test import get_crawler

from reviewcrawler.distributed import enqueue, redis_client, requests_from_redis_list
from reviewcrawler.spiders.reviews import ReviewsSpider
from tests.support.redis import redis_for_test

URL = "https://www.metacritic.com/game/ember-tide/?platform=pc"


def test_a_redis_fed_url_gets_its_api_first_requests() -> None:
    with redis_for_test() as redis_url:
        client = redis_client(redis_url)
        enqueue(client, [URL])
        crawler = get_crawler(
            ReviewsSpider,
            {
                "REDIS_URL": redis_url,
                "MAX_IDLE_TIME_BEFORE_CLOSE": 0.2,
                "CONCURRENT_REQUESTS": 4,
                "METACRITIC_API_URL": "https://backend.metacritic.com",
            },
        )
        spider = ReviewsSpider.from_crawler(crawler)
        crawler.spider = spider
        crawler.engine = SimpleNamespace(needs_backout=lambda: False)

        async def collect() -> list[str]:
            return [request.url async for request in requests_from_redis_list(spider)]

        fed = asyncio.run(collect())
        given = [request.url for request in spider.start_requests_for(URL, None)]
        assert fed == given
        assert fed[0] == URL and len(fed) > 1
        assert any("/reviews/metacritic/critic/games/ember-tide/platform/pc/web" in u for u in fed)
        assert json.loads(client.lpop("reviews:start_urls") or "null") is None
        client.close()
