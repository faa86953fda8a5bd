"""Two scrapy-redis workers share one frontier and one PostgreSQL store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from reviewcrawler.store.models import Film, FilmSummary, Review
from tests.support.crawl import PROJECT
from tests.support.legacy_site import write_site
from tests.support.postgres import temporary_database
from tests.support.redis import redis_for_test
from tests.support.server import FixtureServer

FILMS, REVIEWS_PER_FILM = 200, 6


def reviewcrawler(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewcrawler.cli", *arguments],
        cwd=PROJECT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def worker(redis_url: str, database_url: str) -> subprocess.Popen[str]:
    settings = {
        "REDIS_URL": redis_url,
        "DATABASE_URL": database_url,
        "MAX_IDLE_TIME_BEFORE_CLOSE": "3",
        "ROBOTSTXT_OBEY": "False",
        "AUTOTHROTTLE_ENABLED": "False",
        "HTTPCACHE_ENABLED": "False",
        "STORE_PRINT_SUMMARIES": "False",
    }
    command = [sys.executable, "-m", "scrapy", "crawl", "reviews"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.Popen(
        command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_workers_fetch_each_page_once_and_store_each_review_once(tmp_path: Path) -> None:
    paths = write_site(tmp_path / "site", FILMS, REVIEWS_PER_FILM)
    with (
        redis_for_test() as redis_url,
        temporary_database() as database_url,
        FixtureServer(tmp_path / "site") as server,
    ):
        assert reviewcrawler("db", "upgrade", "--database-url", database_url).returncode == 0
        targets = tmp_path / "targets.txt"
        targets.write_text("# tonight\n" + "\n".join(server.url(path) for path in paths) + "\n")
        enqueued = reviewcrawler("enqueue", str(targets), "--redis-url", redis_url)
        assert enqueued.returncode == 0, enqueued.stderr
        assert f"enqueued {FILMS} start URLs" in enqueued.stdout

        workers = [worker(redis_url, database_url) for _ in range(2)]
        outputs = [process.communicate(timeout=300) for process in workers]
        for process, (_, stderr) in zip(workers, outputs, strict=True):
            assert process.returncode == 0, stderr[-3000:]

        assert set(server.requests) == set(paths)
        assert all(count == 1 for count in server.requests.values())
        fetched = [
            int(stderr.split("'response_received_count': ")[1].split(",")[0])
            for _, stderr in outputs
            if "'response_received_count'" in stderr
        ]
        assert sum(fetched) == FILMS

        engine = create_engine(database_url)
        try:
            with engine.connect() as connection:
                assert connection.scalar(select(func.count()).select_from(Film)) == FILMS
                assert connection.scalar(select(func.count()).select_from(Review)) == (
                    FILMS * REVIEWS_PER_FILM
                )
                summaries = connection.execute(
                    select(FilmSummary.review_count, FilmSummary.consistent)
                ).all()
                runs = connection.scalar(text("SELECT count(*) FROM crawl_runs"))
        finally:
            engine.dispose()
        assert len(summaries) == FILMS
        assert set(summaries) == {(REVIEWS_PER_FILM, True)}
        assert runs == 2  # one per worker
