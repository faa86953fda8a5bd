"""Normalizing a page's items: typed, cleaned values in place, and a report of what was found.

Reviews that carry nothing to identify or say (no critic, publication, score or
quote) are rejected with a counted reason; fields that cannot be read (a score
of ``N/A``, a date of ``Feb 30, 2019``) become None and are counted, so a bad
field never costs the rest of the review.

Pure: what a caller should count and log comes back as ``Findings``. The
normalize pipeline records them; a parse worker (parse_workers.py) normalizes a
page where it reads it and sends the findings along with the items, so the
crawl's process only records them.
"""

from __future__ import annotations

import logging

from reviewcrawler.findings import Findings
from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.normalize.dates import iso_date
from reviewcrawler.normalize.fingerprint import review_fingerprint
from reviewcrawler.normalize.scores import (
    score_from_original,
    sentiment_for_score,
    sentiment_from_text,
)
from reviewcrawler.normalize.text import clean_critic, clean_name, clean_text


class RejectedReview(Exception):
    """A review not worth keeping (already counted in the findings when raised)."""


def normalize_review(item: ReviewItem, findings: Findings) -> ReviewItem:
    """Normalize in place; raises RejectedReview (noted in findings) for an empty review."""
    item.critic = clean_critic(item.critic)
    item.publication = clean_name(item.publication)
    item.quote = clean_text(item.quote)
    item.review_url = clean_text(item.review_url)
    item.original_score = clean_text(item.original_score)
    item.score = score_from_original(item.original_score)
    if item.original_score is not None and item.score is None:
        findings.note(
            "normalize/unreadable/score",
            logging.WARNING,
            f"Unreadable score {item.original_score!r} in a review on {item.source_url}",
        )
    stated_sentiment = sentiment_from_text(item.sentiment)
    item.sentiment = sentiment_for_score(item.score) or stated_sentiment
    raw_date = item.published_on
    item.published_on = iso_date(raw_date)
    if clean_text(raw_date) is not None and item.published_on is None:
        findings.note(
            "normalize/unreadable/date",
            logging.WARNING,
            f"Unreadable date {raw_date!r} in a review on {item.source_url}",
        )
    if not (item.critic or item.publication or item.quote or item.score is not None):
        message = f"Review with no critic, publication, score or quote on {item.source_url}"
        findings.note("normalize/rejected/empty_review", logging.WARNING, f"Rejected: {message}")
        raise RejectedReview(message)
    if item.quote is None:
        findings.note(
            "normalize/missing/quote", logging.INFO, f"Review without a quote on {item.source_url}"
        )
    item.fingerprint = review_fingerprint(
        item.film_key, item.publication, item.critic, item.quote, item.review_url
    )
    return item


def normalize_summary(item: FilmSummaryItem) -> FilmSummaryItem:
    item.title = clean_text(item.title)
    item.stated_label = clean_text(item.stated_label)
    return item


def normalize_reviews(reviews: list[ReviewItem], findings: Findings) -> list[ReviewItem]:
    """The page's reviews normalized in place, without the rejected ones."""
    kept = []
    for review in reviews:
        try:
            kept.append(normalize_review(review, findings))
        except RejectedReview:
            continue
    return kept


def normalize_page(
    summaries: list[FilmSummaryItem], reviews: list[ReviewItem]
) -> tuple[list[FilmSummaryItem], list[ReviewItem], Findings]:
    """A page's summaries and reviews normalized in place (rejected reviews left out),
    and what normalizing them found."""
    findings = Findings()
    kept = normalize_reviews(reviews, findings)
    return [normalize_summary(summary) for summary in summaries], kept, findings
