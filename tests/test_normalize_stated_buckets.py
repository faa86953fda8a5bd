"""Issue 29: buckets a summary leaves out are stored where its figures allow one value only.

The rule lives in the normalization of summaries, so whatever format stated the figures
gets it: buckets that already make the critic count leave 0 for the others; one missing
bucket is the count minus the others; contradicting figures derive nothing.
"""

from __future__ import annotations

import pytest

from reviewcrawler.findings import Findings
from reviewcrawler.items import FilmSummaryItem
from reviewcrawler.normalize.items import normalize_summary

Buckets = tuple[int | None, int | None, int | None]


def _normalized(count: int | None, buckets: Buckets) -> tuple[Buckets, Findings]:
    positive, mixed, negative = buckets
    summary = FilmSummaryItem(
        film_key="film:some-film",
        source_url="https://example.test/some-film",
        stated_critic_count=count,
        stated_positive=positive,
        stated_mixed=mixed,
        stated_negative=negative,
    )
    findings = Findings()
    normalize_summary(summary, findings)
    return (summary.stated_positive, summary.stated_mixed, summary.stated_negative), findings


@pytest.mark.parametrize(
    ("count", "stated", "stored"),
    [
        # The buckets stated already make the count: the others can only be 0.
        (1, (1, None, None), (1, 0, 0)),
        (5, (None, None, 5), (0, 0, 5)),
        (7, (4, None, 3), (4, 0, 3)),
        # One bucket missing: the count minus the others.
        (11, (9, None, 0), (9, 2, 0)),
        (4, (1, 2, None), (1, 2, 1)),
        # Two missing and some left over: more than one answer, nothing derived.
        (4, (1, None, None), (1, None, None)),
        (3, (None, None, None), (None, None, None)),
        # The stated figures contradict each other: nothing derived.
        (2, (3, None, None), (3, None, None)),
        (5, (4, None, 2), (4, None, 2)),
        # No count, or nothing missing: as stated.
        (None, (1, None, None), (1, None, None)),
        (6, (2, 2, 1), (2, 2, 1)),
    ],
)
def test_buckets_derived_only_where_one_value_is_possible(
    count: int | None, stated: Buckets, stored: Buckets
) -> None:
    buckets, _ = _normalized(count, stated)
    assert buckets == stored


def test_each_derived_bucket_is_counted() -> None:
    _, findings = _normalized(1, (1, None, None))
    assert findings.stats["normalize/derived/stated_mixed"] == 1
    assert findings.stats["normalize/derived/stated_negative"] == 1
    assert "normalize/derived/stated_positive" not in findings.stats
    _, findings = _normalized(4, (1, None, None))
    assert not [stat for stat in findings.stats if stat.startswith("normalize/derived/")]


def test_unreadable_figures_are_dropped_before_deriving() -> None:
    # A count NULLed as out of range (a negative one) derives nothing from it.
    buckets, _ = _normalized(-3, (1, None, None))
    assert buckets == (1, None, None)
