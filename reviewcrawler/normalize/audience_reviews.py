"""Normalizing audience (user) reviews: typed, cleaned values in place, and what was found.

Audience reviews are never critic reviews: they get no fingerprint, no 0-100 score and
no sentiment, and they go to their own table (store/audience_reviews.py). A bad field
costs only itself, counted like the critics' (normalize/items.py names the stats):

* ``normalize/wrong_type/audience_<field>``: not text or a number where one was
  expected (a JSON object, a list; for the score also text, which formats never turn
  into a number for a JSON answer): NULL;
* ``normalize/out_of_range/audience_score``: a score outside 0-10, or not finite: NULL;
* ``normalize/unreadable/audience_date``: a date naming no real day;
* ``normalize/truncated/audience_<field>``: cut to its column (limits.FIELD_LENGTHS);
* ``normalize/derived/audience_review_id``: no usable id from the site, so the review's
  identity is a hash of its film, author, date and quote (an id longer than its
  column: a hash of that id);
* ``normalize/rejected/empty_audience_review``: a review with no id, author, score or
  quote, dropped.

Pure: the page reader (reviewcrawler/reading.py) calls it and records the findings.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Callable

from reviewcrawler.findings import Findings
from reviewcrawler.identity import canonical_film_key
from reviewcrawler.items import PATHS, AudienceReviewItem
from reviewcrawler.limits import FIELD_LENGTHS, TRUNCATION_MARK
from reviewcrawler.normalize.dates import iso_date
from reviewcrawler.normalize.text import (
    clean_name,
    clean_quote,
    clean_text,
    comparable,
    invalid_characters,
    truncate,
)

#: The top of Metacritic's user score.
AUDIENCE_REVIEW_SCALE = 10
#: The column each text field is cut to (the quote's column is unbounded text, but a
#: critic quote's limit keeps one runaway answer from filling the database).
_LENGTHS = {
    "author": FIELD_LENGTHS["audience_author"],
    "quote": FIELD_LENGTHS["quote"],
}
_ID_LENGTH = FIELD_LENGTHS["audience_review_id"]


def normalize_audience_reviews(
    items: list[AudienceReviewItem], findings: Findings
) -> list[AudienceReviewItem]:
    """The page's audience reviews normalized in place; empty ones dropped (counted)."""
    kept = []
    for item in items:
        try:
            if normalize_audience_review(item, findings) is not None:
                kept.append(item)
        except Exception as exc:  # noqa: BLE001  (one odd review costs only itself)
            findings.note(
                "normalize/rejected/error",
                logging.WARNING,
                f"Audience review on {item.source_url} not normalized: {exc!r}",
            )
    return kept


def normalize_audience_review(
    item: AudienceReviewItem, findings: Findings
) -> AudienceReviewItem | None:
    """Normalize in place; None (counted) when nothing is left to identify or say."""
    url = item.source_url
    item.film_key = canonical_film_key(item.film_key)
    item.author = _text(item.author, "author", url, findings, clean_name)
    item.quote = _text(item.quote, "quote", url, findings, clean_quote)
    raw_date = _as_text(item.published_on, "date", url, findings)
    item.published_on = iso_date(raw_date)
    if item.published_on is None and clean_text(raw_date) is not None:
        findings.note(
            "normalize/unreadable/audience_date",
            logging.WARNING,
            f"Unreadable date {raw_date!r} in an audience review on {url}",
        )
    item.score = _score(item.score, url, findings)
    if item.spoiler is not None and not isinstance(item.spoiler, bool):
        findings.note(
            "normalize/wrong_type/audience_spoiler",
            logging.WARNING,
            f"spoiler {item.spoiler!r} on {url}",
        )
        item.spoiler = None
    if item.path not in PATHS:
        item.path = "api"
    site_id = _text(item.review_id, "review_id", url, findings, clean_text)
    if site_id is not None and len(site_id) > _ID_LENGTH:
        # Cut, two long ids could become one; hashed, each stays itself within the column.
        findings.count("normalize/derived/audience_review_id")
        site_id = hashlib.sha1(site_id.encode("utf-8", "surrogatepass")).hexdigest()
    if not (site_id or item.author or item.quote or item.score is not None):
        findings.note(
            "normalize/rejected/empty_audience_review",
            logging.WARNING,
            f"Rejected: an audience review with no id, author, score or quote on {url}",
        )
        return None
    if site_id is None:
        findings.count("normalize/derived/audience_review_id")
        site_id = derived_review_id(item.film_key, item.author, item.published_on, item.quote)
    item.review_id = site_id
    return item


def derived_review_id(
    film_key: str, author: str | None, published_on: str | None, quote: str | None
) -> str:
    """A review's identity when the site gives none: stable across crawls as long as the
    review reads the same (compared as comparable() does, so spacing and case don't
    count). 40 hex characters: within the column, never a UUID's shape."""
    parts = [film_key, comparable(author), published_on or "", comparable(quote)]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _score(value: object, url: str, findings: Findings) -> float | None:
    """A 0-10 score from a JSON number; anything else NULL with its reason counted."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        findings.note(
            "normalize/wrong_type/audience_score",
            logging.WARNING,
            f"audience review score {value!r} on {url}",
        )
        return None
    if not math.isfinite(value) or not 0 <= value <= AUDIENCE_REVIEW_SCALE:
        findings.note(
            "normalize/out_of_range/audience_score",
            logging.WARNING,
            f"audience review score {value!r} on {url}",
        )
        return None
    return float(value)


def _as_text(value: object, field: str, url: str, findings: Findings) -> str | None:
    """Text as is, a number as its digits; anything else (an object, a list, true) NULL."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return str(value)
    findings.note(
        f"normalize/wrong_type/audience_{field}",
        logging.WARNING,
        f"audience review {field} of a {type(value).__name__} on {url}: dropped",
    )
    return None


def _text(
    value: object,
    field: str,
    url: str,
    findings: Findings,
    clean: Callable[[str | None], str | None] = clean_text,
) -> str | None:
    """A text field cleaned and cut to its column, with what was dropped or cut counted."""
    text = _as_text(value, field, url, findings)
    if dropped := invalid_characters(text):
        findings.count(f"normalize/dropped_characters/audience_{field}", dropped)
    cleaned = clean(text)
    length = _LENGTHS.get(field)
    if cleaned is not None and length is not None and len(cleaned) > length:
        cleaned, _ = truncate(cleaned, length, TRUNCATION_MARK)
        findings.note(
            f"normalize/truncated/audience_{field}",
            logging.INFO,
            f"audience review {field} of {len(text or '')} characters cut to {length} on {url}",
        )
    return cleaned
