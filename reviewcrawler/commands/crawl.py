"""``scrapy crawl``, with a database check before the first request and an honest exit status."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from reviewcrawler.outcome import failure_reason
from reviewcrawler.store.engine import StoreUnavailable, open_store


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. 'scrapy crawl reviews'")
        assert self.settings is not None and self.crawler_process is not None
        if self.settings.getbool("STORE_ENABLED"):
            # Connects, and checks the schema is current: SQLite databases are
            # migrated here, others that are behind stop the crawl, naming
            # ``reviewcrawler db upgrade`` (store/engine.py open_store).
            try:
                open_store(self.settings.get("DATABASE_URL"))
            except StoreUnavailable as exc:
                print(f"reviewcrawler: {exc}", file=sys.stderr)
                self.exitcode = 2
                return
        crawler = self._create_crawler(args[0])
        crawler.settings.set("CRAWL_ARGUMENTS", dict(opts.spargs), priority="cmdline")
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        reason = failure_reason(crawler.stats)
        if reason:
            print(f"reviewcrawler: crawl failed: {reason}", file=sys.stderr)
        if self.crawler_process.bootstrap_failed or reason:
            self.exitcode = 1
