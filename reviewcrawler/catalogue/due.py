"""When a catalogued title is due for a fetch, and why: the one place the rule lives.

A title is due when it is

1. ``new``: never fetched (and no fetch of it failed yet);
2. ``changed``: its listing states figures (score, listed review count, positive, mixed,
   negative) other than the ones stored from the last listing;
3. ``failed``: its last fetch failed;
4. ``stale``: fetched longer ago than its maximum age, which grows with the time since
   its release (``CATALOGUE_MAX_AGES``: released in the last 30 days, 1 day; in the
   last year, 7 days; older or undated, 30 days). A fetched title is planned again
   somewhat before that (``planned_due``: up to a quarter of its maximum age earlier, fixed
   by title), so the titles of one night's fetch do not all come due on one night.

The reasons are also the order titles are fetched in (``PRIORITY``), the stalest first
among the stale. A title whose listing states it has no critic reviews needs no request
at all (``needs_no_request``): the listing said all there is.

Pure: catalogue/record.py (listings and plans) and ``reviewcrawler catalogue`` call it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from reviewcrawler.items import ListedTitle

NEW, CHANGED, FAILED, STALE = "new", "changed", "failed", "stale"
#: Why a title is due, in the order due titles are fetched.
PRIORITY: tuple[str, ...] = (NEW, CHANGED, FAILED, STALE)

#: The listing's figures that, when they move, make a title due.
LISTED_FIGURES: tuple[str, ...] = ("score", "listed_count", "positive", "mixed", "negative")

#: (days since release, maximum age in days) by increasing age; ``None`` days: any
#: older or undated title. The default of ``CATALOGUE_MAX_AGES`` (settings.py).
DEFAULT_MAX_AGES: tuple[tuple[int | None, int], ...] = ((30, 1), (365, 7), (None, 30))


@dataclass(frozen=True)
class CatalogueState:
    """What the store knows of a title when deciding (a ``catalogue_titles`` row)."""

    release_date: dt.date | None = None
    last_fetched: dt.datetime | None = None
    failures: int = 0
    #: The figures of the last listing that named the title (``LISTED_FIGURES``).
    score: int | None = None
    listed_count: int | None = None
    positive: int | None = None
    mixed: int | None = None
    negative: int | None = None
    #: Whether a listing named it before: a title known only from a crawl of its URL
    #: has no listed figures to compare, so its first listing is no change.
    listed: bool = True


def max_age(
    release: dt.date | None,
    today: dt.date,
    ages: Sequence[tuple[int | None, int]] = DEFAULT_MAX_AGES,
) -> dt.timedelta:
    """How long a fetch of a title released on ``release`` stays fresh."""
    since = (today - release).days if release is not None else None
    for within, days in ages:
        if within is None or (since is not None and since <= within):
            return dt.timedelta(days=days)
    return dt.timedelta(days=ages[-1][1]) if ages else dt.timedelta(days=30)


def listed_changed(state: CatalogueState, listed: ListedTitle) -> bool:
    """The listing states a figure other than the stored one (a figure it leaves out
    says nothing)."""
    return any(
        getattr(listed, name) is not None and getattr(listed, name) != getattr(state, name)
        for name in LISTED_FIGURES
    )


def due_reason(
    state: CatalogueState | None,
    listed: ListedTitle | None,
    now: dt.datetime,
    ages: Sequence[tuple[int | None, int]] = DEFAULT_MAX_AGES,
) -> str | None:
    """Why the title is due now (``PRIORITY``), or None when it is not."""
    if state is None:
        return NEW
    if listed is not None and state.listed and listed_changed(state, listed):
        return CHANGED
    if state.failures:
        return FAILED
    if state.last_fetched is None:
        return NEW
    if now - state.last_fetched >= max_age(state.release_date, now.date(), ages):
        return STALE
    return None


def next_due(
    release: dt.date | None,
    fetched_at: dt.datetime,
    ages: Sequence[tuple[int | None, int]] = DEFAULT_MAX_AGES,
) -> dt.datetime:
    """When a title fetched at ``fetched_at`` turns stale by ``due_reason``'s rule: the
    first moment its age reaches the maximum age of that moment, which grows as the
    release recedes (fetched on day 2 after release, due on day 3; fetched on day 30,
    due on day 37: a day later it is past 30 days, and a week's age is allowed)."""
    candidates = sorted({days for _, days in ages})
    for days in candidates:
        moment = fetched_at + dt.timedelta(days=days)
        if max_age(release, moment.date(), ages) <= dt.timedelta(days=days):
            return moment
    return fetched_at + max_age(release, fetched_at.date(), ages)


#: How much of a maximum age a refresh may come early: up to a quarter, by title, so that
#: titles fetched together (a first pass) do not all come due on one night.
SPREAD = 0.25


def spread_of(slug: str) -> float:
    """A title's fixed place in [0, 1), from its slug: the same every job."""
    return int.from_bytes(hashlib.sha1(slug.encode()).digest()[:8], "big") / 2**64


def planned_due(
    slug: str,
    release: dt.date | None,
    fetched_at: dt.datetime,
    ages: Sequence[tuple[int | None, int]] = DEFAULT_MAX_AGES,
) -> dt.datetime:
    """When a fetched title is planned again: by ``next_due``, brought forward by up to
    ``SPREAD`` of the time to it, by title. Never later than ``next_due``, so no title
    grows older than its maximum age; a first pass's titles then come due spread over
    the last quarter of their maximum age instead of on one night."""
    due = next_due(release, fetched_at, ages)
    return due - (due - fetched_at) * (SPREAD * spread_of(slug))


def needs_no_request(listed: ListedTitle | None) -> bool:
    """The listing states the title has no critic reviews: nothing to fetch."""
    return listed is not None and listed.listed_count == 0 and listed.score is None


def parse_max_ages(value: object) -> tuple[tuple[int | None, int], ...]:
    """``CATALOGUE_MAX_AGES`` from settings: pairs, or a ``30:1,365:7,*:30`` text."""
    if isinstance(value, str):
        pairs: list[tuple[int | None, int]] = []
        for part in value.split(","):
            within, _, days = part.partition(":")
            pairs.append((None if within.strip() in ("*", "") else int(within), int(days)))
        return tuple(pairs)
    if isinstance(value, Sequence):
        return tuple((None if w is None else int(w), int(d)) for w, d in value)
    raise ValueError(f"CATALOGUE_MAX_AGES: {value!r} is not (days since release, max age) pairs")
