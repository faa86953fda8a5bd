"""Storing audience (user) reviews: ``audience_reviews``, apart from everything critical.

An audience review is identified by ``review_id`` (the site's UUID, else the hash
normalize/audience_reviews.py derives): written again it is updated in place, never
added twice, and ``first_seen_run`` / ``last_seen_run`` say when it was met. Nothing
here touches ``reviews``, the critic summaries, critics' figures or links: those
read ``reviews`` alone, so a user review can never be counted in them.

Written after the batch's critic rows, in a transaction of its own, on the store's
worker thread (pipelines/store.py), through ``write_resilient``: connection faults
are retried like the critic batch's (store/resilient.py), rows the database refuses
as data are isolated and counted, and once the database is lost audience reviews
are counted unwritten rather than spooled (the dead-letter spool and its replay know
critic reviews and summaries only; the next crawl stores them).

Blocking: call from the store's worker thread, never the reactor.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select, update

from reviewcrawler.identity import media_of_key
from reviewcrawler.items import AudienceReviewItem
from reviewcrawler.store.engine import first_line, is_connection_fault, write_transaction
from reviewcrawler.store.faults import data_error_reason
from reviewcrawler.store.models import AudienceReview, Film
from reviewcrawler.store.resilient import ResilientWriter
from reviewcrawler.store.upsert import any_of, chunked, insert_rows
from reviewcrawler.store.writer import latest_run

logger = logging.getLogger(__name__)

#: The stored fields compared to tell a changed review from one met again as it was.
FIELDS = ("film_id", "score", "author", "published_on", "quote", "spoiler")


@dataclass
class AudienceResult:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    #: Reviews not written because the database is lost (see the module docstring).
    unwritten: int = 0
    #: Reviews the database refused as data, by reason.
    rejected: Counter[str] = field(default_factory=Counter)

    def add(self, other: AudienceResult) -> None:
        self.new += other.new
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.unwritten += other.unwritten
        self.rejected.update(other.rejected)


class AudienceReviewWriter:
    def __init__(self, engine: Engine, run_id: int) -> None:
        self.engine = engine
        self.run_id = run_id

    def write(self, items: list[AudienceReviewItem]) -> AudienceResult:
        """Write one batch in one transaction: all of it or, on any error, none of it."""
        result = AudienceResult()
        # Last one wins inside a batch: the later sighting is the newer one, and
        # PostgreSQL refuses to touch one row twice in one statement.
        latest = {item.review_id: item for item in items if item.review_id}
        if not latest:
            return result
        with write_transaction(self.engine) as connection:
            film_ids = self._film_ids(connection, {item.film_key for item in latest.values()})
            rows = {
                review_id: _row(item, film_ids[item.film_key]) for review_id, item in latest.items()
            }
            self._write(connection, rows, result)
        return result

    def _film_ids(self, connection: Connection, keys: set[str]) -> dict[str, int]:
        """The films' ids; a film no critic row named yet is added, as the critic
        writer adds one (its facts come with the pages that state them)."""
        table = Film.__table__
        ordered = sorted(keys)
        insert_rows(
            connection,
            table,
            [{"key": key, "media": media_of_key(key)} for key in ordered],
            conflict=table.c.key,
        )
        ids: dict[str, int] = {}
        for chunk in chunked(ordered):
            query = select(table.c.key, table.c.id).where(any_of(connection, table.c.key, chunk))
            ids.update({key: film_id for key, film_id in connection.execute(query)})
        return ids

    def _write(
        self, connection: Connection, rows: dict[str, dict[str, Any]], result: AudienceResult
    ) -> None:
        table = AudienceReview.__table__
        stored: dict[str, Any] = {}
        for chunk in chunked(sorted(rows)):
            query = select(table.c.id, table.c.review_id, *(table.c[n] for n in FIELDS)).where(
                any_of(connection, table.c.review_id, chunk)
            )
            stored.update({row.review_id: row for row in connection.execute(query)})
        new_rows, changed_rows, unchanged_ids = [], [], []
        for review_id in sorted(rows):
            row, before = rows[review_id], stored.get(review_id)
            if before is None:
                new_rows.append(row | {"first_seen_run": self.run_id, "last_seen_run": self.run_id})
            elif any(getattr(before, name) != row[name] for name in FIELDS):
                changed_rows.append({"row_id": before.id, **{n: row[n] for n in FIELDS}})
            else:
                unchanged_ids.append(before.id)
        if new_rows:
            insert_rows(connection, table, new_rows, conflict=table.c.review_id)
        if changed_rows:
            connection.execute(
                update(table)
                .where(table.c.id == bindparam("row_id"))
                # The other columns' SET comes from the parameters' keys.
                .values(last_seen_run=latest_run(table.c.last_seen_run, self.run_id)),
                changed_rows,
            )
        for chunk in chunked(unchanged_ids):
            connection.execute(
                update(table)
                .where(any_of(connection, table.c.id, chunk))
                .values(last_seen_run=latest_run(table.c.last_seen_run, self.run_id))
            )
        result.new += len(new_rows)
        result.changed += len(changed_rows)
        result.unchanged += len(unchanged_ids)


def _row(item: AudienceReviewItem, film_id: int) -> dict[str, Any]:
    published = dt.date.fromisoformat(item.published_on) if item.published_on else None
    return {
        "film_id": film_id,
        "review_id": item.review_id,
        "score": item.score,
        "author": item.author,
        "published_on": published,
        "quote": item.quote,
        "spoiler": item.spoiler,
    }


def write_resilient(
    resilient: ResilientWriter,
    writer: AudienceReviewWriter,
    number: int,
    items: list[AudienceReviewItem],
) -> AudienceResult:
    """Write batch ``number``'s audience reviews the way store/resilient.py writes the
    critics' batch: connection faults retried with its backoff, a fault that outlasts
    them losing the database for the batches after; a data error halves the batch
    until each refused review stands alone (counted ``store/rejected/<reason>``)."""
    if not items:
        return AudienceResult()
    if resilient.lost_because is not None:
        return AudienceResult(unwritten=len(items))
    try:
        return _write_isolating(resilient, writer, number, items)
    except Exception as exc:  # a connection fault that outlasted its retries
        resilient.lose_database(exc)
        logger.error(
            "Database lost (%s) writing batch %d's %d audience reviews: they are not "
            "written (audience reviews are not spooled)",
            resilient.lost_because,
            number,
            len(items),
            exc_info=not is_connection_fault(exc),
        )
        return AudienceResult(unwritten=len(items))


def _write_isolating(
    resilient: ResilientWriter,
    writer: AudienceReviewWriter,
    number: int,
    items: list[AudienceReviewItem],
) -> AudienceResult:
    try:
        return _write_with_retries(resilient, writer, number, items)
    except Exception as exc:
        reason = data_error_reason(exc)
        if reason is None:
            raise
        if len(items) > 1:
            middle = len(items) // 2
            result = _write_isolating(resilient, writer, number, items[:middle])
            result.add(_write_isolating(resilient, writer, number, items[middle:]))
            return result
        (item,) = items
        logger.warning(
            "The database refused an audience review of %s from %s (%s: %s); it is not stored",
            item.film_key,
            item.source_url,
            reason,
            first_line(exc),
        )
        return AudienceResult(rejected=Counter({reason: 1}))


def _write_with_retries(
    resilient: ResilientWriter,
    writer: AudienceReviewWriter,
    number: int,
    items: list[AudienceReviewItem],
) -> AudienceResult:
    for retry in range(1, resilient.retry_times + 2):
        try:
            return writer.write(items)
        except Exception as exc:
            if retry > resilient.retry_times or not is_connection_fault(exc):
                raise
            delay = min(resilient.retry_backoff * 2 ** (retry - 1), resilient.retry_backoff_max)
            logger.warning(
                "Writing batch %d's audience reviews failed (%s); retry %d of %d in %.3g s",
                number,
                first_line(exc),
                retry,
                resilient.retry_times,
                delay,
            )
            time.sleep(delay)
    raise AssertionError("unreachable")
