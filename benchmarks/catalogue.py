"""The catalogue over simulated days: what a nightly job costs, and how fresh it keeps.

Run by hand (never a test); figures go in the issue's note. It runs

* the catalogue's own code (catalogue/record.py's listing,
  plan and finish, store/catalogue.py's SQL, the due rule) against a SQLite store, day
  after simulated day, with the requests a job would send counted by the spider's rules
  (one listing request per 50 titles; per fetched title the product endpoint, and per
  platform fetched its critic stats, user stats and one review-list request per 10
  reviews). No HTTP: this measures the policy at full scale (200,000 titles, 30 days)
  in minutes.
  The requests a real job sends for the same answers are asserted by
  tests/catalogue/test_catalogue_crawl.py against a catalogue served from 127.0.0.1.

Each day: ``--new`` titles appear (released that day, most without reviews yet) and
``--changed`` titles gain a review (titles released in the last year that have
reviews); the job lists everything, then fetches up to ``--max-titles`` due titles.
Per day it prints the requests, the requests per unchanged title (goal: at most 0.05,
one listing request covering 50 titles), per changed title, how many titles are past
their maximum age and the oldest overdue, and the peak RSS.

    .venv/bin/python benchmarks/catalogue.py --titles 200000 --days 30
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from reviewcrawler.catalogue.due import DEFAULT_MAX_AGES  # noqa: E402
from reviewcrawler.catalogue.record import Fetched, finish, plan, record_listed  # noqa: E402
from reviewcrawler.items import ListedTitle  # noqa: E402
from reviewcrawler.store import catalogue as table  # noqa: E402
from reviewcrawler.store.engine import get_engine  # noqa: E402
from reviewcrawler.store.schema import upgrade  # noqa: E402

START = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)
#: Requests a day at a polite 2 requests a second.
POLITE_PER_DAY = 2 * 86_400


@dataclass
class SimTitle:
    slug: str
    media: str
    release: dt.date
    platforms: int
    reviews: int


def make_catalogue(count: int, rng: random.Random) -> list[SimTitle]:
    """Mostly small titles with no reviews (as the real browse list), some with many."""
    titles = []
    for n in range(count):
        media = rng.choices(("game", "movie", "tv"), (0.7, 0.2, 0.1))[0]
        age_days = int(rng.expovariate(1 / 2500))
        # Seen: 18,524 of 177,945 listed games have a Metascore; most of the rest have
        # no review at all. 85% without any is on the safe side.
        reviews = 0 if rng.random() < 0.85 else int(rng.expovariate(1 / 25)) + 1
        platforms = rng.choice((1, 1, 1, 2, 3)) if media == "game" else 1
        titles.append(
            SimTitle(f"t{n}", media, START.date() - dt.timedelta(days=age_days), platforms, reviews)
        )
    return titles


def listed(title: SimTitle) -> ListedTitle:
    return ListedTitle(
        "metacritic",
        title.media,
        title.slug,
        "bench",
        release_date=title.release.isoformat(),
        score=70 if title.reviews else None,
        listed_count=title.reviews,
    )


def fetch_cost(title: SimTitle, reason: str, changed: bool) -> int:
    """Requests the spider sends for one title (spiders/catalogue.py): the product
    endpoint, then per platform fetched its critic stats, user stats and review list (10
    items a page). New and failed titles fetch every platform; a changed or stale one
    only the platform that moved, and a stale one that did not move costs the probe."""
    pages = max(1, math.ceil(title.reviews / title.platforms / 10))
    if reason in ("new", "failed"):
        return 1 + title.platforms * (2 + pages)
    if changed:
        return 1 + 2 + pages
    return 1


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def simulate(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    titles = make_catalogue(args.titles, rng)
    by_slug = {t.slug: t for t in titles}
    folder = Path(tempfile.mkdtemp(prefix="catalogue-bench-"))
    engine = get_engine(f"sqlite:///{folder / 'catalogue.db'}")
    upgrade(engine)
    first_pass_requests, first_pass_day = 0, None
    print(
        "day  listed   new  chg  due    fetched carried  requests  per-unchanged  "
        "per-changed  still-due  oldest-overdue-days  rss-MB  seconds"
    )
    for day in range(args.days):
        started = time.perf_counter()
        now = START + dt.timedelta(days=day)
        changed_today: set[str] = set()
        if day:
            for n in range(args.new):
                slug = f"d{day}n{n}"
                # Most titles are listed before any critic has reviewed them.
                reviews = 0 if rng.random() < 0.8 else rng.randint(1, 3)
                title = SimTitle(slug, "game", now.date(), rng.choice((1, 2)), reviews)
                titles.append(title)
                by_slug[slug] = title
                changed_today.add(slug)
            # A change is a moved score or count: mostly titles critics already review.
            recent = [t for t in titles if (now.date() - t.release).days < 365 and t.reviews]
            for title in rng.sample(recent, min(args.changed, len(recent))):
                title.reviews += 1
                changed_today.add(title.slug)
        listing_requests = math.ceil(len(titles) / 50)
        seen: set[str] = set()
        outcome_new = outcome_changed = 0
        for start in range(0, len(titles), 50):
            outcome = record_listed(
                engine, [listed(t) for t in titles[start : start + 50]], now, DEFAULT_MAX_AGES, seen
            )
            outcome_new += outcome.new
            outcome_changed += outcome.changed
        chosen, carried = plan(
            engine, now, site="metacritic", media=["game", "movie", "tv"], limit=args.max_titles
        )
        costs = {
            row.slug: fetch_cost(
                by_slug[row.slug],
                row.due_reason or ("new" if row.last_fetched is None else "stale"),
                row.slug in changed_today,
            )
            for row in chosen
        }
        fetch_requests = sum(costs.values())
        changed_requests = sum(cost for slug, cost in costs.items() if slug in changed_today)
        changed_fetched = sum(1 for row in chosen if row.slug in changed_today)
        fetched = [Fetched(row.id, rng.random() > args.fail_rate) for row in chosen]
        finish(engine, fetched, now, DEFAULT_MAX_AGES)
        with engine.connect() as connection:
            overdue = table.count_due(
                connection, now, site="metacritic", media=["game", "movie", "tv"]
            )
            oldest = connection.execute(
                table.TABLE.select()
                .with_only_columns(table.TABLE.c.next_due)
                .where(
                    table.TABLE.c.next_due.is_not(None),
                    # Failing titles are retried every job (counted in still-due).
                    table.TABLE.c.consecutive_failures == 0,
                )
                .order_by(table.TABLE.c.next_due)
                .limit(1)
            ).scalar()
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=dt.UTC)
        overdue_days = max(0.0, (now - oldest).total_seconds() / 86_400) if oldest else 0.0
        requests = listing_requests + fetch_requests
        unchanged = len(titles) - len(changed_today)
        unchanged_requests = requests - changed_requests
        if first_pass_day is None:
            first_pass_requests += requests
            if carried == 0:
                first_pass_day = day
        print(
            f"{day:>3} {len(titles):>7} {outcome_new:>5} {outcome_changed:>4} "
            f"{len(chosen) + carried:>6} {len(chosen):>9} {carried:>7} {requests:>9} "
            f"{unchanged_requests / unchanged:>14.3f} "
            f"{changed_requests / changed_fetched if changed_fetched else 0:>12.2f} "
            f"{overdue:>10} {overdue_days:>20.1f} {rss_mb():>7.0f} "
            f"{time.perf_counter() - started:>8.1f}",
            flush=True,
        )
    print(
        f"first full pass: {first_pass_requests} requests, "
        f"{first_pass_requests / POLITE_PER_DAY:.1f} days at 2 requests a second"
        + (f" (done on simulated day {first_pass_day})" if first_pass_day is not None else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--titles", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--new", type=int, default=300, help="new titles a day")
    parser.add_argument("--changed", type=int, default=1_000, help="changed titles a day")
    parser.add_argument(
        "--max-titles",
        type=int,
        default=30_000,
        help="CATALOGUE_MAX_TITLES: fetched titles per job (2 requests/s fit ~30,000 a day)",
    )
    parser.add_argument("--fail-rate", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=27)
    simulate(parser.parse_args())


if __name__ == "__main__":
    main()
