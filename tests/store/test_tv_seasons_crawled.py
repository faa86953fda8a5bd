"""Issue 29: a legacy ``/tv/<slug>`` page's review (no season) and the same review on
the season page are stored once, whichever page is crawled first (fixtures/seasons/)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer

SHOW = "/tv/harbor-lights"
SEASON = "/tv/harbor-lights/season-2"
SETTINGS = {"METACRITIC_API_URL": "", "HTTPCACHE_ENABLED": "False"}


@pytest.mark.parametrize(
    "order", [(SEASON, SHOW), (SHOW, SEASON)], ids=["season-first", "show-first"]
)
def test_a_show_page_review_and_its_season_page_review_are_one(
    order: tuple[str, str], tmp_path: Path
) -> None:
    database = tmp_path / "reviews.db"
    with FixtureServer(FIXTURES / "seasons") as server:
        for path in order:
            result = run_crawl(
                "-a",
                f"url={server.url(path)}",
                database_url=f"sqlite:///{database}",
                settings=SETTINGS,
            )
            assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT f.key, r.critic, r.season FROM reviews r JOIN films f ON f.id = r.film_id"
            " ORDER BY r.critic"
        ).fetchall()
    assert rows == [
        ("metacritic:tv:harbor-lights", "Junia Park", "Season 2"),
        ("metacritic:tv:harbor-lights", "Odile Varga", None),
    ]
