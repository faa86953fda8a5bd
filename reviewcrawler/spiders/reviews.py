"""The ``reviews`` spider: routes each response to its format and schedules follow-ups.

Extraction lives in reviewcrawler/formats; reading.py turns a page into normalized
items (in a worker process or in-process, parse_workers.py); this module only
decides what to fetch, records what reading found, and hands the items to the
item pipelines.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from reviewcrawler.closing_output import page_unrecognised
from reviewcrawler.distributed import is_distributed, requests_from_redis_list
from reviewcrawler.formats import APIS, ParsedPage, metacritic_api
from reviewcrawler.formats.page import Page
from reviewcrawler.identity import film_identity, site_of
from reviewcrawler.items import (
    AudienceReviewItem,
    FilmSummaryItem,
    FollowUp,
    PageItems,
    ReviewItem,
)
from reviewcrawler.outcome import mark_failed
from reviewcrawler.parse_workers import PageParser
from reviewcrawler.targets import TargetError, resolve_targets

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
#: What reading pages found (reading.py), logged under its own name wherever it was read.
READING_LOG = logging.getLogger("reviewcrawler.reading")

#: Request meta: the start URL a request descends from. A start URL names one film,
#: so the requests sharing it are that film's paths (its page, its API).
START_URL = "start_url"
#: Request meta: the API a request asks (``metacritic``...); pages carry none.
API = "api"
#: The path of a request that asks no API: the film's own page and its follow-ups.
PAGE_PATH = "page"


def path_of(meta: dict[str, Any]) -> str:
    """The way a request reads its film's data: its API's name, else ``page``."""
    return meta.get(API) or PAGE_PATH


@dataclass(frozen=True)
class FailedPage:
    url: str
    #: The path the page belongs to (``path_of``).
    path: str
    why: str


class UnknownSpiderArgument(ValueError):
    """A ``-a`` argument the spider does not take (a typo such as ``ulr``)."""


class ReviewsSpider(scrapy.Spider):
    name = "reviews"
    #: The spider's ``-a`` arguments and what they mean: the one definition that
    #: ``__init__``, ``scrapy crawl``'s check of unknown arguments and its ``--help``
    #: read (commands/crawl.py).
    arguments: dict[str, str] = {
        "url": (
            "one page to start from: an http(s) URL, a file:// URL or a local path; "
            "a folder: every file under it, in path order"
        ),
        "urls_file": (
            "a targets file: one URL or path per line; blank lines and # comments "
            "are ignored, other lines are reported (stat targets/rejected) and skipped"
        ),
        "film": (
            'the film a page is about, as "Title (Year)", for pages whose URL names '
            "none (a saved file)"
        ),
    }

    @classmethod
    def unknown_arguments(cls, given: Iterable[str]) -> list[str]:
        """The names in ``given`` the spider does not take. Names starting with ``_``
        are the scheduler's own (Scrapyd's ``_job``, ``_version``): always accepted."""
        return [name for name in given if name not in cls.arguments and not name.startswith("_")]

    def __init__(
        self,
        url: str | None = None,
        urls_file: str | None = None,
        film: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        if unknown := self.unknown_arguments(kwargs):
            raise UnknownSpiderArgument(
                f"unknown argument {', '.join(unknown)}: the {self.name} spider takes "
                + ", ".join(self.arguments)
            )
        super().__init__(*args, **kwargs)
        self.url_argument = url
        self.urls_file = urls_file
        self.film_argument = film
        #: The APIs whose empty base URL setting was already logged (once per crawl).
        self._apis_said_off: set[str] = set()
        #: Pages that could not be fetched, by start URL; judged when the crawl closes.
        self._failed_pages: defaultdict[str, list[FailedPage]] = defaultdict(list)
        #: Reviews that passed the item pipelines, by start URL and path.
        self._reviews_by_path: defaultdict[str, Counter[str]] = defaultdict(Counter)
        #: ``AUDIENCE_REVIEWS``: whether Metacritic's user reviews are asked for (the user
        #: stats always are); read from the settings in ``from_crawler``.
        self.audience_reviews = False
        #: A page came over http(s): the crawl read a site, not only saved files.
        self.fetched_online = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ReviewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Formats read pages here or in worker processes (PARSE_PROCESSES).
        spider.page_parser = PageParser.from_crawler(crawler)
        spider.audience_reviews = crawler.settings.getbool("AUDIENCE_REVIEWS")
        crawler.signals.connect(spider._item_scraped, signal=signals.item_scraped)
        return spider

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
        engine = self.crawler.engine
        for url in targets.urls:
            # Lazily: Scrapy's engine would otherwise take every start request while the
            # downloader is full, holding a whole targets file in the scheduler.
            if engine is not None and engine.needs_backout():
                await self.crawler.signals.wait_for(signals.scheduler_empty)
            for request in self.start_requests_for(url, self.film_argument):
                yield request

    def start_requests_for(self, url: str, film_argument: str | None) -> list[Request]:
        """A start URL's requests, however it arrived (``-a url``, a targets file, the
        distributed feeder's Redis list): its page, and the API first beside it."""
        return [
            self.request_for(url, film_argument, start_url=url),
            *self._api_first(url, film_argument),
        ]

    def _api_first(self, url: str, film_argument: str | None = None) -> list[Request]:
        """API first: a Metacritic start URL names its product, slug (and platform), so
        the API's first reviews page and the stats are asked for beside the page, from
        the URL alone, and a page whose HTML fails or drifted still yields every review.

        Metacritic URLs are those on its hosts, and those on the host serving
        ``METACRITIC_API_URL`` (a mirror or test server of both). The page's own
        follow-ups name the same requests; Scrapy's duplicate filter drops those.
        """
        base = (self.settings.get(APIS[metacritic_api.API].setting) or "").strip()
        on_api_host = bool(base) and urlsplit(url).netloc == urlsplit(base).netloc
        if site_of(url, "") != metacritic_api.SITE and not on_api_host:
            return []
        film_key = film_identity(url, metacritic_api.SITE, film_argument).key
        requests = []
        for follow_up in metacritic_api.start_follow_ups(url, film_key):
            requests += self._api_requests(follow_up, url, film_argument, url)
        return requests

    def request_for(
        self,
        url: str,
        film_argument: str | None = None,
        film_key: str | None = None,
        *,
        start_url: str | None = None,
        api: str | None = None,
    ) -> Request:
        """The request for a page: a start URL (also from the distributed feeder) or a
        follow-up, which carries the film key and start URL of the page that linked to
        it, and the API it asks, if any."""
        meta: dict[str, Any] = {"film_argument": film_argument, START_URL: start_url or url}
        if film_key is not None:
            meta["film_key"] = film_key
        if api is not None:
            meta[API] = api
        return Request(url, callback=self.parse, errback=self.on_error, meta=meta)

    async def parse(self, response: Response) -> list[Request | PageItems]:
        if not self.fetched_online and response.url.startswith(("http:", "https:")):
            self.fetched_online = True
        page = Page.from_response(
            response, response.meta.get("film_argument"), response.meta.get("film_key")
        )
        return self._route(response, await self.page_parser.parse(page))

    def _route(self, response: Response, parsed: ParsedPage) -> list[Request | PageItems]:
        """The follow-up requests and the one PageItems of what the formats read."""
        stats = self.crawler.stats
        if parsed.format_name is None:
            stats.inc_value("pages/unrecognised")
            # Listed once when the crawl closes (closing_output.UnrecognisedPages), not a
            # warning each: a folder of saved pages may hold hundreds of other files.
            logger.debug("No format recognises %s (%d bytes)", response.url, len(response.body))
            self.crawler.signals.send_catch_log(page_unrecognised, url=response.url)
            return []
        stats.inc_value(f"pages/format/{parsed.format_name}")
        parsed.findings.record(stats, READING_LOG)
        if parsed.error is not None:
            stats.inc_value("pages/parse_errors")
            logger.error(
                "The %s format failed on %s\n%s", parsed.format_name, response.url, parsed.error
            )
            return []
        results: list[Request | PageItems] = []
        items = PageItems(
            url=response.url,
            format_name=parsed.format_name,
            summaries=[],
            reviews=[],
        )
        for output in parsed.outputs:
            if isinstance(output, FollowUp):
                results += self._follow(response, output)
            elif isinstance(output, ReviewItem):
                items.reviews.append(output)
            elif isinstance(output, FilmSummaryItem):
                items.summaries.append(output)
            elif isinstance(output, AudienceReviewItem):
                # Their own list: never a critic review, whatever a pipeline does with those.
                items.audience_reviews.append(output)
        if parsed.lists_reviews and not parsed.reviews_found:
            self._check_drift(items)
        if items.summaries or items.reviews or items.audience_reviews:
            # One item per page: Scrapy's cost per item would otherwise outweigh parsing.
            results.append(items)
        return results

    def _check_drift(self, items: PageItems) -> None:
        """Warn about a page meant to list reviews where the format found none while the
        page states critics."""
        stated = max(
            (
                summary.stated_critic_count or summary.stated_listed_count or 0
                for summary in items.summaries
            ),
            default=0,
        )
        if stated > 0:
            self.crawler.stats.inc_value("pages/suspected_markup_drift")
            logger.warning(
                "Suspected markup drift on %s: the %s format found no review while the page "
                "states %d critics",
                items.url,
                items.format_name,
                stated,
            )

    def _follow(self, response: Response, follow_up: FollowUp) -> list[Request]:
        """The requests for a format's follow-up, if it stays on the page's own site.

        API follow-ups are the exception: they go to their API's configured base
        URL (``METACRITIC_API_URL``, ...), and nowhere else.
        """
        if follow_up.api is not None:
            return self._follow_api(response, follow_up)
        here, there = urlsplit(response.url), urlsplit(follow_up.url)
        if (here.scheme, here.netloc) != (there.scheme, there.netloc):
            self.crawler.stats.inc_value("follow_ups/offsite")
            logger.debug("Not following %s from %s: another site", follow_up.url, response.url)
            return []
        self.crawler.stats.inc_value("follow_ups/scheduled")
        return [
            self.request_for(
                follow_up.url,
                response.meta.get("film_argument"),
                start_url=response.meta.get(START_URL, response.url),
            )
        ]

    def _follow_api(self, response: Response, follow_up: FollowUp) -> list[Request]:
        return self._api_requests(
            follow_up,
            response.url,
            response.meta.get("film_argument"),
            response.meta.get(START_URL, response.url),
        )

    def _api_requests(
        self, follow_up: FollowUp, origin: str, film_argument: str | None, start_url: str
    ) -> list[Request]:
        """The request for an API follow-up and, beside a Metacritic title's critic stats,
        the audience's: its user stats, and its user reviews with ``AUDIENCE_REVIEWS``.
        Asked here, once a title's critic API is, rather than by each format that names
        that API: the setting is the spider's to read, and Scrapy's duplicate filter
        drops the repeats as it does the critic requests'."""
        request = self._api_request(follow_up, origin, film_argument, start_url)
        if request is None:
            return []
        requests = [request]
        if follow_up.api == metacritic_api.API:
            for audience in metacritic_api.audience_follow_ups(
                follow_up.url, follow_up.film_key, self.audience_reviews
            ):
                if extra := self._api_request(audience, origin, film_argument, start_url):
                    requests.append(extra)
        return requests

    def _api_request(
        self, follow_up: FollowUp, origin: str, film_argument: str | None, start_url: str
    ) -> Request | None:
        """The request for an API follow-up, on its API's configured base URL; None when
        that base is empty (the API is off: said once per crawl) or names no such API."""
        api = APIS.get(follow_up.api or "")
        base = (self.settings.get(api.setting) or "").strip() if api else ""
        if api is not None and not base:
            self.crawler.stats.inc_value(f"follow_ups/api_off/{follow_up.api}")
            if follow_up.api not in self._apis_said_off:
                self._apis_said_off.add(follow_up.api or "")
                logger.info(
                    "%s is empty: the %s API is off for this crawl, so pages are read on "
                    "their own (no API request is made)",
                    api.setting,
                    follow_up.api,
                )
            return None
        url = api.rebase(follow_up.url, base) if api else None
        if url is None:
            self.crawler.stats.inc_value("follow_ups/api_refused")
            logger.warning("Not following %s from %s: no such API", follow_up.url, origin)
            return None
        if (
            follow_up.api == metacritic_api.API
            and not self.audience_reviews
            and metacritic_api.is_audience_review_list(url)
        ):
            # A user reviews page (the next of one a start URL named): only with the setting.
            self.crawler.stats.inc_value("follow_ups/audience_reviews_off")
            return None
        self.crawler.stats.inc_value(f"follow_ups/api/{follow_up.api}")
        return self.request_for(
            url, film_argument, follow_up.film_key, start_url=start_url, api=follow_up.api
        )

    def on_error(self, failure: Failure) -> None:
        """Count the failed page; whether it costs the crawl is known only when the
        crawl closes (``closed``), once every other path of its film has answered."""
        request = getattr(failure, "request", None)
        meta = request.meta if request is not None else {}
        url = request.url if request is not None else "?"
        if failure.check(HttpError):
            why = f"HTTP {failure.value.response.status}"
        else:
            why = failure.getErrorMessage()
        if meta.get(API) == metacritic_api.API and metacritic_api.is_audience_url(url):
            # The audience's figures or reviews: they neither cost nor cover a film's
            # critic reviews, so they are counted apart and never judged at the close.
            self.crawler.stats.inc_value("pages/failed_audience")
            logger.warning("Could not fetch the audience's %s: %s", url, why)
            return
        self.crawler.stats.inc_value("pages/failed")
        self._failed_pages[meta.get(START_URL, url)].append(FailedPage(url, path_of(meta), why))
        logger.warning("Could not fetch %s: %s", url, why)

    def _item_scraped(self, item: Any, response: Response | None) -> None:
        """Count the reviews that passed every item pipeline, by film and path: only
        those cover a failed page (an item the pipelines dropped stored nothing)."""
        if isinstance(item, PageItems) and item.reviews and response is not None:
            start_url = response.meta.get(START_URL, response.url)
            self._reviews_by_path[start_url][path_of(response.meta)] += len(item.reviews)

    def closed(self, reason: str) -> None:
        """Judge each failed page: it costs the crawl (an ERROR, which the Errors and
        retries monitor counts) only if no other path of its film yielded a review;
        otherwise it stays counted (``pages/failed``, ``pages/failed_covered``) and named.

        Runs before the monitors and the store's close: the spider connects to
        ``spider_closed`` when it is created, before extensions and pipelines are.
        """
        stats = self.crawler.stats
        for start_url, pages in self._failed_pages.items():
            reviewed = self._reviews_by_path.get(start_url, Counter())
            for page in pages:
                others = {path: n for path, n in reviewed.items() if path != page.path and n}
                if not others:
                    logger.error(
                        "Failed page %s (%s): no other path of its film yielded a review",
                        page.url,
                        page.why,
                    )
                    continue
                stats.inc_value("pages/failed_covered")
                logger.warning(
                    "Failed page %s (%s) is covered: its film's reviews came from %s",
                    page.url,
                    page.why,
                    ", ".join(f"{_path_name(p)}: {n}" for p, n in sorted(others.items())),
                )


def _path_name(path: str) -> str:
    return "its page" if path == PAGE_PATH else f"the {path} API"
