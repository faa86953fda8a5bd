"""Scrapy settings for reviewcrawler: every project setting is defined, and documented, here.

Override any of them with ``-s NAME=value`` on the command line.
"""

from __future__ import annotations

from pathlib import Path

from reviewcrawler.store.url import default_database_url

BOT_NAME = "reviewcrawler"
SPIDER_MODULES = ["reviewcrawler.spiders"]
NEWSPIDER_MODULE = "reviewcrawler.spiders"
#: Project commands: ``crawl`` is extended to check the database before the first
#: request and to exit non-zero when the crawl failed (see commands/crawl.py).
COMMANDS_MODULE = "reviewcrawler.commands"

# --- The store -------------------------------------------------------------------
#: SQLAlchemy URL of the store: ``sqlite:///file.db`` or ``postgresql+psycopg://...``.
#: The environment variable REVIEWCRAWLER_DATABASE_URL sets it too; ``-s
#: DATABASE_URL=...`` wins over both. The ``reviewcrawler`` command resolves its
#: default the same way (store/url.py). A SQLite database is created and migrated
#: by the crawl itself; any other must be brought to the current schema with
#: ``reviewcrawler db upgrade`` first.
DATABASE_URL = default_database_url()
#: Off: items are still normalized, deduplicated and exported, but not stored
#: (feed-export-only runs, benchmarks).
STORE_ENABLED = True
#: Items (reviews and summaries) written per transaction.
STORE_BATCH_SIZE = 500
#: Print one summary line per film touched by the crawl when it closes.
STORE_PRINT_SUMMARIES = True
#: The spider's ``-a`` arguments, set by the ``crawl`` command so that the
#: ``crawl_runs`` row records them (passwords masked); not meant to be set by hand.
CRAWL_ARGUMENTS: dict[str, str] = {}

# --- Deduplication ---------------------------------------------------------------
#: How many recent review fingerprints the in-crawl dedupe remembers. Repeats meet
#: close together (a film's pages are crawled together); the store's unique
#: fingerprint catches any older repeat, so this bounds memory, not correctness.
DEDUPE_MEMORY = 50_000

# --- The crawl -------------------------------------------------------------------
#: Where ``scrapy crawl reviews`` with no URL argument finds its sample pages.
SAMPLE_PAGES_DIR = str(Path(__file__).resolve().parent.parent / "fixtures" / "sample")
#: Base URL of Metacritic's backend JSON API (critic reviews and stats of a movie),
#: through which every Metacritic film page is paged to its last review. API paths
#: keep their real shape under it, so a mirror or a test server can stand in.
#: The only host besides a page's own that the crawl follows links to.
METACRITIC_API_URL = "https://backend.metacritic.com"
#: Base URL of Rotten Tomatoes' ``napi`` JSON (critic reviews by cursor); as above.
ROTTENTOMATOES_API_URL = "https://www.rottentomatoes.com"

ITEM_PIPELINES = {
    "reviewcrawler.pipelines.normalize.NormalizePipeline": 300,
    "reviewcrawler.pipelines.dedupe.DedupePipeline": 400,
    "reviewcrawler.pipelines.store.StorePipeline": 800,
}

USER_AGENT = "reviewcrawler/0.1 (+https://github.com/reviewcrawler/reviewcrawler)"
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_TIMEOUT = 30
#: Saved pages and text renderings come without a charset; Scrapy's default would
#: be latin-1 for some, w3lib's detection in formats/page.py handles the rest.
FEED_EXPORT_ENCODING = "utf-8"

# --- Safe defaults ---------------------------------------------------------------
#: Both open a port that runs code inside the crawl; turn on deliberately, never by default.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

LOG_LEVEL = "INFO"
