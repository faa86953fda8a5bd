"""The due rule (issue 27): new, changed, failed, stale, in that order."""

from __future__ import annotations

import datetime as dt

import pytest

from reviewcrawler.catalogue.due import (
    CatalogueState,
    due_reason,
    max_age,
    needs_no_request,
    parse_max_ages,
)
from reviewcrawler.items import ListedTitle

NOW = dt.datetime(2026, 12, 6, 3, 0, tzinfo=dt.UTC)


def listed(**figures: object) -> ListedTitle:
    return ListedTitle("metacritic", "game", "ember-tide", "http://x", **figures)  # type: ignore[arg-type]


def state(
    fetched_days_ago: float | None, released: dt.date | None = None, **rest: object
) -> CatalogueState:
    fetched = None if fetched_days_ago is None else NOW - dt.timedelta(days=fetched_days_ago)
    return CatalogueState(release_date=released, last_fetched=fetched, **rest)  # type: ignore[arg-type]


def test_each_reason_in_priority_order() -> None:
    assert due_reason(None, listed(score=80), NOW) == "new"
    assert due_reason(state(None), None, NOW) == "new"
    fresh = state(0.5, score=80, listed_count=10, failures=1)
    assert due_reason(fresh, listed(score=81, listed_count=10), NOW) == "changed"
    assert due_reason(fresh, listed(score=80, listed_count=10), NOW) == "failed"
    # A figure the listing leaves out says nothing.
    assert due_reason(state(0.5, score=80), listed(score=80, listed_count=None), NOW) is None
    assert due_reason(state(40, score=80), listed(score=80), NOW) == "stale"


@pytest.mark.parametrize(
    ("released_days_ago", "max_days"), [(3, 1), (30, 1), (31, 7), (365, 7), (366, 30), (None, 30)]
)
def test_maximum_age_grows_with_time_since_release(
    released_days_ago: int | None, max_days: int
) -> None:
    released = (
        None if released_days_ago is None else NOW.date() - dt.timedelta(days=released_days_ago)
    )
    assert max_age(released, NOW.date()) == dt.timedelta(days=max_days)
    young = state(max_days - 0.1, released)
    old = state(max_days + 0.1, released)
    assert due_reason(young, None, NOW) is None and due_reason(old, None, NOW) == "stale"


def test_no_reviews_listed_needs_no_request_and_ages_parse() -> None:
    assert needs_no_request(listed(score=None, listed_count=0))
    assert not needs_no_request(listed(score=None, listed_count=3))
    assert not needs_no_request(None)
    assert parse_max_ages("30:1, 365:7, *:30") == ((30, 1), (365, 7), (None, 30))
    assert parse_max_ages([[10, 2], [None, 9]]) == ((10, 2), (None, 9))


def test_next_due_agrees_with_the_rule_as_the_release_recedes() -> None:
    from reviewcrawler.catalogue.due import next_due

    released = NOW.date() - dt.timedelta(days=30)
    due = next_due(released, NOW)
    assert due == NOW + dt.timedelta(days=7)  # a day later the title is a month old
    for fetched_days_ago in range(0, 60):
        fetched = NOW - dt.timedelta(days=fetched_days_ago)
        when = next_due(released, fetched)
        before = when - dt.timedelta(hours=1)
        stored = CatalogueState(release_date=released, last_fetched=fetched)
        assert due_reason(stored, None, when) == "stale"
        assert before < fetched or due_reason(stored, None, before) is None


def test_a_refresh_is_planned_early_by_title_never_late() -> None:
    from reviewcrawler.catalogue.due import next_due, planned_due

    released = NOW.date() - dt.timedelta(days=400)  # a maximum age of 30 days
    dues = [planned_due(f"title-{n}", released, NOW) for n in range(200)]
    latest = next_due(released, NOW)
    assert all(NOW + dt.timedelta(days=22.5) <= due <= latest for due in dues)
    # Spread over the window, the same for a title every time.
    assert len({due.date() for due in dues}) >= 6
    assert planned_due("title-7", released, NOW) == dues[7]
