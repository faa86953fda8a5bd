"""The ``reviews`` spider: routes each response to its format and schedules follow-ups.

Extraction lives in reviewcrawler/formats; this module only decides what to
fetch and hands what formats return to the item pipelines.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from reviewcrawler.distributed import is_distributed, requests_from_redis_list
from reviewcrawler.formats import APIS, detect, lists_reviews
from reviewcrawler.formats.page import Page
from reviewcrawler.items import FilmSummaryItem, FollowUp, PageItems, ReviewItem
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
        if is_distributed(self.settings):
            async for request in requests_from_redis_list(self):
                yield request
            return
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
            yield self.request_for(url, self.film_argument)

    def request_for(
        self, url: str, film_argument: str | None = None, film_key: str | None = None
    ) -> Request:
        """The request for a page: a start URL (also from the distributed feeder) or a
        follow-up, which carries the film key of the page that linked to it."""
        meta = {"film_argument": film_argument}
        if film_key is not None:
            meta["film_key"] = film_key
        return Request(url, callback=self.parse, errback=self.on_error, meta=meta)

    def parse(self, response: Response) -> list[Request | PageItems]:
        # A list, not a generator: for generator callbacks Scrapy reads and parses the
        # method's source to warn about return values, and its cache, keyed by the
        # bound method, misses for most requests (a twentieth of a crawl's time).
        stats = self.crawler.stats
        page = Page.from_response(
            response, response.meta.get("film_argument"), response.meta.get("film_key")
        )
        fmt = detect(page)
        if fmt is None:
            stats.inc_value("pages/unrecognised")
            logger.warning("No format recognises %s (%d bytes)", response.url, len(response.body))
            return []
        stats.inc_value(f"pages/format/{fmt.NAME}")
        try:
            outputs = list(fmt.parse(page))
        except Exception:
            stats.inc_value("pages/parse_errors")
            logger.exception("The %s format failed on %s", fmt.NAME, response.url)
            return []
        results: list[Request | PageItems] = []
        items = PageItems(url=response.url, format_name=fmt.NAME, summaries=[], reviews=[])
        for output in outputs:
            if isinstance(output, FollowUp):
                if request := self._follow(response, output):
                    results.append(request)
            elif isinstance(output, ReviewItem):
                items.reviews.append(output)
            elif isinstance(output, FilmSummaryItem):
                items.summaries.append(output)
        if lists_reviews(fmt, page):
            self._check_drift(items)
        if items.summaries or items.reviews:
            # One item per page: Scrapy's cost per item would otherwise outweigh parsing.
            results.append(items)
        return results

    def _check_drift(self, items: PageItems) -> None:
        """Warn when a page meant to list reviews lists none while it states critics."""
        if items.reviews:
            return
        stated = max((summary.stated_critic_count or 0 for summary in items.summaries), default=0)
        if stated > 0:
            self.crawler.stats.inc_value("pages/suspected_markup_drift")
            logger.warning(
                "Suspected markup drift on %s: the %s format found no review while the page "
                "states %d critics",
                items.url,
                items.format_name,
                stated,
            )

    def _follow(self, response: Response, follow_up: FollowUp) -> Request | None:
        """A request for a format's follow-up, if it stays on the page's own site.

        API follow-ups are the exception: they go to their API's configured base
        URL (``METACRITIC_API_URL``, ...), and nowhere else.
        """
        if follow_up.api is not None:
            return self._follow_api(response, follow_up)
        here, there = urlsplit(response.url), urlsplit(follow_up.url)
        if (here.scheme, here.netloc) != (there.scheme, there.netloc):
            self.crawler.stats.inc_value("follow_ups/offsite")
            logger.debug("Not following %s from %s: another site", follow_up.url, response.url)
            return None
        self.crawler.stats.inc_value("follow_ups/scheduled")
        return self.request_for(follow_up.url, response.meta.get("film_argument"))

    def _follow_api(self, response: Response, follow_up: FollowUp) -> Request | None:
        api = APIS.get(follow_up.api or "")
        base = self.settings.get(api.setting) if api else None
        url = api.rebase(follow_up.url, base) if api and base else None
        if url is None:
            self.crawler.stats.inc_value("follow_ups/api_refused")
            logger.warning(
                "Not following %s from %s: no such API, or its base URL setting is empty",
                follow_up.url,
                response.url,
            )
            return None
        self.crawler.stats.inc_value(f"follow_ups/api/{follow_up.api}")
        return self.request_for(url, response.meta.get("film_argument"), follow_up.film_key)

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        self.crawler.stats.inc_value("pages/failed")
        logger.error("Could not fetch %s: %s", url, failure.getErrorMessage())
