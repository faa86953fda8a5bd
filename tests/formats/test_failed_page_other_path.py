"""Issue 29: a failed page costs the crawl only if its film got no review from another path.

A Metacritic start URL is fetched as its HTML page and, API first, as the API's
reviews and stats. Each crawl is a subprocess over 127.0.0.1 (tests/support/crawl.py);
the assertions read its exit status, its stats and the stored rows.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.formats.fake_sites import HTML, JSON, MetacriticApi, metacritic_reviews, page_2026
from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer, Reply
from tests.support.stats import crawl_stats
from tests.support.tables import table_rows

SLUG = "the-copper-ruse"
PAGE = f"/movie/{SLUG}/critic-reviews/"  # never routed: the server answers 404
Crawl = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as running:
        yield running


@pytest.fixture
def crawl(server: FixtureServer, sqlite_url: str, tmp_path: Path) -> Crawl:
    def run(target: str, api: str | None = None) -> subprocess.CompletedProcess[str]:
        """``target``: ``url=...`` or ``urls_file=...``, as given to ``-a``."""
        return run_crawl(
            "-a",
            target,
            database_url=sqlite_url,
            settings={
                "METACRITIC_API_URL": server.base_url if api is None else api,
                "STORE_DEAD_LETTER_DIR": str(tmp_path / "dead-letter"),
            },
        )

    return run


def errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if "] ERROR: " in line]


def test_a_page_404_whose_film_got_every_review_from_the_api_passes(
    server: FixtureServer, crawl: Crawl, sqlite_engine: Engine
) -> None:
    MetacriticApi(SLUG, metacritic_reviews(57)).install(server)

    result = crawl(f"url={server.url(PAGE)}")

    assert result.returncode == 0, result.stderr[-3000:]
    assert len(table_rows(sqlite_engine, "reviews")) == 57
    stats = crawl_stats(result)
    assert stats["downloader/response_status_count/404"] >= 1
    assert stats["pages/failed"] == 1 and stats["pages/failed_covered"] == 1
    assert stats["monitors/failed"] == []
    assert "reviewcrawler/failed" not in stats
    assert errors(result) == []
    # Named: the failed page, why, and the path that covered it.
    named = [line for line in result.stderr.splitlines() if server.url(PAGE) in line]
    assert any("HTTP 404" in line and "metacritic API" in line for line in named), named


def test_a_page_404_whose_api_fails_too_fails_the_crawl(
    server: FixtureServer, crawl: Crawl, sqlite_engine: Engine
) -> None:
    # The stats endpoint answers, the reviews endpoint does not: a summary is no review.
    api = MetacriticApi(SLUG, metacritic_reviews(5))
    server.route(api.stats_path, Reply(200, b'{"data": {"item": {"reviewCount": 5}}}', JSON))

    result = crawl(f"url={server.url(PAGE)}")

    assert result.returncode == 1, result.stderr[-3000:]
    assert table_rows(sqlite_engine, "reviews") == []
    stats = crawl_stats(result)
    assert stats["pages/failed"] == 2 and "pages/failed_covered" not in stats
    assert stats["monitors/failed"] == ["Errors and retries"]
    logged = errors(result)
    assert any(server.url(PAGE) in line and "HTTP 404" in line for line in logged), logged
    assert any(api.reviews_path in line for line in logged), logged


def test_a_page_404_with_the_api_off_fails_the_crawl(
    server: FixtureServer, crawl: Crawl, sqlite_engine: Engine
) -> None:
    MetacriticApi(SLUG, metacritic_reviews(57)).install(server)

    result = crawl(f"url={server.url(PAGE)}", api="")

    assert result.returncode == 1, result.stderr[-3000:]
    assert server.requests.get(f"/reviews/metacritic/critic/movies/{SLUG}/web") is None
    stats = crawl_stats(result)
    assert stats["pages/failed"] == 1 and "pages/failed_covered" not in stats
    assert "Errors and retries" in stats["monitors/failed"]


def test_the_rule_is_general_a_failed_api_page_is_covered_by_the_films_page(
    server: FixtureServer, crawl: Crawl, sqlite_engine: Engine
) -> None:
    reviews = metacritic_reviews(10)
    api = MetacriticApi(SLUG, reviews)
    api.install(server)
    server.route(api.reviews_path, Reply(404, b"not found"))
    server.route(PAGE, Reply(200, page_2026("The Copper Ruse", reviews), HTML))

    result = crawl(f"url={server.url(PAGE)}")

    assert result.returncode == 0, result.stderr[-3000:]
    assert len(table_rows(sqlite_engine, "reviews")) == 10
    stats = crawl_stats(result)
    assert stats["pages/failed"] == 1 and stats["pages/failed_covered"] == 1
    covered = [line for line in result.stderr.splitlines() if "is covered" in line]
    assert len(covered) == 1 and api.reviews_path in covered[0] and "its page: 10" in covered[0]


def test_another_films_reviews_do_not_cover_a_failed_page(
    server: FixtureServer, crawl: Crawl, sqlite_engine: Engine, tmp_path: Path
) -> None:
    # The copper ruse answers on both paths; "lost-reel" has neither page nor API.
    MetacriticApi(SLUG, metacritic_reviews(12)).install(server)
    targets = tmp_path / "targets.txt"
    lost = "/movie/lost-reel/critic-reviews/"
    targets.write_text(f"{server.url(PAGE)}\n{server.url(lost)}\n", encoding="utf-8")

    result = crawl(f"urls_file={targets}")

    assert result.returncode == 1, result.stderr[-3000:]
    assert len(table_rows(sqlite_engine, "reviews")) == 12
    stats = crawl_stats(result)
    # The copper ruse's page is covered by its API; lost-reel's page and API pages are not.
    assert stats["pages/failed"] == 4 and stats["pages/failed_covered"] == 1
    logged = errors(result)
    assert not any(server.url(PAGE) in line for line in logged), logged
    assert any(server.url(lost) in line for line in logged), logged
