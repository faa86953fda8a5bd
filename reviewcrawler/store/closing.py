"""A crawl run's close: gone reviews, summaries, snapshots, links, and the run's row.

Works from a copy of the crawl's stats (taken when the spider closed, the first
moment the finish reason is known) and returns what it found (stats to set,
why the crawl failed, the films' summaries) instead of touching the crawler, so
that it can be run, and tested, on its own. In order:

1. if the crawl was complete (``crawled_completely``: finished, no failed,
   unparsed or unrecognised page, no error, the database never lost, not a
   distributed worker), the reviews of every film it saw reviews of that it did
   not see get ``gone_run`` (store/history.py);
2. the summaries of every film it touched are recomputed (500 films at a time,
   store/summaries.py), inconsistent ones logged, and snapshotted;
3. links across sites are recomputed for those films (store/links.py);
4. the ``crawl_runs`` row is completed;
5. when alerts are on (ALERT_WEBHOOK_URL), the run's changes that match the alert
   rules are queued as one message and the pending messages sent
   (reviewcrawler/alerts): after the run's row, so that a receiver that is slow or
   down delays nothing the crawl stored, and never fails the crawl.

Each step is tried once; a database still gone is logged, never raised, and
summaries left stale are spooled (``refresh``) for the replay to recompute.

Blocking: call from the store's worker thread, never the reactor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine

from reviewcrawler.alerts import AlertConfig, alert_run
from reviewcrawler.changes import snapshot_audience
from reviewcrawler.outcome import FAILED_STAT
from reviewcrawler.store import run_films
from reviewcrawler.store.deadletter import REPLAY_COMMAND
from reviewcrawler.store.engine import first_line, is_connection_fault, mask_url
from reviewcrawler.store.history import mark_gone, snapshot_summaries
from reviewcrawler.store.links import recompute_run_links
from reviewcrawler.store.resilient import ResilientWriter
from reviewcrawler.store.runs import RunOutcome, finish_run
from reviewcrawler.store.summaries import SummaryRow, refresh_run_in_chunks

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: Stats that mean some page of the crawl was not read as it should have been;
#: any of them makes the crawl incomplete, so no review is marked gone.
ERROR_STATS = (
    "pages/failed",
    "pages/parse_errors",
    "pages/unrecognised",
    "spider_exceptions/count",
    "log_count/ERROR",
)
#: The stats that count dropped items, each a reason in ``crawl_runs.dropped_reasons``
#: (the README says what each means); ``items_dropped`` is their sum.
DROP_REASON_PREFIXES = (
    "normalize/rejected/",
    "dedupe/duplicates",
    "spidermon/validation/items/dropped",
    "store/rejected/",
)


def dropped_reasons(stats: dict[str, Any]) -> dict[str, int]:
    """Why items were dropped, by the stat that counted them."""
    return {
        name: int(value)
        for name, value in sorted(stats.items())
        if name.startswith(DROP_REASON_PREFIXES) and isinstance(value, int) and value
    }


def error_details(stats: dict[str, Any]) -> dict[str, int]:
    return {
        name: int(value)
        for name, value in stats.items()
        if value and (name in ERROR_STATS or name.startswith("spider_exceptions/"))
    }


def pages_crawled(stats: dict[str, Any]) -> int:
    """Responses received, robots.txt files not counted."""
    received = int(stats.get("response_received_count", 0))
    return received - int(stats.get("robotstxt/response_count", 0))


def crawled_completely(reason: str, stats: dict[str, Any]) -> bool:
    return (
        reason == "finished"
        and not stats.get(FAILED_STAT)
        and not any(stats.get(name) for name in ERROR_STATS)
    )


@dataclass
class CloseReport:
    """What the close found, for the pipeline to record."""

    #: Stats to set on the crawl (``store/reviews_gone``, ``store/films``, ...).
    stats: dict[str, Any] = field(default_factory=dict)
    #: Why the crawl counts as failed because of its close, else None.
    failure: str | None = None
    #: The touched films' summaries were recomputed (False: the database refused).
    summaries_recomputed: bool = True


class RunCloser:
    def __init__(
        self,
        engine: Engine,
        run_id: int,
        writer: ResilientWriter,
        database_url: str,
        *,
        may_mark_gone: bool = True,
        alerts: AlertConfig | None = None,
    ) -> None:
        """``writer``: the run's resilient writer, whose spool and lost database say
        what the close can still do; ``alerts``: the crawl's alert settings (None: no
        alerts)."""
        self.engine = engine
        self.run_id = run_id
        self.writer = writer
        self.database_url = database_url
        self.may_mark_gone = may_mark_gone
        self.alerts = alerts
        self.failures: list[str] = []

    def close(self, reason: str, stats: dict[str, Any], failure: str | None) -> CloseReport:
        """``stats``: a copy of the crawl's; ``failure``: why the crawl failed so far."""
        report = CloseReport()
        engine, run_id = self.engine, self.run_id
        lost = self.writer.lost_because is not None
        complete = self.may_mark_gone and crawled_completely(reason, stats) and not lost
        gone = 0
        if complete:
            gone = (
                self._step(
                    "mark gone reviews",
                    mark_gone,
                    engine,
                    run_id,
                    run_films.films_of(run_id, reviewed=True),
                )
                or 0
            )
        elif stats.get("store/batches") or lost:
            logger.info("Crawl %s (%s) was not complete: no review is marked gone", run_id, reason)
        films = self._step("recompute summaries", self._summaries, report)
        if films is None and (stats.get("store/batches") or lost):
            report.summaries_recomputed = False
            spool = self.writer.get_spool()
            try:
                spool.add_refresh()
            except OSError as exc:
                logger.error("Cannot write %s: %s", spool.path, exc)
            logger.error(
                "The summaries of the films this crawl touched were not recomputed; "
                "`%s` recomputes them",
                REPLAY_COMMAND,
            )
        if films is not None:
            self._step("recompute links", recompute_run_links, engine, run_id)
        if films is None:
            films = self._films_recorded()
        report.stats["store/reviews_gone"] = gone
        report.stats["store/films"] = films
        spool = self.writer.spool
        if lost and spool is not None:
            logger.error(
                "%d reviews and %d summaries were not written to the database: they are "
                "in %s; store them with `%s %s`",
                spool.reviews,
                spool.summaries,
                spool.path,
                REPLAY_COMMAND,
                spool.path,
            )
        report.failure = self._failure()
        reasons = dropped_reasons(stats)
        outcome = RunOutcome(
            finish_reason=reason,
            pages=pages_crawled(stats),
            films=films,
            reviews_new=int(stats.get("store/reviews_new", 0)),
            reviews_changed=int(stats.get("store/reviews_changed", 0)),
            reviews_unchanged=int(stats.get("store/reviews_unchanged", 0)),
            reviews_gone=gone,
            items_dropped=sum(reasons.values()),
            dropped_reasons=reasons,
            errors=int(stats.get("log_count/ERROR", 0)),
            error_details=error_details(stats),
            failure=failure or report.failure or lost_failure(self.writer, self.database_url),
        )
        self._step("complete the crawl_runs row", finish_run, engine, run_id, outcome)
        report.failure = self._failure()
        if self.alerts is not None and self.alerts.enabled and not self.failures and not lost:
            report.stats.update(alert_run(engine, run_id, self.alerts))
        return report

    def _summaries(self, report: CloseReport) -> int:
        """Recompute, report and snapshot the touched films' summaries, a chunk at a time."""
        films = inconsistent = 0
        for rows in refresh_run_in_chunks(self.engine, self.run_id):
            films += len(rows)
            inconsistent += log_inconsistent(rows)
        snapshot_summaries(self.engine, self.run_id, run_films.films_of(self.run_id))
        snapshot_audience(self.engine, self.run_id)
        report.stats["summaries/inconsistent"] = inconsistent
        return films

    def _films_recorded(self) -> int:
        """How many films the run touched; 0 when the database cannot say (the step that
        failed before this has logged why)."""
        try:
            return run_films.count(self.engine, self.run_id)
        except Exception:
            return 0

    def _step(self, what: str, step: Callable[..., T], *args: Any) -> T | None:
        try:
            return step(*args)
        except Exception as exc:
            self.writer.lose_database(exc)
            logger.error(
                "Could not %s of crawl run %s: %s",
                what,
                self.run_id,
                first_line(exc),
                exc_info=not is_connection_fault(exc),
            )
            self.failures.append(what)
            return None

    def _failure(self) -> str | None:
        if not self.failures:
            return None
        return (
            f"database lost when the crawl closed ({self.writer.lost_because}): could not "
            + ", ".join(self.failures)
        )


def lost_failure(writer: ResilientWriter, database_url: str) -> str | None:
    """Why a crawl whose database was lost failed, naming the spool and the replay."""
    spool = writer.spool
    if writer.lost_because is None or spool is None:
        return None
    return (
        f"database lost ({writer.lost_because}): what could not be written is in "
        f"{spool.path}; store it with `{REPLAY_COMMAND} {spool.path}` "
        f"(--database-url naming {mask_url(database_url)})"
    )


def log_inconsistent(rows: list[SummaryRow]) -> int:
    """Warn about each film whose stored reviews disagree with its stated count."""
    inconsistent = 0
    for row in rows:
        if row.consistent is False:
            inconsistent += 1
            stated = (
                f"lists {row.stated_listed_count} reviews"
                if row.stated_listed_count is not None
                else f"states {row.stated_critic_count} critics"
            )
            logger.warning(
                "%s: %d reviews stored but the page %s; the crawled pages did not list "
                "them all (or listed more)",
                row.key,
                row.review_count,
                stated,
            )
    return inconsistent
