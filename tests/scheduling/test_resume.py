"""A job stopped by SIGINT or SIGTERM and started again with the same JOBDIR finishes the
crawl with every review stored exactly once."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from reviewcrawler.store.summaries import compute
from tests.support.crawl import PROJECT
from tests.support.legacy_site import page_html, page_path
from tests.support.server import FixtureServer, Reply
from tests.support.tables import table_rows

FILMS, REVIEWS = 24, 5


def slow_site(server: FixtureServer) -> list[str]:
    def serve(film: int) -> Reply:
        time.sleep(0.25)  # slow enough to stop the crawl halfway
        body = page_html(film, REVIEWS).encode()
        return Reply(200, body, {"Content-Type": "text/html; charset=utf-8"})

    for film in range(FILMS):
        server.route(page_path(film), lambda *_, film=film: serve(film))
    return [server.url(page_path(film)) for film in range(FILMS)]


def crawl(targets: Path, jobdir: Path, database: Path) -> subprocess.Popen[str]:
    settings = {
        "JOBDIR": str(jobdir),
        "DATABASE_URL": f"sqlite:///{database}",
        "CONCURRENT_REQUESTS": "2",
        "AUTOTHROTTLE_ENABLED": "False",
        "HTTPCACHE_ENABLED": "False",
        "STORE_BATCH_SIZE": "3",
        "LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "scrapy", "crawl", "reviews", "-a", f"urls_file={targets}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.Popen(
        command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_stopped_job_resumes_and_stores_each_review_once(
    tmp_path: Path, stop: signal.Signals
) -> None:
    database, jobdir = tmp_path / "job.db", tmp_path / "jobdir"
    with FixtureServer() as server:
        urls = slow_site(server)
        targets = tmp_path / "targets.txt"
        targets.write_text("\n".join(urls) + "\n")

        first = crawl(targets, jobdir, database)
        deadline = time.monotonic() + 60
        while sum(server.requests.values()) < FILMS // 3 + 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        first.send_signal(stop)
        _, stderr = first.communicate(timeout=60)
        assert "shutdown" in stderr  # stopped early, gracefully
        fetched_before = sum(server.requests.values())
        assert fetched_before < FILMS

        engine = create_engine(f"sqlite:///{database}")
        try:
            stored_before = len(table_rows(engine, "reviews"))
            assert 0 < stored_before < FILMS * REVIEWS  # flushed on the way out

            second = crawl(targets, jobdir, database)
            _, stderr = second.communicate(timeout=120)
            assert second.returncode == 0, stderr[-3000:]
            reviews = table_rows(engine, "reviews")
        finally:
            engine.dispose()

    assert len(reviews) == FILMS * REVIEWS
    assert len({review["fingerprint"] for review in reviews}) == FILMS * REVIEWS
    pages = {path: n for path, n in server.requests.items() if path != "/robots.txt"}
    assert set(pages) == {page_path(film) for film in range(FILMS)}
    # Only pages in flight at the stop may be fetched twice.
    assert sum(pages.values()) <= FILMS + 2


def test_a_killed_job_resumes_and_leaves_every_summary_right(tmp_path: Path) -> None:
    """SIGKILL (the OOM killer, a pulled plug) mid-crawl: the run never closes. The resumed
    run repairs it: every summary then equals a recomputation from the stored reviews."""
    database, jobdir = tmp_path / "job.db", tmp_path / "jobdir"
    with FixtureServer() as server:
        urls = slow_site(server)
        targets = tmp_path / "targets.txt"
        targets.write_text("\n".join(urls) + "\n")
        engine = create_engine(f"sqlite:///{database}")
        try:
            first = crawl(targets, jobdir, database)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if database.exists() and _count(engine, "reviews") >= 2 * REVIEWS:
                    break
                time.sleep(0.05)
            first.kill()
            first.communicate(timeout=30)  # EOF: its parse worker left with it
            killed = table_rows(engine, "crawl_runs")
            assert len(killed) == 1 and killed[0]["finished_at"] is None
            # Counts are written as the run goes, not only at its close.
            assert killed[0]["reviews_new"] >= 2 * REVIEWS and killed[0]["pages"] > 0

            second = crawl(targets, jobdir, database)
            _, stderr = second.communicate(timeout=120)
            assert second.returncode == 0, stderr[-3000:]
            assert "died without closing" in stderr
            runs = table_rows(engine, "crawl_runs")
            reviews = table_rows(engine, "reviews")
            summaries = table_rows(engine, "film_summaries", "film_id")
        finally:
            engine.dispose()

    assert [run["finish_reason"] for run in runs] == ["died", "finished"]
    assert len(reviews) == FILMS * REVIEWS
    by_film: dict[int, list[dict[str, Any]]] = {}
    for review in reviews:
        by_film.setdefault(review["film_id"], []).append(review)
    assert len(summaries) == FILMS
    for summary in summaries:
        stored = [r for r in by_film.get(summary["film_id"], []) if r["gone_run"] is None]
        stated = summary["stated_listed_count"] or summary["stated_critic_count"]
        expected = compute(
            [r["score"] for r in stored if r["score"] is not None],
            [r["sentiment"] for r in stored],
            stated,
        )
        assert {name: summary[name] for name in expected} == expected


def _count(engine: Any, table: str) -> int:
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)
    except Exception:  # the crawl is still creating the database
        return 0
