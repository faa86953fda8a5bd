"""Scrapy's retries, made patient: exponential backoff, and ``Retry-After`` honoured.

Scrapy's RetryMiddleware decides *whether* to retry (RETRY_TIMES, RETRY_HTTP_CODES,
RETRY_EXCEPTIONS) but re-sends at once, which hammers a struggling server and
spends every retry within a second. This subclass keeps those decisions and
``get_retry_request``'s stats, and only adds *when*: a 429/503 carrying
``Retry-After`` (seconds or an HTTP-date) waits what the server asked, and any
other retry waits ``RETRY_BACKOFF_BASE * 2**(attempt - 1)`` seconds, capped at
``RETRY_BACKOFF_MAX``. A server asking for more than ``RETRY_AFTER_MAX_WAIT`` is
not retried early against its wish: the request is given up and counted.

The wait happens in ``process_request`` of the retry copy, so it only holds that
request's place in the downloader, never the reactor.
"""

from __future__ import annotations

import datetime as dt
import logging
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import response_status_message

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

DELAY_META = "reviewcrawler_retry_delay"
RETRY_AFTER_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: str | bytes | None, now: dt.datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait, or None when it says nothing usable."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Drop-in replacement for ``scrapy.downloadermiddlewares.retry.RetryMiddleware``."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX")
        self.retry_after_max_wait = settings.getfloat("RETRY_AFTER_MAX_WAIT")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop(DELAY_META, 0)
        if delay > 0:
            await sleep(delay)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        asked = None
        if response.status in RETRY_AFTER_STATUSES:
            asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        if asked is not None and asked > self.retry_after_max_wait:
            self.crawler.stats.inc_value("retry/retry_after_too_long")
            logger.warning(
                "Not retrying %s: the server asks to wait %.0f s (Retry-After), more than "
                "RETRY_AFTER_MAX_WAIT=%g s",
                request.url,
                asked,
                self.retry_after_max_wait,
            )
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        if asked is not None:
            self.crawler.stats.inc_value("retry/retry_after_honoured")
            retry.meta[DELAY_META] = asked
        return retry

    def _retry(self, request: Request, reason: str | Exception | type[Exception]) -> Request | None:
        retry = super()._retry(request, reason)
        if retry is not None:
            attempt = retry.meta.get("retry_times", 1)
            retry.meta[DELAY_META] = min(
                self.backoff_max, self.backoff_base * 2 ** max(0, attempt - 1)
            )
        return retry
