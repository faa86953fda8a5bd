"""Issue 28's presentation: the audience's summary and the title's facts in the CLI.

Two films: *Tide Clock* with an audience summary (Metacritic's 0-10 user score, from
the API) and every kind of fact, *Moth Season* with neither. Audience reviews are
written straight into ``audience_reviews`` (the writer of those is not this issue's
part): they must never reach ``critics`` or ``reviews``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import insert

from reviewcrawler.cli import main
from reviewcrawler.items import FILM_FACT_FIELDS, FilmSummaryItem, ReviewItem
from reviewcrawler.normalize.fingerprint import review_fingerprint
from reviewcrawler.store.engine import get_engine, write_transaction
from reviewcrawler.store.models import AudienceReview, Film
from reviewcrawler.store.runs import start_run
from reviewcrawler.store.schema import upgrade
from reviewcrawler.store.summaries import refresh_summaries
from reviewcrawler.store.writer import StoreWriter

TIDE = "metacritic:tide-clock"
MOTH = "film:moth-season-2018"
TIDE_AUDIENCE = {
    "score": 9.3,
    "scale": 10,
    "score_100": 93,
    "count": 18,
    "positive": 16,
    "mixed": 1,
    "negative": 1,
    "path": "api",
}
TIDE_FACTS = {
    "release_date": "2025-09-04",
    "genres": "Action, Adventure",
    "age_rating": "PG-13",
    "developers": None,
    "publishers": None,
    "director": "Ines Gale, Tom Varo",
    "network": None,
    "seasons": None,
    "runtime": 118,
}


def review(film: str, critic: str, score: int) -> ReviewItem:
    quote = f"{critic} on {film}"
    return ReviewItem(
        film_key=film,
        source_url="http://127.0.0.1/x",
        critic=critic,
        publication="Weekly Reel",
        original_score=str(score),
        score=score,
        sentiment="positive" if score > 60 else "mixed" if score >= 40 else "negative",
        published_on="2025-09-10",
        quote=quote,
        fingerprint=review_fingerprint(film, "Weekly Reel", critic, quote),
    )


def run(*arguments: str) -> Result:
    result = CliRunner().invoke(main, list(arguments), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def filled(store_url: str) -> Iterator[str]:
    engine = get_engine(store_url)
    upgrade(engine)
    run_id = start_run(engine, "reviews", {})
    tide = FilmSummaryItem(
        film_key=TIDE,
        source_url="http://127.0.0.1/x",
        title="Tide Clock",
        year=2025,
        stated_label="Generally favorable",
        stated_critic_count=2,
        stated_metascore=74,
        stated_positive=2,
        stated_mixed=0,
        stated_negative=0,
        audience_score=9.3,
        audience_scale=10,
        audience_count=18,
        audience_positive=16,
        audience_mixed=1,
        audience_negative=1,
        path="api",
        **{name: value for name, value in TIDE_FACTS.items() if value is not None},
    )
    moth = FilmSummaryItem(
        film_key=MOTH, source_url="http://127.0.0.1/x", title="Moth Season", year=2018
    )
    result = StoreWriter(engine, run_id).write_batch(
        [tide, moth],
        [review(TIDE, "Ada Quill", 85), review(TIDE, "Bo Marsh", 75), review(MOTH, "Cy Dunn", 50)],
    )
    refresh_summaries(engine, result.film_ids)
    yield store_url


def add_audience_reviews(url: str) -> None:
    """Audience reviews of Tide Clock, one by a name a critic of the store also has."""
    engine = get_engine(url)
    with write_transaction(engine) as connection:
        film_id = connection.scalar(
            Film.__table__.select().with_only_columns(Film.id).where(Film.key == TIDE)
        )
        connection.execute(
            insert(AudienceReview.__table__),
            [
                {
                    "film_id": film_id,
                    "review_id": "u-1",
                    "score": 2.0,
                    "author": "Ada Quill",
                    "quote": "Not for me.",
                },
                {
                    "film_id": film_id,
                    "review_id": "u-2",
                    "score": 10.0,
                    "author": "tidefan",
                    "quote": "Best of the year.",
                },
            ],
        )


def test_summary_json_has_audience_and_facts_apart_from_the_critics(filled: str) -> None:
    rows = {
        row["key"]: row
        for row in json.loads(run("summary", "--json", "--database-url", filled).stdout)
    }
    tide, moth = rows[TIDE], rows[MOTH]
    assert tide["audience"] == TIDE_AUDIENCE
    assert isinstance(tide["audience"]["score_100"], int)  # 93, not 93.0
    assert tide["facts"] == TIDE_FACTS
    assert list(tide["facts"]) == list(FILM_FACT_FIELDS)
    assert moth["audience"] is None
    assert moth["facts"] == dict.fromkeys(FILM_FACT_FIELDS)
    # The critics' figures are untouched by the audience's.
    assert (tide["review_count"], tide["stated_metascore"], tide["mean_score"]) == (2, 74, 80.0)
    assert (tide["positive_count"], tide["mixed_count"], tide["negative_count"]) == (2, 0, 0)
    # One film named: the same objects, beside the work.
    (named,) = json.loads(run("summary", "Tide Clock", "--json", "--database-url", filled).stdout)
    assert named["audience"] == TIDE_AUDIENCE and named["facts"] == TIDE_FACTS
    assert "work" in named


def test_summary_text_labels_critics_and_audience_apart(filled: str) -> None:
    lines = run("summary", "--database-url", filled).stdout.splitlines()
    header = lines[0]
    assert header.split()[:3] == ["title", "year", "key"]
    assert "critics stated/stored" in header
    assert "audience score" in header and "audience ratings: +/~/-" in header
    # The audience's columns come after every critics' one.
    assert header.index("audience score") > header.index("consistent")
    tide = next(line for line in lines if TIDE in line)
    assert "9.3/10 (93/100)" in tide and "18: 16/1/1" in tide
    assert "2/2" in tide  # the critics: stated 2, stored 2
    moth = next(line for line in lines if MOTH in line)
    assert "/10" not in moth and "/100" not in moth


def test_export_of_summaries_has_facts_and_audience(filled: str) -> None:
    text = run("export", "--what", "summaries", "--format", "csv", "--database-url", filled).stdout
    rows = {row["film_key"]: row for row in csv.DictReader(io.StringIO(text))}
    tide, moth = rows[TIDE], rows[MOTH]
    assert list(tide)[:4] == ["film_key", "film_title", "film_year", "film_url"]
    assert (tide["release_date"], tide["genres"], tide["runtime"]) == (
        "2025-09-04",
        "Action, Adventure",
        "118",
    )
    assert (tide["audience_score"], tide["audience_scale"], tide["audience_score_100"]) == (
        "9.3",
        "10",
        "93.0",
    )
    assert (tide["audience_count"], tide["audience_path"]) == ("18", "api")
    assert moth["audience_score"] == "" and moth["genres"] == ""
    records = json.loads(
        run("export", "--what", "summaries", "--format", "json", "--database-url", filled).stdout
    )
    tide_json = next(r for r in records if r["film_key"] == TIDE)
    assert tide_json["release_date"] == "2025-09-04"
    assert tide_json["audience_positive"] == 16


def test_audience_reviews_never_reach_critics_or_reviews(filled: str) -> None:
    critics_before = run("critics", "--json", "--database-url", filled).stdout
    reviews_before = run("reviews", TIDE, "--json", "--database-url", filled).stdout
    summary_before = run("summary", TIDE, "--json", "--database-url", filled).stdout
    add_audience_reviews(filled)
    assert run("critics", "--json", "--database-url", filled).stdout == critics_before
    assert run("reviews", TIDE, "--json", "--database-url", filled).stdout == reviews_before
    assert run("summary", TIDE, "--json", "--database-url", filled).stdout == summary_before
    ada = json.loads(run("critic", "Ada Quill", "--json", "--database-url", filled).stdout)
    assert "Not for me." not in json.dumps(ada)
    reviews = run("export", "--what", "reviews", "--format", "jsonl", "--database-url", filled)
    assert "tidefan" not in reviews.stdout and "Best of the year." not in reviews.stdout


def test_feed_summaries_carry_facts_and_audience_as_documented() -> None:
    """Feeds derive their summary fields from FilmSummaryItem; docs/exports.md lists them."""
    from reviewcrawler.feeds import SUMMARY_FIELDS
    from reviewcrawler.items import AUDIENCE_FIELDS
    from tests.support.crawl import PROJECT

    assert set(FILM_FACT_FIELDS) | set(AUDIENCE_FIELDS) <= set(SUMMARY_FIELDS)
    docs = (PROJECT / "docs" / "exports.md").read_text(encoding="utf-8")
    listed = docs.split("Summary records carry the fields of `FilmSummaryItem`:", 1)[1]
    listed = listed.split("(where the", 1)[0]
    assert [name.strip(" `\n") for name in listed.split(",")] == list(SUMMARY_FIELDS)


def test_side_by_side_work_shows_each_sites_audience(filled: str) -> None:
    """Tide Clock on Rotten Tomatoes too (a percentage audience score): the work's
    columns end with each site's own audience figures."""
    from reviewcrawler.store.links import recompute_links

    engine = get_engine(filled)
    rt_key = "rottentomatoes:tide_clock"
    result = StoreWriter(engine, start_run(engine, "reviews", {})).write_batch(
        [
            FilmSummaryItem(
                film_key=rt_key,
                source_url="http://127.0.0.1/x",
                title="Tide Clock",
                year=2025,
                stated_metascore=80,
                audience_score=87.0,
                audience_scale=100,
                audience_count=250,
                path="api",
            )
        ],
        [review(rt_key, "Eli Fenn", 80)],
    )
    refresh_summaries(engine, result.film_ids)
    recompute_links(engine)
    text = run("summary", TIDE, "--database-url", filled).stdout
    side = text.split("sites side by side", 1)[1].splitlines()
    score = next(line for line in side if line.startswith("audience score"))
    assert "9.3/10 (93/100)" in score and "87/100" in score
    ratings = next(line for line in side if line.startswith("audience ratings"))
    assert "18: 16/1/1" in ratings and "250: ?/?/?" in ratings
    (tide,) = json.loads(run("summary", TIDE, "--json", "--database-url", filled).stdout)
    assert tide["audience"] == TIDE_AUDIENCE
    assert [site["key"] for site in tide["work"]["sites"]] == [TIDE, rt_key]
