"""Where a page becomes normalized items: the one place, whichever process reads it.

``read_page`` detects the page's format, reads it (formats/), counts the field
coverage of the reviews as the format found them (the field-coverage monitor's
input: it measures the selectors, not the data), and normalizes the summaries
and reviews (normalize/items.py) and any audience reviews
(normalize/audience_reviews.py: never critic reviews, so neither counted in coverage
nor fingerprinted). Everything it found comes back as the page's ``Findings``, which
the spider records; parse_workers.py runs this in a worker process or in the crawl's
own, with the same result.

Stats counted here:

* ``coverage/<format>/reviews`` and ``coverage/<format>/<field>``: reviews read,
  and those with each ``MONITOR_FIELD_COVERAGE`` field filled as the page wrote it;
* ``pages/stating_reviews``: pages stating N > 0 critics;
* the ``normalize/*`` stats of normalize/items.py and normalize/audience_reviews.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from reviewcrawler.findings import Findings
from reviewcrawler.formats import ParsedPage, parse_page
from reviewcrawler.formats.page import Page
from reviewcrawler.items import AudienceReviewItem, FilmSummaryItem, FollowUp, ReviewItem
from reviewcrawler.normalize.audience_reviews import normalize_audience_reviews
from reviewcrawler.normalize.items import normalize_page


def read_page(page: Page, coverage_fields: Iterable[str] = ()) -> ParsedPage:
    """The page read and normalized, with what was found on the way in ``findings``."""
    parsed = parse_page(page)
    if parsed.format_name is None or parsed.error is not None:
        return parsed
    reviews = [output for output in parsed.outputs if isinstance(output, ReviewItem)]
    summaries = [output for output in parsed.outputs if isinstance(output, FilmSummaryItem)]
    follow_ups = [output for output in parsed.outputs if isinstance(output, FollowUp)]
    audience = [output for output in parsed.outputs if isinstance(output, AudienceReviewItem)]
    count_coverage(parsed.findings, parsed.format_name, reviews, coverage_fields)
    if any(summary.stated_critic_count for summary in summaries):
        parsed.findings.count("pages/stating_reviews")
    summaries, reviews, normalizing = normalize_page(summaries, reviews)
    parsed.findings.merge(normalizing)
    audience = normalize_audience_reviews(audience, parsed.findings)
    parsed.outputs = [*summaries, *reviews, *audience, *follow_ups]
    return parsed


def count_coverage(
    findings: Findings, format_name: str, reviews: list[ReviewItem], fields: Iterable[str]
) -> None:
    """Reviews read and, per field, those with it filled, as ``coverage/<format>/*`` stats."""
    if not reviews:
        return
    prefix = f"coverage/{format_name}"
    findings.count(f"{prefix}/reviews", len(reviews))
    for name in fields:
        findings.count(
            f"{prefix}/{name}",
            sum(1 for review in reviews if _filled(getattr(review, name, None))),
        )


def _filled(value: object) -> bool:
    return value is not None and bool(str(value).strip())
