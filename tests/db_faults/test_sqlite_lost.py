"""SQLite made unwritable mid-crawl: nothing lost, and a replay ends where an undisturbed
crawl ends.

How the file is made unwritable: tests run as root, where chmod stops nothing, so
the database file is moved aside and a directory put at its path (what a deleted,
replaced or unmounted database looks like). An open SQLite connection would go on
writing into the moved file without an error (a WAL database accepts the writes);
the store notices the file is no longer at its path (store/engine.py), and every
new connection fails, as it would on a read-only or vanished volume.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.db_faults.harness import (
    FILMS,
    REVIEWS,
    Site,
    contents,
    crawl_site,
    once_stored,
    replay,
    spool_files,
)
from tests.support.server import FixtureServer
from tests.support.tables import snapshot, table_rows


def test_sqlite_file_lost_mid_crawl_is_spooled_then_replayed(tmp_path: Path) -> None:
    database = tmp_path / "db" / "reviews.db"
    database.parent.mkdir()
    moved = database.with_name("reviews.db.moved")
    url, baseline_url = f"sqlite:///{database}", f"sqlite:///{tmp_path / 'baseline.db'}"

    def lose_the_file() -> None:
        os.rename(database, moved)
        database.mkdir()

    with FixtureServer() as server:
        undisturbed = crawl_site(Site(server), tmp_path, baseline_url)
        assert undisturbed.returncode == 0, undisturbed.stderr[-3000:]
        site = Site(server)
        site.on_page[6] = once_stored(url, lose_the_file)
        result = crawl_site(site, tmp_path, url)

    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    (spool,) = spool_files(tmp_path)
    assert spool.name.startswith("reviewcrawler-run-1-")
    failed = [line for line in result.stderr.splitlines() if "crawl failed" in line]
    assert len(failed) == 1 and "database lost" in failed[0]
    assert f"reviewcrawler replay {spool}" in failed[0]
    assert "Could not recompute summaries" in result.stderr  # logged, not raised

    database.rmdir()
    os.rename(moved, database)  # the volume is back
    records = [json.loads(line) for line in spool.read_text().splitlines()]
    spooled = [r["item"]["fingerprint"] for r in records if r["kind"] == "review"]
    (refresh,) = [r for r in records if r["kind"] == "refresh"]
    engine, baseline = create_engine(url), create_engine(baseline_url)
    try:
        written = {review["fingerprint"] for review in table_rows(engine, "reviews")}
        assert written and spooled  # lost mid-crawl: some of each
        assert written.isdisjoint(spooled)
        assert len(written) + len(spooled) == FILMS * REVIEWS
        # Films written before the loss too: their summaries wait for the replay, which
        # finds them where their batches recorded them.
        assert refresh == {"kind": "refresh", "run": True}
        run_films = table_rows(engine, "crawl_run_films", order_by="film_id")
        assert {row["run_id"] for row in run_films} == {1}
        assert len(run_films) == len(written) // REVIEWS

        output = replay(spool, url)
        assert f"{len(spooled)} reviews new" in output
        assert contents(engine) == contents(baseline)
        with engine.connect() as connection:
            assert connection.scalar(text("PRAGMA integrity_check")) == "ok"

        after_first = snapshot(engine)
        output = replay(spool, url)
        assert "0 reviews new, 0 changed" in output
        assert snapshot(engine) == after_first
    finally:
        engine.dispose()
        baseline.dispose()
