"""The whole bad corpus crawled over HTTP into SQLite: no crash, everything good stored,
every rejection counted, SQL metacharacters stored as text, and the crawl reported failed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from tests.conftest import FIXTURES
from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer
from tests.support.stats import crawl_stats
from tests.support.tables import table_rows

BAD = FIXTURES / "bad"


def test_crawling_the_bad_corpus(tmp_path: Path, sqlite_url: str, sqlite_engine: Engine) -> None:
    with FixtureServer(BAD) as server:
        targets = tmp_path / "targets.txt"
        targets.write_text("".join(server.url(f"/{p.name}") + "\n" for p in sorted(BAD.iterdir())))
        result = run_crawl("-a", f"urls_file={targets}", database_url=sqlite_url)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1  # the monitors fail it: this corpus is not a healthy crawl
    stats = crawl_stats(result)
    assert stats["pages/unrecognised"] == 2  # empty.txt and binary.bin
    assert stats["pages/suspected_markup_drift"] == 1  # drifted-critic-reviews.html
    assert stats["normalize/unreadable/score"] == 5
    assert stats["normalize/unreadable/date"] == 4
    assert stats["normalize/rejected/empty_review"] == 1
    assert stats["monitors/failed"] == ["Markup drift"]
    assert "Crawl monitors failed:\n  - Markup drift: " in result.stderr
    assert "reviewcrawler: crawl failed: monitors failed: Markup drift" in result.stderr

    reviews = table_rows(sqlite_engine, "reviews")
    assert len(reviews) == 32
    critics = {r["critic"] for r in reviews}
    assert {"Robert'); DROP TABLE reviews;--", "x'; DELETE FROM films WHERE '1'='1"} <= critics
    assert "' OR '1'='1" in {r["quote"] for r in reviews}
    assert {"Françoise Dubé", "سارة خليل", "Owen Pike"} <= critics
    assert all(r["score"] is None or 0 <= r["score"] <= 100 for r in reviews)
    assert len(table_rows(sqlite_engine, "films")) == 10
