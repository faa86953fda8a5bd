"""In process: a rolled-back batch leaves the writer usable, the spool reads back what was
spooled, and a replay refuses a database that never saw the spool's crawl run."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.store.deadletter import DeadLetterSpool, read_spool
from reviewcrawler.store.engine import dispose_engine
from reviewcrawler.store.open import open_store
from reviewcrawler.store.replay import ReplayRefused, replay
from reviewcrawler.store.runs import start_run
from reviewcrawler.store.writer import StoreWriter
from tests.support.tables import table_rows


def items(film: str) -> tuple[list[FilmSummaryItem], list[ReviewItem]]:
    summary = FilmSummaryItem(film, "http://x/", title="A Film", year=2001, stated_critic_count=1)
    review = ReviewItem(film, "http://x/", critic="C", score=70, quote="Fine.", fingerprint=film)
    return [summary], [review]


def test_a_rolled_back_batch_leaves_no_film_id_behind(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = open_store(url)
    try:
        writer = StoreWriter(engine, start_run(engine, "reviews", {}))
        real = StoreWriter._write_reviews

        def lost_connection(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise OperationalError("INSERT", {}, Exception("server closed the connection"))

        monkeypatch.setattr(StoreWriter, "_write_reviews", lost_connection)
        with pytest.raises(OperationalError):
            writer.write_batch(*items("film:a"))
        assert table_rows(engine, "films") == []  # the film insert rolled back with it
        monkeypatch.setattr(StoreWriter, "_write_reviews", real)
        writer.write_batch(*items("film:b"))  # takes the id film:a had for a moment
        result = writer.write_batch(*items("film:a"))  # the retry
        ids = {film["key"]: film["id"] for film in table_rows(engine, "films")}
        assert result.film_ids == {ids["film:a"]} and result.new == 1
        stored = {r["fingerprint"]: r["film_id"] for r in table_rows(engine, "reviews")}
        assert stored == {"film:a": ids["film:a"], "film:b": ids["film:b"]}
    finally:
        dispose_engine(url)


def test_spool_reads_back_batches_in_order(tmp_path: Path) -> None:
    spool = DeadLetterSpool(tmp_path / "d" / "run.jsonl", 7, "sqlite:///x.db")
    spool.add_batch(3, *items("film:a"))
    spool.add_batch(4, *items("film:b"))
    spool.add_refresh()
    with spool.path.open("a") as handle:
        # What spools written before crawl_run_films asked for.
        handle.write('{"kind": "refresh", "film_keys": ["film:z"]}\n')
        handle.write('{"kind": "review", "batch": 5, "item": {"film')  # cut short by a crash
    read = read_spool(spool.path)
    assert (read.run_id, read.refresh_run, read.refresh_keys) == (7, True, {"film:z"})
    assert [b.number for b in read.batches] == [3, 4]
    assert (read.batches[1].summaries, read.batches[1].reviews) == items("film:b")


def test_replay_refuses_a_database_without_the_crawl_run(tmp_path: Path) -> None:
    spool = DeadLetterSpool(tmp_path / "run.jsonl", 99, "sqlite:///elsewhere.db")
    spool.add_batch(1, *items("film:a"))
    url = f"sqlite:///{tmp_path / 'other.db'}"
    try:
        with pytest.raises(ReplayRefused, match="crawl run 99"):
            replay(open_store(url), read_spool(spool.path))
    finally:
        dispose_engine(url)
