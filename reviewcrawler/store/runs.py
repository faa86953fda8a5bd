"""The ``crawl_runs`` row of a crawl: inserted when it opens, completed when it closes.

Blocking: call from a worker thread, never the reactor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, insert, update

from reviewcrawler.store.engine import mask_url, write_transaction
from reviewcrawler.store.models import CrawlRun

if TYPE_CHECKING:
    from reviewcrawler.store.writer import BatchResult

_SECRET_NAME = re.compile(r"pass(word|wd)?|secret|token|api[_-]?key|credential", re.IGNORECASE)
_URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@\s]*:[^/@\s]*@", re.IGNORECASE)
_MASK = "***"


def mask_value(name: str, value: object) -> object:
    """``value`` safe to store: secrets by name hidden, passwords inside URLs masked."""
    if _SECRET_NAME.search(name):
        return _MASK
    if isinstance(value, str) and _URL_WITH_PASSWORD.match(value):
        return mask_url(value)
    if isinstance(value, Mapping):
        return {str(k): mask_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(name, v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def mask_arguments(arguments: Mapping[str, Any]) -> dict[str, Any]:
    return {str(name): mask_value(str(name), value) for name, value in arguments.items()}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def start_run(engine: Engine, spider: str, arguments: Mapping[str, Any]) -> int:
    """Insert the run's row (arguments masked); its id orders runs by start."""
    with write_transaction(engine) as connection:
        return connection.execute(
            insert(CrawlRun.__table__)
            .values(
                spider=spider,
                arguments=mask_arguments(arguments),
                started_at=now(),
                dropped_reasons={},
                error_details={},
            )
            .returning(CrawlRun.__table__.c.id)
        ).scalar_one()


@dataclass
class RunOutcome:
    """What a closing crawl records about itself."""

    finish_reason: str
    pages: int = 0
    films: int = 0
    reviews_new: int = 0
    reviews_changed: int = 0
    reviews_unchanged: int = 0
    reviews_gone: int = 0
    items_dropped: int = 0
    dropped_reasons: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    error_details: dict[str, int] = field(default_factory=dict)
    failure: str | None = None


def finish_run(engine: Engine, run_id: int, outcome: RunOutcome) -> None:
    with write_transaction(engine) as connection:
        connection.execute(
            update(CrawlRun.__table__)
            .where(CrawlRun.__table__.c.id == run_id)
            .values(finished_at=now(), **vars(outcome))
        )


def record_progress(
    connection: Connection, run_id: int, batch: BatchResult, pages: int | None = None
) -> None:
    """In a batch's transaction: add its counts to the run's row (and set ``pages``)."""
    table = CrawlRun.__table__
    values: dict[str, Any] = {
        "reviews_new": table.c.reviews_new + batch.new,
        "reviews_changed": table.c.reviews_changed + batch.changed,
        "reviews_unchanged": table.c.reviews_unchanged + batch.unchanged,
    }
    if pages is not None:
        values["pages"] = pages
    connection.execute(update(table).where(table.c.id == run_id).values(**values))
