"""Several workers, one frontier: scrapy-redis's scheduler and duplicate filter.

scrapy-redis 0.9.1 predates ``async def start()``: its RedisSpider feeds start
URLs from ``start_requests`` (which Scrapy 2.19 never calls) and from the
``spider_idle`` signal. Rather than patch the library or inherit its spider,
the project keeps its own spider and adds two pieces:

* ``DistributedAddon`` (in ADDONS): when ``REDIS_URL`` is set, whether in
  settings.py, the environment or ``-s``, it switches SCHEDULER and
  DUPEFILTER_CLASS to scrapy-redis's and turns on ``RedisStartUrls``. Without
  ``REDIS_URL`` it changes nothing.
* ``RedisStartUrls`` (an extension): on ``spider_idle`` it pops a batch of
  start URLs that ``reviewcrawler enqueue`` pushed (JSON ``{"url", "film"}``)
  and schedules them through the spider, and keeps the spider open until that
  list and the shared request queue have stayed empty for
  ``MAX_IDLE_TIME_BEFORE_CLOSE`` seconds, so that scheduled workers end.

The shared queue and fingerprints outlive a worker (SCHEDULER_PERSIST), since
one worker finishing must not wipe the frontier of the others; ``enqueue``
resets them when a new job starts.
"""

from __future__ import annotations

import json
import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import BaseSettings

if TYPE_CHECKING:
    from redis import Redis
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider

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
        settings.set_in_component_priority_dict("EXTENSIONS", RedisStartUrls, 100)


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


class RedisStartUrls:
    def __init__(self, crawler: Crawler, client: Redis) -> None:
        self.crawler = crawler
        self.client = client
        self.batch_size = crawler.settings.getint("CONCURRENT_REQUESTS")
        self.max_idle = crawler.settings.getfloat("MAX_IDLE_TIME_BEFORE_CLOSE")
        self.idle_since: float | None = None
        self.keys: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisStartUrls:
        if not is_distributed(crawler.settings):
            raise NotConfigured("REDIS_URL is not set")
        extension = cls(crawler, redis_client(crawler.settings["REDIS_URL"]))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.keys = job_keys(spider.name)
        logger.info("Distributed worker: start URLs from Redis list %s", self.keys["start_urls"])

    def _pop_batch(self) -> list[bytes]:
        with self.client.pipeline(transaction=True) as pipe:
            pipe.lrange(self.keys["start_urls"], 0, self.batch_size - 1)
            pipe.ltrim(self.keys["start_urls"], self.batch_size, -1)
            entries, _ = pipe.execute()
        return entries

    def spider_idle(self, spider: Spider) -> None:
        scheduled = 0
        for entry in self._pop_batch():
            try:
                data: dict[str, Any] = json.loads(entry)
                url = data["url"]
            except (ValueError, KeyError, TypeError):
                self.crawler.stats.inc_value("targets/rejected")
                logger.warning("Skipping a malformed start URL entry from Redis: %r", entry[:200])
                continue
            request = spider.request_for(url, data.get("film"))  # type: ignore[attr-defined]
            assert self.crawler.engine is not None
            self.crawler.engine.crawl(request)
            scheduled += 1
        if scheduled:
            self.crawler.stats.inc_value("targets/accepted", scheduled)
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.max_idle:
            raise DontCloseSpider
        logger.info("No start URL nor request for %.0f s: this worker stops", now - self.idle_since)


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
