"""Turns the text a page states into typed, cleaned values, in place.

Reviews that carry nothing to identify or say (no critic, publication, score or
quote) are rejected with a counted reason; fields that cannot be read (a score
of ``N/A``, a date of ``Feb 30, 2019``) become None and are counted, so a bad
field never costs the rest of the review.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from reviewcrawler.items import FilmSummaryItem, PageItems, ReviewItem
from reviewcrawler.normalize.dates import iso_date
from reviewcrawler.normalize.fingerprint import review_fingerprint
from reviewcrawler.normalize.scores import (
    score_from_original,
    sentiment_for_score,
    sentiment_from_text,
)
from reviewcrawler.normalize.text import clean_critic, clean_name, clean_text

logger = logging.getLogger(__name__)


class RejectedReview(Exception):
    """A review not worth keeping (already counted in stats when raised)."""


class NormalizePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItems):
            item.summaries = [self.normalize_summary(summary) for summary in item.summaries]
            item.reviews = [review for review in map(self._kept, item.reviews) if review]
            return item
        if isinstance(item, ReviewItem):
            try:
                return self.normalize_review(item)
            except RejectedReview as exc:
                raise DropItem(str(exc)) from None
        if isinstance(item, FilmSummaryItem):
            return self.normalize_summary(item)
        return item

    def _kept(self, review: ReviewItem) -> ReviewItem | None:
        try:
            return self.normalize_review(review)
        except RejectedReview as exc:
            logger.warning("Rejected: %s", exc)
            return None

    def _unreadable(self, field: str, value: object, url: str) -> None:
        self.stats.inc_value(f"normalize/unreadable/{field}")
        logger.warning("Unreadable %s %r in a review on %s", field, value, url)

    def normalize_review(self, item: ReviewItem) -> ReviewItem:
        """Normalize in place; raises RejectedReview (counted) for an empty review."""
        item.critic = clean_critic(item.critic)
        item.publication = clean_name(item.publication)
        item.quote = clean_text(item.quote)
        item.review_url = clean_text(item.review_url)
        item.original_score = clean_text(item.original_score)
        item.score = score_from_original(item.original_score)
        if item.original_score is not None and item.score is None:
            self._unreadable("score", item.original_score, item.source_url)
        stated_sentiment = sentiment_from_text(item.sentiment)
        item.sentiment = sentiment_for_score(item.score) or stated_sentiment
        raw_date = item.published_on
        item.published_on = iso_date(raw_date)
        if clean_text(raw_date) is not None and item.published_on is None:
            self._unreadable("date", raw_date, item.source_url)
        if not (item.critic or item.publication or item.quote or item.score is not None):
            self.stats.inc_value("normalize/rejected/empty_review")
            raise RejectedReview(
                f"Review with no critic, publication, score or quote on {item.source_url}"
            )
        if item.quote is None:
            self.stats.inc_value("normalize/missing/quote")
            logger.info("Review without a quote on %s", item.source_url)
        item.fingerprint = review_fingerprint(
            item.film_key, item.publication, item.critic, item.quote, item.review_url
        )
        return item

    def normalize_summary(self, item: FilmSummaryItem) -> FilmSummaryItem:
        item.title = clean_text(item.title)
        item.stated_label = clean_text(item.stated_label)
        return item
