"""Issue 3's acceptance: ``scrapy crawl reviews`` over 127.0.0.1 stores every review a film has.

Each crawl is a subprocess (tests/support/crawl.py) with ``METACRITIC_API_URL``
pointing at the test's own server, and the assertions read the stored rows.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.conftest import FIXTURES
from tests.formats.fake_sites import HTML, MetacriticApi, metacritic_reviews, page_2026
from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer, Reply
from tests.support.tables import table_rows

SLUG = "the-copper-ruse"
LEGACY_PAGE = FIXTURES / "formats" / "metacritic_legacy" / "movie-page.html"


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as running:
        yield running


def crawl(server: FixtureServer, path: str, database_url: str) -> None:
    result = run_crawl(
        "-a",
        f"url={server.url(path)}",
        database_url=database_url,
        settings={"METACRITIC_API_URL": server.base_url},
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_2026_page_plus_api_plus_stats_stores_all_57_once(
    server: FixtureServer, sqlite_url: str, sqlite_engine: Engine
) -> None:
    reviews = metacritic_reviews(57)
    api = MetacriticApi(SLUG, reviews)
    api.install(server)
    page = page_2026("The Copper Ruse", reviews[:10])  # ten cards, as the site renders
    server.route(f"/movie/{SLUG}/critic-reviews/", Reply(200, page, HTML))

    crawl(server, f"/movie/{SLUG}/critic-reviews/", sqlite_url)

    films = table_rows(sqlite_engine, "films")
    assert [(f["key"], f["title"]) for f in films] == [(f"metacritic:{SLUG}", "The Copper Ruse")]
    stored = table_rows(sqlite_engine, "reviews")
    assert len(stored) == 57
    assert len({(r["publication"], r["critic"]) for r in stored}) == 57
    assert all(r["critic"] and not r["critic"].startswith("By ") for r in stored)
    (summary,) = table_rows(sqlite_engine, "film_summaries", "film_id")
    # Stated figures come from the stats endpoint (the page shows no score card).
    assert (
        summary["stated_critic_count"],
        summary["stated_metascore"],
        summary["stated_label"],
        summary["stated_positive"],
        summary["stated_mixed"],
        summary["stated_negative"],
    ) == (57, 71, "Generally favorable", 40, 12, 5)
    assert summary["review_count"] == 57
    assert summary["consistent"]

    fingerprints = {r["fingerprint"] for r in stored}
    crawl(server, f"/movie/{SLUG}/critic-reviews/", sqlite_url)
    again = table_rows(sqlite_engine, "reviews")
    assert len(again) == 57
    assert {r["fingerprint"] for r in again} == fingerprints
    assert len(table_rows(sqlite_engine, "films")) == 1


def test_legacy_page_and_api_of_one_slug_are_one_film_with_shared_reviews_once(
    server: FixtureServer, sqlite_url: str, sqlite_engine: Engine
) -> None:
    # The legacy page lists three reviews; the API lists 20 others plus two of those three.
    shared = [
        {
            "quote": "A heist film that steals mostly from better heist films.",
            "score": 40,
            "url": "https://quarry.example/film/copper-ruse",
            "date": "2025-01-17",
            "author": "Bram Kessler",
            "publicationName": "The Quarry Review",
        },
        {
            "quote": "Nimble, funny and cleverer than its poster suggests.",
            "score": 75,
            "url": "https://weekendframe.example/copper",
            "date": "2025-01-19",
            "author": "Sunniva Holt",
            "publicationName": "Weekend Frame",
        },
    ]
    api = MetacriticApi(SLUG, shared + metacritic_reviews(20))
    api.install(server)
    legacy = LEGACY_PAGE.read_bytes()
    server.route(f"/movie/{SLUG}", Reply(200, legacy, HTML))
    server.route(f"/movie/{SLUG}/critic-reviews", Reply(200, legacy, HTML))

    # API first (issue 11): the start URL alone names the API, so one crawl of the
    # legacy page also pages the API; crawling the API again adds nothing.
    crawl(server, f"/movie/{SLUG}", sqlite_url)
    assert len(table_rows(sqlite_engine, "reviews")) == 3 + 22 - 2
    crawl(server, api.reviews_path + "?offset=0&limit=10", sqlite_url)

    films = table_rows(sqlite_engine, "films")
    assert [(f["key"], f["title"], f["year"]) for f in films] == [
        (f"metacritic:{SLUG}", "The Copper Ruse", 2025)
    ]
    stored = table_rows(sqlite_engine, "reviews")
    assert len(stored) == 3 + 22 - 2
    critics = [r["critic"] for r in stored]
    assert critics.count("Bram Kessler") == 1  # "Bram  Kessler" on the legacy page
    assert critics.count("Sunniva Holt") == 1
    assert "Felix Marr" in critics  # only on the legacy page
