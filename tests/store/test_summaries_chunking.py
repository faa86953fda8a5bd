"""Summaries of more films than one statement may name (SQLite binds at most 32,766)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.store import summaries
from reviewcrawler.store.engine import open_store
from reviewcrawler.store.runs import start_run
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
