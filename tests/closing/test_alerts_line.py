"""Alerts not delivered are named in one closing line; a store that fails the alerts
step costs the crawl nothing but a count."""

from __future__ import annotations

from sqlalchemy import text

from reviewcrawler.alerts import AlertConfig, alert_run
from reviewcrawler.closing_output import alerts_line
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.schema import upgrade
from tests.support.history import History


def test_no_line_when_every_alert_went_out_or_alerts_are_off() -> None:
    assert alerts_line({}) is None
    assert alerts_line({"alerts/sent": 2, "alerts/failed": 0, "alerts/pending": 0}) is None


def test_one_line_names_what_is_pending_and_why() -> None:
    stats = {
        "alerts/sent": 0,
        "alerts/failed": 3,
        "alerts/pending": 2,
        "alerts/last_error": "HTTP 500 Internal Server Error",
    }
    assert alerts_line(stats) == (
        "Alerts: 2 messages pending after 3 failed attempts (HTTP 500 Internal Server "
        "Error); the next crawl or `reviewcrawler alerts send` sends them"
    )


def test_a_store_that_fails_the_alerts_step_is_counted_not_raised(sqlite_url: str) -> None:
    engine = get_engine(sqlite_url)
    upgrade(engine)
    History(engine).run(1)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alert_outbox"))
    stats = alert_run(engine, 1, AlertConfig(webhook_url="http://127.0.0.1:9/hook"))
    assert stats["alerts/failed"] == 1
    assert stats["alerts/last_error"].startswith("the store: ")
