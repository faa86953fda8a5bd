"""Several workers, one frontier: scrapy-redis's scheduler and duplicate filter.

scrapy-redis 0.9.1 predates ``async def start()``: its RedisSpider feeds start
URLs from ``start_requests`` (which Scrapy 2.19 never calls) and, a batch at a
time, from the ``spider_idle`` signal (so a worker drains to idle between
batches). Rather than patch the library or inherit its spider, the project keeps
its own spider and adds two pieces:

* ``DistributedAddon`` (in ADDONS): when ``REDIS_URL`` is set, whether in
  settings.py, the environment or ``-s``, it switches SCHEDULER and
  DUPEFILTER_CLASS to scrapy-redis's. Without ``REDIS_URL`` it changes nothing.
* ``requests_from_redis_list``: the spider's ``start()`` in a worker. It pops
  the start URLs that ``reviewcrawler enqueue`` pushed whenever the engine has
  room, and ends once the list has stayed empty for
  ``MAX_IDLE_TIME_BEFORE_CLOSE`` seconds, so that scheduled workers stop.

The shared queue and fingerprints outlive a worker (SCHEDULER_PERSIST), since
one worker finishing must not wipe the frontier of the others; ``enqueue``
resets them when a new job starts.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from scrapy.settings import BaseSettings

if TYPE_CHECKING:
    from redis import Redis
    from scrapy.http import Request

logger = logging.getLogger(__name__)

#: Redis keys of a job, by spider name (the same shapes scrapy-redis uses).
START_URLS_KEY = "%(name)s:start_urls"
REQUESTS_KEY = "%(spider)s:requests"
DUPEFILTER_KEY = "%(spider)s:dupefilter"


def job_keys(spider_name: str) -> dict[str, str]:
    return {
        "start_urls": START_URLS_KEY % {"name": spider_name},
        "requests": REQUESTS_KEY % {"spider": spider_name},
        "dupefilter": DUPEFILTER_KEY % {"spider": spider_name},
    }


def is_distributed(settings: BaseSettings) -> bool:
    return bool(settings.get("REDIS_URL"))


class DistributedAddon:
    """Switches the crawl to scrapy-redis's scheduler when REDIS_URL is set."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not is_distributed(settings):
            return
        settings.set("SCHEDULER", "scrapy_redis.scheduler.Scheduler", "addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", "addon")
        settings.set("SCHEDULER_PERSIST", True, "addon")
        settings.set("SCHEDULER_QUEUE_KEY", REQUESTS_KEY, "addon")
        settings.set("SCHEDULER_DUPEFILTER_KEY", DUPEFILTER_KEY, "addon")
        # A worker's JOBDIR would keep a second, local frontier: Redis is the frontier.
        settings.set("JOBDIR", None, "addon")


class RedisUnavailable(Exception):
    """Redis cannot be reached; the message is one line with the password masked."""


def check_redis(url: str) -> None:
    """Raise RedisUnavailable unless the Redis at ``url`` answers a PING."""
    from reviewcrawler.store.engine import mask_url

    try:
        client = redis_client(url)
        client.ping()
        client.close()
    except Exception as exc:  # redis raises connection, auth and URL errors alike
        raise RedisUnavailable(f"Cannot reach Redis at {mask_url(url)}: {exc}") from None


def redis_client(url: str) -> Redis:
    import redis

    return redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)


async def requests_from_redis_list(spider: Any) -> AsyncIterator[Request]:
    """A worker's start requests: start URLs popped from Redis as the crawl has room.

    Pops a batch (``CONCURRENT_REQUESTS`` entries, JSON ``{"url", "film"}``) whenever
    the engine can take more, so workers keep busy and share the list evenly; ends
    once the list has stayed empty for ``MAX_IDLE_TIME_BEFORE_CLOSE`` seconds, after
    which the worker stops as soon as it is idle. Uses redis' asyncio client, so the
    reactor never waits on Redis.
    """
    from redis.asyncio import Redis as AsyncRedis

    settings, stats = spider.settings, spider.crawler.stats
    client = AsyncRedis.from_url(settings["REDIS_URL"], socket_timeout=30)
    key = job_keys(spider.name)["start_urls"]
    batch = max(1, settings.getint("CONCURRENT_REQUESTS"))
    max_idle = settings.getfloat("MAX_IDLE_TIME_BEFORE_CLOSE")
    logger.info("Distributed worker: start URLs from Redis list %s", key)
    empty_since: float | None = None
    try:
        while True:
            if spider.crawler.engine.needs_backout():
                await asyncio.sleep(0.05)
                continue
            entries = await client.lpop(key, batch)
            if not entries:
                now = time.monotonic()
                empty_since = empty_since or now
                if now - empty_since >= max_idle:
                    logger.info("No start URL for %.0f s: this worker finishes", now - empty_since)
                    return
                await asyncio.sleep(min(0.5, max_idle))
                continue
            empty_since = None
            for entry in entries:
                try:
                    data: dict[str, Any] = json.loads(entry)
                    url = data["url"]
                except (ValueError, KeyError, TypeError):
                    stats.inc_value("targets/rejected")
                    logger.warning("Skipping a malformed start URL entry: %r", entry[:200])
                    continue
                stats.inc_value("targets/accepted")
                # The same requests as a start URL given on the command line: a
                # Metacritic URL gets its API-first requests beside its page.
                for request in spider.start_requests_for(url, data.get("film")):
                    yield request
    finally:
        await client.aclose()


def enqueue(
    client: Redis,
    urls: list[str],
    spider_name: str = "reviews",
    *,
    film: str | None = None,
    fresh: bool = True,
) -> int:
    """Push start URLs for workers; with ``fresh``, forget the previous job's frontier first.

    A nightly job re-crawls the same URLs: without the reset, the shared duplicate
    filter would remember last night's requests and the workers would fetch nothing.
    """
    keys = job_keys(spider_name)
    with client.pipeline(transaction=True) as pipe:
        if fresh:
            pipe.delete(keys["requests"], keys["dupefilter"], keys["start_urls"])
        for url in urls:
            pipe.rpush(keys["start_urls"], json.dumps({"url": url, "film": film}))
        pipe.execute()
    return len(urls)
