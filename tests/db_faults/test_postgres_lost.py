"""PostgreSQL lost mid-crawl, through a TCP proxy the test cuts (the shared server is never
stopped): nothing lost, no review marked gone, and a replay ends where an undisturbed
crawl ends."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from reviewcrawler.store.engine import connect, dispose_engine
from reviewcrawler.store.schema import upgrade
from tests.db_faults.harness import (
    FILMS,
    REVIEWS,
    Site,
    contents,
    crawl_site,
    once_spooled,
    once_stored,
    replay,
    spool_files,
)
from tests.support.postgres import temporary_database
from tests.support.server import FixtureServer
from tests.support.tables import snapshot, table_rows
from tests.support.tcp_proxy import TcpProxy


def migrated(url: str) -> str:
    upgrade(connect(url))
    dispose_engine(url)
    return url


def test_postgres_lost_mid_crawl_then_back_is_spooled_then_replayed(tmp_path: Path) -> None:
    with (
        temporary_database() as target_url,
        temporary_database() as baseline_url,
        FixtureServer() as server,
    ):
        migrated(target_url), migrated(baseline_url)
        server_address = make_url(target_url)
        with TcpProxy(server_address.host or "127.0.0.1", server_address.port or 5432) as proxy:
            proxied = server_address.set(host="127.0.0.1", port=proxy.port).render_as_string(
                hide_password=False
            )
            # What the undisturbed crawl of the edited site stores.
            baseline_crawl = crawl_site(
                Site(server, edition=1), tmp_path / "baseline", baseline_url
            )
            assert baseline_crawl.returncode == 0, baseline_crawl.stderr[-3000:]
            # The database already holds every film from last night's complete crawl...
            first = crawl_site(Site(server), tmp_path / "first", proxied)
            assert first.returncode == 0, first.stderr[-3000:]
            # ...tonight's finds every quote edited, and loses the database for a while.
            site = Site(server, edition=1)
            edited_count = "SELECT count(*) FROM reviews WHERE quote LIKE '%(edition 1)%'"
            site.on_page[6] = once_stored(target_url, proxy.cut, edited_count)
            site.on_page[12] = once_spooled(tmp_path, proxy.restore)
            result = crawl_site(site, tmp_path, proxied)

            assert result.returncode == 1, result.stderr[-3000:]
            assert "Traceback" not in result.stderr
            (spool,) = spool_files(tmp_path)
            failed = [line for line in result.stderr.splitlines() if "crawl failed" in line]
            assert len(failed) == 1 and f"reviewcrawler replay {spool}" in failed[0]

            engine, baseline = create_engine(target_url), create_engine(baseline_url)
            try:
                reviews = table_rows(engine, "reviews")
                # Spooled reviews were not seen by the database: none may be marked gone.
                assert [r for r in reviews if r["gone_run"] is not None] == []
                edited = {r["fingerprint"] for r in reviews if "(edition 1)" in r["quote"]}
                records = [json.loads(line) for line in spool.read_text().splitlines()]
                spooled = {r["item"]["fingerprint"] for r in records if r["kind"] == "review"}
                assert edited and spooled
                assert len(edited | spooled) == FILMS * REVIEWS
                # The batch whose commit the cut interrupted may be in both: committed, but
                # its acknowledgement lost. Writing it again changes nothing.
                assert len(edited & spooled) <= REVIEWS
                # The database was back when the crawl closed: its run row says what happened.
                with engine.connect() as connection:
                    finished_at, failure = connection.execute(
                        text("SELECT finished_at, failure FROM crawl_runs WHERE id = 2")
                    ).one()
                assert finished_at is not None and str(spool) in failure

                output = replay(spool, proxied)
                assert f"{len(spooled)} changed" in output
                assert contents(engine) == contents(baseline)

                after_first = snapshot(engine)
                changes = _count(engine, "review_changes")
                output = replay(spool, proxied)
                assert "0 reviews new, 0 changed" in output
                assert snapshot(engine) == after_first
                assert _count(engine, "review_changes") == changes
            finally:
                engine.dispose()
                baseline.dispose()
                dispose_engine(proxied)


def _count(engine, table: str) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(text(table)))
