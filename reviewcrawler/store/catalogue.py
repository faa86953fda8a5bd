"""The ``catalogue_titles`` table: reading and writing rows, nothing decided here.

What is due and why is catalogue/due.py's; catalogue/record.py calls these inside one
write transaction (store/engine.py ``write_transaction``) per listing page or batch of
fetched titles.

Blocking: call from a worker thread or the command line, never the reactor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Row, and_, bindparam, case, func, or_, select, update

from reviewcrawler.catalogue.due import PRIORITY
from reviewcrawler.store.models import CatalogueTitle, CrawlRunFilm, Film
from reviewcrawler.store.upsert import any_of, chunked, insert_for

TABLE = CatalogueTitle.__table__


def load(connection: Connection, site: str, media: str, slugs: Iterable[str]) -> dict[str, Row]:
    """The stored rows of these titles, by slug."""
    found: dict[str, Row] = {}
    for chunk in chunked(sorted(set(slugs))):
        query = select(TABLE).where(
            TABLE.c.site == site, TABLE.c.media == media, any_of(connection, TABLE.c.slug, chunk)
        )
        found.update({row.slug: row for row in connection.execute(query)})
    return found


def insert(connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """New titles (a title another writer inserted meanwhile is left as it is)."""
    for shaped in _by_shape(rows):
        statement = insert_for(connection, TABLE).on_conflict_do_nothing(
            index_elements=[TABLE.c.site, TABLE.c.media, TABLE.c.slug]
        )
        connection.execute(statement, shaped)


def update_rows(connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Stored titles updated by id (``id`` in each row, the columns to set beside it)."""
    for shaped in _by_shape(rows):
        names = [name for name in shaped[0] if name != "id"]
        if not names:  # nothing to set (a sitemap naming a known title, say)
            continue
        connection.execute(
            update(TABLE)
            .where(TABLE.c.id == bindparam("p_id"))
            .values({name: bindparam(f"p_{name}") for name in names}),
            [{f"p_{name}": value for name, value in row.items()} for row in shaped],
        )


def _by_shape(rows: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows grouped by the columns they set: one executemany per group."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())


def due_condition(now: dt.datetime) -> Any:
    """A title is due: a reason recorded (a failed one once its backoff is over), never
    fetched, or past its planned refresh; and not listed with no critic reviews (the
    listing said all there is)."""
    failed = TABLE.c.due_reason == "failed"
    return and_(
        or_(
            # A failing title waits out its backoff (record.py ``finish``).
            and_(TABLE.c.due_reason.is_not(None), ~failed),
            and_(failed, or_(TABLE.c.next_due.is_(None), TABLE.c.next_due <= now)),
            and_(TABLE.c.last_fetched.is_(None), TABLE.c.due_reason.is_(None)),
            TABLE.c.next_due <= now,
        ),
        or_(
            TABLE.c.listed_count.is_(None),
            TABLE.c.listed_count != 0,
            TABLE.c.listed_score.is_not(None),
        ),
    )


def _priority() -> Any:
    """``PRIORITY``'s order: new, changed, failed, then the stale (no reason recorded)."""
    order = {reason: index for index, reason in enumerate(PRIORITY)}
    return case(
        # A recorded reason first: a title whose first fetch failed is failed, not new.
        *((TABLE.c.due_reason == reason, rank) for reason, rank in order.items()),
        (TABLE.c.last_fetched.is_(None), order["new"]),
        else_=order["stale"],
    )


def due(
    connection: Connection,
    now: dt.datetime,
    *,
    site: str,
    media: Sequence[str],
    limit: int | None = None,
) -> list[Row]:
    """Due titles in the order they are fetched: by reason, the stalest first."""
    query = (
        select(TABLE)
        .where(TABLE.c.site == site, TABLE.c.media.in_(list(media)), due_condition(now))
        .order_by(
            _priority(),
            # Among the failed, those that failed least first: a dead slug cannot
            # keep the others waiting.
            TABLE.c.consecutive_failures,
            TABLE.c.last_fetched.asc().nulls_first(),
            TABLE.c.id,
        )
    )
    if limit is not None:
        query = query.limit(limit)
    return list(connection.execute(query))


def counts(connection: Connection, now: dt.datetime, media: str | None = None) -> dict[str, int]:
    """Known, due by reason, never fetched and failed titles."""
    where = [TABLE.c.media == media] if media else []
    reason = case(
        (TABLE.c.due_reason.is_not(None), TABLE.c.due_reason),
        (TABLE.c.last_fetched.is_(None), "new"),
        (TABLE.c.next_due <= now, "stale"),
        else_=None,
    )
    result: dict[str, int] = {
        "known": connection.execute(
            select(func.count()).select_from(TABLE).where(*where)
        ).scalar_one(),
        "never_fetched": connection.execute(
            select(func.count()).select_from(TABLE).where(*where, TABLE.c.last_fetched.is_(None))
        ).scalar_one(),
        "failing": connection.execute(
            select(func.count()).select_from(TABLE).where(*where, TABLE.c.consecutive_failures > 0)
        ).scalar_one(),
    }
    for name, count in connection.execute(
        select(reason.label("reason"), func.count())
        .select_from(TABLE)
        .where(*where, and_(due_condition(now)))
        .group_by(reason)
    ):
        result[f"due_{name}"] = count
    return result


def rows(
    connection: Connection, *, media: str | None = None, only_due_at: dt.datetime | None = None
) -> list[Row]:
    """Every title (of a media; only the due ones), by media and slug."""
    query = select(TABLE).order_by(TABLE.c.media, TABLE.c.slug)
    if media:
        query = query.where(TABLE.c.media == media)
    if only_due_at is not None:
        query = query.where(due_condition(only_due_at))
    return list(connection.execute(query))


def by_ids(connection: Connection, ids: Sequence[int]) -> dict[int, Row]:
    """The rows of these titles, by id (in chunks: a job without a limit fetches many)."""
    found: dict[int, Row] = {}
    for chunk in chunked(sorted(set(ids))):
        query = select(TABLE).where(any_of(connection, TABLE.c.id, chunk))
        found.update({row.id: row for row in connection.execute(query)})
    return found


def count_due(connection: Connection, now: dt.datetime, *, site: str, media: Sequence[str]) -> int:
    """How many titles are due."""
    return connection.execute(
        select(func.count())
        .select_from(TABLE)
        .where(TABLE.c.site == site, TABLE.c.media.in_(list(media)), due_condition(now))
    ).scalar_one()


def run_films(connection: Connection, run_id: int) -> list[Row]:
    """The films a run reviewed: key, title and release date."""
    films, run_films_table = Film.__table__, CrawlRunFilm.__table__
    query = (
        select(films.c.key, films.c.title, films.c.release_date)
        .join(run_films_table, run_films_table.c.film_id == films.c.id)
        .where(run_films_table.c.run_id == run_id, run_films_table.c.reviewed.is_(True))
    )
    return list(connection.execute(query))
