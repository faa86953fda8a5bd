"""``scrapy crawl``, with a database check before the first request and an honest exit status.

Also: ``--help`` lists the spiders' ``-a`` arguments with their meanings, and an
argument the spider does not take (a typo such as ``-a ulr=...``) is refused with
exit status 2 before anything starts, naming the arguments it does take. Names
starting with ``_`` are the scheduler's (Scrapyd adds ``_job``): always accepted.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from contextlib import AbstractContextManager, nullcontext

from scrapy.commands import ScrapyHelpFormatter
from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from reviewcrawler.distributed import RedisUnavailable, check_redis, is_distributed
from reviewcrawler.outcome import failure_reason
from reviewcrawler.store.engine import StoreUnavailable
from reviewcrawler.store.joblock import JobLocked, job_lock, job_name
from reviewcrawler.store.open import open_store

#: Columns of the spider-argument table in ``--help``.
HELP_WIDTH = 79


class _HelpFormatter(argparse.RawDescriptionHelpFormatter, ScrapyHelpFormatter):
    """Scrapy's help layout, keeping the spider-argument table's own line breaks."""


def _spider_arguments(spidercls: type) -> dict[str, str]:
    """A spider's ``-a`` arguments and their meanings (``arguments`` on its class)."""
    arguments = getattr(spidercls, "arguments", None)
    return dict(arguments) if isinstance(arguments, dict) else {}


def arguments_help(spiders: dict[str, dict[str, str]]) -> str:
    """The ``--help`` text of each spider's arguments, one line each."""
    blocks = []
    for name, arguments in spiders.items():
        width = max((len(argument) for argument in arguments), default=0)
        lines = [f"Arguments of the {name} spider (-a NAME=VALUE):"]
        lines += [
            textwrap.fill(
                meaning,
                width=HELP_WIDTH,
                initial_indent=f"  {argument:<{width}}  ",
                subsequent_indent=" " * (width + 4),
            )
            for argument, meaning in arguments.items()
        ]
        blocks.append("\n".join(lines))
    if blocks:
        note = (
            "Arguments whose name starts with _ (Scrapyd's _job and the like) are "
            "accepted; any other is refused (exit status 2)."
        )
        blocks.append(textwrap.fill(note, width=HELP_WIDTH))
    return "\n\n".join(blocks)


def unknown_argument_message(spider: str, unknown: list[str], known: dict[str, str]) -> str:
    """One line naming the arguments refused and those the spider takes."""
    refused = ", ".join(f"-a {name}=..." for name in unknown)
    return (
        f"reviewcrawler: unknown argument {refused}: the {spider} spider takes "
        + ", ".join(known)
        + " (see scrapy crawl --help)"
    )


def job_arguments(arguments: dict[str, str]) -> dict[str, str]:
    """The arguments that make a job: the scheduler's own (``_job``, different for
    every Scrapyd run) would make every scheduled run a job of its own, never locked."""
    return {name: value for name, value in arguments.items() if not name.startswith("_")}


class Command(ScrapyCrawlCommand):
    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        assert self.settings is not None
        try:
            loader = get_spider_loader(self.settings)
            spiders = {name: _spider_arguments(loader.load(name)) for name in loader.list()}
        except Exception:  # help must not fail on a broken spider; the crawl will say why
            return
        parser.epilog = arguments_help({name: args for name, args in spiders.items() if args})
        parser.formatter_class = _HelpFormatter

    def _refuse_unknown_arguments(self, spider: str, arguments: dict[str, str]) -> bool:
        """Print one line and return True when the spider does not take an argument."""
        assert self.crawler_process is not None
        try:
            spidercls = self.crawler_process.spider_loader.load(spider)
        except KeyError:
            return False  # Scrapy's own "Spider not found" follows
        checker = getattr(spidercls, "unknown_arguments", None)
        unknown = checker(arguments) if checker is not None else []
        if unknown:
            print(
                unknown_argument_message(spider, unknown, _spider_arguments(spidercls)),
                file=sys.stderr,
            )
        return bool(unknown)

    def _one_run_at_a_time(self, spider: str, arguments: dict[str, str]) -> AbstractContextManager:
        """The job's lock (store/joblock.py), unless JOB_LOCK is off or workers share the job."""
        assert self.settings is not None
        if (
            not self.settings.getbool("JOB_LOCK")
            or not self.settings.getbool("STORE_ENABLED")
            or is_distributed(self.settings)
        ):
            return nullcontext()
        return job_lock(
            self.settings.get("DATABASE_URL"), job_name(spider, job_arguments(arguments))
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. 'scrapy crawl reviews'")
        assert self.settings is not None and self.crawler_process is not None
        if self._refuse_unknown_arguments(args[0], opts.spargs):
            self.exitcode = 2
            return
        if self.settings.getbool("STORE_ENABLED"):
            # Connects, and checks the schema is current: SQLite databases are
            # migrated here, others that are behind stop the crawl, naming
            # ``reviewcrawler db upgrade`` (store/open.py open_store).
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
