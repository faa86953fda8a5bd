"""crawl_run_films: each batch records the films it touched, for the run's close."""

from __future__ import annotations

import pytest

from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.store import run_films, writer
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.history import mark_gone
from reviewcrawler.store.runs import start_run
from reviewcrawler.store.schema import upgrade
from reviewcrawler.store.writer import StoreWriter
from tests.support.tables import table_rows


def stated(key: str) -> FilmSummaryItem:
    return FilmSummaryItem(film_key=key, source_url="file:///x", stated_critic_count=1)


def review(key: str, critic: str) -> ReviewItem:
    return ReviewItem(
        film_key=key,
        source_url="file:///x",
        critic=critic,
        score=70,
        sentiment="positive",
        fingerprint=f"{key}|{critic}",
    )


def test_batches_record_touched_and_reviewed_films_per_run(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A writer that remembers one film id: every other film is looked up again.
    monkeypatch.setattr(writer, "FILM_ID_CACHE", 1)
    engine = get_engine(store_url)
    upgrade(engine)
    first = start_run(engine, "reviews", {})
    crawl = StoreWriter(engine, first)
    crawl.write_batch([stated("film:a"), stated("film:b")], [])
    crawl.write_batch([], [review("film:a", "Ada"), review("film:c", "Cy")])
    crawl.write_batch([stated("film:b")], [review("film:a", "Bo")])
    second = start_run(engine, "reviews", {})
    StoreWriter(engine, second).write_batch([], [review("film:b", "Di")])

    ids = {film["key"]: film["id"] for film in table_rows(engine, "films")}
    assert len(ids) == 3
    recorded = {
        (row["run_id"], row["film_id"], row["reviewed"])
        for row in table_rows(engine, "crawl_run_films", order_by="film_id")
    }
    assert recorded == {
        (first, ids["film:a"], True),  # stated first, reviewed by a later batch
        (first, ids["film:b"], False),
        (first, ids["film:c"], True),
        (second, ids["film:b"], True),
    }
    stored = {r["fingerprint"]: r["film_id"] for r in table_rows(engine, "reviews")}
    assert stored == {
        "film:a|Ada": ids["film:a"],
        "film:c|Cy": ids["film:c"],
        "film:a|Bo": ids["film:a"],
        "film:b|Di": ids["film:b"],
    }
    with engine.connect() as connection:
        reviewed = set(connection.scalars(run_films.films_of(first, reviewed=True)))
    assert reviewed == {ids["film:a"], ids["film:c"]}
    assert run_films.count(engine, first) == 3
    assert list(run_films.film_id_chunks(engine, first, 2)) == [
        sorted(ids.values())[:2],
        sorted(ids.values())[2:],
    ]
    assert list(run_films.film_id_chunks(engine, start_run(engine, "reviews", {}), 2)) == []


def test_a_rolled_back_batch_records_no_film(store_url: str) -> None:
    engine = get_engine(store_url)
    upgrade(engine)
    run_id = start_run(engine, "reviews", {})
    crawl = StoreWriter(engine, run_id)
    bad = review("film:a", "Ada")
    bad.published_on = "not a date"  # fails when the batch's reviews are written
    with pytest.raises(ValueError):
        crawl.write_batch([stated("film:a")], [bad])
    assert table_rows(engine, "crawl_run_films", order_by="film_id") == []
    assert table_rows(engine, "films") == []


def test_closing_from_the_record_marks_only_reviewed_films(store_url: str) -> None:
    engine = get_engine(store_url)
    upgrade(engine)
    first = start_run(engine, "reviews", {})
    StoreWriter(engine, first).write_batch(
        [], [review("film:a", "Ada"), review("film:a", "Bo"), review("film:b", "Cy")]
    )
    second = start_run(engine, "reviews", {})
    # The second run sees one of film:a's reviews and only film:b's stated summary.
    StoreWriter(engine, second).write_batch([stated("film:b")], [review("film:a", "Ada")])
    assert mark_gone(engine, second, run_films.films_of(second, reviewed=True)) == 1
    reviews = table_rows(engine, "reviews")
    assert len(reviews) == 3
    assert {r["fingerprint"] for r in reviews if r["gone_run"] == second} == {"film:a|Bo"}
