"""Scrapy settings for reviewcrawler: every project setting is defined, and documented, here.

Override any of them with ``-s NAME=value`` on the command line.
"""

from __future__ import annotations

import os
from pathlib import Path

from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.store.url import default_database_url

#: The crawler's name in Scrapy's log and stats.
BOT_NAME = "reviewcrawler"
#: Where Scrapy finds the spiders (``reviews``).
SPIDER_MODULES = ["reviewcrawler.spiders"]
#: Where ``scrapy genspider`` puts a new spider.
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
#: Items (reviews and summaries) written per transaction. Each transaction's
#: statements hand the GIL to the crawl and wait to win it back, so fewer, larger
#: batches keep the writer ahead: 1,000 stored ~9% more pages/s than 500 (a batch
#: waiting to be written holds ~1.5 MB).
STORE_BATCH_SIZE = 1000
#: Print the closing summary when the crawl closes (reviewcrawler/closing_output.py):
#: the lines of the films the crawl changed most, a totals line, and the commands that
#: show every film.
STORE_PRINT_SUMMARIES = True
#: At most this many film lines in the closing summary: inconsistent films first, then
#: those with the most new reviews, then the most changed ones.
STORE_SUMMARY_LINES = 20
#: A batch that fails on a connection fault (database stopped, network cut, SQLite
#: file moved) is retried this many times before the database counts as lost.
STORE_RETRY_TIMES = 4
#: Seconds before retry n of a batch: STORE_RETRY_BACKOFF * 2**(n-1), at most
#: STORE_RETRY_BACKOFF_MAX (the default 4 retries wait 1+2+4+8 = 15 s in all).
STORE_RETRY_BACKOFF = 1.0
STORE_RETRY_BACKOFF_MAX = 30.0
#: Where a crawl that lost its database keeps what it could not write: one JSON-lines
#: file per run, ``reviewcrawler-run-<id>-<UTC time>.jsonl`` (relative to the working
#: folder). ``reviewcrawler replay FILE`` stores it later; the crawl then exits 1.
STORE_DEAD_LETTER_DIR = "dead-letter"
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
#: Also read audience (user) reviews through Metacritic's API, into their own table
#: (``audience_reviews``): never critic reviews, never in a critic summary. Off by
#: default: they are many, and the audience summary (score, count, distribution) is
#: read from every page and API answer either way.
AUDIENCE_REVIEWS = False

#: Pages arrive normalized (reviewcrawler/reading.py, the one place a page becomes items).
ITEM_PIPELINES = {
    # JSON-schema check of normalized items (monitors/schemas.py); invalid ones are dropped.
    "reviewcrawler.monitors.validation.ItemValidationPipeline": 350,
    "reviewcrawler.pipelines.dedupe.DedupePipeline": 400,
    "reviewcrawler.pipelines.store.StorePipeline": 800,
}

#: Sent with every request (robots.txt too). ``{contact}`` is replaced by CONTACT_URL,
#: so that site operators can reach whoever runs the crawl: set it to your own.
USER_AGENT = "reviewcrawler/0.1 (film critic-review crawler; +{contact})"
#: A URL or ``mailto:`` address where site operators can reach the crawl's operator.
CONTACT_URL = "https://github.com/reviewcrawler/reviewcrawler"
#: Requests in flight to one site at once (AutoThrottle aims below it).
CONCURRENT_REQUESTS_PER_DOMAIN = 8
#: Items of one response run through the pipelines this many at a time. A page's
#: reviews travel as one PageItems, so a callback yields a handful of objects; Scrapy's
#: default of 100 started 100 asyncio tasks per response, a fifth of a crawl's time.
CONCURRENT_ITEMS = 4
#: Seconds a request may take before it fails (and is retried, see RETRY_TIMES).
DOWNLOAD_TIMEOUT = 30
#: Worker processes that read pages (lxml's parse and the format's extraction) beside
#: the crawl's own process, which keeps Scrapy, the pipelines and the store writer
#: (reviewcrawler/parse_workers.py). One uses a second core; 0 reads pages in-process.
PARSE_PROCESSES = 1
#: Saved pages and text renderings come without a charset; Scrapy's default would
#: be latin-1 for some, w3lib's detection in formats/page.py handles the rest.
FEED_EXPORT_ENCODING = "utf-8"

#: Feed exports (``-O reviews.csv``, FEEDS) are written by reviewcrawler.feeds.PageFeedExporter,
#: which replaces Scrapy's FeedExporter in EXTENSIONS: a feed gets one record per review
#: (with its film's title and year); one whose ``item_classes`` names FilmSummaryItem, or
#: whose file name starts with ``films`` or ``summaries``, gets the summaries. Every
#: format is Scrapy's own, except XML, which writes no value as an empty element.
FEED_EXPORTERS = {"xml": "reviewcrawler.feeds.XmlExporter"}
#: Films whose title and year feeds remember for the review rows of later pages (a
#: film's pages are crawled together); a review of a film forgotten is written without.
FEED_RECENT_FILMS = 10_000

# --- The catalogue ---------------------------------------------------------------
#: Titles the ``catalogue`` spider fetches per job at most, in priority order (new,
#: changed, failed, then the stalest); the rest stay due for the next job. A title
#: whose listing says it has no critic reviews costs no request and is not counted.
#: 0: no limit.
CATALOGUE_MAX_TITLES = 500
#: How long a fetched title stays fresh, by time since its release: ``days since
#: release:maximum age in days`` pairs, ``*`` for any older or undated title. The
#: default: released in the last 30 days, 1 day; in the last year, 7 days; older, 30.
CATALOGUE_MAX_AGES = "30:1,365:7,*:30"
#: Base URL of Metacritic's pages, where the ``catalogue`` spider asks a title's HTML
#: when the API fails for it (empty: no fallback).
METACRITIC_SITE_URL = "https://www.metacritic.com"

# --- Scheduled jobs --------------------------------------------------------------------
#: One run of a job (spider + arguments) at a time: a second ``scrapy crawl`` of the
#: same job while one runs exits at once, status 3 (store/joblock.py). Not applied to
#: distributed workers, which share their job by design.
JOB_LOCK = True

# --- Incremental re-crawls (conditional requests) ----------------------------------
#: Pages with an ETag or Last-Modified are kept and revalidated on the next crawl
#: (If-None-Match / If-Modified-Since); after a 304 the cached page is read again,
#: and its reviews, unchanged, only get their ``last_seen_run`` moved
#: (reviewcrawler/incremental.py). file:// pages and pages without validators are
#: never cached.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "reviewcrawler.incremental.RevalidatingPolicy"
#: Relative paths are inside the project's ``.scrapy`` folder (Scrapy's rule).
HTTPCACHE_DIR = "httpcache"
#: No expiry: revalidation, not age, decides whether a page is reused.
HTTPCACHE_EXPIRATION_SECS = 0

# --- Distributed workers (scrapy-redis) ---------------------------------------------
#: Redis shared by workers; set it (or env REVIEWCRAWLER_REDIS_URL) to make this
#: crawl a worker: the frontier and duplicate filter then live in Redis and start
#: URLs come from ``reviewcrawler enqueue`` (see reviewcrawler/distributed.py).
#: Unset: a single-process crawl, nothing changes.
REDIS_URL = os.environ.get("REVIEWCRAWLER_REDIS_URL") or None
#: A worker whose start-URL list and shared queue stay empty this many seconds stops.
MAX_IDLE_TIME_BEFORE_CLOSE = 30
#: The add-on that makes a crawl a distributed worker when REDIS_URL is set.
ADDONS = {"reviewcrawler.distributed.DistributedAddon": 0}

# --- Safe defaults ---------------------------------------------------------------
#: Scrapy's telnet console opens a port that runs code inside the crawl; turn it on
#: deliberately, never by default.
TELNETCONSOLE_ENABLED = False
#: The RemoteControl extension opens such a port too: off for the same reason.
REMOTE_CONTROL_ENABLED = False

#: INFO: a line per notable event and the closing summary; DEBUG adds one per page.
LOG_LEVEL = "INFO"

# --- Running unattended: network faults ------------------------------------------
#: Scrapy's retry and User-Agent middlewares replaced by the project's, and ban detection.
DOWNLOADER_MIDDLEWARES = {
    # Replaced by subclasses that keep their settings and stats (see each module).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "reviewcrawler.middlewares.retry_after.RetryAfterMiddleware": 550,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "reviewcrawler.middlewares.user_agent.ContactUserAgentMiddleware": 500,
    # Nearer the downloader than retries (a challenge page is never retried) and
    # than the HTTP cache at 900 (a block is never stored as tonight's page).
    "reviewcrawler.middlewares.bans.BanDetectionMiddleware": 950,
}
#: Retries after the first attempt, for timeouts, connection resets and
#: RETRY_HTTP_CODES (Scrapy's default list: 5xx, 408, 429).
RETRY_TIMES = 3
#: Seconds before retry n: RETRY_BACKOFF_BASE * 2**(n-1), at most RETRY_BACKOFF_MAX.
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 30.0
#: Longest ``Retry-After`` (429/503) honoured; a server asking for longer is not
#: retried (the request is given up, counted, and the monitors report it).
RETRY_AFTER_MAX_WAIT = 120.0
#: Responses that mean the site refuses the crawler: never parsed (bans.py).
BAN_HTTP_CODES = [403]
#: Responses that mean "slow down": counted as bans, then retried after Retry-After.
BAN_RATE_LIMIT_HTTP_CODES = [429]
#: Text (case-insensitive, in the first 32 KB) that marks a bot challenge page.
BAN_CHALLENGE_MARKERS = [
    "<title>just a moment...</title>",
    "<title>attention required! | cloudflare</title>",
    "challenges.cloudflare.com",
    "cf-browser-verification",
    "/cdn-cgi/challenge-platform/",
    "g-recaptcha",
    "h-captcha",
    "px-captcha",
    "<title>access denied</title>",
]
#: Response headers (name: value fragment) that mark a bot challenge.
BAN_CHALLENGE_HEADERS = {"cf-mitigated": "challenge"}
#: A redirect chain longer than this ends the request (loops end here).
REDIRECT_MAX_TIMES = 5
#: Bytes from which glibc's malloc serves a block with mmap, fixed rather than left to
#: rise as blocks are freed: keeps a long crawl's RSS flat (memory.py). 0: glibc's default.
MALLOC_MMAP_THRESHOLD = 128 * 1024
#: Net allocations after which CPython collects its youngest generation, in the crawl's
#: process and its parse workers, rather than 700: fewer passes that find nothing
#: (garbage_collection.py). 0: CPython's default.
GC_THRESHOLD = 20_000
#: Bodies larger than this are cut off (Scrapy logs a warning and the request
#: fails); a real critic-reviews page is well under 2 MB.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# --- Running unattended: polite defaults -----------------------------------------
#: Opt out only for sites you own or have permission to crawl: ``-s ROBOTSTXT_OBEY=False``.
#: file:// start URLs are never checked against robots.txt.
ROBOTSTXT_OBEY = True
#: The token robots.txt rules are matched against.
ROBOTSTXT_USER_AGENT = "reviewcrawler"
#: Adapts the delay between requests to each site's response times.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
#: Average parallel requests per site AutoThrottle aims for (at most
#: CONCURRENT_REQUESTS_PER_DOMAIN).
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
#: Local files (slot "") and this machine's own servers are nobody else's site:
#: they start unthrottled (AutoThrottle still adapts them to their latency).
DOWNLOAD_SLOTS = {"": {"delay": 0.0}, "127.0.0.1": {"delay": 0.0}, "localhost": {"delay": 0.0}}

# --- Running unattended: data-quality monitors -----------------------------------
#: Spidermon runs monitors/suite.py when the crawl closes; a failed monitor logs one
#: report, sets the ``monitors/failed`` stat and makes ``scrapy crawl`` exit 1.
SPIDERMON_ENABLED = True
#: The monitors, the malloc and collector thresholds, feed exports of pages' items,
#: unrecognised pages.
EXTENSIONS = {
    # Spidermon's extension (its step-by-step log demoted to DEBUG, see extension.py).
    "reviewcrawler.monitors.extension.Monitors": 500,
    # Applies MALLOC_MMAP_THRESHOLD (memory.py).
    "reviewcrawler.memory.FixedMallocThresholds": 0,
    # Applies GC_THRESHOLD (garbage_collection.py).
    "reviewcrawler.garbage_collection.CollectorThreshold": 0,
    # Feeds write each page's reviews and summaries as records of their own (feeds.py).
    "scrapy.extensions.feedexport.FeedExporter": None,
    "reviewcrawler.feeds.PageFeedExporter": 0,
    # Lists the pages no format recognised in one warning at close (closing_output.py).
    "reviewcrawler.closing_output.UnrecognisedPages": 0,
    # Names the values cut or dropped in one warning at close (closing_output.py).
    "reviewcrawler.closing_output.CutValues": 0,
}
#: Spidermon's monitor suite run at close, the JSON schema of each item class, and
#: whether items failing their schema are dropped (they are, and counted).
SPIDERMON_SPIDER_CLOSE_MONITORS = ["reviewcrawler.monitors.suite.CloseSuite"]
SPIDERMON_VALIDATION_SCHEMAS = {
    ReviewItem: "reviewcrawler.monitors.schemas.REVIEW_SCHEMA",
    FilmSummaryItem: "reviewcrawler.monitors.schemas.FILM_SUMMARY_SCHEMA",
}
SPIDERMON_VALIDATION_DROP_ITEMS_WITH_ERRORS = True
#: Share of reviews (per format) that must carry each field, as pages write it.
MONITOR_FIELD_COVERAGE = {"quote": 0.8, "publication": 0.5, "published_on": 0.5}
#: Fields a format never carries, or leaves empty by nature, so not judged for it:
#: the API's game reviews mostly carry no date (``date: null``), which says nothing
#: of a selector drifting, and a nightly catalogue job of games must not fail for it.
MONITOR_FIELD_COVERAGE_EXEMPT = {"plain_text": ["publication"], "metacritic_api": ["published_on"]}
#: Formats with fewer reviews in the crawl are not judged on coverage (too few to say).
MONITOR_FIELD_COVERAGE_MIN_REVIEWS = 10
#: Pages no format recognises before the markup-drift monitor fails.
MONITOR_MAX_UNRECOGNISED_PAGES = 0
#: Errors logged, retries, and requests given up after retries, before the crawl fails.
MONITOR_MAX_ERRORS = 0
MONITOR_MAX_RETRIES = 50
MONITOR_MAX_GIVEN_UP = 0
#: Blocked (403, challenge) and rate-limited (429) responses before the crawl fails.
MONITOR_MAX_BANNED = 0
#: Items failing the JSON schema before the crawl fails.
MONITOR_MAX_INVALID_ITEMS = 0
#: Values (review scores, dates, quotes; summary figures) that two of a page's data
#: paths (API, page data, JSON-LD, HTML) state differently, before the crawl fails.
#: Some disagreement is normal: the API is live while pages are cached, so a review
#: added between the two moves a Metascore or a count. 25 lets a nightly crawl absorb
#: those few while a misread field (it disagrees on most reviews of a film) fails it.
MONITOR_MAX_PATH_DISAGREEMENTS = 25
#: finish_reason values that count as a normal end.
MONITOR_EXPECTED_FINISH_REASONS = ["finished"]

# --- Alerts (docs/alerts.md) ---------------------------------------------------------
#: Where each run's alert message is POSTed as JSON at the crawl's close: the run's
#: changes that match the rules below. Empty: alerts are off (changes are still kept,
#: ``reviewcrawler changes`` lists them). The environment variable
#: REVIEWCRAWLER_ALERT_WEBHOOK_URL sets it too, for crawls and ``reviewcrawler alerts
#: send`` alike; ``-s ALERT_WEBHOOK_URL=...`` wins.
ALERT_WEBHOOK_URL = os.environ.get("REVIEWCRAWLER_ALERT_WEBHOOK_URL", "")
#: Alert when a film's stated score (Metascore or Tomatometer; the audience's score on
#: 0-100) moved by at least ALERT_MIN_SCORE_DELTA points.
ALERT_ON_SCORE_MOVED = True
#: Points (on 0-100) a stated score must move by for ALERT_ON_SCORE_MOVED: 3 keeps the
#: point or two a Metascore drifts by as reviews trickle in out of the alerts.
ALERT_MIN_SCORE_DELTA = 3
#: Alert when a Metascore moved into another of Metacritic's bands (Universal acclaim,
#: Generally favorable, ...), however little it moved.
ALERT_ON_BAND_CROSSED = True
#: Alert when a film the store already knew without a stated score states its first.
#: A film's first crawl never alerts: it is where the film's history starts.
ALERT_ON_FIRST_SCORE = True
#: Alert on every new review of a watched film (``reviewcrawler watch add FILM``).
ALERT_ON_WATCHED_REVIEWS = True
#: Score alerts (moved, band, first score) only for watched films too.
ALERT_WATCHED_ONLY = False
#: Seconds one delivery attempt may wait for the receiver (to connect, and for each
#: read of its answer).
ALERT_TIMEOUT = 10.0
#: Attempts after the first before a message is left pending for the next crawl's close
#: (or ``reviewcrawler alerts send``); retry n waits ALERT_RETRY_BACKOFF * 2**(n-1)
#: seconds, at most ALERT_RETRY_BACKOFF_MAX. The crawl's close waits for them: the
#: defaults cost a receiver that is down at most 3 timeouts and 3 s.
ALERT_RETRY_TIMES = 2
ALERT_RETRY_BACKOFF = 1.0
ALERT_RETRY_BACKOFF_MAX = 30.0
