"""A descriptive User-Agent that tells site operators who is crawling and how to reach them.

``USER_AGENT`` may contain ``{contact}``, filled from ``CONTACT_URL``, so that an
operator changes one setting (``-s CONTACT_URL=mailto:me@example.org``) rather
than rewriting the whole string.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings


def user_agent(settings: BaseSettings) -> str:
    template: str = settings.get("USER_AGENT") or "reviewcrawler"
    return template.replace("{contact}", settings.get("CONTACT_URL") or "no contact given")


class ContactUserAgentMiddleware(UserAgentMiddleware):
    """Drop-in replacement for Scrapy's UserAgentMiddleware."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContactUserAgentMiddleware:
        middleware = cls(user_agent(crawler.settings))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware
