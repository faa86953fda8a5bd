"""Issue 2's acceptance: what `scrapy crawl reviews` stores, end to end, over 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import inspect
import json
from pathlib import Path

from sqlalchemy import Engine, create_engine

from reviewcrawler.spiders.reviews import ReviewsSpider
from tests.conftest import SAMPLE, reference
from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer, Reply
from tests.support.tables import snapshot, table_rows

LANTERN = "lantern-keeper-2011-critic-reviews.txt"


def stored(engine: Engine) -> tuple[list[dict], list[dict], list[dict]]:
    return (
        table_rows(engine, "films"),
        table_rows(engine, "reviews"),
        table_rows(engine, "film_summaries", "film_id"),
    )


def test_spider_uses_async_start() -> None:
    assert inspect.isasyncgenfunction(ReviewsSpider.start)
    assert "start_requests" not in ReviewsSpider.__dict__


def test_seed_format_page_served_as_text_stores_every_field(
    sample_server: FixtureServer, sqlite_url: str, sqlite_engine: Engine
) -> None:
    result = run_crawl(
        "-a",
        f"url={sample_server.url('/' + LANTERN)}",
        "-a",
        "film=The Lantern Keeper (2011)",
        database_url=sqlite_url,
    )
    assert result.returncode == 0, result.stderr
    films, reviews, summaries = stored(sqlite_engine)
    assert [(f["key"], f["title"], f["year"]) for f in films] == [
        ("film:the-lantern-keeper-2011", "The Lantern Keeper", 2011)
    ]
    assert len(reviews) == 8
    by_critic = {r["critic"]: r for r in reviews}
    assert set(by_critic) == {
        "Harriet Osei",
        None,
        "Tomás Ferreira",
        "Priya Natarajan",
        "J.D. Whitcombe",
        "Ines O'Rourke",
        "Marcus Bell",
    }
    osei = by_critic["Harriet Osei"]
    assert osei["published_on"] == dt.date(2012, 3, 4)
    assert osei["quote"].startswith("The Lantern Keeper takes its time -- maybe too much of it --")
    assert osei["score"] is None and osei["sentiment"] is None and osei["publication"] is None
    scored = [r for r in reviews if r["score"] is not None]
    assert [(r["score"], r["original_score"], r["sentiment"], r["critic"]) for r in scored] == [
        (70, "70", "positive", None)
    ]
    assert scored[0]["published_on"] is None
    uncredited = [r for r in reviews if r["critic"] is None and r["score"] is None]
    assert len(uncredited) == 1
    assert uncredited[0]["quote"].startswith("Handsome [if chilly] photography")
    assert by_critic["Tomás Ferreira"]["quote"] == (
        "Ferreira’s camera loves the fog; the actors mostly stand in it... and wait."
    )
    assert "patient, weathered, a little stubborn—and" in by_critic["Priya Natarajan"]["quote"]
    assert by_critic["Marcus Bell"]["quote"] == (
        "Quietly affecting. 12. Not many films trust silence this much."
    )
    (summary,) = summaries
    assert summary["stated_label"] == "Mixed or average"
    assert (summary["stated_critic_count"], summary["stated_positive"]) == (8, 3)
    assert (summary["stated_mixed"], summary["stated_negative"]) == (4, 1)  # mixed derived
    assert summary["stated_metascore"] is None
    assert (summary["review_count"], summary["scored_count"]) == (8, 1)
    assert summary["mean_score"] == 70 and summary["computed_label"] == "Generally favorable"
    assert summary["consistent"] is True
    assert "The Lantern Keeper (2011)" in result.stdout


def test_seed_format_served_untyped_is_still_recognised(
    sqlite_url: str, sqlite_engine: Engine
) -> None:
    body = (SAMPLE / LANTERN).read_bytes()
    with FixtureServer() as server:
        server.route("/reviews/raw", Reply(200, body, {}))
        result = run_crawl(
            "-a", f"url={server.url('/reviews/raw')}", "-a", "film=Lantern", database_url=sqlite_url
        )
    assert result.returncode == 0, result.stderr
    _, reviews, _ = stored(sqlite_engine)
    assert len(reviews) == 8


def test_real_seed_file(sqlite_url: str, sqlite_engine: Engine) -> None:
    seed = reference("seed/pusher-1996-critic-reviews.txt")
    result = run_crawl("-a", f"url={seed.as_uri()}", database_url=sqlite_url)
    assert result.returncode == 0, result.stderr
    films, reviews, summaries = stored(sqlite_engine)
    assert [f["key"] for f in films] == ["file:pusher-1996"]
    assert len(reviews) == 11
    (summary,) = summaries
    assert summary["stated_label"] == "Generally favorable"
    assert summary["stated_critic_count"] == 11
    assert (summary["stated_positive"], summary["stated_mixed"], summary["stated_negative"]) == (
        9,
        2,
        0,
    )
    scored = [r for r in reviews if r["score"] is not None]
    assert [(r["score"], r["sentiment"]) for r in scored] == [(80, "positive")]
    assert len([r for r in reviews if r["critic"]]) == 9
    dates = [r["published_on"] for r in reviews if r["published_on"]]
    assert len(dates) == 10 and set(dates) == {dt.date(2013, 7, 15)}
    assert "Gunnar Rehlin" in {r["critic"] for r in reviews}
    assert summary["consistent"] is True


def test_real_seed_file_with_film_argument(sqlite_url: str, sqlite_engine: Engine) -> None:
    seed = reference("seed/pusher-1996-critic-reviews.txt")
    result = run_crawl(
        "-a", f"url={seed.as_uri()}", "-a", "film=Pusher (1996)", database_url=sqlite_url
    )
    assert result.returncode == 0, result.stderr
    films, _, _ = stored(sqlite_engine)
    assert [(f["key"], f["title"], f["year"]) for f in films] == [
        ("film:pusher-1996", "Pusher", 1996)
    ]


def test_real_her_page(sqlite_url: str, sqlite_engine: Engine) -> None:
    her = reference("metacritic-legacy/her-2013-movie-page.html")
    result = run_crawl("-a", f"url={her.as_uri()}", database_url=sqlite_url)
    assert result.returncode == 0, result.stderr
    films, reviews, summaries = stored(sqlite_engine)
    assert [(f["key"], f["title"], f["year"]) for f in films] == [("metacritic:her", "Her", 2013)]
    assert len(reviews) == 7
    assert not {"HSPLazerz"} & {r["critic"] for r in reviews}
    assert all(r["publication"] for r in reviews)
    assert max(r["score"] for r in reviews) == 100 and min(r["score"] for r in reviews) == 40
    goodykoontz = next(r for r in reviews if r["critic"] == "Bill Goodykoontz")
    assert goodykoontz["published_on"] == dt.date(2014, 1, 9)
    assert goodykoontz["review_url"].startswith("http://www.azcentral.com/")
    (summary,) = summaries
    assert summary["stated_metascore"] == 90
    assert summary["stated_label"] == "Universal acclaim"
    assert summary["stated_critic_count"] == 46
    assert (summary["stated_positive"], summary["stated_mixed"], summary["stated_negative"]) == (
        42,
        4,
        0,
    )
    assert summary["consistent"] is False  # 7 of 46 on the main page
    assert "7 reviews stored but the page states 46 critics" in result.stderr


def test_legacy_site_follows_critic_reviews_and_pagination_only(
    sample_server: FixtureServer, sqlite_url: str, sqlite_engine: Engine
) -> None:
    result = run_crawl(
        "-a", f"url={sample_server.url('/movie/the-quiet-harbour')}", database_url=sqlite_url
    )
    assert result.returncode == 0, result.stderr
    fetched = {path for path in sample_server.requests if path != "/robots.txt"}
    assert fetched == {
        "/movie/the-quiet-harbour",
        "/movie/the-quiet-harbour/critic-reviews",
        "/movie/the-quiet-harbour/critic-reviews?page=1",
    }
    assert all(count == 1 for count in sample_server.requests.values())
    films, reviews, summaries = stored(sqlite_engine)
    assert [(f["key"], f["title"], f["year"]) for f in films] == [
        ("metacritic:the-quiet-harbour", "The Quiet Harbour", 2019)
    ]
    assert len(reviews) == 9
    assert {"gullwatcher", "landlubber"}.isdisjoint(r["critic"] for r in reviews)
    assert sorted(r["score"] for r in reviews) == [30, 45, 58, 63, 66, 70, 75, 80, 91]
    assert {r["critic"] for r in reviews if r["publication"] in ("Reel Talk", "Screen Notes")} == {
        None
    }
    castellanos = next(r for r in reviews if r["publication"] == "The Daily Frame")
    assert castellanos["critic"] == "Ruben Castellanos"
    assert castellanos["quote"] == "Small, salty and sure of itself [in the best way]."
    (summary,) = summaries
    assert summary["stated_metascore"] == 72
    assert (summary["review_count"], summary["scored_count"]) == (9, 9)
    assert (summary["positive_count"], summary["mixed_count"], summary["negative_count"]) == (
        6,
        2,
        1,
    )
    assert (summary["min_score"], summary["max_score"], summary["median_score"]) == (30, 91, 66)
    assert summary["mean_score"] == round(578 / 9, 2)
    assert summary["consistent"] is True


def test_crawling_twice_changes_nothing(
    sample_server: FixtureServer, sqlite_url: str, sqlite_engine: Engine
) -> None:
    arguments = ("-a", f"url={sample_server.url('/movie/the-quiet-harbour')}")
    assert run_crawl(*arguments, database_url=sqlite_url).returncode == 0
    first = snapshot(sqlite_engine, ignore={"reviews": {"last_seen_run"}})
    second_run = run_crawl(*arguments, database_url=sqlite_url)
    assert second_run.returncode == 0, second_run.stderr
    assert snapshot(sqlite_engine, ignore={"reviews": {"last_seen_run"}}) == first


def test_no_arguments_crawls_the_bundled_samples(tmp_path: Path) -> None:
    result = run_crawl(env={"SCRAPY_SETTINGS_MODULE": "reviewcrawler.settings"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if " | " in line]
    # A movie page set, a plain-text page, a TV show and a game (issue 11).
    assert len(lines) == 4
    assert any(line.startswith("The Quiet Harbour (2019)") for line in lines)
    assert any(line.startswith("Harbour Watch (2023)") for line in lines)
    assert any(line.startswith("Ember Circuit (2025)") for line in lines)
    engine = create_engine(f"sqlite:///{tmp_path / 'reviews.db'}")
    try:
        _, reviews, _ = stored(engine)
    finally:
        engine.dispose()
    assert len(reviews) == 17 + 5 + 6


def test_feed_export_keeps_working(
    sample_server: FixtureServer, sqlite_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "reviews.jsonl"
    result = run_crawl(
        "-a", f"url={sample_server.url('/' + LANTERN)}", "-O", str(out), database_url=sqlite_url
    )
    assert result.returncode == 0, result.stderr
    items = [json.loads(line) for line in out.read_text().splitlines()]
    reviews = [item for item in items if "fingerprint" in item]
    assert len(reviews) == 8
    assert {item["published_on"] for item in reviews} >= {"2012-03-04"}


def test_unopenable_database_fails_before_any_request(tmp_path: Path) -> None:
    with FixtureServer(SAMPLE) as server:
        missing = tmp_path / "no" / "such" / "folder" / "x.db"
        result = run_crawl(
            "-a", f"url={server.url('/' + LANTERN)}", database_url=f"sqlite:///{missing}"
        )
        assert result.returncode != 0
        assert not server.requests
    errors = [
        line for line in result.stderr.splitlines() if "ERROR" in line or "reviewcrawler:" in line
    ]
    assert len(errors) == 1, result.stderr
    assert str(missing.parent) in errors[0]
    assert "Traceback" not in result.stderr


def test_database_password_is_masked(tmp_path: Path) -> None:
    url = "postgresql+psycopg://crawler:s3cret-pw@127.0.0.1:9/reviews"
    result = run_crawl("-a", f"url={(SAMPLE / LANTERN).as_uri()}", database_url=url)
    assert result.returncode != 0
    assert "s3cret-pw" not in result.stderr + result.stdout
    assert "***" in result.stderr
