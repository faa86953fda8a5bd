"""Recognises a site refusing the crawler, so that a block is never read as an empty film.

A 403, or a bot challenge (Cloudflare's "Just a moment...", a captcha wall)
served with any status, is counted in ``bans/*`` stats, logged as a warning with
its URL, and turned into ``Banned`` (an IgnoreRequest), which reaches the
request's errback instead of the spider's parser. 429 responses are counted
here too but left to RetryAfterMiddleware, which waits as the server asks.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

#: How much of a body to search for challenge markers: challenge pages are small,
#: and their markers sit in the head.
SNIFF_BYTES = 32 * 1024


class Banned(IgnoreRequest):
    """The site answered with a block instead of the page."""


class BanDetectionMiddleware:
    def __init__(
        self,
        stats: StatsCollector,
        ban_statuses: set[int],
        rate_limit_statuses: set[int],
        markers: list[str],
        header_markers: dict[str, str],
    ) -> None:
        self.stats = stats
        self.ban_statuses = ban_statuses
        self.rate_limit_statuses = rate_limit_statuses
        self.markers = [marker.lower().encode("utf-8") for marker in markers if marker]
        self.header_markers = {
            name.lower(): value.lower() for name, value in header_markers.items() if name
        }

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BanDetectionMiddleware:
        settings = crawler.settings
        return cls(
            crawler.stats,
            {int(code) for code in settings.getlist("BAN_HTTP_CODES")},
            {int(code) for code in settings.getlist("BAN_RATE_LIMIT_HTTP_CODES")},
            settings.getlist("BAN_CHALLENGE_MARKERS"),
            settings.getdict("BAN_CHALLENGE_HEADERS"),
        )

    def challenge_marker(self, response: Response) -> str | None:
        """The marker showing ``response`` is a bot challenge, if any."""
        for name, value in self.header_markers.items():
            header = response.headers.get(name)
            if header is not None and value in header.decode("latin-1").lower():
                return f"header {name}: {value}"
        head = response.body[:SNIFF_BYTES].lower()
        for marker in self.markers:
            if marker in head:
                return marker.decode("utf-8")
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status in self.rate_limit_statuses:
            self.stats.inc_value(f"bans/status/{response.status}")
            logger.warning("Rate limited (%d) at %s", response.status, response.url)
            return response
        if response.status in self.ban_statuses:
            self.stats.inc_value(f"bans/status/{response.status}")
            logger.warning("Blocked (%d) at %s: not parsed", response.status, response.url)
            raise Banned(f"HTTP {response.status} at {response.url}")
        if marker := self.challenge_marker(response):
            self.stats.inc_value("bans/challenge")
            logger.warning("Bot challenge (%s) served at %s: not parsed", marker, response.url)
            raise Banned(f"bot challenge ({marker}) at {response.url}")
        return response
