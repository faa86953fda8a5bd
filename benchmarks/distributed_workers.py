"""Throughput of 1 vs 2 scrapy-redis workers over N local pages into PostgreSQL.

Generates N legacy critic-review pages (tests/support/legacy_site.py), serves them
with nginx (or a threaded Python server) on 127.0.0.1, and for each worker count:
creates a fresh PostgreSQL database, runs ``reviewcrawler db upgrade`` and
``reviewcrawler enqueue``, starts the workers together and waits for them to stop.
Prints the time until the last review is stored, pages/s and reviews/s, and how
the pages split between the workers.

    REVIEWCRAWLER_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
    REVIEWCRAWLER_TEST_REDIS_URL=redis://127.0.0.1:6379/15 \\
    .venv/bin/python benchmarks/distributed_workers.py --pages 2000
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from benchmarks.crawl_throughput import Server  # noqa: E402
from tests.support.legacy_site import write_site  # noqa: E402

REVIEWS_PER_PAGE = 20
MAX_IDLE = 3


def database(server_url: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"reviewcrawler_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop(server_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def run(workers: int, targets: Path, pg_server: str, redis_url: str) -> None:
    name, url = database(pg_server)
    cli = [sys.executable, "-m", "reviewcrawler.cli"]
    try:
        subprocess.run([*cli, "db", "upgrade", "--database-url", url], check=True,
                       capture_output=True, cwd=PROJECT)  # fmt: skip
        subprocess.run([*cli, "enqueue", str(targets), "--redis-url", redis_url], check=True,
                       capture_output=True, cwd=PROJECT)  # fmt: skip
        command = [sys.executable, "-m", "scrapy", "crawl", "reviews"]
        for setting in (f"REDIS_URL={redis_url}", f"DATABASE_URL={url}",
                        f"MAX_IDLE_TIME_BEFORE_CLOSE={MAX_IDLE}", "ROBOTSTXT_OBEY=False",
                        "AUTOTHROTTLE_ENABLED=False", "HTTPCACHE_ENABLED=False",
                        "CONCURRENT_REQUESTS=16", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
                        "STORE_PRINT_SUMMARIES=False", "LOG_LEVEL=INFO"):  # fmt: skip
            command += ["-s", setting]
        expected = sum(1 for line in targets.read_text().splitlines() if line) * REVIEWS_PER_PAGE
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        started = time.monotonic()
        # Logs go to files: a worker blocked on a full pipe would stall the clock.
        log_paths = [targets.parent / f"worker-{workers}-{n}.log" for n in range(workers)]
        processes = [
            subprocess.Popen(
                command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=path.open("w")
            )  # fmt: skip
            for path in log_paths
        ]
        # The clock stops when the last review is stored: workers then idle for
        # MAX_IDLE_TIME_BEFORE_CLOSE (checked on Scrapy's 5 s heartbeat) before they stop.
        reviews = 0
        with engine.connect() as connection:
            while reviews < expected and any(p.poll() is None for p in processes):
                time.sleep(0.2)
                reviews = connection.scalar(text("SELECT count(*) FROM reviews"))
                connection.commit()
        wall = time.monotonic() - started
        for process in processes:
            process.wait()
        logs = [path.read_text() for path in log_paths]
        with engine.connect() as connection:
            reviews = connection.scalar(text("SELECT count(*) FROM reviews"))
        engine.dispose()
        pages = sum(_stat(log, "response_received_count") for log in logs)
        print(
            f"  {workers} worker(s): {wall:6.1f} s  {pages / wall:7.1f} pages/s"
            f"  {reviews / wall:8.1f} reviews/s  ({pages} pages, {reviews} reviews;"
            f" per-worker pages {[_stat(log, 'response_received_count') for log in logs]})"
        )
    finally:
        drop(pg_server, name)


def _stat(log: str, name: str) -> int:
    marker = f"'{name}': "
    return int(log.split(marker)[1].split(",")[0]) if marker in log else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    pg_server = os.environ["REVIEWCRAWLER_TEST_POSTGRES_URL"]
    redis_url = os.environ["REVIEWCRAWLER_TEST_REDIS_URL"]
    workdir = Path(tempfile.mkdtemp(prefix="reviewcrawler-dist-"))
    try:
        paths = write_site(workdir / "site", args.pages, REVIEWS_PER_PAGE)
        with Server(workdir / "site", workdir) as server:
            targets = workdir / "targets.txt"
            targets.write_text(
                "\n".join(f"http://127.0.0.1:{server.port}{path}/" for path in paths)
            )
            print(f"{args.pages} pages x {REVIEWS_PER_PAGE} reviews, served by {server.kind}")
            for workers in (1, 2):
                run(workers, targets, pg_server, redis_url)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
