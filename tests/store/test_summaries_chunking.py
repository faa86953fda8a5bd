"""Summaries of more films than one statement may name (SQLite binds at most 32,766)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.store import summaries
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.history import mark_gone, snapshot_summaries
from reviewcrawler.store.open import open_store
from reviewcrawler.store.runs import start_run
from reviewcrawler.store.schema import upgrade
from reviewcrawler.store.writer import StoreWriter


def test_refresh_works_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summaries, "REFRESH_CHUNK", 3)
    engine = open_store(f"sqlite:///{tmp_path / 'chunks.db'}")
    writer = StoreWriter(engine, start_run(engine, "reviews", {}))
    films = [f"file:film-{n:02d}" for n in range(10)]
    result = writer.write_batch(
        [FilmSummaryItem(film_key=k, source_url="file:///x", stated_critic_count=1) for k in films],
        [
            ReviewItem(film_key=key, source_url="file:///x", critic="C", score=50 + n,
                       sentiment="mixed", fingerprint=f"{n:040x}")
            for n, key in enumerate(films)
        ],
    )  # fmt: skip
    rows = summaries.refresh_summaries(engine, result.film_ids)
    assert [row.key for row in rows] == films
    assert [row.mean_score for row in rows] == [50.0 + n for n in range(10)]
    assert all(row.consistent for row in rows)


def test_closing_records_for_more_films_than_one_statement_may_name(store_url: str) -> None:
    """Marking reviews gone and snapshotting summaries at close, for 70,000 touched films
    (PostgreSQL's protocol binds at most 65,535 parameters a statement)."""
    engine = get_engine(store_url)
    upgrade(engine)

    def run(critics: list[str]) -> tuple[int, set[int]]:
        run_id = start_run(engine, "reviews", {})
        result = StoreWriter(engine, run_id).write_batch(
            [FilmSummaryItem(film_key="file:big", source_url="file:///x", stated_critic_count=2)],
            [
                ReviewItem(film_key="file:big", source_url="file:///x", critic=critic, score=60,
                           sentiment="mixed", fingerprint=f"{critic:0>40}")
                for critic in critics
            ],
        )  # fmt: skip
        summaries.refresh_summaries(engine, result.film_ids)
        return run_id, result.film_ids

    run(["a", "b"])
    second, (film_id,) = run(["a"])
    many = [film_id, *range(10_000_000, 10_070_000)]
    assert mark_gone(engine, second, many) == 1
    snapshot_summaries(engine, second, many)
    with engine.connect() as connection:
        snapshots = connection.execute(
            text("SELECT film_id, review_count FROM summary_snapshots WHERE run_id = :run"),
            {"run": second},
        ).all()
    assert [tuple(row) for row in snapshots] == [(film_id, 2)]
