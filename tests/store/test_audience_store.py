"""Issue 28, the store's part: the audience's summary is kept apart from the critics'
(``audience_summaries``), per film key, whole from the strongest path; a title's facts
live on the film under the facts' precedence. On both dialects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, text

from reviewcrawler.items import FilmSummaryItem
from reviewcrawler.normalize.items import normalize_page
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.runs import start_run
from reviewcrawler.store.schema import upgrade
from reviewcrawler.store.writer import StoreWriter

PC = "metacritic:game:ember-tide:pc"
SWITCH = "metacritic:game:ember-tide:nintendo-switch"


def summary(key: str, path: str = "api", **fields: Any) -> FilmSummaryItem:
    return FilmSummaryItem(film_key=key, source_url="http://127.0.0.1/x", path=path, **fields)


def writer(store_url: str) -> tuple[Engine, StoreWriter]:
    engine = get_engine(store_url)
    upgrade(engine)
    return engine, StoreWriter(engine, start_run(engine, "reviews", {}))


def audience(engine: Engine) -> dict[str, tuple[Any, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT f.key, a.score, a.scale, a.score_100, a.count, a.positive, a.mixed,"
                " a.negative, a.path FROM audience_summaries a JOIN films f ON f.id = a.film_id"
            )
        )
        return {row[0]: tuple(row[1:]) for row in rows}


def stated(engine: Engine) -> dict[str, tuple[Any, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT f.key, s.stated_metascore, s.stated_critic_count, s.stated_positive"
                " FROM film_summaries s JOIN films f ON f.id = s.film_id"
            )
        )
        return {row[0]: tuple(row[1:]) for row in rows}


def test_audience_per_platform_apart_from_the_critics(store_url: str) -> None:
    engine, write = writer(store_url)
    critics = summary(PC, stated_metascore=83, stated_critic_count=20, stated_positive=18)
    pc = summary(
        PC,
        audience_score=9.3,
        audience_scale=10,
        audience_count=18,
        audience_positive=16,
        audience_mixed=1,
        audience_negative=1,
    )
    switch = summary(SWITCH, audience_score=7.1, audience_scale=10, audience_count=40)
    write.write_batch([critics, pc, switch], [])
    assert audience(engine) == {
        PC: (9.3, 10, 93.0, 18, 16, 1, 1, "api"),
        SWITCH: (7.1, 10, 71.0, 40, None, None, None, "api"),
    }
    # The critics' figures are untouched by the audience's, and vice versa.
    assert stated(engine) == {PC: (83, 20, 18)}


def test_a_weaker_path_never_replaces_nor_mixes_into_the_audience_summary(store_url: str) -> None:
    engine, write = writer(store_url)
    write.write_batch([summary(PC, audience_score=9.3, audience_scale=10, audience_count=18)], [])
    # The HTML's figure, with a distribution the API did not give: not taken, not mixed in.
    html = summary(
        PC, "html", audience_score=8.8, audience_scale=10, audience_count=17, audience_positive=15
    )
    write.write_batch([html], [])
    assert audience(engine)[PC] == (9.3, 10, 93.0, 18, None, None, None, "api")
    # The same path later states new figures: they replace the old ones whole.
    write.write_batch([summary(PC, audience_score=9.0, audience_scale=10, audience_count=25)], [])
    assert audience(engine)[PC] == (9.0, 10, 90.0, 25, None, None, None, "api")
    # A film only the HTML speaks for gets the HTML's.
    write.write_batch([html], [])
    write.write_batch([summary(SWITCH, "html", audience_score=6.0, audience_scale=10)], [])
    assert audience(engine)[SWITCH] == (6.0, 10, 60.0, None, None, None, None, "html")


def test_no_votes_is_no_score_and_bad_values_cost_only_themselves(store_url: str) -> None:
    engine, write = writer(store_url)
    items = [
        summary(PC, audience_score=0, audience_scale=10, audience_count=0, stated_metascore=83),
        summary(
            SWITCH,
            audience_score=11,
            audience_scale=10,
            audience_count=-3,
            audience_positive="many",
            stated_metascore=70,
        ),
        summary(
            "metacritic:game:ember-tide:ios-iphoneipad",
            audience_score="9.1",
            audience_scale=10,
            audience_count=4,
            stated_metascore=60,
        ),
    ]
    summaries, _, findings = normalize_page(items, [])
    assert findings.stats["normalize/out_of_range/audience_score"] == 1
    assert findings.stats["normalize/out_of_range/audience_count"] == 1
    assert findings.stats["normalize/unreadable/audience_positive"] == 1
    assert findings.stats["normalize/wrong_type/audience_score"] == 1
    write.write_batch(summaries, [])
    rows = audience(engine)
    assert rows[PC][:4] == (None, 10, None, 0)
    assert rows[SWITCH][:4] == (None, 10, None, None)
    assert rows["metacritic:game:ember-tide:ios-iphoneipad"][:4] == (None, 10, None, 4)
    # The critic data is kept whatever the audience's figures were.
    assert {key: row[0] for key, row in stated(engine).items()} == {
        PC: 83,
        SWITCH: 70,
        "metacritic:game:ember-tide:ios-iphoneipad": 60,
    }


def test_title_facts_are_stored_under_the_facts_precedence(store_url: str) -> None:
    engine, write = writer(store_url)
    facts = {
        "release_date": "2025-09-04",
        "genres": "Action, Adventure",
        "age_rating": "E10+",
        "developers": "Tide Works",
        "publishers": "Harbor Games",
        "runtime": 95,
    }
    write.write_batch([summary(PC, "page_data", **facts)], [])
    # A weaker path's differing facts are not taken; what nothing stated is filled in.
    write.write_batch([summary(PC, "html", genres="Puzzle", network="Nowhere TV")], [])
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT release_date, genres, age_rating, developers, publishers, network,"
                " runtime FROM films WHERE key = :key"
            ),
            {"key": PC},
        ).one()
    release = row.release_date
    if isinstance(release, str):  # SQLite through a plain text query
        release = dt.date.fromisoformat(release)
    assert (release, *row[1:]) == (
        dt.date(2025, 9, 4),
        "Action, Adventure",
        "E10+",
        "Tide Works",
        "Harbor Games",
        "Nowhere TV",
        95,
    )
