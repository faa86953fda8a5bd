"""SIGTERM or SIGINT mid-crawl: what the crawl buffered is written before it exits; a second
signal (Scrapy's forced shutdown) still leaves no half-written batch."""

from __future__ import annotations

import ast
import re
import signal
import subprocess
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.db_faults.harness import FILMS, REVIEWS, Site, once_stored, start_crawl
from tests.support.server import FixtureServer
from tests.support.tables import table_rows


def stopped_crawl(tmp_path: Path, *signals: signal.Signals) -> tuple[str, str]:
    """Crawl slowly, send ``signals`` once some reviews are stored; (database URL, stderr)."""
    url = f"sqlite:///{tmp_path / 'reviews.db'}"
    process: list[subprocess.Popen[str]] = []

    def stop() -> None:
        for number in signals:
            process[0].send_signal(number)
            # Signals sent together may arrive as one; this page's response, held
            # back meanwhile, keeps the crawl from finishing before the next.
            time.sleep(0.5)

    with FixtureServer() as server:
        site = Site(server, delay=0.1)
        site.on_page[5] = once_stored(url, stop)
        # Two pages per batch: the signal can find a batch half full.
        process.append(start_crawl(site, tmp_path, url, STORE_BATCH_SIZE="12"))
        _, stderr = process[0].communicate(timeout=120)
    return url, stderr


def reviews_per_film(url: str) -> dict[int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("PRAGMA integrity_check")) == "ok"
        counts: dict[int, int] = {}
        for review in table_rows(engine, "reviews"):
            counts[review["film_id"]] = counts.get(review["film_id"], 0) + 1
        return counts
    finally:
        engine.dispose()


def final_stats(stderr: str) -> dict[str, object]:
    dump = re.search(r"Dumping Scrapy stats:\n(\{.*?\})\n", stderr, re.DOTALL)
    assert dump, stderr[-3000:]
    return ast.literal_eval(re.sub(r"datetime\.datetime\([^)]*\)", "None", dump.group(1)))


def test_sigterm_writes_every_buffered_item_before_exit(tmp_path: Path) -> None:
    url, stderr = stopped_crawl(tmp_path, signal.SIGTERM)
    assert "shutdown" in stderr and "Traceback" not in stderr
    stats = final_stats(stderr)
    counts = reviews_per_film(url)
    stored = sum(counts.values())
    assert 0 < stored < FILMS * REVIEWS  # stopped mid-crawl
    # Every page that came through the pipelines is stored, none half.
    assert stored == stats["item_scraped_count"] * REVIEWS == stats["store/reviews_new"]
    assert set(counts.values()) == {REVIEWS}
    assert "store/spooled_reviews" not in stats


def test_second_sigint_leaves_no_half_written_batch(tmp_path: Path) -> None:
    url, stderr = stopped_crawl(tmp_path, signal.SIGINT, signal.SIGINT)
    assert "forcing unclean shutdown" in stderr
    counts = reviews_per_film(url)
    # Each batch is one transaction: a film (one page, inside one batch) is all there or not.
    assert set(counts.values()) <= {REVIEWS}
