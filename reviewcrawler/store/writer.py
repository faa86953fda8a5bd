"""Batched writes of films, stated summaries and reviews: one transaction per batch.

Each batch holds the database's writer lock (engine.write_transaction), so two
crawls writing one database at once take turns per batch: what a batch reads
(which reviews are stored, with which values) is still true when it writes.

Blocking: call from a worker thread (pipelines/store.py does), never the reactor.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, case, or_, select, update

from reviewcrawler.identity import media_of_key
from reviewcrawler.items import (
    AUDIENCE_FIELDS,
    FILM_FACT_FIELDS,
    STATED_FIELDS,
    FilmSummaryItem,
    ReviewItem,
    facts_rank,
)
from reviewcrawler.store import run_films
from reviewcrawler.store.engine import write_transaction
from reviewcrawler.store.models import (
    AUDIENCE_COLUMNS,
    AudienceSummary,
    Film,
    FilmSummary,
    Review,
    ReviewChange,
)
from reviewcrawler.store.runs import record_progress
from reviewcrawler.store.seasons import match_seasons
from reviewcrawler.store.upsert import (
    any_of,
    chunked,
    insert_rows,
    upsert_filling,
    upsert_ranked,
)

#: A film's facts: a stored one is replaced only by a source at least as strong
#: (items.py ``FACT_PATHS``); ``media`` follows from the key and is only filled in.
FILM_FACTS = ("title", "year", "url", "platform", "imdb_id", *FILM_FACT_FIELDS)
FILM_FIELDS = (*FILM_FACTS, "media")
REVIEW_FIELDS = (
    "critic",
    "critic_slug",
    "publication",
    "season",
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
    #: Films the batch wrote anything about (reviews or what a page states).
    film_ids: set[int] = field(default_factory=set)
    #: Films the batch saw at least one review of.
    reviewed_film_ids: set[int] = field(default_factory=set)
    #: Per film id: reviews the batch stored new, and those it changed.
    new_by_film: Counter[int] = field(default_factory=Counter)
    changed_by_film: Counter[int] = field(default_factory=Counter)


def _merge_films(summaries: Iterable[FilmSummaryItem]) -> dict[str, dict[str, object]]:
    """Summary items by film key; a later non-empty value wins over an earlier one, but
    a fact only over one from a source no stronger (``facts_rank``, kept in the row)."""
    merged: dict[str, dict[str, object]] = {}
    ranks: dict[tuple[str, str], int] = {}
    for item in summaries:
        row = merged.setdefault(item.film_key, {"media": media_of_key(item.film_key)})
        rank = item.facts_rank
        for name in FILM_FACTS:
            value = getattr(item, name)
            if value is not None and rank >= ranks.get((item.film_key, name), 0):
                row[name] = value
                ranks[item.film_key, name] = rank
                row["facts_rank"] = max(rank, row.get("facts_rank") or 0)  # type: ignore[call-overload]
        for name in ("media", *STATED_FIELDS):
            value = getattr(item, name)
            if value is not None:
                row[name] = value
        _merge_audience(row, item)
    return merged


def _merge_audience(row: dict[str, object], item: FilmSummaryItem) -> None:
    """The audience's figures of the strongest path that states any (a later one of the
    same path wins), kept whole: figures of two paths are never mixed in one summary."""
    if all(getattr(item, name) is None for name in AUDIENCE_FIELDS):
        return
    rank = facts_rank(item.path)
    held = row.get("audience")
    if isinstance(held, dict) and held["rank"] > rank:
        return
    audience: dict[str, object] = {
        "score": item.audience_score,
        "scale": item.audience_scale,
        "count": item.audience_count,
        "positive": item.audience_positive,
        "mixed": item.audience_mixed,
        "negative": item.audience_negative,
        "path": item.path,
        "rank": rank,
    }
    score, scale = item.audience_score, item.audience_scale
    audience["score_100"] = round(score * 100 / scale, 1) if score is not None and scale else None
    row["audience"] = audience


#: The review's stored fields in one C-level call: this runs for every review of a crawl.
_review_values = attrgetter(*REVIEW_FIELDS)


def _review_row(item: ReviewItem, film_id: int) -> dict[str, Any]:
    row: dict[str, Any] = dict(zip(REVIEW_FIELDS, _review_values(item), strict=True))
    row["published_on"] = dt.date.fromisoformat(item.published_on) if item.published_on else None
    row["film_id"] = film_id
    row["fingerprint"] = item.fingerprint
    return row


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def latest_run(column: Any, run_id: int) -> Any:
    """``column`` moved forward to ``run_id``, never back (crawls may close out of order)."""
    return case((or_(column.is_(None), column < run_id), run_id), else_=column)


#: Film ids a writer remembers, most recently written first. A film's pages come
#: close together in a crawl, so a few batches' worth spares nearly every lookup,
#: and the writer's memory stays flat however many films a crawl touches (a miss
#: only costs a lookup of the stored id).
FILM_ID_CACHE = 1024


class StoreWriter:
    """Writes batches of one crawl run into one database, recording the films each touched."""

    def __init__(self, engine: Engine, run_id: int, *, keep_newer: bool = False) -> None:
        """``keep_newer``: a stored review a later run saw (or marked gone) is left as it
        is (``reviewcrawler replay`` writes an older crawl's items after newer ones)."""
        self.engine = engine
        self.run_id = run_id
        self.keep_newer = keep_newer
        self._film_ids: OrderedDict[str, int] = OrderedDict()

    def write_batch(
        self,
        summaries: list[FilmSummaryItem],
        reviews: list[ReviewItem],
        pages: int | None = None,
    ) -> BatchResult:
        """Write one batch in one transaction; all of it or, on any error, none of it.

        The run's row gets the batch's counts in the same transaction (and ``pages``,
        the crawl's pages so far, when given), so a crawl that dies still says how far
        it got."""
        result = BatchResult()
        with write_transaction(self.engine) as connection:
            films = _merge_films(summaries)
            keys = set(films) | {item.film_key for item in reviews}
            film_ids = self._upsert_films(connection, films, keys)
            self._upsert_stated(connection, films, film_ids)
            self._upsert_audience(connection, films, film_ids)
            self._write_reviews(connection, reviews, film_ids, result)
            result.film_ids = {film_ids[key] for key in keys}
            result.reviewed_film_ids = {film_ids[item.film_key] for item in reviews}
            run_films.record(connection, self.run_id, result)
            record_progress(connection, self.run_id, result, pages)
        # Remembered only once committed: a batch rolled back (database lost) may
        # have inserted films whose ids then never existed.
        self._remember(film_ids)
        return result

    def _remember(self, film_ids: dict[str, int]) -> None:
        for key, film_id in film_ids.items():
            self._film_ids[key] = film_id
            self._film_ids.move_to_end(key)
        while len(self._film_ids) > FILM_ID_CACHE:
            self._film_ids.popitem(last=False)

    def _upsert_films(
        self, connection: Connection, films: dict[str, dict[str, object]], keys: set[str]
    ) -> dict[str, int]:
        table = Film.__table__
        described = [
            {"key": key, **{n: films[key].get(n) for n in (*FILM_FIELDS, "facts_rank")}}
            for key in sorted(films)
        ]
        for row in described:
            if isinstance(row["release_date"], str):
                row["release_date"] = dt.date.fromisoformat(row["release_date"])
        upsert_ranked(
            connection, table, described, table.c.key, FILM_FACTS, ("media",), table.c.facts_rank
        )
        unknown = sorted(key for key in keys if key not in self._film_ids and key not in films)
        if unknown:
            insert_rows(
                connection,
                table,
                [{"key": key, "media": media_of_key(key)} for key in unknown],
                conflict=table.c.key,
            )
        known = {key: self._film_ids[key] for key in keys if key in self._film_ids}
        missing = [key for key in keys if key not in known]
        if missing:
            rows = connection.execute(
                select(table.c.key, table.c.id).where(table.c.key.in_(missing))
            )
            known.update({key: film_id for key, film_id in rows})
        return known

    def _upsert_audience(
        self,
        connection: Connection,
        films: dict[str, dict[str, object]],
        film_ids: dict[str, int],
    ) -> None:
        rows = sorted(
            (
                {"film_id": film_ids[key], **row["audience"]}  # type: ignore[dict-item]
                for key, row in films.items()
                if "audience" in row
            ),
            key=lambda row: row["film_id"],
        )
        table = AudienceSummary.__table__
        upsert_ranked(
            connection, table, rows, table.c.film_id, AUDIENCE_COLUMNS, (), table.c.rank, whole=True
        )

    def _upsert_stated(
        self,
        connection: Connection,
        films: dict[str, dict[str, object]],
        film_ids: dict[str, int],
    ) -> None:
        rows = sorted(
            (
                {"film_id": film_ids[key], **{n: row.get(n) for n in STATED_FIELDS}}
                for key, row in films.items()
                if any(row.get(n) is not None for n in STATED_FIELDS)
            ),
            key=lambda row: row["film_id"],
        )
        table = FilmSummary.__table__
        upsert_filling(connection, table, rows, table.c.film_id, STATED_FIELDS)

    def _seen_later(self, stored: Any) -> bool:
        later = [run for run in (stored.last_seen_run, stored.gone_run) if run is not None]
        return any(run > self.run_id for run in later)

    def _write_reviews(
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
        compared = ("film_id", *REVIEW_FIELDS)
        stored = {}
        for chunk in chunked(sorted(rows)):
            query = select(
                table.c.id,
                table.c.fingerprint,
                table.c.gone_run,
                table.c.last_seen_run,
                *(table.c[n] for n in compared),
            ).where(any_of(connection, table.c.fingerprint, chunk))
            stored.update({row.fingerprint: row for row in connection.execute(query)})
        # Per film, not per review: most batches hold no TV show at all.
        tv_films = {film_id for key, film_id in film_ids.items() if media_of_key(key) == "tv"}
        sightings = match_seasons(connection, rows, stored, tv_films) if tv_films else {}
        new_rows: list[dict[str, Any]] = []
        changed_rows: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        unchanged_ids: list[int] = sorted(set(sightings.values()))
        superseded: list[dict[str, Any]] = []
        for fingerprint in sorted(rows):
            row = rows[fingerprint]
            before = stored.get(fingerprint)
            if before is None:
                new_rows.append(row | {"first_seen_run": self.run_id, "last_seen_run": self.run_id})
                result.new_by_film[row["film_id"]] += 1
                continue
            if self.keep_newer and self._seen_later(before):
                unchanged_ids.append(before.id)  # only moves last_seen_run forward, never back
                continue
            differing = [n for n in compared if getattr(before, n) != row[n]]
            if differing and before.last_seen_run == self.run_id and before.gone_run is None:
                # Seen earlier in this same run by another of the page's paths (the API,
                # the page data, the HTML): the later one is of higher precedence
                # (pipelines/dedupe.py drops lower ones), and no change happened at the source.
                superseded.append({"review_id": before.id, **{n: row[n] for n in compared}})
                continue
            if before.gone_run is not None:
                differing.append("gone_run")
            if not differing:
                unchanged_ids.append(before.id)
                continue
            changed_rows.append({"review_id": before.id, **{n: row[n] for n in compared}})
            result.changed_by_film[row["film_id"]] += 1
            changes += [
                {
                    "review_id": before.id,
                    "run_id": self.run_id,
                    "field": name,
                    "old_value": _as_text(getattr(before, name)),
                    "new_value": _as_text(row.get(name)),
                }
                for name in differing
            ]
        result.new += len(new_rows)
        result.changed += len(changed_rows)
        result.unchanged += len(unchanged_ids) + len(superseded)
        if superseded:
            connection.execute(
                update(table).where(table.c.id == bindparam("review_id")), superseded
            )
        if new_rows:
            insert_rows(connection, table, new_rows, conflict=table.c.fingerprint)
        if changed_rows:
            connection.execute(
                update(table)
                .where(table.c.id == bindparam("review_id"))
                # The other columns' SET comes from the parameters' keys.
                .values(
                    gone_run=None, last_seen_run=latest_run(table.c.last_seen_run, self.run_id)
                ),
                changed_rows,
            )
            connection.execute(ReviewChange.__table__.insert(), changes)
        for chunk in chunked(unchanged_ids):
            connection.execute(
                update(table)
                .where(any_of(connection, table.c.id, chunk))
                .where(or_(table.c.last_seen_run.is_(None), table.c.last_seen_run < self.run_id))
                .values(last_seen_run=self.run_id)
            )
