"""Feed exports (``-O reviews.csv``, ``FEEDS``) of a crawl whose pages travel as PageItems.

The spider sends each page's reviews and summaries as one ``PageItems`` (see
items.py). ``PageFeedExporter`` replaces Scrapy's FeedExporter extension and hands
each review and each summary of a page, one at a time, to every feed's own item
filter, so Scrapy's ``FEEDS`` options (``item_classes``, ``item_filter``,
``fields``, ``batch_item_count``, every format) work as Scrapy documents them.

Which records a feed gets:

* a feed gets reviews, one record each (``ReviewRow``: every ReviewItem field plus
  the film's ``title`` and ``year``);
* a feed whose ``item_classes`` names FilmSummaryItem gets summaries, and both if it
  names both;
* by convention a feed whose file name starts with ``films`` or ``summaries``
  (``-O films.csv``) gets summaries instead of reviews.

A CSV feed without ``fields`` gets its header from the full field list of what it
receives, not from its first record (Scrapy's default), so no column is lost.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from scrapy.exporters import XmlItemExporter
from scrapy.extensions.feedexport import FeedExporter, ItemFilter

from reviewcrawler.items import FilmSummaryItem, PageItems, ReviewItem

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

REVIEWS, SUMMARIES = "reviews", "summaries"
#: File names that make a feed without ``item_classes`` a feed of summaries.
SUMMARY_FEED_PREFIXES = ("films", "summaries")


@dataclass
class ReviewRow(ReviewItem):
    """A review as feeds write it: every ReviewItem field, then its film's title and year.

    A ReviewItem subclass, so that ``item_classes: [reviewcrawler.items.ReviewItem]``
    selects it as Scrapy's own item filter would.
    """

    title: str | None = None
    year: int | None = None


REVIEW_FIELDS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(ReviewRow))
SUMMARY_FIELDS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(FilmSummaryItem))


def feed_file_name(uri: str) -> str:
    """The file name of a feed URI (``reviews.csv`` of ``file:///tmp/reviews.csv``)."""
    return PurePosixPath(unquote(urlsplit(uri).path).replace("\\", "/")).name


def feed_kinds(uri: str, item_classes: tuple[type, ...]) -> frozenset[str]:
    """What a feed gets: reviews, summaries or both (see the module docstring)."""
    if item_classes:
        kinds = set()
        if any(issubclass(ReviewRow, cls) for cls in item_classes):
            kinds.add(REVIEWS)
        if any(issubclass(FilmSummaryItem, cls) for cls in item_classes):
            kinds.add(SUMMARIES)
        return frozenset(kinds)
    if feed_file_name(uri).lower().startswith(SUMMARY_FEED_PREFIXES):
        return frozenset({SUMMARIES})
    return frozenset({REVIEWS})


def full_fields(kinds: frozenset[str]) -> list[str]:
    """Every field a feed of these kinds can carry, reviews' first, for a CSV header."""
    fields = list(REVIEW_FIELDS) if REVIEWS in kinds else []
    if SUMMARIES in kinds:
        fields += [name for name in SUMMARY_FIELDS if name not in fields]
    return fields


def kind_of(item: Any) -> str | None:
    if isinstance(item, ReviewItem):
        return REVIEWS
    if isinstance(item, FilmSummaryItem):
        return SUMMARIES
    return None


class KindFilter(ItemFilter):
    """A feed's own item filter, narrowed to the kinds of record the feed gets."""

    def __init__(self, inner: ItemFilter, kinds: frozenset[str]) -> None:
        super().__init__(inner.feed_options)
        self.inner = inner
        self.kinds = kinds

    def accepts(self, item: Any) -> bool:
        kind = kind_of(item)
        return (kind is None or kind in self.kinds) and self.inner.accepts(item)


class RecentFilms:
    """Title and year of the films met lately, for the review rows of later pages.

    Bounded (FEED_RECENT_FILMS): a film's pages are crawled together, so a review
    finds its film here; one whose film was forgotten, or never stated by a page
    before it, is written without title and year.
    """

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        #: Title, year and the strength of their source (items.py ``facts_rank``).
        self.films: OrderedDict[str, tuple[str | None, int | None, int]] = OrderedDict()

    def remember(self, summary: FilmSummaryItem) -> None:
        title, year, rank = self.films.pop(summary.film_key, (None, None, 0))
        # As the store merges a film's pages (store/writer.py): a value replaces a stored
        # one only from a source at least as strong, and fills one nothing stated.
        new = summary.facts_rank
        if summary.title is not None and (title is None or new >= rank):
            title = summary.title
        if summary.year is not None and (year is None or new >= rank):
            year = summary.year
        if summary.title is not None or summary.year is not None:
            rank = max(rank, new)
        self.films[summary.film_key] = (title, year, rank)
        if len(self.films) > self.size:
            self.films.popitem(last=False)

    def of(self, film_key: str) -> tuple[str | None, int | None]:
        title, year, _ = self.films.get(film_key, (None, None, 0))
        return title, year


def page_rows(page: PageItems, films: RecentFilms) -> list[FilmSummaryItem | ReviewRow]:
    """A page's records as feeds write them: its summaries, then a row per review."""
    for summary in page.summaries:
        films.remember(summary)
    rows: list[FilmSummaryItem | ReviewRow] = list(page.summaries)
    for review in page.reviews:
        title, year = films.of(review.film_key)
        rows.append(ReviewRow(**vars(review), title=title, year=year))
    return rows


class PageFeedExporter(FeedExporter):
    """Scrapy's FeedExporter, writing each PageItems as its records (see the module)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.recent_films = RecentFilms(crawler.settings.getint("FEED_RECENT_FILMS"))
        for uri, inner in list(self.filters.items()):
            kinds = feed_kinds(uri, getattr(inner, "item_classes", ()))
            self.filters[uri] = KindFilter(inner, kinds)
            options = self.feeds[uri]
            if options["format"] == "csv" and not options.get("fields"):
                options["fields"] = full_fields(kinds)

    def item_scraped(self, item: Any, spider: Spider) -> None:
        if not isinstance(item, PageItems):
            super().item_scraped(item, spider)
            return
        for row in page_rows(item, self.recent_films):
            try:
                super().item_scraped(row, spider)
            except Exception as exc:
                # One record a feed cannot write costs that record, not the rest of its page.
                self._record_failed(row, exc)

    def _record_failed(self, row: Any, exc: Exception) -> None:
        reason = type(exc).__name__
        stats = self.crawler.stats
        first = not stats.get_value(f"feeds/records_failed/{reason}")
        stats.inc_value(f"feeds/records_failed/{reason}")
        # Logged once per reason (a full disk or a closed pipe fails every record).
        logger.log(
            logging.ERROR if first else logging.DEBUG,
            "A feed could not write a record of %s (%s: %s); counted in feeds/records_failed/%s",
            getattr(row, "source_url", "?"),
            reason,
            exc,
            reason,
        )


class XmlExporter(XmlItemExporter):
    """Scrapy's XML exporter, writing no value (None) as an empty element rather than
    the text ``None``, as the CSV exporter writes an empty cell."""

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        return "" if value is None else super().serialize_field(field, name, value)
