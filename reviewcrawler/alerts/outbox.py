"""The alert outbox (``alert_outbox``): every message is stored before it is sent and
stays pending until a receiver accepts it, so none is lost to a receiver that is down.

Each function is one short transaction: none is held open while a message is sent.
Blocking: a run's close or a command.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select, update

from reviewcrawler.store.engine import write_transaction
from reviewcrawler.store.models import AlertOutboxMessage

OUTBOX = AlertOutboxMessage.__table__
#: last_error is cut to this many characters (a receiver may answer a whole page).
ERROR_LENGTH = 500


@dataclass(frozen=True)
class Pending:
    id: int
    idempotency_key: str
    run_id: int
    body: dict[str, Any]
    attempts: int
    last_error: str | None
    created_at: dt.datetime


def queue(engine: Engine, run_id: int, build: Callable[[str, dt.datetime], dict[str, Any]]) -> bool:
    """Store the run's message, built by ``build(idempotency_key, created_at)``; False
    when the run has one already (a close run twice never sends twice)."""
    with write_transaction(engine) as connection:
        if connection.execute(select(OUTBOX.c.id).where(OUTBOX.c.run_id == run_id)).first():
            return False
        key = uuid.uuid4().hex
        created_at = dt.datetime.now(dt.UTC)
        connection.execute(
            OUTBOX.insert().values(
                idempotency_key=key,
                run_id=run_id,
                body=build(key, created_at),
                created_at=created_at,
                attempts=0,
            )
        )
    return True


def pending(engine: Engine) -> list[Pending]:
    """Messages not yet accepted, oldest first (the order they are sent in)."""
    query = (
        select(
            OUTBOX.c.id,
            OUTBOX.c.idempotency_key,
            OUTBOX.c.run_id,
            OUTBOX.c.body,
            OUTBOX.c.attempts,
            OUTBOX.c.last_error,
            OUTBOX.c.created_at,
        )
        .where(OUTBOX.c.delivered_at.is_(None))
        .order_by(OUTBOX.c.id)
    )
    with engine.connect() as connection:
        return [Pending(*row) for row in connection.execute(query)]


def pending_count(engine: Engine) -> int:
    with engine.connect() as connection:
        query = select(func.count()).select_from(OUTBOX).where(OUTBOX.c.delivered_at.is_(None))
        return int(connection.execute(query).scalar_one())


def record(engine: Engine, message_id: int, attempts: int, error: str | None) -> None:
    """After ``attempts`` more attempts: accepted (``error`` None) or still pending."""
    values: dict[str, Any] = {"attempts": OUTBOX.c.attempts + attempts}
    if error is None:
        values["delivered_at"] = dt.datetime.now(dt.UTC)
    else:
        values["last_error"] = error[:ERROR_LENGTH]
    with write_transaction(engine) as connection:
        connection.execute(update(OUTBOX).where(OUTBOX.c.id == message_id).values(**values))


def messages(engine: Engine, *, include_delivered: bool = False) -> list[dict[str, Any]]:
    """The outbox for ``reviewcrawler alerts list``: pending ones (or all), oldest first."""
    query = select(
        OUTBOX.c.id,
        OUTBOX.c.idempotency_key,
        OUTBOX.c.run_id,
        OUTBOX.c.created_at,
        OUTBOX.c.attempts,
        OUTBOX.c.last_error,
        OUTBOX.c.delivered_at,
        OUTBOX.c.body,
    ).order_by(OUTBOX.c.id)
    if not include_delivered:
        query = query.where(OUTBOX.c.delivered_at.is_(None))
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]
