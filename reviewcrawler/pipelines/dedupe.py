"""Drops a review already seen in this crawl (same fingerprint), and reconciles the
ways one page or film carries the same data (items.PATHS).

Across crawls the store's unique fingerprint does the dropping, exactly: this
stage spares the store rewriting rows a crawl meets twice (a film page and its
critic-reviews pages, HTML cards, page data and the API list the same reviews),
which happens close together in a crawl. So it remembers the most recent
``DEDUPE_MEMORY`` fingerprints (and as many film keys' stated summaries) rather
than all of them, and a night's crawl of any size runs in flat memory; a repeat
it has forgotten is still stored once.

Paths. Each review and summary carries the path it was read from; precedence is
``items.PATHS``: the API, then page data, then JSON-LD, then the HTML. When a
review is met again its normalized score, date and quote are compared with what
was remembered, and a summary's stated figures with the film's remembered ones:

* every field where both give a value and they differ is counted
  ``paths/disagree/<field>`` and logged as one line with both values, both paths
  and the URLs (the ``MONITOR_MAX_PATH_DISAGREEMENTS`` monitor judges the total);
* a review from a path of lower (or equal) precedence is dropped as a duplicate;
  one of higher precedence passes through and supersedes what the store has;
* in a summary, a lower-precedence value that disagrees is set to None on the new
  item (the store never erases with None); a higher one passes and is remembered.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from reviewcrawler.items import PATHS, STATED_FIELDS, FilmSummaryItem, PageItems, ReviewItem

logger = logging.getLogger(__name__)

#: The review fields two paths are compared on (normalized values).
REVIEW_FIELDS = ("score", "published_on", "quote")


#: A remembered quote is kept as its first characters and its hash: 50,000 remembered
#: reviews with 20 KB quotes would otherwise hold a gigabyte. (str's own hash, computed
#: once per string and cached: this runs for every review of a crawl.)
_KEPT_TEXT = 120


def _quote_key(quote: str | None) -> tuple[int, str] | None:
    return None if quote is None else (hash(quote), quote[:_KEPT_TEXT])


def rank(path: str | None) -> int:
    """A path's precedence: 0 is the highest; an unknown path ranks below them all."""
    try:
        return PATHS.index(path or "")
    except ValueError:
        return len(PATHS)


class Seen:
    """What was remembered of a review: its path and the compared fields."""

    __slots__ = ("path", "url", "score", "published_on", "quote")

    def __init__(self, review: ReviewItem) -> None:
        self.path = review.path
        self.url = review.source_url
        self.score = review.score
        self.published_on = review.published_on
        self.quote = _quote_key(review.quote)


@dataclass
class Stated:
    value: Any
    path: str
    url: str


class DedupePipeline:
    def __init__(self, stats: StatsCollector, memory: int) -> None:
        self.stats = stats
        self.memory = max(1, memory)
        self.recent: OrderedDict[str, Seen] = OrderedDict()
        self.summaries: OrderedDict[str, dict[str, Stated]] = OrderedDict()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler.stats, crawler.settings.getint("DEDUPE_MEMORY"))

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItems):
            for summary in item.summaries:
                self.reconcile_summary(summary)
            item.reviews = [review for review in item.reviews if not self.seen(review)]
        elif isinstance(item, ReviewItem) and self.seen(item):
            raise DropItem(
                f"Duplicate review {item.fingerprint} on {item.source_url}", log_level="DEBUG"
            )
        elif isinstance(item, FilmSummaryItem):
            self.reconcile_summary(item)
        return item

    def seen(self, review: ReviewItem) -> bool:
        """Whether this review was met recently and is to be dropped (counted); a repeat
        from a path of higher precedence is not: it supersedes. Remembers it either way."""
        fingerprint = review.fingerprint
        if fingerprint is None:
            return False
        before = self.recent.get(fingerprint)
        if before is None:
            self.recent[fingerprint] = Seen(review)
            if len(self.recent) > self.memory:
                self.recent.popitem(last=False)
            return False
        self.recent.move_to_end(fingerprint)
        seen = Seen(review)
        for name in REVIEW_FIELDS:
            old, new = getattr(before, name), getattr(seen, name)
            if old is not None and new is not None and old != new:
                if name == "quote":  # as the reader knows them: their first characters
                    old, new = old[1], new[1]
                self._disagree(name, old, before.path, before.url, new, review)
        if rank(review.path) < rank(before.path):
            self.stats.inc_value("paths/superseded")
            self.recent[fingerprint] = seen
            return False
        self.stats.inc_value("dedupe/duplicates")
        return True

    def reconcile_summary(self, summary: FilmSummaryItem) -> None:
        """Compare the summary's stated figures with the film's remembered ones; a
        disagreeing value of lower precedence becomes None on this item."""
        known = self.summaries.get(summary.film_key)
        if known is None:
            known = self.summaries[summary.film_key] = {}
            if len(self.summaries) > self.memory:
                self.summaries.popitem(last=False)
        else:
            self.summaries.move_to_end(summary.film_key)
        for name in STATED_FIELDS:
            value = getattr(summary, name)
            if value is None:
                continue
            before = known.get(name)
            if before is None or before.value == value:
                if before is None or rank(summary.path) < rank(before.path):
                    known[name] = Stated(value, summary.path, summary.source_url)
                continue
            self._disagree(name, before.value, before.path, before.url, value, summary)
            if rank(summary.path) <= rank(before.path):
                known[name] = Stated(value, summary.path, summary.source_url)
            else:
                setattr(summary, name, None)

    def _disagree(
        self,
        field: str,
        old: Any,
        old_path: str,
        old_url: str,
        new: Any,
        item: ReviewItem | FilmSummaryItem,
    ) -> None:
        self.stats.inc_value(f"paths/disagree/{field}")
        kept = item.path if rank(item.path) <= rank(old_path) else old_path
        where = (
            item.source_url if old_url == item.source_url else f"{old_url} and {item.source_url}"
        )
        logger.warning(
            "Paths disagree on %s of %s: %s says %r, %s says %r (keeping %s's) on %s",
            field,
            item.film_key,
            old_path,
            old,
            item.path,
            new,
            kept,
            where,
        )
