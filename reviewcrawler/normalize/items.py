"""Normalizing a page's items: typed, cleaned values in place, and a report of what was found.

Reviews that carry nothing to identify or say (no critic, publication, score or
quote) are rejected with a counted reason; fields that cannot be read (a score
of ``N/A``, a date of ``Feb 30, 2019``) become None and are counted, so a bad
field never costs the rest of the review, and a review whose normalization
raises costs only that review.

What each stat means (also in the README):

* ``normalize/dropped_characters/<field>``: characters that are not text (NUL,
  lone surrogates, non-characters) dropped from the field;
* ``normalize/truncated/<field>``: the value was longer than its column
  (limits.FIELD_LENGTHS) and was cut to that length, ending with ``…``;
* ``normalize/wrong_type/<field>``: the value was not text or a number where one
  was expected (a JSON object, a list, true/false): it became NULL;
* ``normalize/out_of_range/<field>``: a number outside what the field can hold
  (a metascore of 300, a year of 3000, a count of 3,000,000,000): NULL;
* ``normalize/unreadable/<field>``: text that names no value (``N/A``, ``Feb 30``);
* ``normalize/unknown/stated_label``: a label that is no Metacritic band (kept);
* ``normalize/derived/<stated_positive|stated_mixed|stated_negative>``: a bucket the
  page left out, stored because the stated buckets and critic count allow one value only;
* ``normalize/rejected/empty_review`` and ``normalize/rejected/error``: reviews dropped.

Pure: what a caller should count and log comes back as ``Findings``; the page
reader (reviewcrawler/reading.py) is the one place that calls this, whichever
process reads the page.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable

from reviewcrawler.findings import Findings
from reviewcrawler.identity import MEDIA, canonical_film_key
from reviewcrawler.items import PATHS, FilmSummaryItem, ReviewItem
from reviewcrawler.limits import (
    EARLIEST_YEAR,
    FIELD_LENGTHS,
    LATEST_YEAR,
    MAX_RUNTIME,
    MAX_SEASONS,
    MAX_STATED_COUNT,
    TRUNCATION_MARK,
)
from reviewcrawler.normalize.dates import iso_date
from reviewcrawler.normalize.fingerprint import review_fingerprint
from reviewcrawler.normalize.scores import (
    canonical_label,
    score_from_original,
    sentiment_for_score,
    sentiment_from_text,
)
from reviewcrawler.normalize.text import (
    clean_critic,
    clean_name,
    clean_quote,
    clean_text,
    invalid_characters,
    truncate,
)

_IMDB_ID = re.compile(r"^tt\d{5,12}$")


class RejectedReview(Exception):
    """A review not worth keeping (already counted in the findings when raised)."""


def _as_text(value: object, field: str, url: str, findings: Findings) -> str | None:
    """The value as text for cleaning: numbers become their digits, anything else that is
    not text (an object, a list, true/false) is NULL, counted."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        findings.note(
            f"normalize/wrong_type/{field}",
            logging.WARNING,
            f"{field} of a {type(value).__name__} on {url}: dropped",
        )
        return None
    if isinstance(value, float) and not math.isfinite(value):
        findings.note(
            f"normalize/out_of_range/{field}", logging.WARNING, f"{field} {value!r} on {url}"
        )
        return None
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _cleaned(
    value: object,
    field: str,
    url: str,
    findings: Findings,
    clean: Callable[[str | None], str | None] = clean_text,
) -> str | None:
    """A text field cleaned, with what cleaning dropped or cut counted."""
    # Runs for every text field of every review: plain printable text, the common
    # case, skips the type and character checks.
    if value is None:
        return None
    if type(value) is str:
        text: str | None = value
        if not value.isprintable() and (dropped := invalid_characters(value)):
            findings.count(f"normalize/dropped_characters/{field}", dropped)
    else:
        text = _as_text(value, field, url, findings)
        if dropped := invalid_characters(text):
            findings.count(f"normalize/dropped_characters/{field}", dropped)
    cleaned = clean(text)
    length = FIELD_LENGTHS.get(field)
    if cleaned is not None and length is not None and len(cleaned) > length:
        cleaned, _ = truncate(cleaned, length, TRUNCATION_MARK)
        findings.note(
            f"normalize/truncated/{field}",
            logging.INFO,
            f"{field} of {len(text or '')} characters cut to {length} on {url}",
        )
    return cleaned


def _number(
    value: object, field: str, low: int, high: int, url: str, findings: Findings
) -> int | None:
    """A whole number in ``low..high``; anything else NULL with its reason counted."""
    if value is None:
        return None
    number: int | None = None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        findings.note(f"normalize/wrong_type/{field}", logging.WARNING, f"{field} on {url}")
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    if number is None:
        findings.note(
            f"normalize/unreadable/{field}", logging.WARNING, f"{field} {value!r} on {url}"
        )
        return None
    if not low <= number <= high:
        findings.note(
            f"normalize/out_of_range/{field}", logging.WARNING, f"{field} {number} on {url}"
        )
        return None
    return number


def normalize_review(item: ReviewItem, findings: Findings) -> ReviewItem:
    """Normalize in place; raises RejectedReview (noted in findings) for an empty review."""
    url = item.source_url
    item.critic = _cleaned(item.critic, "critic", url, findings, clean_critic)
    item.critic_slug = _cleaned(item.critic_slug, "critic_slug", url, findings)
    item.publication = _cleaned(item.publication, "publication", url, findings, clean_name)
    item.season = _cleaned(item.season, "season", url, findings)
    item.quote = _cleaned(item.quote, "quote", url, findings, clean_quote)
    item.review_url = _cleaned(item.review_url, "review_url", url, findings)
    item.original_score = _cleaned(item.original_score, "original_score", url, findings)
    item.score = score_from_original(item.original_score)
    if item.original_score is not None and item.score is None:
        findings.note(
            "normalize/unreadable/score",
            logging.WARNING,
            f"Unreadable score {item.original_score!r} in a review on {url}",
        )
    # A site's own verdict (Rotten Tomatoes' fresh/rotten) decides; else the score's band.
    stated = sentiment_from_text(_as_text(item.sentiment, "sentiment", url, findings))
    item.sentiment = stated or sentiment_for_score(item.score)
    raw_date = _as_text(item.published_on, "published_on", url, findings)
    item.published_on = iso_date(raw_date)
    if item.published_on is None and clean_text(raw_date) is not None:
        findings.note(
            "normalize/unreadable/date",
            logging.WARNING,
            f"Unreadable date {raw_date!r} in a review on {url}",
        )
    if item.path not in PATHS:
        item.path = "html"
    if not (item.critic or item.publication or item.quote or item.score is not None):
        message = f"Review with no critic, publication, score or quote on {url}"
        findings.note("normalize/rejected/empty_review", logging.WARNING, f"Rejected: {message}")
        raise RejectedReview(message)
    if item.quote is None:
        findings.note("normalize/missing/quote", logging.INFO, f"Review without a quote on {url}")
    # One key per game platform, whichever generation of URL named it (identity.py).
    item.film_key = canonical_film_key(item.film_key)
    item.fingerprint = review_fingerprint(
        item.film_key, item.publication, item.critic, item.quote, item.review_url, item.season
    )
    return item


def normalize_summary(item: FilmSummaryItem, findings: Findings | None = None) -> FilmSummaryItem:
    findings = findings if findings is not None else Findings()
    url = item.source_url
    item.film_key = canonical_film_key(item.film_key)
    item.title = _cleaned(item.title, "title", url, findings)
    item.platform = _cleaned(item.platform, "platform", url, findings)
    item.url = _cleaned(item.url, "url", url, findings)
    imdb_id = _cleaned(item.imdb_id, "imdb_id", url, findings)
    item.imdb_id = imdb_id if imdb_id and _IMDB_ID.match(imdb_id) else None
    if item.media not in (None, *MEDIA):
        findings.note("normalize/unreadable/media", logging.WARNING, f"media on {url}")
        item.media = None
    label = _cleaned(item.stated_label, "stated_label", url, findings)
    item.stated_label = canonical_label(label) or label
    if label is not None and item.stated_label == label and canonical_label(label) is None:
        findings.count("normalize/unknown/stated_label")
    item.year = _number(item.year, "year", EARLIEST_YEAR, LATEST_YEAR, url, findings)
    item.stated_metascore = _number(
        item.stated_metascore, "stated_metascore", 0, 100, url, findings
    )
    for name in (
        "stated_critic_count",
        "stated_listed_count",
        "stated_positive",
        "stated_mixed",
        "stated_negative",
    ):
        setattr(item, name, _number(getattr(item, name), name, 0, MAX_STATED_COUNT, url, findings))
    _derive_stated_buckets(item, findings)
    _normalize_facts(item, url, findings)
    _normalize_audience(item, url, findings)
    if item.path not in PATHS:
        item.path = "html"
    return item


#: How far ahead a release date may be announced.
RELEASES_AHEAD_DAYS = 5 * 366

_FACT_TEXTS = ("genres", "age_rating", "developers", "publishers", "director", "network")


def _normalize_facts(item: FilmSummaryItem, url: str, findings: Findings) -> None:
    for name in _FACT_TEXTS:
        setattr(item, name, _cleaned(getattr(item, name), name, url, findings))
    if item.release_date is not None:
        raw = _as_text(item.release_date, "release_date", url, findings)
        # A title is listed, and dated, before it comes out: "coming soon" pages.
        item.release_date = iso_date(raw, future_days=RELEASES_AHEAD_DAYS)
        if item.release_date is None and clean_text(raw) is not None:
            findings.note(
                "normalize/unreadable/release_date", logging.WARNING, f"release {raw!r} on {url}"
            )
    item.seasons = _number(item.seasons, "seasons", 0, MAX_SEASONS, url, findings)
    item.runtime = _number(item.runtime, "runtime", 1, MAX_RUNTIME, url, findings)


#: The audience scales the sites use: Metacritic's user score 0-10, RT's percentage.
AUDIENCE_SCALES = (10, 100)


def _normalize_audience(item: FilmSummaryItem, url: str, findings: Findings) -> None:
    """The audience's figures checked like the critics': a bad value costs only itself.

    A score must be a JSON number (a string is the wrong type: formats turn page text
    into numbers themselves) within its scale; with no ratings (``count`` 0) there is no
    score, whatever the site answers (Metacritic's user stats answer 0 then)."""
    for name in ("audience_count", "audience_positive", "audience_mixed", "audience_negative"):
        setattr(item, name, _number(getattr(item, name), name, 0, MAX_STATED_COUNT, url, findings))
    scale = item.audience_scale
    if scale is not None and scale not in AUDIENCE_SCALES:
        findings.note(
            "normalize/out_of_range/audience_scale", logging.WARNING, f"scale {scale!r} on {url}"
        )
        item.audience_scale = scale = None
    score = item.audience_score
    if score is None:
        return
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        findings.note(
            "normalize/wrong_type/audience_score", logging.WARNING, f"score {score!r} on {url}"
        )
        item.audience_score = None
    elif scale is None or not 0 <= score <= scale:
        findings.note(
            "normalize/out_of_range/audience_score",
            logging.WARNING,
            f"audience score {score!r} of {scale!r} on {url}",
        )
        item.audience_score = None
    elif item.audience_count == 0:
        item.audience_score = None
    else:
        item.audience_score = float(score)


_BUCKETS = ("stated_positive", "stated_mixed", "stated_negative")


def _derive_stated_buckets(item: FilmSummaryItem, findings: Findings) -> None:
    """Fill the buckets a page left out where its other figures allow one value only.

    Pages drop a bucket they have nothing in (``Positive: 1 out of 1`` and no other line),
    and some sites have no mixed bucket at all; the count the score is based on is the sum
    of the three buckets, so: known buckets that already make the count leave 0 for the
    others, and one bucket missing is the count minus the others. Figures that contradict
    each other (more in the buckets than the count) say nothing about what is missing.
    This is the one place the rule lives, so every format gets it alike.
    """
    total = item.stated_critic_count
    if total is None:
        return
    missing = [name for name in _BUCKETS if getattr(item, name) is None]
    if not missing:
        return
    rest = total - sum(getattr(item, name) or 0 for name in _BUCKETS)
    if rest < 0 or (rest > 0 and len(missing) > 1):
        return
    for name in missing:
        # With a remainder there is exactly one missing bucket; without one, all are 0.
        setattr(item, name, rest)
        findings.count(f"normalize/derived/{name}")


def normalize_reviews(reviews: list[ReviewItem], findings: Findings) -> list[ReviewItem]:
    """The page's reviews normalized in place, without the rejected ones. A review whose
    normalization raises is rejected alone (counted, logged with the page's URL)."""
    kept = []
    for review in reviews:
        try:
            kept.append(normalize_review(review, findings))
        except RejectedReview:
            continue
        except Exception as exc:  # noqa: BLE001  (a bug or a value no rule foresaw)
            findings.note(
                "normalize/rejected/error",
                logging.ERROR,
                f"Rejected a review on {review.source_url}: normalizing it raised "
                f"{type(exc).__name__}: {exc}",
            )
    return kept


def normalize_page(
    summaries: list[FilmSummaryItem], reviews: list[ReviewItem]
) -> tuple[list[FilmSummaryItem], list[ReviewItem], Findings]:
    """A page's summaries and reviews normalized in place (rejected reviews left out),
    and what normalizing them found."""
    findings = Findings()
    kept = normalize_reviews(reviews, findings)
    kept_summaries = []
    for summary in summaries:
        try:
            kept_summaries.append(normalize_summary(summary, findings))
        except Exception as exc:  # noqa: BLE001
            findings.note(
                "normalize/rejected/summary_error",
                logging.ERROR,
                f"Rejected a summary on {summary.source_url}: {type(exc).__name__}: {exc}",
            )
    return kept_summaries, kept, findings
