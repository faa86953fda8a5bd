"""Shared pieces of the database-fault tests: a generated site that can trigger a fault
at its n-th page, a crawl of it, and the stored contents compared by natural keys."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import Engine, create_engine, text

from reviewcrawler.cli.main import main
from reviewcrawler.store.engine import dispose_engine
from tests.support.crawl import PROJECT, run_crawl
from tests.support.legacy_site import page_html, page_path
from tests.support.server import FixtureServer, Reply
from tests.support.tables import table_rows

FILMS, REVIEWS = 16, 5
#: The crawl's own columns: which run saw a review first and last.
RUN_COLUMNS = {"first_seen_run", "last_seen_run"}

#: Fast store retries; one page (a summary and 5 reviews) per batch; pages in order.
FAULT_SETTINGS = {
    "STORE_RETRY_TIMES": "2",
    "STORE_RETRY_BACKOFF": "0.05",
    "STORE_BATCH_SIZE": "5",
    "CONCURRENT_REQUESTS": "1",
    "AUTOTHROTTLE_ENABLED": "False",
    "HTTPCACHE_ENABLED": "False",
    "JOB_LOCK": "False",
}


class Site:
    """FILMS generated film pages; ``on_page[n]`` runs as the n-th page is requested."""

    def __init__(self, server: FixtureServer, *, edition: int = 0, delay: float = 0.0) -> None:
        self.server = server
        self.edition = edition
        self.delay = delay
        self.on_page: dict[int, Callable[[], None]] = {}
        self.pages_served = 0
        self._lock = threading.Lock()
        for film in range(FILMS):
            server.route(page_path(film), lambda *_, film=film: self._serve(film))

    def _serve(self, film: int) -> Reply:
        with self._lock:
            self.pages_served += 1
            hook = self.on_page.get(self.pages_served)
        if hook is not None:
            hook()
        if self.delay:
            time.sleep(self.delay)
        body = page_html(film, REVIEWS, edition=self.edition).encode()
        return Reply(200, body, {"Content-Type": "text/html; charset=utf-8"})

    def targets(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"targets-{id(self)}.txt"
        path.write_text("\n".join(self.server.url(page_path(film)) for film in range(FILMS)) + "\n")
        return path


def once_stored(
    database_url: str, then: Callable[[], None], count: str = "SELECT count(*) FROM reviews"
) -> Callable[[], None]:
    """A page hook that waits until the crawl has committed some reviews (``count`` > 0),
    then runs ``then``: the fault lands mid-crawl however slow the machine is."""

    def hook() -> None:
        engine = create_engine(database_url)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with engine.connect() as connection:
                    if connection.scalar(text(count)):
                        break
                time.sleep(0.02)
        finally:
            engine.dispose()  # holds no connection to the file about to be lost
        then()

    return hook


def once_spooled(folder: Path, then: Callable[[], None]) -> Callable[[], None]:
    """A page hook that waits until the crawl has spooled a batch, then runs ``then``."""

    def hook() -> None:
        deadline = time.monotonic() + 30
        while not spool_files(folder) and time.monotonic() < deadline:
            time.sleep(0.02)
        then()

    return hook


def crawl_site(
    site: Site, folder: Path, database_url: str, **settings: str
) -> subprocess.CompletedProcess[str]:
    return run_crawl(
        "-a",
        f"urls_file={site.targets(folder)}",
        database_url=database_url,
        settings={
            **FAULT_SETTINGS,
            "STORE_DEAD_LETTER_DIR": str(folder / "dead-letter"),
            **settings,
        },
    )


def start_crawl(
    site: Site, folder: Path, database_url: str, **settings: str
) -> subprocess.Popen[str]:
    """The crawl as a running process, for tests that signal it."""
    command = [sys.executable, "-m", "scrapy", "crawl", "reviews"]
    command += ["-a", f"urls_file={site.targets(folder)}"]
    all_settings = {
        **FAULT_SETTINGS,
        "STORE_DEAD_LETTER_DIR": str(folder / "dead-letter"),
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "INFO",
        **settings,
    }
    for name, value in all_settings.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.Popen(
        command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def spool_files(folder: Path) -> list[Path]:
    return sorted((folder / "dead-letter").glob("*.jsonl"))


def replay(spool: Path, database_url: str) -> str:
    """``reviewcrawler replay`` in process; returns its output (asserting success)."""
    try:
        result = CliRunner().invoke(main, ["replay", str(spool), "--database-url", database_url])
    finally:
        dispose_engine(database_url)
    assert result.exit_code == 0, result.output
    return result.output


def contents(engine: Engine) -> dict[str, Any]:
    """films, reviews and film_summaries by film key and fingerprint, without ids and
    the crawl's run bookkeeping: what an undisturbed crawl and a replayed one must share."""
    films = table_rows(engine, "films")
    key_of = {film["id"]: film["key"] for film in films}
    return {
        "films": {film["key"]: _without(film, {"id"}) for film in films},
        "reviews": {
            review["fingerprint"]: {
                **_without(review, {"id", "film_id"} | RUN_COLUMNS),
                "film": key_of[review["film_id"]],
            }
            for review in table_rows(engine, "reviews")
        },
        "film_summaries": {
            key_of[row["film_id"]]: _without(row, {"film_id"})
            for row in table_rows(engine, "film_summaries", "film_id")
        },
    }


def _without(row: dict[str, Any], names: set[str]) -> dict[str, Any]:
    return {name: value for name, value in row.items() if name not in names}
