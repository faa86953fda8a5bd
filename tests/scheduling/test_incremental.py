"""Nightly re-crawls of unchanged pages cost a 304 each; a changed page is parsed and upserted."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import create_engine

from tests.support.crawl import run_crawl
from tests.support.legacy_site import page_html, page_path
from tests.support.server import FixtureServer, Reply
from tests.support.tables import table_rows

FILMS, REVIEWS = 6, 4


class EditableSite:
    """Pages with ETags; answers 304 to a matching If-None-Match, and counts both kinds."""

    def __init__(self, server: FixtureServer) -> None:
        self.editions = dict.fromkeys(range(FILMS), 0)
        self.not_modified = 0
        self.full = 0
        for film in range(FILMS):
            server.route(
                page_path(film), lambda _p, _q, headers, film=film: self.serve(film, headers)
            )

    def serve(self, film: int, headers: dict[str, str]) -> Reply:
        body = page_html(film, REVIEWS, edition=self.editions[film]).encode()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if headers.get("If-None-Match") == etag:
            self.not_modified += 1
            return Reply(304, b"", {"ETag": etag})
        self.full += 1
        return Reply(200, body, {"Content-Type": "text/html; charset=utf-8", "ETag": etag})


def test_unchanged_pages_cost_a_304_and_changed_ones_are_stored(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'nightly.db'}"
    settings = {"HTTPCACHE_DIR": str(tmp_path / "httpcache"), "AUTOTHROTTLE_ENABLED": "False"}
    with FixtureServer() as server:
        site = EditableSite(server)
        targets = tmp_path / "targets.txt"
        targets.write_text("\n".join(server.url(page_path(f)) for f in range(FILMS)) + "\n")
        arguments = ("-a", f"urls_file={targets}")

        first = run_crawl(*arguments, database_url=database, settings=settings)
        assert first.returncode == 0, first.stderr
        assert (site.full, site.not_modified) == (FILMS, 0)
        engine = create_engine(database)
        before = table_rows(engine, "reviews")

        second = run_crawl(*arguments, database_url=database, settings=settings)
        assert second.returncode == 0, second.stderr
        assert (site.full, site.not_modified) == (FILMS, FILMS)
        after = table_rows(engine, "reviews")
        assert [{**r, "last_seen_run": None} for r in after] == [
            {**r, "last_seen_run": None} for r in before
        ]
        assert {r["last_seen_run"] for r in after} == {2}
        assert {r["gone_run"] for r in after} == {None}

        site.editions[0] = 1  # the site rewrites every quote of film 0
        third = run_crawl(*arguments, database_url=database, settings=settings)
        assert third.returncode == 0, third.stderr
        assert (site.full, site.not_modified) == (FILMS + 1, 2 * FILMS - 1)
        final = table_rows(engine, "reviews")
        runs = table_rows(engine, "crawl_runs")
        changes = table_rows(engine, "review_changes")
        engine.dispose()

    assert len(final) == FILMS * REVIEWS
    edited = [r for r in final if "(edition 1)" in (r["quote"] or "")]
    assert len(edited) == REVIEWS
    assert {r["last_seen_run"] for r in final} == {3}
    assert [(c["run_id"], c["field"]) for c in changes] == [(3, "quote")] * REVIEWS
    assert [(r["reviews_new"], r["reviews_changed"]) for r in runs] == [
        (FILMS * REVIEWS, 0),
        (0, 0),
        (0, REVIEWS),
    ]
