"""One definition of a change, read from the store's history: scores (critics' and
audience's) moved, first stated, bands crossed; reviews added, changed, gone."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from reviewcrawler.changes import (
    AUDIENCE,
    BAND_CROSSED,
    FIRST_SCORE,
    METASCORE,
    REVIEW_ADDED,
    REVIEW_CHANGED,
    REVIEW_GONE,
    SCORE_MOVED,
    BadSince,
    Scope,
    UnknownKind,
    list_changes,
    parse_since,
    snapshot_audience,
)
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.models import AudienceSnapshot, AudienceSummary
from reviewcrawler.store.schema import upgrade
from tests.support.history import START, History

LANTERN, HARBOUR, RT = 1, 2, 3


@pytest.fixture
def engine(store_url: str) -> Engine:
    engine = get_engine(store_url)
    upgrade(engine)
    return engine


@pytest.fixture
def history(engine: Engine) -> History:
    """Four runs of three films.

    The Lantern Keeper: Metascore 74, unstated, 81 (a band crossed), 81; audience 7.0
    then 7.5; a review added in run 1, changed in run 2, gone in run 3, one added in 3.
    The Quiet Harbour: known from run 1 without a score, first stated in run 2.
    A Rotten Tomatoes film: 59 then 61, no band (Metacritic's bands are not its).
    """
    history = History(engine)
    history.film(LANTERN, "metacritic:the-lantern-keeper", "The Lantern Keeper")
    history.film(HARBOUR, "metacritic:the-quiet-harbour", "The Quiet Harbour", 2020)
    history.film(RT, "rottentomatoes:m/fresh_cut", "Fresh Cut")
    for run_id in (1, 2, 3, 4):
        history.run(run_id)
    for run_id, score in ((1, 74), (2, None), (3, 81), (4, 81)):
        history.metascore(run_id, LANTERN, score)
    history.audience(1, LANTERN, 7.0)
    history.audience(3, LANTERN, 7.5)
    history.metascore(1, HARBOUR, None)
    history.metascore(2, HARBOUR, 64)
    history.metascore(3, RT, 59)
    history.metascore(4, RT, 61)
    history.review(10, LANTERN, 1, critic="Bram Kessler", score=80, gone_run=3)
    history.review_change(2, 10, "quote", "A slow burn.", "A slow, patient burn.")
    history.review(11, LANTERN, 3, critic="Ada Quist", publication="Night Desk", score=90)
    return history


def _summary(changes: list) -> list[tuple]:
    return [(c.run.id, c.film.id, c.kind, c.field, c.old, c.new) for c in changes]


def test_every_kind_is_read_from_the_history_newest_first(engine: Engine, history: History) -> None:
    changes = list_changes(engine)
    assert _summary(changes) == [
        (4, RT, SCORE_MOVED, METASCORE, 59, 61),
        (3, LANTERN, SCORE_MOVED, AUDIENCE, 70.0, 75.0),
        # A run that stated no score (run 2) neither moved it nor hid the move.
        (3, LANTERN, SCORE_MOVED, METASCORE, 74, 81),
        (3, LANTERN, BAND_CROSSED, METASCORE, "Generally favorable", "Universal acclaim"),
        (3, LANTERN, REVIEW_ADDED, None, None, 90),
        (3, LANTERN, REVIEW_GONE, None, 80, None),
        (3, RT, FIRST_SCORE, METASCORE, None, 59),
        (2, LANTERN, REVIEW_CHANGED, "quote", "A slow burn.", "A slow, patient burn."),
        (2, HARBOUR, FIRST_SCORE, METASCORE, None, 64),
        (1, LANTERN, FIRST_SCORE, AUDIENCE, None, 70.0),
        (1, LANTERN, FIRST_SCORE, METASCORE, None, 74),
        (1, LANTERN, REVIEW_ADDED, None, None, 80),
    ]
    by_key = {(c.run.id, c.film.id, c.kind, c.field): c for c in changes}
    # A film's first run starts its history; a film known before without a score is not.
    assert by_key[(1, LANTERN, FIRST_SCORE, METASCORE)].film_new
    assert by_key[(1, LANTERN, REVIEW_ADDED, None)].film_new
    assert not by_key[(2, HARBOUR, FIRST_SCORE, METASCORE)].film_new
    assert not by_key[(3, LANTERN, REVIEW_ADDED, None)].film_new
    added = by_key[(3, LANTERN, REVIEW_ADDED, None)]
    assert added.review is not None
    assert (added.review.critic, added.review.publication) == ("Ada Quist", "Night Desk")
    assert added.film.key == "metacritic:the-lantern-keeper"
    assert added.film.title == "The Lantern Keeper" and added.film.year == 2019
    assert added.run.started_at == START + dt.timedelta(days=3)


def test_scopes_narrow_by_run_film_kind_time_and_count(engine: Engine, history: History) -> None:
    assert _summary(list_changes(engine, Scope(run_id=2))) == [
        (2, LANTERN, REVIEW_CHANGED, "quote", "A slow burn.", "A slow, patient burn."),
        (2, HARBOUR, FIRST_SCORE, METASCORE, None, 64),
    ]
    films = {c.film.id for c in list_changes(engine, Scope(film_ids=frozenset({HARBOUR})))}
    assert films == {HARBOUR}
    kinds = frozenset({BAND_CROSSED, REVIEW_GONE})
    assert [c.kind for c in list_changes(engine, Scope(kinds=kinds))] == [
        BAND_CROSSED,
        REVIEW_GONE,
    ]
    since = START + dt.timedelta(days=3)
    assert {c.run.id for c in list_changes(engine, Scope(since=since))} == {3, 4}
    newest = list_changes(engine, Scope(limit=3))
    assert _summary(newest) == _summary(list_changes(engine))[:3]
    with pytest.raises(UnknownKind):
        Scope(kinds=frozenset({"moved"}))


def test_the_json_form_names_film_run_values_and_review(engine: Engine, history: History) -> None:
    (added,) = list_changes(engine, Scope(run_id=3, kinds=frozenset({REVIEW_ADDED})))
    data = added.as_json()
    assert data["kind"] == "review_added"
    assert data["film"] == {
        "id": LANTERN,
        "key": "metacritic:the-lantern-keeper",
        "title": "The Lantern Keeper",
        "year": 2019,
    }
    assert data["run"]["id"] == 3 and data["run"]["started_at"].startswith("2026-12-04T08:00")
    assert data["review"]["critic"] == "Ada Quist" and data["new"] == 90


def test_the_audience_is_snapshotted_for_the_films_the_run_touched(engine: Engine) -> None:
    history = History(engine)
    history.film(LANTERN, "metacritic:the-lantern-keeper", "The Lantern Keeper")
    history.film(HARBOUR, "metacritic:the-quiet-harbour", "The Quiet Harbour")
    history.run(1)
    history.touched(1, LANTERN)
    with engine.begin() as connection:
        for film_id in (LANTERN, HARBOUR):
            connection.execute(
                AudienceSummary.__table__.insert().values(
                    film_id=film_id, score=8.1, scale=10, score_100=81.0, count=12, path="html"
                )
            )
    snapshot_audience(engine, 1)
    with engine.connect() as connection:
        rows = connection.execute(select(AudienceSnapshot.__table__)).all()
    assert [(r.run_id, r.film_id, r.score, r.scale, r.score_100, r.count) for r in rows] == [
        (1, LANTERN, 8.1, 10, 81.0, 12)
    ]


def test_since_reads_spans_and_dates() -> None:
    now = dt.datetime(2026, 12, 8, 12, 0, tzinfo=dt.UTC)
    assert parse_since("12h", now) == dt.datetime(2026, 12, 8, 0, 0, tzinfo=dt.UTC)
    assert parse_since("1d", now) == dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
    assert parse_since("2w", now) == dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
    assert parse_since("2026-12-01") == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert parse_since("2026-12-01T10:00+02:00") == dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)
    with pytest.raises(BadSince):
        parse_since("yesterday")
