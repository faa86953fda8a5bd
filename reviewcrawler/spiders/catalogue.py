"""``scrapy crawl catalogue``: find a site's titles, then fetch only what changed.

A job has two phases:

1. **Discovery.** Metacritic's listings (the API's finder, formats/metacritic_finder.py)
   are read page by page for each product asked (``-a media``), 50 titles a page, or a
   sitemap (``-a sitemap=URL``: a sitemap, an index or a robots.txt). Every title lands
   in the catalogue (catalogue/record.py) with what the listing says of it, and is
   marked due when it is new or its listed figures moved (catalogue/due.py). A
   listing's figures never become a film's stated summary.
2. **Fetching.** The due titles (new, changed, failed, then the stalest), at most
   ``CATALOGUE_MAX_TITLES``, are fetched through the API: the product endpoint first
   (formats/metacritic_product.py: every platform's summary in one answer), then the
   stats and review lists of each platform that needs them (the platform as a path
   segment). A game due because its listing moved costs only its moved platforms. When
   the API fails for a title, its HTML page is asked instead. Items flow through the
   pipelines as the ``reviews`` spider's do.

At the close, each fetched title is recorded as fresh (until its maximum age) or failed
(due again next job), and one closing line says what the job did and spent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from reviewcrawler.catalogue import record
from reviewcrawler.catalogue.due import CHANGED, FAILED, NEW, parse_max_ages
from reviewcrawler.formats import APIS, ParsedPage, metacritic_api
from reviewcrawler.formats.metacritic_finder import (
    PAGE_LIMIT,
    ListingQuery,
    listing_url,
    parse_listing,
)
from reviewcrawler.formats.metacritic_product import product_url
from reviewcrawler.formats.sitemap import parse_robots, parse_sitemap
from reviewcrawler.identity import MEDIA
from reviewcrawler.items import FilmSummaryItem, FollowUp, ListedTitle
from reviewcrawler.outcome import mark_failed
from reviewcrawler.spiders.reviews import ReviewsSpider, UnknownSpiderArgument
from reviewcrawler.store.engine import get_engine

logger = logging.getLogger(__name__)

#: The page size asked when the finder refuses the largest (the site's own pages ask 24).
SMALLER_LIMIT = 24
#: Request meta: the request is a title's HTML page, asked because its API failed.
FALLBACK = "catalogue_fallback"
#: Request meta: the catalogue id of the title a request fetches.
TITLE = "catalogue_title"
#: The stated figures compared to tell which of a game's platforms moved.
_FIGURES = (
    "stated_metascore",
    "stated_listed_count",
    "stated_positive",
    "stated_mixed",
    "stated_negative",
)


@dataclass
class PlannedTitle:
    id: int
    media: str
    slug: str
    reason: str
    page_url: str
    #: Stored stated figures by film key (a game's platforms), to compare the product with.
    stored: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    film_keys: set[str] = field(default_factory=set)
    fell_back: bool = False
    #: The product probe found figures that moved (or the title is new).
    moved: bool = False
    product_url: str = ""
    #: A response for the title came back (the product, or the HTML fallback's page).
    answered: bool = False
    fallback_answered: bool = False


class CatalogueSpider(ReviewsSpider):
    name = "catalogue"
    arguments: dict[str, str] = {
        "site": "the site whose catalogue to keep: metacritic (the default)",
        "media": "movie, tv, game or all (the default): the products listed",
        "years": "release years listed, inclusive: 2024-2026",
        "year": "one release year: 2026",
        "new_releases": "1: only titles with a Metascore, newest first",
        "sitemap": (
            "discover from a sitemap, a sitemap index or a robots.txt instead of the "
            "listings: titles are the URLs a format recognises"
        ),
    }

    def __init__(
        self,
        site: str = "metacritic",
        media: str = "all",
        years: str | None = None,
        year: str | None = None,
        new_releases: str | None = None,
        sitemap: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(None, None, None, *args, **kwargs)
        if site != "metacritic":
            raise UnknownSpiderArgument(f"site={site}: the catalogue knows metacritic only")
        if media != "all" and media not in MEDIA:
            raise UnknownSpiderArgument(f"media={media}: give movie, tv, game or all")
        self.site = site
        self.media = list(MEDIA) if media == "all" else [media]
        self.year_min, self.year_max = _years(years, year)
        self.new_releases = str(new_releases or "").strip().lower() in ("1", "true", "yes")
        self.sitemap = sitemap
        #: ``media:slug`` of the titles this job's listings named (dedupe by slug).
        self._seen: set[str] = set()
        self._open_listings = 0
        self._discovered: Deferred[None] = Deferred()
        self._planned: dict[int, PlannedTitle] = {}

    # --- Settings and the store -------------------------------------------------------

    @property
    def _api_base(self) -> str:
        return (self.settings.get(APIS[metacritic_api.API].setting) or "").strip()

    def _store(self) -> Any:
        return get_engine(self.settings.get("DATABASE_URL"))

    def _now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    @property
    def _ages(self) -> tuple[tuple[int | None, int], ...]:
        return parse_max_ages(self.settings.get("CATALOGUE_MAX_AGES"))

    # --- Phase 1: discovery -----------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        if not self.settings.getbool("STORE_ENABLED", True):
            mark_failed(self.crawler.stats, "the catalogue needs the store (STORE_ENABLED)")
            logger.error("The catalogue spider needs the store: STORE_ENABLED is off")
            return
        if self.sitemap:
            self._open_listings = 1
            yield self._sitemap_request(self.sitemap)
        elif not self._api_base:
            logger.error("METACRITIC_API_URL is empty: the catalogue reads listings from the API")
            mark_failed(self.crawler.stats, "METACRITIC_API_URL is empty")
            return
        else:
            self._open_listings = len(self.media)
            for media in self.media:
                yield self._listing_request(media, 0)
        await maybe_deferred_to_future(self._discovered)
        for request in await self._plan():
            yield request

    def _query(self, media: str) -> ListingQuery:
        return ListingQuery(media, self.year_min, self.year_max, self.new_releases)

    def _listing_request(self, media: str, offset: int, limit: int = PAGE_LIMIT) -> Request:
        self.crawler.stats.inc_value("catalogue/listing_requests")
        return Request(
            listing_url(self._api_base, self._query(media), offset, limit),
            callback=self.parse_listing,
            errback=self.listing_failed,
            meta={"media": media, "offset": offset, "limit": limit},
            dont_filter=True,
        )

    async def parse_listing(self, response: Response) -> list[Request]:
        media, offset = response.meta["media"], response.meta["offset"]
        following: list[Request] = []
        try:
            page = parse_listing(response.body, response.url, media)
            stats = self.crawler.stats
            for problem in page.problems:
                stats.inc_value(problem.stat)
                logger.warning("%s", problem.message)
            if page.total is not None:
                stats.set_value(f"catalogue/total_results/{media}", page.total)
            await self._record(page.titles, media)
            after = offset + page.answered
            if page.answered and (page.total is None or after < page.total):
                following = [self._listing_request(media, after, response.meta["limit"])]
        except Exception as exc:  # noqa: BLE001  (a page, or its record, costs only itself)
            self._listing_error(response.url, exc)
        finally:
            # Discovery ends when every listing has: whatever happened to this page.
            if not following:
                self._listing_done()
        return following

    def _listing_error(self, url: str, exc: Exception) -> None:
        self.crawler.stats.inc_value("catalogue/listing_failed")
        logger.warning(
            "Listing page %s could not be recorded (%s: %s): the listing stops there",
            url,
            type(exc).__name__,
            exc,
        )

    def listing_failed(self, failure: Failure) -> list[Request]:
        """A listing page that fails ends that listing: what it named is found next job.
        One the finder refuses for its ``limit`` (HTTP 400) is asked again, smaller."""
        request = getattr(failure, "request", None)
        meta = request.meta if request is not None else {}
        if (
            failure.check(HttpError)
            and failure.value.response.status == 400
            and meta.get("limit", 0) > SMALLER_LIMIT
        ):
            self.crawler.stats.inc_value("catalogue/listing_limit_refused")
            logger.warning(
                "The listing refused limit=%d: asking %d a page", meta["limit"], SMALLER_LIMIT
            )
            return [self._listing_request(meta["media"], meta["offset"], SMALLER_LIMIT)]
        self.crawler.stats.inc_value("catalogue/listing_failed")
        logger.warning(
            "Listing page %s failed (%s): the listing stops there",
            request.url if request is not None else "?",
            failure.getErrorMessage(),
        )
        self._listing_done()
        return []

    def _listing_done(self) -> None:
        self._open_listings -= 1
        if self._open_listings <= 0 and not self._discovered.called:
            self._discovered.callback(None)

    async def _record(self, titles: list[ListedTitle], media: str | None) -> None:
        engine = self._store()
        outcome = await maybe_deferred_to_future(
            threads.deferToThread(
                record.record_listed, engine, titles, self._now(), self._ages, self._seen
            )
        )
        stats = self.crawler.stats
        stats.inc_value("catalogue/listed", len(outcome.seen))
        stats.inc_value("catalogue/new", outcome.new)
        stats.inc_value("catalogue/changed", outcome.changed)
        stats.inc_value("catalogue/listed_twice", outcome.listed_twice)
        stats.inc_value("catalogue/listed_without_reviews", outcome.without_reviews)
        for name in outcome.seen:
            listed_media = name.split(":", 1)[0]
            stats.inc_value(f"catalogue/seen/{listed_media}")

    def _sitemap_request(self, url: str) -> Request:
        self.crawler.stats.inc_value("catalogue/listing_requests")
        return Request(
            url,
            callback=self.parse_sitemap,
            errback=self.listing_failed,
            dont_filter=True,
        )

    async def parse_sitemap(self, response: Response) -> list[Request]:
        requests: list[Request] = []
        try:
            if response.url.endswith("/robots.txt"):
                page = parse_robots(response.body, response.url)
            else:
                # Up to 64 MB to inflate and parse: off the reactor's thread.
                page = await maybe_deferred_to_future(
                    threads.deferToThread(parse_sitemap, response.body, response.url)
                )
            if page.problem:
                self.crawler.stats.inc_value(f"catalogue/problems/sitemap_{page.problem}")
                logger.warning("Sitemap %s: %s", response.url, page.problem.replace("_", " "))
            wanted = [t for t in page.titles if t.site == self.site and t.media in self.media]
            await self._record(wanted, None)
            requests = [self._sitemap_request(url) for url in page.sitemaps]
            self._open_listings += len(requests)
        except Exception as exc:  # noqa: BLE001
            self._listing_error(response.url, exc)
        finally:
            self._listing_done()
        return requests

    # --- Phase 2: fetching ------------------------------------------------------------

    async def _plan(self) -> list[Request]:
        limit = self.settings.getint("CATALOGUE_MAX_TITLES") or None
        engine = self._store()
        now = self._now()
        chosen, carried = await maybe_deferred_to_future(
            threads.deferToThread(
                record.plan, engine, now, site=self.site, media=self.media, limit=limit
            )
        )
        stored = await maybe_deferred_to_future(
            threads.deferToThread(
                _stored_figures, engine, [(row.media, row.slug) for row in chosen]
            )
        )
        stats = self.crawler.stats
        stats.set_value("catalogue/due", len(chosen) + carried)
        stats.set_value("catalogue/carried_over", carried)
        requests = []
        for row in chosen:
            reason = row.due_reason or (NEW if row.last_fetched is None else "stale")
            stats.inc_value(f"catalogue/due/{reason}")
            title = PlannedTitle(
                id=row.id,
                media=row.media,
                slug=row.slug,
                reason=reason,
                page_url=_page_url(row.media, row.slug),
                stored=stored.get((row.media, row.slug), {}),
            )
            self._planned[title.id] = title
            requests.append(self._product_request(title))
        stats.set_value("catalogue/fetched", len(chosen))
        return requests

    def _product_request(self, title: PlannedTitle) -> Request:
        url = product_url(title.media, title.slug, self._api_base)
        title.product_url = url
        request = self.request_for(url, start_url=title.page_url, api=metacritic_api.API)
        request.meta[TITLE] = title.id
        request.errback = self.on_product_error
        return request

    def on_product_error(self, failure: Failure) -> list[Request]:
        """The API failed for this title: its HTML page instead (once)."""
        self.on_error(failure)
        request = getattr(failure, "request", None)
        title = self._planned.get(request.meta.get(TITLE)) if request is not None else None
        site = (self.settings.get("METACRITIC_SITE_URL") or "").strip()
        if title is None or title.fell_back or not site:
            return []
        title.fell_back = True
        self.crawler.stats.inc_value("catalogue/html_fallback")
        url = f"{site.rstrip('/')}{_page_path(title.media, title.slug)}critic-reviews/"
        fallback = self.request_for(url, start_url=title.page_url)
        fallback.meta[TITLE] = title.id
        fallback.meta[FALLBACK] = True
        return [fallback]

    def _route(self, response: Response, parsed: ParsedPage) -> list[Any]:
        """A product answer's follow-ups kept only for the platforms that need them."""
        title = self._planned.get(response.meta.get(TITLE)) if TITLE in response.meta else None
        if title is not None:
            title.answered = True
            title.fallback_answered |= bool(response.meta.get(FALLBACK))
        if title is not None and parsed.format_name == "metacritic_product":
            parsed.outputs = list(_needed(title, parsed.outputs, self.crawler.stats))
        results = super()._route(response, parsed)
        for result in results:
            if isinstance(result, Request) and title is not None:
                result.meta[TITLE] = title.id
        return results

    # --- The close --------------------------------------------------------------------

    async def closed(self, reason: str) -> None:  # type: ignore[override]
        super().closed(reason)
        if not self._planned:
            self._closing_line()
            return
        now = self._now()
        fetched = []
        failed = 0
        unanswered = 0
        for title in self._planned.values():
            pages = self._failed_pages.get(title.page_url, [])
            if not title.answered and not pages:
                # Never asked (the job stopped early): left as it was, still due.
                unanswered += 1
                continue
            # Any failed critic page of the title fails it (its missing reviews would
            # otherwise wait for the figures to move); the product's own failure is
            # forgiven when the HTML fallback answered instead.
            missing = [
                page
                for page in pages
                if not (page.url == title.product_url and title.fallback_answered)
            ]
            ok = title.answered and not missing
            failed += not ok
            fetched.append(
                record.Fetched(title.id, ok, changed=title.moved, film_keys=tuple(title.film_keys))
            )
        self.crawler.stats.set_value("catalogue/failed", failed)
        self.crawler.stats.set_value("catalogue/not_asked", unanswered)
        self.crawler.stats.set_value("catalogue/fetched", len(fetched))
        self._closing_line()
        await maybe_deferred_to_future(
            threads.deferToThread(record.finish, self._store(), fetched, now, self._ages)
        )

    def _closing_line(self) -> None:
        stats = self.crawler.stats.get_stats()
        listing = stats.get("catalogue/listing_requests", 0)
        total = stats.get("downloader/request_count", 0)
        fetched = stats.get("catalogue/fetched", 0)
        listed = stats.get("catalogue/listed", 0)
        spent = total - listing
        line = (
            f"Catalogue: {listed} titles listed ({stats.get('catalogue/new', 0)} new, "
            f"{stats.get('catalogue/changed', 0)} changed), {stats.get('catalogue/due', 0)} due, "
            f"{fetched} fetched, {stats.get('catalogue/carried_over', 0)} carried over, "
            f"{stats.get('catalogue/failed', 0)} failed; requests: {listing} for listings "
            f"({listing / listed if listed else 0:.3f} per listed title), {spent} for titles "
            f"({spent / fetched if fetched else 0:.1f} per fetched title)"
        )
        if self.settings.getbool("STORE_PRINT_SUMMARIES", True):
            print(line, flush=True)
        logger.info("%s", line)


def _years(years: str | None, year: str | None) -> tuple[int | None, int | None]:
    if year:
        value = _year(year, "year")
        return value, value
    if not years:
        return None, None
    low, _, high = years.partition("-")
    return _year(low, "years"), _year(high or low, "years")


def _year(text: str, name: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise UnknownSpiderArgument(f"{name}={text}: give a year such as 2026") from None
    if not 1870 <= value <= 2200:
        raise UnknownSpiderArgument(f"{name}={text}: not a release year")
    return value


def _page_path(media: str, slug: str) -> str:
    return f"/{media}/{slug}/"


def _page_url(media: str, slug: str) -> str:
    return f"{metacritic_api.PUBLIC_SITE}{_page_path(media, slug)}"


def _needed(title: PlannedTitle, outputs: Iterable[Any], stats: Any) -> Iterable[Any]:
    """The product answer's outputs, without the follow-ups of platforms that need none.

    The product endpoint is the probe: it states every platform's figures in one answer.
    A new title, or one whose last fetch failed, is fetched whole. A title due because
    its listing moved, or because it grew stale, costs only the platforms whose figures
    moved since they were stored; a moved listing with no platform moved still fetches
    the lead platform (the listing's figures are the lead platform's); a stale title
    with nothing moved costs the probe alone."""
    outputs = list(outputs)
    summaries = [o for o in outputs if isinstance(o, FilmSummaryItem)]
    title.film_keys.update(summary.film_key for summary in summaries)
    if title.reason in (NEW, FAILED):
        title.moved = True
        yield from outputs
        return
    moved = {summary.film_key for summary in summaries if _moved(title, summary)}
    if title.reason == CHANGED and not moved and summaries:
        moved = {summaries[0].film_key}
    title.moved = bool(moved)
    if not moved:
        stats.inc_value("catalogue/probed_unchanged")
    for output in outputs:
        if isinstance(output, FollowUp) and output.film_key not in moved:
            stats.inc_value("catalogue/platforms_skipped")
            continue
        yield output


def _moved(title: PlannedTitle, summary: FilmSummaryItem) -> bool:
    """The product states a figure other than the stored one for this film key (a figure
    it leaves out, such as the buckets of a platform with no Metascore yet, says
    nothing); a film key stored without figures has moved."""
    stored = title.stored.get(summary.film_key)
    if stored is None:
        return True
    return any(
        value is not None and value != before
        for value, before in zip((getattr(summary, n) for n in _FIGURES), stored, strict=True)
    )


def _stored_figures(
    engine: Any, titles: list[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, tuple[Any, ...]]]:
    """The stated figures stored for these titles' film keys (every platform of a game)."""
    from sqlalchemy import or_, select

    from reviewcrawler.store.models import Film, FilmSummary

    films, summaries = Film.__table__, FilmSummary.__table__
    found: dict[tuple[str, str], dict[str, tuple[Any, ...]]] = {}
    if not titles:
        return found
    keys = {}
    for media, slug in titles:
        if media == "game":
            keys[(media, slug)] = films.c.key.like(f"metacritic:game:{slug}:%")
        elif media == "tv":
            keys[(media, slug)] = films.c.key == f"metacritic:tv:{slug}"
        else:
            keys[(media, slug)] = films.c.key == f"metacritic:{slug}"
    with engine.connect() as connection:
        for start in range(0, len(titles), 200):
            chunk = titles[start : start + 200]
            query = (
                select(films.c.key, *(summaries.c[n] for n in _FIGURES))
                .join(summaries, summaries.c.film_id == films.c.id)
                .where(or_(*(keys[t] for t in chunk)))
            )
            for key, *figures in connection.execute(query):
                parts = key.split(":")
                media = parts[1] if len(parts) > 2 and parts[1] in ("tv", "game") else "movie"
                slug = parts[2] if media != "movie" else parts[1]
                found.setdefault((media, slug), {})[key] = tuple(figures)
    return found
