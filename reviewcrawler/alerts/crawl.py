"""Hands a crawl's alert settings to its run's close.

The run's close (store/closing.py) runs on the store pipeline's thread from the
store's own objects, without the crawler's settings. This extension reads them
(``AlertConfig.from_settings``) and, once the pipeline has opened the run (its id is
the stat ``store/run_id`` by ``spider_opened``), registers them under the database
and run, where the close finds them (``registered``). Not enabled when
ALERT_WEBHOOK_URL is empty.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from reviewcrawler.alerts.config import AlertConfig

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_registered: dict[tuple[str, int], AlertConfig] = {}
# The close takes its entry on the store's thread; the reactor registers it.
_lock = threading.Lock()


def register(database_url: str, run_id: int, config: AlertConfig) -> None:
    with _lock:
        _registered[(database_url, run_id)] = config


def registered(database_url: str, run_id: int) -> AlertConfig | None:
    """The alert settings of the crawl that runs ``run_id`` here; taken, not kept."""
    with _lock:
        return _registered.pop((database_url, run_id), None)


class CrawlAlerts:
    def __init__(self, crawler: Crawler, config: AlertConfig) -> None:
        self.crawler = crawler
        self.config = config

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlAlerts:
        config = AlertConfig.from_settings(crawler.settings)
        if not config.enabled or not crawler.settings.getbool("STORE_ENABLED"):
            raise NotConfigured("ALERT_WEBHOOK_URL is empty")
        extension = cls(crawler, config)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self) -> None:
        assert self.crawler.stats is not None
        run_id = self.crawler.stats.get_value("store/run_id")
        if run_id is not None:
            register(self.crawler.settings.get("DATABASE_URL"), int(run_id), self.config)
