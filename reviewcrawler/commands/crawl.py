"""``scrapy crawl``, with a database check before the first request and an honest exit status."""

from __future__ import annotations

import argparse
import sys
from contextlib import AbstractContextManager, nullcontext

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from reviewcrawler.distributed import RedisUnavailable, check_redis, is_distributed
from reviewcrawler.outcome import failure_reason
from reviewcrawler.store.engine import StoreUnavailable, open_store
from reviewcrawler.store.joblock import JobLocked, job_lock, job_name


class Command(ScrapyCrawlCommand):
    def _one_run_at_a_time(self, spider: str, arguments: dict[str, str]) -> AbstractContextManager:
        """The job's lock (store/joblock.py), unless JOB_LOCK is off or workers share the job."""
        assert self.settings is not None
        if (
            not self.settings.getbool("JOB_LOCK")
            or not self.settings.getbool("STORE_ENABLED")
            or is_distributed(self.settings)
        ):
            return nullcontext()
        return job_lock(self.settings.get("DATABASE_URL"), job_name(spider, arguments))

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
        if is_distributed(self.settings):
            try:
                check_redis(self.settings["REDIS_URL"])
            except RedisUnavailable as exc:
                print(f"reviewcrawler: {exc}", file=sys.stderr)
                self.exitcode = 2
                return
        crawler = self._create_crawler(args[0])
        crawler.settings.set("CRAWL_ARGUMENTS", dict(opts.spargs), priority="cmdline")
        try:
            with self._one_run_at_a_time(args[0], opts.spargs):
                self.crawler_process.crawl(crawler, **opts.spargs)
                self.crawler_process.start()
        except JobLocked as exc:
            print(f"reviewcrawler: not started: {exc}", file=sys.stderr)
            self.exitcode = 3
            return
        reason = failure_reason(crawler.stats)
        if reason:
            print(f"reviewcrawler: crawl failed: {reason}", file=sys.stderr)
        if self.crawler_process.bootstrap_failed or reason:
            self.exitcode = 1
