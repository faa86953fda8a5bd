"""Issue 28: audience (user) reviews normalized and stored in ``audience_reviews`` alone.

Normalization: clean text, an ISO date, a 0-10 score (anything else NULL, counted), the
site's id or a derived one. The store: insert-or-update by ``review_id``, with the runs
that first and last saw each review; on both dialects; a lost database leaves them
unwritten (counted), never in another table.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, text

from reviewcrawler.findings import Findings
from reviewcrawler.items import AudienceReviewItem
from reviewcrawler.normalize.audience_reviews import normalize_audience_reviews
from reviewcrawler.store.audience_reviews import AudienceReviewWriter, write_resilient
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.resilient import ResilientWriter
from reviewcrawler.store.runs import start_run
from reviewcrawler.store.schema import upgrade
from reviewcrawler.store.writer import StoreWriter

PC = "metacritic:game:ember-tide:pc"


def item(n: int, **fields: Any) -> AudienceReviewItem:
    values: dict[str, Any] = {
        "review_id": f"00000000-0000-4000-8000-{n:012d}",
        "score": n % 11,
        "author": f"tester{n}",
        "published_on": "2025-12-03",
        "quote": f"Opinion number {n}.",
        "spoiler": False,
    }
    return AudienceReviewItem(film_key=PC, source_url="http://127.0.0.1/u", **{**values, **fields})


def normalized(*items: AudienceReviewItem) -> tuple[list[AudienceReviewItem], Findings]:
    findings = Findings()
    return normalize_audience_reviews(list(items), findings), findings


def stored(engine: Engine) -> dict[str, tuple[Any, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT a.review_id, f.key, a.score, a.author, a.quote, a.first_seen_run,"
                " a.last_seen_run FROM audience_reviews a JOIN films f ON f.id = a.film_id"
            )
        )
        return {row[0]: tuple(row[1:]) for row in rows}


def count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())  # noqa: S608


def test_normalization_cleans_dates_and_checks_scores() -> None:
    (first, second, third), findings = normalized(
        item(1, author="  tester   one ", quote="Great\x00 fun ", published_on="Dec 3, 2025"),
        item(2, score="8"),  # a JSON string where a number belongs: the wrong type
        item(3, score=11.5, published_on="not a day"),
    )
    assert (first.author, first.quote, first.published_on, first.score) == (
        "tester one",
        "Great fun",
        "2025-12-03",
        1.0,
    )
    assert second.score is None and third.score is None and third.published_on is None
    assert findings.stats["normalize/wrong_type/audience_score"] == 1
    assert findings.stats["normalize/out_of_range/audience_score"] == 1
    assert findings.stats["normalize/unreadable/audience_date"] == 1
    assert findings.stats["normalize/dropped_characters/audience_quote"] == 1


def test_a_review_without_an_id_is_identified_by_what_it_says() -> None:
    (one,), _ = normalized(item(4, review_id=None))
    (same,), _ = normalized(item(4, review_id=" ", author="TESTER4", quote="Opinion  number 4."))
    (other,), findings = normalized(item(4, review_id=None, quote="Another opinion."))
    assert one.review_id == same.review_id != other.review_id
    assert one.review_id is not None and len(one.review_id) == 40
    assert findings.stats["normalize/derived/audience_review_id"] == 1
    empty, findings = normalized(
        item(5, review_id=None, author=None, quote="  ", score=None, published_on=None)
    )
    assert empty == [] and findings.stats["normalize/rejected/empty_audience_review"] == 1


def test_stored_once_by_review_id_and_updated_in_place(store_url: str) -> None:
    engine = get_engine(store_url)
    upgrade(engine)
    first_run = start_run(engine, "reviews", {})
    reviews, _ = normalized(*(item(n) for n in range(5)), item(2, quote="Edited twice."))
    result = AudienceReviewWriter(engine, first_run).write(reviews)
    assert (result.new, result.changed, result.unchanged) == (5, 0, 0)
    rows = stored(engine)
    assert len(rows) == 5
    assert rows["00000000-0000-4000-8000-000000000002"][3] == "Edited twice."  # last one won

    second_run = start_run(engine, "reviews", {})
    again, _ = normalized(*(item(n) for n in range(5)), item(9))
    result = AudienceReviewWriter(engine, second_run).write(again)
    assert (result.new, result.changed, result.unchanged) == (1, 1, 4)
    rows = stored(engine)
    assert len(rows) == 6
    assert rows["00000000-0000-4000-8000-000000000002"][3:] == (
        "Opinion number 2.",
        first_run,
        second_run,
    )
    assert rows["00000000-0000-4000-8000-000000000009"][4:] == (second_run, second_run)
    assert {row[0] for row in rows.values()} == {PC}
    # Never a critic review, a critic summary or a stated figure.
    assert count(engine, "reviews") == count(engine, "film_summaries") == 0


def test_a_lost_database_leaves_them_unwritten_and_counted(store_url: str) -> None:
    engine = get_engine(store_url)
    upgrade(engine)
    run_id = start_run(engine, "reviews", {})
    resilient = ResilientWriter(
        StoreWriter(engine, run_id),
        lambda: None,
        store_url,
        retry_times=0,  # type: ignore[arg-type, return-value]
    )
    resilient.lose_database(ConnectionError("server closed the connection"))
    reviews, _ = normalized(item(1), item(2))
    result = write_resilient(resilient, AudienceReviewWriter(engine, run_id), 1, reviews)
    assert (result.new, result.unwritten) == (0, 2)
    assert count(engine, "audience_reviews") == 0
