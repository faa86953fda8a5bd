"""Delivery: one JSON POST per message, retried with backoff, redirects refused, the
outbox kept in order, and a message accepted never sent again."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import Engine

from reviewcrawler.alerts import outbox
from reviewcrawler.alerts.config import AlertConfig
from reviewcrawler.alerts.delivery import DeliveryFailed, post, send_pending
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.schema import upgrade
from tests.support.history import History
from tests.support.receiver import ACCEPT, FAIL, HANG, REDIRECT, Receiver, closed_port


@pytest.fixture
def engine(store_url: str) -> Engine:
    engine = get_engine(store_url)
    upgrade(engine)
    history = History(engine)
    for run_id in (1, 2, 3):
        history.run(run_id)
    return engine


def config(url: str, **changes: object) -> AlertConfig:
    base = AlertConfig(
        webhook_url=url, timeout=0.5, retry_times=3, retry_backoff=1.0, retry_backoff_max=3.0
    )
    return dataclasses.replace(base, **changes)


def queue(engine: Engine, run_id: int) -> None:
    assert outbox.queue(engine, run_id, lambda key, _: {"version": 1, "run": {"id": run_id}})


def test_a_post_carries_json_the_user_agent_and_the_idempotency_key() -> None:
    with Receiver(ACCEPT) as receiver:
        assert (
            post(receiver.url, {"version": 1, "é": "ü"}, "k1", "reviewcrawler/0.1 alerts", 1) == 202
        )
    (received,) = receiver.received
    assert received.body == {"version": 1, "é": "ü"}
    assert received.headers["Content-Type"] == "application/json"
    assert received.headers["User-Agent"] == "reviewcrawler/0.1 alerts"
    assert received.headers["Idempotency-Key"] == "k1"


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        (FAIL, "HTTP 500 Internal Server Error"),
        (HANG, "no answer within 0.2 s"),
        (REDIRECT, "redirect refused (HTTP 307 to http://elsewhere.invalid/hook)"),
    ],
)
def test_anything_but_2xx_is_a_failed_attempt(mode: str, error: str) -> None:
    with Receiver(mode) as receiver, pytest.raises(DeliveryFailed) as failed:
        post(receiver.url, {}, "k", "ua", 0.2)
    assert str(failed.value) == error
    # The redirect is never followed: the receiver was asked once, elsewhere never.
    assert len(receiver.received) == 1


def test_no_receiver_is_a_failed_attempt() -> None:
    with pytest.raises(DeliveryFailed, match="cannot reach the receiver"):
        post(f"http://127.0.0.1:{closed_port()}/hook", {}, "k", "ua", 0.5)


def test_retries_back_off_and_the_message_stays_pending(engine: Engine) -> None:
    queue(engine, 1)
    queue(engine, 2)
    waits: list[float] = []
    with Receiver(FAIL) as receiver:
        report = send_pending(engine, config(receiver.url), waits.append)
    # 1 + 3 attempts of the oldest message; the next waits its turn.
    assert waits == [1.0, 2.0, 3.0]
    assert [r.body["run"]["id"] for r in receiver.received] == [1, 1, 1, 1]
    assert (report.sent, report.failed, report.pending) == (0, 4, 2)
    assert report.last_error == "HTTP 500 Internal Server Error"
    first, second = outbox.pending(engine)
    assert (first.attempts, first.last_error) == (4, "HTTP 500 Internal Server Error")
    assert (second.attempts, second.last_error) == (0, None)


def test_pending_messages_go_first_in_order_and_once(engine: Engine) -> None:
    queue(engine, 1)
    queue(engine, 2)
    with Receiver(ACCEPT) as receiver:
        report = send_pending(engine, config(receiver.url), lambda _: None)
        queue(engine, 3)
        again = send_pending(engine, config(receiver.url), lambda _: None)
    assert [r.body["run"]["id"] for r in receiver.received] == [1, 2, 3]
    keys = [r.headers["Idempotency-Key"] for r in receiver.received]
    assert len(set(keys)) == 3
    assert (report.sent, report.pending, again.sent, again.pending) == (2, 0, 1, 0)
    assert outbox.pending(engine) == []


def test_a_run_has_one_message_however_often_its_close_runs(engine: Engine) -> None:
    queue(engine, 1)
    assert not outbox.queue(engine, 1, lambda key, _: {"again": True})
    (message,) = outbox.pending(engine)
    assert message.body == {"version": 1, "run": {"id": 1}}
