"""No overlapping runs: a second run of the same job exits at once; no double writes."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tests.scheduling.test_resume import FILMS, REVIEWS, slow_site
from tests.support.crawl import PROJECT, run_crawl
from tests.support.postgres import temporary_database
from tests.support.server import FixtureServer
from tests.support.tables import table_rows


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nightly.db'}"
        return
    with temporary_database() as url:
        upgraded = subprocess.run(
            [sys.executable, "-m", "reviewcrawler.cli", "db", "upgrade", "--database-url", url],
            cwd=PROJECT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert upgraded.returncode == 0, upgraded.stderr
        yield url


def test_second_run_of_a_running_job_exits_at_once(tmp_path: Path, database_url: str) -> None:
    with FixtureServer() as server:
        targets = tmp_path / "targets.txt"
        targets.write_text("\n".join(slow_site(server)) + "\n")
        command = [sys.executable, "-m", "scrapy", "crawl", "reviews", "-a", f"urls_file={targets}"]
        for setting in (
            f"DATABASE_URL={database_url}",
            "CONCURRENT_REQUESTS=2",
            "AUTOTHROTTLE_ENABLED=False",
            "HTTPCACHE_ENABLED=False",
        ):
            command += ["-s", setting]
        first = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while not server.requests and time.monotonic() < deadline:
                time.sleep(0.05)
            fetched = sum(server.requests.values())
            second = run_crawl("-a", f"urls_file={targets}", database_url=database_url)
            assert second.returncode == 3
            assert "another run of this job is in progress" in second.stderr
            # The refused run fetched nothing: only the first run's pace moved the count.
            assert "Spider opened" not in second.stderr
            other_job = run_crawl("-a", f"url={server.url('/nothing-here')}",
                                  database_url=database_url)  # fmt: skip
            assert "another run of this job" not in other_job.stderr
        finally:
            _, stderr = first.communicate(timeout=120)
        assert first.returncode == 0, stderr[-3000:]
        assert fetched >= 1
    engine = create_engine(database_url)
    try:
        reviews = table_rows(engine, "reviews")
        runs = table_rows(engine, "crawl_runs")
    finally:
        engine.dispose()
    assert len(reviews) == FILMS * REVIEWS
    assert len([run for run in runs if run["arguments"]["spider"].get("urls_file")]) == 1
