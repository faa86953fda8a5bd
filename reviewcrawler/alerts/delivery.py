"""Sending the outbox's messages: one POST per message, retried with backoff, in order.

A message counts as delivered only when the receiver answers 2xx. Anything else (no
connection, a timeout, an error status, any redirect: the body is never re-sent to
wherever a redirect points, which may be another host) is a failed attempt; after
its retries the message stays pending and the messages after it wait too, so that a
receiver gets them in the order they were made.

The standard library's urllib is enough for one POST with a timeout, and refusing
redirects is one small handler; no HTTP client is added for it.

Blocking: a run's close (the store's worker thread) or a command, never the reactor.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from reviewcrawler.alerts import outbox
from reviewcrawler.alerts.config import AlertConfig

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """One attempt the receiver did not accept; the message says why in one line."""


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """Never follow a redirect: urllib then raises the 3xx as an HTTPError."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_RefuseRedirects)


def post(url: str, body: dict[str, Any], key: str, user_agent: str, timeout: float) -> int:
    """POST ``body`` as JSON; the 2xx status, else DeliveryFailed."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": user_agent,
            "Idempotency-Key": key,
        },
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status = int(response.status)
            response.read(65536)
    except urllib.error.HTTPError as exc:
        exc.close()
        if 300 <= exc.code < 400:
            where = exc.headers.get("Location") or "nowhere"
            raise DeliveryFailed(f"redirect refused (HTTP {exc.code} to {where})") from None
        raise DeliveryFailed(f"HTTP {exc.code} {exc.reason}") from None
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, TimeoutError):
            raise DeliveryFailed(f"no answer within {timeout:g} s") from None
        raise DeliveryFailed(f"cannot reach the receiver: {reason}") from None
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status}")
    return status


@dataclass
class SendReport:
    """What sending the outbox did (the close's ``alerts/*`` stats)."""

    sent: int = 0
    #: Failed attempts, retries included.
    failed: int = 0
    #: Messages still pending afterwards.
    pending: int = 0
    last_error: str | None = None


def _backoff(config: AlertConfig, retry: int) -> float:
    return min(config.retry_backoff * 2 ** (retry - 1), config.retry_backoff_max)


def deliver(
    message: outbox.Pending, config: AlertConfig, sleep: Callable[[float], None] = time.sleep
) -> tuple[int, str | None]:
    """Try one message, retrying per the config: (attempts made, last error or None)."""
    error: str | None = None
    for attempt in range(1 + config.retry_times):
        if attempt:
            sleep(_backoff(config, attempt))
        try:
            post(
                config.webhook_url,
                message.body,
                message.idempotency_key,
                config.user_agent,
                config.timeout,
            )
        except DeliveryFailed as exc:
            error = str(exc)
            logger.warning(
                "Alert message of crawl run %d not delivered (attempt %d of %d): %s",
                message.run_id,
                attempt + 1,
                1 + config.retry_times,
                error,
            )
            continue
        return attempt + 1, None
    return 1 + config.retry_times, error


def send_pending(
    engine: Engine, config: AlertConfig, sleep: Callable[[float], None] = time.sleep
) -> SendReport:
    """Send the pending messages oldest first; stop at the first one the receiver did
    not take (it is down or refusing: the rest would fail the same way, out of order)."""
    report = SendReport()
    for message in outbox.pending(engine):
        attempts, error = deliver(message, config, sleep)
        # Recorded at once, so that an accepted message is never sent again; a crash
        # between the POST and this would re-send it under the same Idempotency-Key,
        # by which the receiver can tell.
        outbox.record(engine, message.id, attempts, error)
        if error is None:
            report.sent += 1
            continue
        report.failed += attempts
        report.last_error = error
        break
    report.pending = outbox.pending_count(engine)
    return report
