"""The writer and history on both databases: new/changed/unchanged, changes recorded,
gone reviews, summaries and their snapshots, and crawl_runs rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select

from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.normalize.fingerprint import review_fingerprint
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.history import mark_gone, snapshot_summaries
from reviewcrawler.store.models import CrawlRun, Review, ReviewChange, SummarySnapshot
from reviewcrawler.store.runs import RunOutcome, finish_run, mask_arguments, start_run
from reviewcrawler.store.schema import upgrade
from reviewcrawler.store.summaries import refresh_summaries
from reviewcrawler.store.writer import StoreWriter

FILM = "film:sea-glass-2020"


def review(critic: str, score: int, quote: str, film: str = FILM) -> ReviewItem:
    return ReviewItem(
        film_key=film,
        source_url="http://127.0.0.1/x",
        critic=critic,
        publication="The Gazette",
        original_score=str(score),
        score=score,
        sentiment="positive" if score > 60 else "mixed" if score >= 40 else "negative",
        published_on="2020-05-01",
        quote=quote,
        fingerprint=review_fingerprint(film, "The Gazette", critic, quote),
    )


def stated(critics: int, metascore: int, film: str = FILM) -> FilmSummaryItem:
    return FilmSummaryItem(
        film_key=film,
        source_url="http://127.0.0.1/x",
        title="Sea Glass",
        year=2020,
        stated_critic_count=critics,
        stated_metascore=metascore,
        stated_label="Generally favorable",
    )


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = get_engine(store_url)
    upgrade(engine)
    yield engine


def crawl(engine: Engine, summaries: list[FilmSummaryItem], reviews: list[ReviewItem]) -> Any:
    """One in-process crawl run: write, mark gone (complete), refresh, snapshot, finish."""
    run_id = start_run(engine, "reviews", {"url": "http://127.0.0.1/x"})
    writer = StoreWriter(engine, run_id)
    result = writer.write_batch(summaries, reviews)
    gone = mark_gone(engine, run_id, result.reviewed_film_ids)
    rows = refresh_summaries(engine, result.film_ids)
    snapshot_summaries(engine, run_id, result.film_ids)
    finish_run(engine, run_id, RunOutcome(finish_reason="finished", reviews_gone=gone))
    return run_id, result, gone, rows


def reviews_by_critic(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        return {row.critic: row for row in connection.execute(select(Review.__table__))}


def test_a_recrawl_classifies_records_changes_and_marks_gone(engine: Engine) -> None:
    first = [review("Ada", 80, "Luminous."), review("Ben", 50, "Fine."), review("Cy", 30, "No.")]
    run1, result1, gone1, _ = crawl(engine, [stated(3, 55)], first)
    assert (result1.new, result1.changed, result1.unchanged, gone1) == (3, 0, 0, 0)

    # Ben's score changed at the source, Cy's review disappeared, Dee's is new.
    second = [review("Ada", 80, "Luminous."), review("Ben", 65, "Fine."), review("Dee", 90, "Yes")]
    run2, result2, gone2, rows = crawl(engine, [stated(3, 78)], second)
    assert (result2.new, result2.changed, result2.unchanged, gone2) == (1, 1, 1, 1)

    stored = reviews_by_critic(engine)
    assert set(stored) == {"Ada", "Ben", "Cy", "Dee"}  # gone, never deleted
    assert (stored["Ada"].first_seen_run, stored["Ada"].last_seen_run) == (run1, run2)
    assert (stored["Ben"].score, stored["Ben"].last_seen_run) == (65, run2)
    assert (stored["Cy"].gone_run, stored["Cy"].last_seen_run) == (run2, run1)
    assert stored["Dee"].first_seen_run == run2
    with engine.connect() as connection:
        changes = connection.execute(
            select(ReviewChange.__table__).order_by(ReviewChange.__table__.c.id)
        ).all()
    assert [(c.review_id, c.run_id, c.field, c.old_value, c.new_value) for c in changes] == [
        (stored["Ben"].id, run2, "score", "50", "65"),
        (stored["Ben"].id, run2, "original_score", "50", "65"),
        (stored["Ben"].id, run2, "sentiment", "mixed", "positive"),
    ]
    # The summary counts only reviews the source still lists.
    (summary,) = rows
    assert (summary.review_count, summary.mean_score, summary.stated_metascore) == (3, 78.33, 78)
    assert (summary.positive_count, summary.mixed_count, summary.negative_count) == (3, 0, 0)

    # Cy's review comes back: restored, and the return recorded.
    run3, result3, gone3, rows = crawl(engine, [stated(4, 70)], [*second, first[2]])
    assert (result3.new, result3.changed, result3.unchanged, gone3) == (0, 1, 3, 0)
    stored = reviews_by_critic(engine)
    assert (stored["Cy"].gone_run, stored["Cy"].last_seen_run) == (None, run3)
    assert rows[0].review_count == 4 and rows[0].consistent is True

    with engine.connect() as connection:
        snapshots = connection.execute(
            select(SummarySnapshot.__table__).order_by(SummarySnapshot.__table__.c.run_id)
        ).all()
        runs = connection.execute(select(CrawlRun.__table__).order_by("id")).all()
    assert [(s.run_id, s.stated_metascore, s.review_count) for s in snapshots] == [
        (run1, 55, 3),
        (run2, 78, 3),
        (run3, 70, 4),
    ]
    assert [(r.id, r.finish_reason, r.reviews_gone) for r in runs] == [
        (run1, "finished", 0),
        (run2, "finished", 1),
        (run3, "finished", 0),
    ]
    assert all(r.finished_at is not None for r in runs)


def test_same_review_twice_in_one_batch_is_written_once(engine: Engine) -> None:
    run_id = start_run(engine, "reviews", {})
    result = StoreWriter(engine, run_id).write_batch(
        [], [review("Ada", 70, "Early."), review("Ada", 70, "Early.")]
    )
    assert (result.new, result.changed, result.unchanged) == (1, 0, 0)
    assert len(reviews_by_critic(engine)) == 1


def test_an_identical_recrawl_changes_nothing_but_last_seen_run(engine: Engine) -> None:
    reviews = [review("Ada", 80, "Luminous."), review("Ben", 50, "Fine.")]
    crawl(engine, [stated(2, 66)], reviews)
    before = {k: {**v._mapping} for k, v in reviews_by_critic(engine).items()}
    run2, result, gone, _ = crawl(engine, [stated(2, 66)], reviews)
    after = {k: {**v._mapping} for k, v in reviews_by_critic(engine).items()}
    assert (result.new, result.changed, result.unchanged, gone) == (0, 0, 2, 0)
    for critic in before:
        assert after[critic].pop("last_seen_run") == run2
        before[critic].pop("last_seen_run")
    assert after == before


def test_last_seen_run_never_moves_back(engine: Engine) -> None:
    """Crawls may close out of order: an older run's batch does not rewind a newer sighting."""
    older = start_run(engine, "reviews", {})
    newer = start_run(engine, "reviews", {})
    StoreWriter(engine, newer).write_batch([], [review("Ada", 80, "Luminous.")])
    StoreWriter(engine, older).write_batch([], [review("Ada", 80, "Luminous.")])
    assert mark_gone(engine, older, [reviews_by_critic(engine)["Ada"].film_id]) == 0
    assert reviews_by_critic(engine)["Ada"].last_seen_run == newer


def test_arguments_are_stored_with_passwords_masked() -> None:
    masked = mask_arguments(
        {
            "spider": {"url": "https://example.org/movie/x", "api_token": "abc"},
            "settings": {"DATABASE_URL": "postgresql+psycopg://me:hunter2@db/reviews"},
        }
    )
    assert masked == {
        "spider": {"url": "https://example.org/movie/x", "api_token": "***"},
        "settings": {"DATABASE_URL": "postgresql+psycopg://me:***@db/reviews"},
    }
