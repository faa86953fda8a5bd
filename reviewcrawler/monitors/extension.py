"""Spidermon's extension, with its own step-by-step log demoted to DEBUG.

Spidermon logs every monitor and action as it runs, and a failure as a unittest
traceback. An unattended crawl's log should carry one readable report instead
(written by suite.FailCrawl); Spidermon's lines remain at ``LOG_LEVEL=DEBUG``.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from spidermon.contrib.scrapy.extensions import Spidermon

_PREFIX = "[Spidermon]"


class _SpidermonLinesToDebug(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(_PREFIX):
            # Handlers filter by LOG_LEVEL after this, so at INFO the line is dropped.
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


_FILTER = _SpidermonLinesToDebug()


class Monitors(Spidermon):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Monitors:
        extension = super().from_crawler(crawler)
        # Spidermon logs through the spider's logger, named after the spider.
        if name := getattr(crawler.spidercls, "name", None):
            logging.getLogger(name).addFilter(_FILTER)
        return extension
