"""A data error costs the offending rows only: the batch is split, good rows written, bad ones
quarantined with their reason, and the crawl keeps writing to its database (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.store.deadletter import DeadLetterSpool, read_spool
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.faults import data_error_reason
from reviewcrawler.store.open import open_store
from reviewcrawler.store.replay import replay
from reviewcrawler.store.resilient import ResilientWriter
from reviewcrawler.store.runs import start_run
from reviewcrawler.store.schema import upgrade
from reviewcrawler.store.writer import StoreWriter
from tests.support.tables import table_rows


def review(n: int, critic: str | None = None) -> ReviewItem:
    return ReviewItem(
        film_key=f"film:f{n % 7}",
        source_url="http://127.0.0.1/x",
        critic=critic or f"Critic {n}",
        publication=f"Paper {n}",
        score=70,
        original_score="70",
        sentiment="positive",
        quote=f"Quote {n}.",
        fingerprint=f"{n:040x}",
    )


def resilient(url: str, spool_path: Path) -> tuple[ResilientWriter, int]:
    upgrade(get_engine(url))
    engine = open_store(url)
    run_id = start_run(engine, "reviews", {})
    writer = ResilientWriter(
        StoreWriter(engine, run_id),
        lambda: DeadLetterSpool(spool_path, run_id, "test"),
        url,
        retry_times=0,
    )
    return writer, run_id


def test_one_bad_row_among_999_good_ones(store_url: str, tmp_path: Path) -> None:
    spool_path = tmp_path / "dead-letter" / "run.jsonl"
    writer, _ = resilient(store_url, spool_path)
    # A lone surrogate that skipped cleaning: neither SQLite nor PostgreSQL can encode it.
    batch = [review(n) for n in range(999)]
    batch.insert(500, review(999, critic="Broken \ud83d Name"))
    summaries = [FilmSummaryItem("film:f0", "http://127.0.0.1/x", title="Film Zero")]
    outcome = writer.write(1, summaries, batch)

    assert outcome.result is not None and outcome.result.new == 999
    assert dict(outcome.rejected) == {"encoding": 1}
    assert writer.lost_because is None  # not taken for a lost database
    engine = writer.writer.engine
    assert len(table_rows(engine, "reviews")) == 999
    assert [f["title"] for f in table_rows(engine, "films") if f["key"] == "film:f0"] == [
        "Film Zero"
    ]
    spool = read_spool(spool_path)
    assert spool.batches == [] and not spool.refused
    (quarantined,) = spool.rejected
    (bad,) = quarantined.reviews
    assert bad.critic == "Broken \ud83d Name"  # kept exactly, escaped in the file
    record = json.loads(spool_path.read_text().splitlines()[1])
    assert (record["kind"], record["reason"], record["type"]) == ("rejected", "encoding", "review")

    # The crawl still writes to its database afterwards.
    after = writer.write(2, [], [review(n) for n in range(1000, 1010)])
    assert after.result is not None and after.result.new == 10 and not after.rejected
    assert len(table_rows(engine, "reviews")) == 1009


def test_an_overlong_value_that_skipped_cleaning_is_refused_not_cut(
    postgres_url: str, tmp_path: Path
) -> None:
    writer, _ = resilient(postgres_url, tmp_path / "run.jsonl")
    outcome = writer.write(1, [], [review(1), review(2, critic="x" * 400), review(3)])
    assert outcome.result is not None and outcome.result.new == 2
    assert dict(outcome.rejected) == {"length": 1}
    critics = {r["critic"] for r in table_rows(writer.writer.engine, "reviews")}
    assert critics == {"Critic 1", "Critic 3"}


def test_a_spool_with_a_corrupt_line_replays_its_other_lines(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = open_store(url)
    run_id = start_run(engine, "reviews", {})
    spool = DeadLetterSpool(tmp_path / "run.jsonl", run_id, url)
    spool.add_batch(1, [], [review(1), review(2)])
    with spool.path.open("a") as handle:
        handle.write('{"kind": "review", "batch": 2, "item": {"film_key": \n')  # corrupt
        handle.write('{"kind": "review", "batch": 2, "item": {"nonsense": 1}}\n')  # wrong shape
    spool.add_batch(3, [], [review(3), review(4, critic="Lone \udc00 half")])
    result = replay(engine, read_spool(spool.path))
    stored = {r["critic"] for r in table_rows(engine, "reviews")}
    assert stored == {"Critic 1", "Critic 2", "Critic 3"}
    where = [w for w, _ in result.refused]
    assert where[:2] == ["line 4", "line 5"]  # after the header and two reviews
    assert where[2] == "batch 3 review of film:f4"
    assert result.refused[2][1].startswith("encoding")


def test_dead_letter_lines_are_written_whatever_the_data_holds(tmp_path: Path) -> None:
    spool = DeadLetterSpool(tmp_path / "run.jsonl", 1, "x")
    odd = review(1)
    odd.quote = "Cut emoji \ud83d here"
    odd.score = {"an": "object"}  # type: ignore[assignment]  # what no rule foresaw
    odd.published_on = float("nan")  # type: ignore[assignment]
    spool.add_batch(1, [], [odd, review(2)])
    lines = [json.loads(line) for line in spool.path.read_text().splitlines()]
    assert [line["kind"] for line in lines] == ["header", "rejected", "review"]
    assert lines[1]["reason"] == "unserializable" and "Cut emoji" in lines[1]["repr"]
    assert read_spool(spool.path).batches[0].reviews == [review(2)]


def test_data_errors_are_told_from_connection_faults() -> None:
    from sqlalchemy.exc import IntegrityError, OperationalError

    assert data_error_reason(OperationalError("x", {}, Exception("closed"))) is None
    assert data_error_reason(IntegrityError("x", {}, Exception("unique"))) == "constraint"
    assert data_error_reason(UnicodeEncodeError("utf-8", "\ud83d", 0, 1, "surrogates")) == (
        "encoding"
    )
    assert data_error_reason(OverflowError("Python int too large")) == "numeric_range"
