"""What a crawl says when it closes, readable at any size.

``closing_lines`` gives the lines printed at the end of a crawl (when
STORE_PRINT_SUMMARIES is on): at most STORE_SUMMARY_LINES film lines, those the
crawl changed most; one line of totals; and the commands that show the rest. A
crawl of a hundred thousand films ends with as few lines as one of twenty.

``UnrecognisedPages`` lists the pages no format recognised in one warning when the
crawl closes, instead of one warning a page: a folder of saved pages may hold
hundreds of files that are not critic-review pages.

``cut_values_line`` names every value the crawl cut, emptied or refused (field or
reason, and how many), from the stats that counted them; it ends the closing lines,
and ``CutValues`` logs it once as a warning when the crawl closes: a critic's name cut
to its column is otherwise logged only at INFO, a line a value, which a scheduled
crawl (``LOG_LEVEL=WARNING``) never shows.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scrapy import signals
from sqlalchemy import Engine, case, func, select

from reviewcrawler.store.engine import mask_url
from reviewcrawler.store.models import CrawlRunFilm, Film, FilmSummary
from reviewcrawler.store.summaries import SummaryRow, load_summaries
from reviewcrawler.store.url import default_database_url
from reviewcrawler.summary_lines import summary_line

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

#: Sent by the spider for each page no format recognises (keyword argument ``url``).
page_unrecognised = object()

#: How many unrecognised pages the closing warning names; the rest are counted.
UNRECOGNISED_NAMED = 20

SUMMARY_COMMAND = "reviewcrawler summary"
REPORT_COMMAND = "reviewcrawler report --out report/"


# --- The closing lines --------------------------------------------------------------


def closing_lines(
    engine: Engine, run_id: int, stats: Mapping[str, Any], limit: int = 20
) -> list[str]:
    """The lines that end a crawl: film lines, a totals line, the commands for the rest.

    Blocking (reads the store): call it on the store's thread, never the reactor's.
    ``stats`` are the crawl's stats (``store/reviews_new``, ``pages/failed``...);
    ``limit`` is STORE_SUMMARY_LINES.
    """
    films, inconsistent = run_film_counts(engine, run_id)
    limit = max(0, limit)
    cuts = cut_values_line(stats)
    alerts = alerts_line(stats)
    extra = [line for line in (cuts, alerts) if line]
    if not films:
        return ["No films stored by this crawl.", totals_line(run_id, 0, 0, stats), *extra]
    lines = [summary_line(row) for row in most_changed_films(engine, run_id, limit)]
    if films > len(lines):
        lines.append(
            f"... and {films - len(lines)} more films"
            + (" (those above are the ones this crawl changed most)" if lines else "")
        )
    lines.append(totals_line(run_id, films, inconsistent, stats))
    lines.extend(extra)
    lines.extend(command_lines(str(engine.url.render_as_string(hide_password=False))))
    return lines


def totals_line(run_id: int, films: int, inconsistent: int, stats: Mapping[str, Any]) -> str:
    def count(name: str) -> int:
        return int(stats.get(name) or 0)

    return (
        f"Crawl run {run_id}: {films} films, "
        f"reviews {count('store/reviews_new')} new, {count('store/reviews_changed')} changed, "
        f"{count('store/reviews_gone')} gone; {inconsistent} inconsistent films, "
        f"{count('pages/failed')} failed pages"
    )


def command_lines(database_url: str) -> list[str]:
    """The commands that show every film, naming the database unless it is the default
    one (the password masked: the user types it, it is never printed)."""
    option = ""
    if database_url != default_database_url():
        option = f" --database-url '{mask_url(database_url)}'"
    return [
        f"Every film: {SUMMARY_COMMAND}{option}",
        f"A report: {REPORT_COMMAND}{option}",
    ]


def run_film_counts(engine: Engine, run_id: int) -> tuple[int, int]:
    """Films the run touched, and how many of them are now inconsistent."""
    run_films, summaries = CrawlRunFilm.__table__, FilmSummary.__table__
    inconsistent = case((summaries.c.consistent.is_(False), 1), else_=0)
    query = (
        select(func.count(), func.coalesce(func.sum(inconsistent), 0))
        .select_from(run_films)
        .outerjoin(summaries, summaries.c.film_id == run_films.c.film_id)
        .where(run_films.c.run_id == run_id)
    )
    with engine.connect() as connection:
        films, bad = connection.execute(query).one()
    return int(films), int(bad)


def most_changed_films(engine: Engine, run_id: int, limit: int) -> list[SummaryRow]:
    """The ``limit`` films of the run that most need a look: inconsistent ones first,
    then by reviews the run stored new, then by reviews it changed (film key breaks
    ties, so the choice is the same every time)."""
    if limit <= 0:
        return []
    run_films, summaries, films = CrawlRunFilm.__table__, FilmSummary.__table__, Film.__table__
    query = (
        select(run_films.c.film_id, films.c.key)
        .join(films, films.c.id == run_films.c.film_id)
        .outerjoin(summaries, summaries.c.film_id == run_films.c.film_id)
        .where(run_films.c.run_id == run_id)
        .order_by(
            case((summaries.c.consistent.is_(False), 0), else_=1),
            run_films.c.reviews_new.desc(),
            run_films.c.reviews_changed.desc(),
            films.c.key,
        )
        .limit(limit)
    )
    with engine.connect() as connection:
        ranked = [(film_id, key) for film_id, key in connection.execute(query)]
    rows = {row.key: row for row in load_summaries(engine, film_ids=[i for i, _ in ranked])}
    # A film whose summary could not be recomputed has no row to show.
    return [rows[key] for _, key in ranked if key in rows]


# --- Alerts not delivered ---------------------------------------------------------

ALERTS_PREFIX = "Alerts: "


def alerts_line(stats: Mapping[str, Any]) -> str | None:
    """``Alerts: 1 message pending after 3 failed attempts (HTTP 500 ...); ...``, or None
    when every alert was delivered (or alerts are off): stats ``alerts/*``
    (reviewcrawler/alerts/run_close.py)."""
    failed = int(stats.get("alerts/failed") or 0)
    pending = int(stats.get("alerts/pending") or 0)
    if not failed and not pending:
        return None
    why = stats.get("alerts/last_error")
    return (
        f"{ALERTS_PREFIX}{pending} message{'s' if pending != 1 else ''} pending after "
        f"{failed} failed attempt{'s' if failed != 1 else ''}"
        + (f" ({why})" if why else "")
        + "; the next crawl or `reviewcrawler alerts send` sends them"
    )


# --- Values cut or dropped, named once --------------------------------------------

#: The stats that count a field's value cut or emptied (normalize/items.py says what
#: each means), ``<prefix><field>``, and how the closing line names them, in this order
#: within a field.
FIELD_CUT_STATS: dict[str, str] = {
    "normalize/truncated/": "truncated",
    "normalize/dropped_characters/": "invalid characters",
    "normalize/wrong_type/": "wrong type",
    "normalize/out_of_range/": "out of range",
    "normalize/unreadable/": "unreadable",
}
#: Whole reviews or summaries normalization refused, ``normalize/rejected/<reason>``.
REJECTED_STAT = "normalize/rejected/"
REJECTED_NAMES: dict[str, str] = {
    "empty_review": "empty reviews rejected",
    "error": "reviews rejected on an error",
    "summary_error": "summaries rejected on an error",
}
#: Rows the database refused, ``store/rejected/<reason>`` (store/resilient.py), each
#: kept in the dead-letter file.
STORE_REJECTED_STAT = "store/rejected/"

CUT_VALUES_PREFIX = "Values cut or dropped: "


def _cut_value(name: str) -> tuple[tuple[int, str, int], str] | None:
    """How the closing line sorts and names the stat ``name``; None if it counts no cut."""
    for rank, (prefix, kind) in enumerate(FIELD_CUT_STATS.items()):
        if name.startswith(prefix):
            field = name.removeprefix(prefix)
            return (0, field, rank), f"{field} {kind}"
    if name.startswith(REJECTED_STAT):
        reason = name.removeprefix(REJECTED_STAT)
        return (1, reason, 0), REJECTED_NAMES.get(reason, f"rejected ({reason})")
    if name.startswith(STORE_REJECTED_STAT):
        reason = name.removeprefix(STORE_REJECTED_STAT)
        return (2, reason, 0), f"rows refused by the database ({reason})"
    return None


def cut_values(stats: Mapping[str, Any]) -> list[tuple[str, int]]:
    """What the crawl cut, emptied or refused, and how many times: each field's in field
    order, then rejected reviews, then rows the database refused."""
    found: list[tuple[tuple[int, str, int], str, int]] = []
    for name, value in stats.items():
        # Stats hold other types too (datetimes, lists); True is no count either.
        if type(value) is not int or value <= 0:
            continue
        if (cut := _cut_value(name)) is not None:
            found.append((cut[0], cut[1], value))
    return [(what, count) for _, what, count in sorted(found)]


def cut_values_line(stats: Mapping[str, Any]) -> str | None:
    """``Values cut or dropped: critic truncated ×1, quote invalid characters ×3``, or
    None when nothing was: a clean crawl's closing lines stay as short as they were."""
    cuts = cut_values(stats)
    if not cuts:
        return None
    return CUT_VALUES_PREFIX + ", ".join(f"{what} ×{count}" for what, count in cuts)


class CutValues:
    """Logs the values the crawl cut, emptied or refused in one warning at close.

    Values are logged as they are found at the level of their kind (a cut at INFO,
    dropped characters not at all), so that a crawl of thousands of long names does
    not bury the log; this one warning is what a crawl run at ``LOG_LEVEL=WARNING``
    is sure to show of them all, and the same line ends the closing lines.
    """

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CutValues:
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self) -> None:
        # By spider_closed the store pipeline has written its last batch, so the
        # rows the database refused are counted too.
        line = cut_values_line(self.stats.get_stats())
        if line:
            logger.warning("%s (stats normalize/<kind>/<field> and store/rejected/<reason>)", line)


# --- Unrecognised pages, listed once ------------------------------------------------


def unrecognised_warning(named: list[str], count: int) -> str:
    """One warning for every page no format recognised: the first names, then a count."""
    more = f" and {count - len(named)} more" if count > len(named) else ""
    return f"No format recognises {count} pages (stat pages/unrecognised): " + (
        ", ".join(named) + more
    )


class UnrecognisedPages:
    """Collects the pages the spider reports as unrecognised; warns once at close.

    Keeps the UNRECOGNISED_NAMED first URLs in URL order and a count, so memory stays flat
    whatever the folder holds. Each page is also logged at DEBUG by the spider.
    """

    def __init__(self) -> None:
        self.named: list[str] = []
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UnrecognisedPages:
        extension = cls()
        crawler.signals.connect(extension.page_unrecognised, signal=page_unrecognised)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def page_unrecognised(self, url: str) -> None:
        self.count += 1
        # The first names in URL order (pages arrive in any order), so that the
        # warning of a folder crawl is the same every time.
        bisect.insort(self.named, url)
        del self.named[UNRECOGNISED_NAMED:]

    def spider_closed(self) -> None:
        if self.count:
            logger.warning("%s", unrecognised_warning(self.named, self.count))
