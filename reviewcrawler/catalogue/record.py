"""What the catalogue records: titles listed, titles planned, fetches finished.

Each call is one short write transaction (store/engine.py ``write_transaction``), so
two jobs sharing one database take turns; the rule deciding what is due is
catalogue/due.py's, the SQL store/catalogue.py's.

Blocking: call from a worker thread (spiders/catalogue.py does), never the reactor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Row

from reviewcrawler.catalogue.due import (
    CHANGED,
    FAILED,
    NEW,
    CatalogueState,
    due_reason,
    needs_no_request,
    planned_due,
)
from reviewcrawler.formats.metacritic_api import SITE, product_of_key
from reviewcrawler.items import ListedTitle
from reviewcrawler.store import catalogue as table
from reviewcrawler.store.engine import write_transaction
from reviewcrawler.store.moments import as_utc

Ages = Sequence[tuple[int | None, int]]


@dataclass
class ListingOutcome:
    """What one listing page changed in the catalogue."""

    #: Titles the catalogue did not know.
    new: int = 0
    #: Known titles whose listed figures moved.
    changed: int = 0
    #: Titles the page listed twice (the listing's order is unstable).
    listed_twice: int = 0
    #: Titles whose listing says they have no critic reviews: recorded as fetched,
    #: since the listing said all there is (no request spent on them).
    without_reviews: int = 0
    seen: set[str] = field(default_factory=set)


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def state_of(row: Row | None) -> CatalogueState | None:
    if row is None:
        return None
    return CatalogueState(
        release_date=row.release_date,
        last_fetched=as_utc(row.last_fetched),
        failures=row.consecutive_failures or 0,
        score=row.listed_score,
        listed_count=row.listed_count,
        positive=row.listed_positive,
        mixed=row.listed_mixed,
        negative=row.listed_negative,
        listed=row.last_listed is not None,
    )


def _listed_columns(title: ListedTitle, now: dt.datetime) -> dict[str, Any]:
    """What a listing says of a title; nothing for a sitemap's URL, which states no
    figures: a sitemap job must not erase what the last listing said."""
    if not title.listed:
        return {}
    return {
        "listed_score": title.score,
        "listed_count": title.listed_count,
        "listed_positive": title.positive,
        "listed_mixed": title.mixed,
        "listed_negative": title.negative,
        "listed_user_score": title.user_score,
        "last_listed": now,
    }


def record_listed(
    engine: Engine,
    titles: Iterable[ListedTitle],
    now: dt.datetime,
    ages: Ages,
    seen: set[str] | None = None,
) -> ListingOutcome:
    """Titles a listing (or a sitemap) names: new ones added, known ones given the
    listing's figures, each marked with why it is due. ``seen``: the ``media:slug`` of
    titles this job already met, so one seen twice is counted, not recorded twice."""
    outcome = ListingOutcome()
    seen = seen if seen is not None else set()
    unique: dict[tuple[str, str, str], ListedTitle] = {}
    for title in titles:
        name = f"{title.media}:{title.slug}"
        if name in seen:
            outcome.listed_twice += 1
            continue
        seen.add(name)
        outcome.seen.add(name)
        unique[title.site, title.media, title.slug] = title
    if not unique:
        return outcome
    with write_transaction(engine) as connection:
        groups: dict[tuple[str, str], list[ListedTitle]] = {}
        for (site, media, _), title in unique.items():
            groups.setdefault((site, media), []).append(title)
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for (site, media), group in groups.items():
            stored = table.load(connection, site, media, (title.slug for title in group))
            for title in group:
                row = stored.get(title.slug)
                reason = due_reason(state_of(row), title, now, ages)
                columns = _listed_columns(title, now)
                quiet = needs_no_request(title)
                if quiet:
                    outcome.without_reviews += 1
                if row is None:
                    outcome.new += 1
                    release = _date(title.release_date)
                    inserts.append(
                        {
                            "site": site,
                            "media": media,
                            "slug": title.slug,
                            "title": title.title,
                            "release_date": release,
                            "lastmod": title.lastmod,
                            "first_listed": now if title.listed else None,
                            **columns,
                            **_fetched_without_request(title.slug, now, release, ages, quiet),
                        }
                    )
                    continue
                if reason == CHANGED:
                    outcome.changed += 1
                update = {"id": row.id, **columns}
                if title.title and not row.title:
                    update["title"] = title.title
                if title.release_date and row.release_date is None:
                    update["release_date"] = _date(title.release_date)
                if title.lastmod:
                    update["lastmod"] = title.lastmod
                planned = as_utc(row.next_due)
                if quiet and (
                    reason is not None
                    or row.due_reason is not None
                    or (planned is not None and planned <= now)
                ):
                    # Due for any reason, but listed with no reviews: nothing to fetch.
                    update.update(
                        _fetched_without_request(row.slug, now, row.release_date, ages, True)
                    )
                elif reason is not None and row.due_reason not in (NEW, FAILED, CHANGED):
                    # Stale is recorded too: by this job's maximum ages, which may
                    # differ from those the last fetch's next_due was set by.
                    update["due_reason"] = reason
                updates.append(update)
        table.insert(connection, inserts)
        table.update_rows(connection, updates)
    return outcome


def _fetched_without_request(
    slug: str, now: dt.datetime, release: dt.date | None, ages: Ages, quiet: bool
) -> dict[str, Any]:
    """A title listed with no critic reviews counts as fetched now: nothing to fetch."""
    if not quiet:
        return {"due_reason": NEW}
    return {
        "last_fetched": now,
        "next_due": planned_due(slug, release, now, ages),
        "due_reason": None,
        "consecutive_failures": 0,
    }


def plan(
    engine: Engine,
    now: dt.datetime,
    *,
    site: str,
    media: Sequence[str],
    limit: int | None,
) -> tuple[list[Row], int]:
    """The due titles to fetch now, in priority order (at most ``limit``), and how many
    stay due for the next job."""
    with engine.connect() as connection:
        chosen = table.due(connection, now, site=site, media=media, limit=limit)
        total = table.count_due(connection, now, site=site, media=media)
    return chosen, max(0, total - len(chosen))


@dataclass(frozen=True)
class Fetched:
    """What fetching one title came to."""

    title_id: int
    ok: bool
    #: It stored a new or changed review, or a moved summary.
    changed: bool = False
    film_keys: tuple[str, ...] = ()


#: The first retry of a failed title waits this long; each failure in a row doubles it,
#: up to ``MAX_BACKOFF``: a title gone from the site (a 404 for ever) costs a request
#: a month, not two a night.
FIRST_BACKOFF = dt.timedelta(hours=12)
MAX_BACKOFF = dt.timedelta(days=30)


def failure_backoff(failures: int) -> dt.timedelta:
    return min(FIRST_BACKOFF * 2 ** max(0, failures - 1), MAX_BACKOFF)


def finish(engine: Engine, fetched: Sequence[Fetched], now: dt.datetime, ages: Ages) -> None:
    """Fetches recorded: a success is fresh until its maximum age; a failure stays due
    (``failed``) and counts; the film keys a fetch found are kept."""
    if not fetched:
        return
    with write_transaction(engine) as connection:
        stored = table.by_ids(connection, [item.title_id for item in fetched])
        updates: list[dict[str, Any]] = []
        for item in fetched:
            row = stored.get(item.title_id)
            if row is None:
                continue
            keys = sorted(set((row.film_keys or "").split()) | set(item.film_keys))
            update: dict[str, Any] = {"id": row.id, "film_keys": " ".join(keys) or None}
            if item.ok:
                update.update(
                    last_fetched=now,
                    next_due=planned_due(row.slug, row.release_date, now, ages),
                    consecutive_failures=0,
                    due_reason=None,
                )
                if item.changed:
                    update["last_changed"] = now
            else:
                failures = (row.consecutive_failures or 0) + 1
                update.update(
                    consecutive_failures=failures,
                    due_reason=FAILED,
                    next_due=now + failure_backoff(failures),
                )
            updates.append(update)
        table.update_rows(connection, updates)


def record_crawled(engine: Engine, run_id: int, now: dt.datetime, ages: Ages) -> int:
    """The Metacritic titles a crawl of given URLs reviewed, made known to the catalogue
    as fetched now, so a nightly job does not fetch them again before they are due.
    Returns how many titles it recorded."""
    with write_transaction(engine) as connection:
        films = table.run_films(connection, run_id)
        by_title: dict[tuple[str, str, str], list[Any]] = {}
        for film in films:
            if (product := product_of_key(film.key)) is not None:
                by_title.setdefault((SITE, product.media, product.slug), []).append(film)
        if not by_title:
            return 0
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        groups: dict[tuple[str, str], list[str]] = {}
        for site, media, slug in by_title:
            groups.setdefault((site, media), []).append(slug)
        for (site, media), slugs in groups.items():
            stored = table.load(connection, site, media, slugs)
            for slug in slugs:
                films_of_title = by_title[site, media, slug]
                keys = {film.key for film in films_of_title}
                release = next((f.release_date for f in films_of_title if f.release_date), None)
                fresh: dict[str, Any] = {
                    "last_fetched": now,
                    "next_due": planned_due(slug, release, now, ages),
                    "consecutive_failures": 0,
                    "due_reason": None,
                }
                if media == "game":
                    # A crawl of given URLs may have seen some of a game's platforms only:
                    # the next catalogue job probes its product (one request) and fetches
                    # the platforms not stored yet; a recorded reason stays.
                    fresh = {"last_fetched": now, "next_due": now}
                row = stored.get(slug)
                if row is None:
                    inserts.append(
                        {
                            "site": site,
                            "media": media,
                            "slug": slug,
                            "title": films_of_title[0].title,
                            "release_date": release,
                            "film_keys": " ".join(sorted(keys)),
                            **fresh,
                        }
                    )
                    continue
                known = set((row.film_keys or "").split())
                if media == "game" and row.last_fetched is None:
                    fresh = {"next_due": now}  # still new: fetched whole by the next job
                updates.append({"id": row.id, "film_keys": " ".join(sorted(known | keys)), **fresh})
        table.insert(connection, inserts)
        table.update_rows(connection, updates)
    return len(by_title)
