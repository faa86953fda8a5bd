"""Batched writes of films, stated summaries and reviews: one transaction per batch.

Blocking: call from a worker thread (pipelines/store.py does), never the reactor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, and_, func, or_, select

from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.store.models import Film, FilmSummary, Review
from reviewcrawler.store.upsert import insert_for

FILM_FIELDS = ("title", "year", "url")
STATED_FIELDS = (
    "stated_label",
    "stated_critic_count",
    "stated_metascore",
    "stated_positive",
    "stated_mixed",
    "stated_negative",
)
REVIEW_FIELDS = (
    "critic",
    "publication",
    "score",
    "original_score",
    "sentiment",
    "published_on",
    "quote",
    "review_url",
)


@dataclass
class BatchResult:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    film_ids: set[int] = field(default_factory=set)


def _merge_films(summaries: Iterable[FilmSummaryItem]) -> dict[str, dict[str, object]]:
    """Summary items by film key; a later non-empty value wins over an earlier one."""
    merged: dict[str, dict[str, object]] = {}
    for item in summaries:
        row = merged.setdefault(item.film_key, {})
        for name in FILM_FIELDS + STATED_FIELDS:
            value = getattr(item, name)
            if value is not None:
                row[name] = value
    return merged


def _review_row(item: ReviewItem, film_id: int) -> dict[str, object]:
    row: dict[str, object] = {name: getattr(item, name) for name in REVIEW_FIELDS}
    row["published_on"] = dt.date.fromisoformat(item.published_on) if item.published_on else None
    row["film_id"] = film_id
    row["fingerprint"] = item.fingerprint
    return row


class StoreWriter:
    """Writes batches into one database; remembers film ids across batches."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._film_ids: dict[str, int] = {}

    def write_batch(
        self, summaries: list[FilmSummaryItem], reviews: list[ReviewItem]
    ) -> BatchResult:
        result = BatchResult()
        with self.engine.begin() as connection:
            films = _merge_films(summaries)
            keys = set(films) | {item.film_key for item in reviews}
            film_ids = self._upsert_films(connection, films, keys)
            self._upsert_stated(connection, films, film_ids)
            self._upsert_reviews(connection, reviews, film_ids, result)
            result.film_ids = {film_ids[key] for key in keys}
        return result

    def _upsert_films(
        self, connection: Connection, films: dict[str, dict[str, object]], keys: set[str]
    ) -> dict[str, int]:
        table = Film.__table__
        described = [{"key": key, **{n: films[key].get(n) for n in FILM_FIELDS}} for key in films]
        if described:
            stmt = insert_for(connection, table)
            excluded = stmt.excluded
            stmt = stmt.on_conflict_do_update(
                index_elements=[table.c.key],
                set_={n: func.coalesce(excluded[n], table.c[n]) for n in FILM_FIELDS},
                where=or_(
                    *(
                        and_(excluded[n].is_not(None), excluded[n].is_distinct_from(table.c[n]))
                        for n in FILM_FIELDS
                    )
                ),
            )
            connection.execute(stmt, described)
        unknown = sorted(key for key in keys if key not in self._film_ids and key not in films)
        if unknown:
            stmt = insert_for(connection, table).on_conflict_do_nothing(
                index_elements=[table.c.key]
            )
            connection.execute(stmt, [{"key": key} for key in unknown])
        missing = [key for key in keys if key not in self._film_ids]
        if missing:
            rows = connection.execute(
                select(table.c.key, table.c.id).where(table.c.key.in_(missing))
            )
            self._film_ids.update({key: film_id for key, film_id in rows})
        return {key: self._film_ids[key] for key in keys}

    def _upsert_stated(
        self,
        connection: Connection,
        films: dict[str, dict[str, object]],
        film_ids: dict[str, int],
    ) -> None:
        rows = [
            {"film_id": film_ids[key], **{n: row.get(n) for n in STATED_FIELDS}}
            for key, row in films.items()
            if any(row.get(n) is not None for n in STATED_FIELDS)
        ]
        if not rows:
            return
        table = FilmSummary.__table__
        stmt = insert_for(connection, table)
        excluded = stmt.excluded
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.film_id],
            set_={n: func.coalesce(excluded[n], table.c[n]) for n in STATED_FIELDS},
            where=or_(
                *(
                    and_(excluded[n].is_not(None), excluded[n].is_distinct_from(table.c[n]))
                    for n in STATED_FIELDS
                )
            ),
        )
        connection.execute(stmt, rows)

    def _upsert_reviews(
        self,
        connection: Connection,
        reviews: list[ReviewItem],
        film_ids: dict[str, int],
        result: BatchResult,
    ) -> None:
        # Last one wins inside a batch: PostgreSQL refuses to touch a row twice in
        # one statement, and the later sighting is the newer one.
        rows = {
            item.fingerprint: _review_row(item, film_ids[item.film_key])
            for item in reviews
            if item.fingerprint
        }
        if not rows:
            return
        table = Review.__table__
        columns = ["fingerprint", "film_id", *REVIEW_FIELDS]
        stored = {
            row.fingerprint: row
            for row in connection.execute(
                select(*(table.c[n] for n in columns)).where(table.c.fingerprint.in_(list(rows)))
            )
        }
        to_write = []
        for fingerprint, row in rows.items():
            before = stored.get(fingerprint)
            if before is None:
                result.new += 1
            elif any(getattr(before, n) != row[n] for n in ("film_id", *REVIEW_FIELDS)):
                result.changed += 1
            else:
                result.unchanged += 1
                continue
            to_write.append(row)
        if not to_write:
            return
        stmt = insert_for(connection, table)
        excluded = stmt.excluded
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.fingerprint],
            set_={n: excluded[n] for n in ("film_id", *REVIEW_FIELDS)},
            where=or_(
                *(excluded[n].is_distinct_from(table.c[n]) for n in ("film_id", *REVIEW_FIELDS))
            ),
        )
        connection.execute(stmt, to_write)
