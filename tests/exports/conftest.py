"""One crawl shared by the export and folder tests: a folder of saved pages of every
page format (fixtures/formats/*, golden files left out) plus files no format knows,
crawled with ``-a url=<folder>`` into SQLite, writing feeds of every format."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from tests.conftest import FIXTURES
from tests.support.crawl import run_crawl
from tests.support.stats import crawl_stats

#: Files of the folder that are no critic-review page: more than the warning names.
JUNK_FILES = 23

FEEDS = {
    "reviews.csv": {"format": "csv"},
    "reviews.json": {"format": "json"},
    "reviews.jsonl": {"format": "jsonlines"},
    "reviews.xml": {"format": "xml"},
    # The file-name convention: a feed named films* gets the summaries.
    "films.csv": {"format": "csv"},
    # Scrapy's own item_classes: summaries only, and both kinds in one feed.
    "stated.json": {"format": "json", "item_classes": ["reviewcrawler.items.FilmSummaryItem"]},
    "everything.csv": {
        "format": "csv",
        "item_classes": ["reviewcrawler.items.ReviewItem", "reviewcrawler.items.FilmSummaryItem"],
    },
}


@dataclass
class FolderCrawl:
    folder: Path
    out: Path
    result: subprocess.CompletedProcess[str]
    stats: dict
    engine: Engine
    pages: list[Path]
    junk: list[Path]

    def feed(self, name: str) -> Path:
        return self.out / name


def format_pages() -> list[Path]:
    return sorted(
        path
        for path in (FIXTURES / "formats").glob("*/*")
        if path.is_file() and not path.name.endswith(".golden.json")
    )


@pytest.fixture(scope="session")
def folder_crawl(tmp_path_factory: pytest.TempPathFactory) -> FolderCrawl:
    root = tmp_path_factory.mktemp("folder-crawl")
    folder, out = root / "saved pages", root / "out"
    out.mkdir()
    pages = []
    for page in format_pages():
        copy = folder / page.parent.name / page.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(page, copy)
        pages.append(copy)
    junk = []
    for n in range(JUNK_FILES):
        path = folder / "notes" / f"note-{n:02d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"Shopping list {n}: lemons, string, a lamp.\n")
        junk.append(path)
    (folder / ".hidden-page.html").write_text("left out: hidden")
    database_url = f"sqlite:///{root / 'store.db'}"
    result = run_crawl(
        "-a",
        f"url={folder}",
        # What Scrapyd adds to every job it runs: accepted, not refused as unknown.
        "-a",
        "_job=nightly-42",
        database_url=database_url,
        settings={
            "FEEDS": json.dumps({str(out / name): options for name, options in FEEDS.items()}),
            # No API follow-ups: the saved pages are all there is (no network).
            "METACRITIC_API_URL": "",
            "ROTTENTOMATOES_API_URL": "",
            "HTTPCACHE_ENABLED": "False",
            # The junk files are unrecognised pages: expected here.
            "MONITOR_MAX_UNRECOGNISED_PAGES": str(JUNK_FILES),
        },
    )
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    engine = create_engine(database_url)
    return FolderCrawl(folder, out, result, crawl_stats(result), engine, pages, junk)
