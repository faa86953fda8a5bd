"""The catalogue's records (issue 27) on both dialects: listed titles land once, moved
figures make a title due, a plan honours priority and its limit, fetches finish."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, text

from reviewcrawler.catalogue.due import DEFAULT_MAX_AGES
from reviewcrawler.catalogue.record import Fetched, finish, plan, record_listed
from reviewcrawler.items import ListedTitle
from reviewcrawler.store import catalogue as table
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.schema import upgrade

NOW = dt.datetime(2026, 12, 6, 3, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def title(slug: str, count: int | None = 10, score: int | None = 80, **rest: object) -> ListedTitle:
    return ListedTitle(
        "metacritic",
        "game",
        slug,
        "http://127.0.0.1/finder",
        title=slug.title(),
        release_date="2020-01-01",
        score=score,
        listed_count=count,
        **rest,  # type: ignore[arg-type]
    )


def store(store_url: str) -> Engine:
    engine = get_engine(store_url)
    upgrade(engine)
    return engine


def planned(engine: Engine, now: dt.datetime, limit: int | None = None) -> list[str]:
    chosen, _ = plan(engine, now, site="metacritic", media=["game"], limit=limit)
    return [row.slug for row in chosen]


def test_listing_plan_and_finish(store_url: str) -> None:
    engine = store(store_url)
    first = record_listed(
        engine,
        [title("alba"), title("brisk"), title("alba"), title("calm", count=0, score=None)],
        NOW,
        DEFAULT_MAX_AGES,
    )
    assert (first.new, first.listed_twice, first.without_reviews) == (3, 1, 1)
    # The title listed with no reviews needs no request: it is not due.
    assert planned(engine, NOW) == ["alba", "brisk"]
    chosen, carried = plan(engine, NOW, site="metacritic", media=["game"], limit=1)
    assert [row.slug for row in chosen] == ["alba"] and carried == 1
    ids = {row.slug: row.id for row in table.rows(engine.connect())}
    finish(
        engine,
        [Fetched(ids["alba"], True, True, ("metacritic:game:alba:pc",))],
        NOW,
        DEFAULT_MAX_AGES,
    )
    finish(engine, [Fetched(ids["brisk"], False)], NOW, DEFAULT_MAX_AGES)
    # The same listing again: nothing moved, so only the failed title is due.
    again = record_listed(engine, [title("alba"), title("brisk")], NOW + DAY, DEFAULT_MAX_AGES)
    assert (again.new, again.changed) == (0, 0)
    assert planned(engine, NOW + DAY) == ["brisk"]
    # A listed count moves: due as changed, ahead of the failed one.
    moved = record_listed(engine, [title("alba", count=11)], NOW + DAY, DEFAULT_MAX_AGES)
    assert moved.changed == 1
    assert planned(engine, NOW + DAY) == ["alba", "brisk"]
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT film_keys, consecutive_failures, due_reason FROM catalogue_titles"
                " WHERE slug='brisk'"
            )
        ).one()
        assert (row.film_keys, row.consecutive_failures, row.due_reason) == (None, 1, "failed")
        alba = connection.execute(
            text(
                "SELECT film_keys, due_reason, listed_count FROM catalogue_titles WHERE slug='alba'"
            )
        ).one()
        assert tuple(alba) == ("metacritic:game:alba:pc", "changed", 11)
    # Older than its maximum age (released 2020: 30 days), a fresh title turns stale.
    finish(
        engine,
        [Fetched(ids["alba"], True), Fetched(ids["brisk"], True)],
        NOW + DAY,
        DEFAULT_MAX_AGES,
    )
    assert planned(engine, NOW + 2 * DAY) == []
    # Stale in turn; the title listed without reviews never needs a request.
    assert planned(engine, NOW + 32 * DAY) == ["alba", "brisk"]
    record_listed(engine, [title(f"t{n:02d}") for n in range(9)], NOW, DEFAULT_MAX_AGES)
    fetched: list[str] = []
    for job in range(3):
        now = NOW + job * dt.timedelta(hours=1)
        chosen, carried = plan(engine, now, site="metacritic", media=["game"], limit=3)
        assert carried == 6 - 3 * job
        fetched += [row.slug for row in chosen]
        finish(engine, [Fetched(row.id, True) for row in chosen], now, DEFAULT_MAX_AGES)
    assert sorted(fetched) == [f"t{n:02d}" for n in range(9)]


def test_a_failing_title_backs_off_and_does_not_hold_the_others_back(store_url: str) -> None:
    engine = store(store_url)
    record_listed(engine, [title("dead"), title("live")], NOW, DEFAULT_MAX_AGES)
    with engine.connect() as connection:
        ids = {row.slug: row.id for row in table.rows(connection)}
    waits = []
    moment = NOW
    for _ in range(4):
        finish(engine, [Fetched(ids["dead"], False)], moment, DEFAULT_MAX_AGES)
        with engine.connect() as connection:
            due = table.by_ids(connection, [ids["dead"]])[ids["dead"]].next_due
        due = due if due.tzinfo else due.replace(tzinfo=dt.UTC)
        waits.append(due - moment)
        assert "dead" not in planned(engine, due - dt.timedelta(minutes=1))
        assert "dead" in planned(engine, due)
        moment = due
    # 12 hours, then doubling: a title gone for good costs ever fewer requests.
    assert waits == [dt.timedelta(hours=h) for h in (12, 24, 48, 96)]
