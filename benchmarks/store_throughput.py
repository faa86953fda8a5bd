"""Store throughput, run by hand (not a test): ``.venv/bin/python benchmarks/store_throughput.py``.

1. Batched upserts of N new reviews (default 100,000; 40 per film) through the
   crawl's own StoreWriter, in STORE_BATCH_SIZE batches, into SQLite and, when
   REVIEWCRAWLER_TEST_POSTGRES_URL (or --postgres-url) names a server, into a
   throwaway PostgreSQL database; then the same reviews again (a re-crawl: all
   unchanged). Targets: SQLite >= 40,000 rows/s, PostgreSQL >= 15,000 rows/s.
2. ``reviewcrawler export --format csv`` of a SQLite store holding 100,000 and
   then 1,000,000 reviews, each in its own process: peak RSS should be flat.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reviewcrawler.items import ReviewItem  # noqa: E402
from reviewcrawler.normalize.fingerprint import review_fingerprint  # noqa: E402
from reviewcrawler.store.engine import dispose_engine, get_engine  # noqa: E402
from reviewcrawler.store.models import Film, Review  # noqa: E402
from reviewcrawler.store.runs import start_run  # noqa: E402
from reviewcrawler.store.schema import upgrade  # noqa: E402
from reviewcrawler.store.writer import StoreWriter  # noqa: E402

PER_FILM = 40


def reviews(count: int) -> Iterator[ReviewItem]:
    for number in range(count):
        film = f"bench:film-{number // PER_FILM}"
        critic = f"Critic {number % PER_FILM}"
        quote = f"Review {number}: a fine piece of work, told with care and a little wit."
        score = number % 101
        yield ReviewItem(
            film_key=film,
            source_url=f"http://127.0.0.1/{film}",
            critic=critic,
            publication=f"Paper {number % 7}",
            original_score=str(score),
            score=score,
            sentiment="positive" if score > 60 else "mixed" if score >= 40 else "negative",
            published_on="2024-03-01",
            quote=quote,
            review_url=f"https://paper.example/{number}",
            fingerprint=review_fingerprint(film, f"Paper {number % 7}", critic, quote),
        )


def upsert_rate(url: str, count: int, batch_size: int) -> tuple[float, float]:
    """Rows/s for a first crawl (all new) and a re-crawl (all unchanged)."""
    engine = get_engine(url)
    upgrade(engine)
    items = list(reviews(count))
    rates = []
    for _ in range(2):
        writer = StoreWriter(engine, start_run(engine, "benchmark", {}))
        started = time.perf_counter()
        for start in range(0, count, batch_size):
            writer.write_batch([], items[start : start + batch_size])
        rates.append(count / (time.perf_counter() - started))
    dispose_engine(url)
    return rates[0], rates[1]


def fill_for_export(url: str, count: int) -> None:
    """A store with ``count`` reviews, written directly (this part is not measured)."""
    engine = create_engine(url)
    upgrade(get_engine(url))
    dispose_engine(url)
    films = count // PER_FILM + 1
    with engine.begin() as connection:
        connection.execute(
            insert(Film.__table__), [{"key": f"bench:film-{i}"} for i in range(films)]
        )
        chunk = []
        for number, item in enumerate(reviews(count)):
            chunk.append(
                {
                    "film_id": number // PER_FILM + 1,
                    "fingerprint": item.fingerprint,
                    "critic": item.critic,
                    "publication": item.publication,
                    "score": item.score,
                    "original_score": item.original_score,
                    "sentiment": item.sentiment,
                    "quote": item.quote,
                    "review_url": item.review_url,
                }
            )
            if len(chunk) == 20_000:
                connection.execute(insert(Review.__table__), chunk)
                chunk = []
        if chunk:
            connection.execute(insert(Review.__table__), chunk)
    engine.dispose()


def export_peak_rss(url: str, out: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of ``reviewcrawler export`` in its own process."""
    command = [sys.executable, "-m", "reviewcrawler.cli", "export", "--format", "csv"]
    command += ["--out", str(out), "--database-url", url]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"export failed with status {process.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def temporary_postgres(server_url: str) -> tuple[str, Callable[[], None]]:
    name = f"reviewcrawler_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        dispose_engine(url)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--export-reviews", type=int, default=1_000_000)
    parser.add_argument("--postgres-url", default=os.environ.get("REVIEWCRAWLER_TEST_POSTGRES_URL"))
    parser.add_argument("--skip-export", action="store_true")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="reviewcrawler-bench-") as folder:
        tmp = Path(folder)
        new, unchanged = upsert_rate(
            f"sqlite:///{tmp / 'upsert.db'}", options.reviews, options.batch_size
        )
        print(
            f"SQLite upserts: {options.reviews:,} reviews in batches of {options.batch_size}: "
            f"{new:,.0f} rows/s new, {unchanged:,.0f} rows/s unchanged (target 40,000)"
        )
        if options.postgres_url:
            url, drop = temporary_postgres(options.postgres_url)
            try:
                new, unchanged = upsert_rate(url, options.reviews, options.batch_size)
            finally:
                drop()
            print(
                f"PostgreSQL upserts: {new:,.0f} rows/s new, {unchanged:,.0f} rows/s "
                "unchanged (target 15,000)"
            )
        else:
            print("PostgreSQL upserts: skipped (no REVIEWCRAWLER_TEST_POSTGRES_URL)")
        if options.skip_export:
            return
        for count in (options.export_reviews // 10, options.export_reviews):
            url = f"sqlite:///{tmp / f'export-{count}.db'}"
            fill_for_export(url, count)
            out = tmp / f"export-{count}.csv"
            seconds, peak = export_peak_rss(url, out)
            size = out.stat().st_size / 1e6
            print(
                f"Export {count:,} reviews to CSV: {seconds:.1f} s ({count / seconds:,.0f} rows/s),"
                f" {size:,.0f} MB written, peak RSS {peak:.0f} MB"
            )
            out.unlink()
            (tmp / f"export-{count}.db").unlink()


if __name__ == "__main__":
    main()
