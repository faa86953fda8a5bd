"""The ``reviews`` spider: routes each response to its format and schedules follow-ups.

Extraction lives in reviewcrawler/formats; this module only decides what to
fetch and hands what formats return to the item pipelines.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from reviewcrawler.formats import detect
from reviewcrawler.formats.page import Page
from reviewcrawler.items import FollowUp
from reviewcrawler.middlewares.page_yield import FORMAT_META
from reviewcrawler.outcome import mark_failed
from reviewcrawler.targets import TargetError, resolve_targets

logger = logging.getLogger(__name__)


class ReviewsSpider(scrapy.Spider):
    name = "reviews"

    def __init__(
        self,
        url: str | None = None,
        urls_file: str | None = None,
        film: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.url_argument = url
        self.urls_file = urls_file
        self.film_argument = film

    async def start(self) -> AsyncIterator[Request]:
        try:
            targets = resolve_targets(
                self.url_argument, self.urls_file, self.settings.get("SAMPLE_PAGES_DIR")
            )
        except TargetError as exc:
            logger.error("%s", exc)
            mark_failed(self.crawler.stats, str(exc))
            return
        for number, text, why in targets.rejected:
            self.crawler.stats.inc_value("targets/rejected")
            logger.warning("Skipping line %d of %s (%r): %s", number, self.urls_file, text, why)
        self.crawler.stats.set_value("targets/accepted", len(targets.urls))
        for url in targets.urls:
            yield Request(
                url,
                callback=self.parse,
                errback=self.on_error,
                meta={"film_argument": self.film_argument},
            )

    def parse(self, response: Response) -> Iterator[Any]:
        stats = self.crawler.stats
        page = Page.from_response(response, response.meta.get("film_argument"))
        fmt = detect(page)
        if fmt is None:
            stats.inc_value("pages/unrecognised")
            logger.warning("No format recognises %s (%d bytes)", response.url, len(response.body))
            return
        stats.inc_value(f"pages/format/{fmt.NAME}")
        response.meta[FORMAT_META] = fmt.NAME  # for the monitors' per-format stats
        try:
            outputs = list(fmt.parse(page))
        except Exception:
            stats.inc_value("pages/parse_errors")
            logger.exception("The %s format failed on %s", fmt.NAME, response.url)
            return
        for output in outputs:
            if isinstance(output, FollowUp):
                if request := self._follow(response, output):
                    yield request
            else:
                yield output

    def _follow(self, response: Response, follow_up: FollowUp) -> Request | None:
        """A request for a format's follow-up, if it stays on the page's own site."""
        here, there = urlsplit(response.url), urlsplit(follow_up.url)
        if (here.scheme, here.netloc) != (there.scheme, there.netloc):
            self.crawler.stats.inc_value("follow_ups/offsite")
            logger.debug("Not following %s from %s: another site", follow_up.url, response.url)
            return None
        self.crawler.stats.inc_value("follow_ups/scheduled")
        return Request(
            follow_up.url,
            callback=self.parse,
            errback=self.on_error,
            meta={"film_argument": response.meta.get("film_argument")},
        )

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        self.crawler.stats.inc_value("pages/failed")
        logger.error("Could not fetch %s: %s", url, failure.getErrorMessage())
