"""A run's alerts, at its close (store/closing.py): queue its message, send the outbox.

The run's changes (reviewcrawler/changes) that match the rules become one message,
stored in the outbox; then every pending message, older ones first, is sent. Nothing
here fails the crawl: any failure, the receiver's or the database's, is logged as a
warning (an ERROR would fail the crawl's monitors) and counted in the returned stats.

Blocking: on the store's worker thread, never the reactor.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from reviewcrawler.alerts import outbox
from reviewcrawler.alerts.config import AlertConfig
from reviewcrawler.alerts.delivery import send_pending
from reviewcrawler.alerts.message import build_message
from reviewcrawler.alerts.rules import ALERTED_KINDS, matching
from reviewcrawler.alerts.watchlist import watched_ids
from reviewcrawler.changes import Scope, list_changes
from reviewcrawler.store.engine import first_line

logger = logging.getLogger(__name__)

#: The stats a close sets (docs/alerts.md).
QUEUED, CHANGES, SENT, FAILED, PENDING, LAST_ERROR = (
    "alerts/queued",
    "alerts/changes",
    "alerts/sent",
    "alerts/failed",
    "alerts/pending",
    "alerts/last_error",
)


def queue_run_message(engine: Engine, run_id: int, config: AlertConfig) -> int:
    """Store the run's message when any of its changes matches; how many changes it lists."""
    changes = matching(
        list_changes(engine, Scope(run_id=run_id, kinds=ALERTED_KINDS)), config, watched_ids(engine)
    )
    if not changes:
        return 0
    run = changes[0].run
    queued = outbox.queue(
        engine, run_id, lambda key, created_at: build_message(run, changes, key, created_at)
    )
    return len(changes) if queued else 0


def alert_run(
    engine: Engine,
    run_id: int,
    config: AlertConfig,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Queue the run's message and send the outbox; the ``alerts/*`` stats."""
    stats: dict[str, Any] = {}
    try:
        listed = queue_run_message(engine, run_id, config)
        stats[QUEUED] = int(bool(listed))
        stats[CHANGES] = listed
        report = send_pending(engine, config, sleep)
    except Exception as exc:  # noqa: BLE001  (an alert never fails the crawl)
        error = f"the store: {first_line(exc)}"
        logger.warning("Could not queue or send the alerts of crawl run %s: %s", run_id, error)
        stats[FAILED] = stats.get(FAILED, 0) + 1
        stats[LAST_ERROR] = error
        # The database may be what failed: then how many are pending is unknown.
        with contextlib.suppress(Exception):
            stats[PENDING] = outbox.pending_count(engine)
        return stats
    stats[SENT], stats[FAILED], stats[PENDING] = report.sent, report.failed, report.pending
    if report.last_error:
        stats[LAST_ERROR] = report.last_error
    if report.pending:
        logger.warning(
            "%d alert messages are pending (%s); the next crawl or `reviewcrawler alerts "
            "send` sends them",
            report.pending,
            report.last_error or "not tried",
        )
    return stats
