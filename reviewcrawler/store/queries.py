"""What the ``reviewcrawler`` command reads: films by name, reviews, runs, history, comparisons.

Blocking, read-only; every function takes an engine whose schema is current.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, func, select

from reviewcrawler.identity import slugify
from reviewcrawler.store.models import (
    SUMMARY_FIELDS,
    CrawlRun,
    Film,
    Review,
    ReviewChange,
    SummarySnapshot,
)
from reviewcrawler.store.upsert import any_of, chunked

_TITLE_AND_YEAR = re.compile(r"^(?P<title>.*?)\s*\((?P<year>\d{4})\)\s*$")


class LookupFailed(Exception):
    """A film or run named on the command line is not in the database (or is ambiguous)."""


class AmbiguousFilm(LookupFailed):
    """A FILM argument that names several films; ``candidates`` are those films."""

    def __init__(self, message: str, candidates: list[FilmRef]) -> None:
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class FilmRef:
    id: int
    key: str
    title: str | None
    year: int | None
    media: str = "movie"
    platform: str | None = None

    @property
    def name(self) -> str:
        name = self.title or self.key
        return f"{name} ({self.year})" if self.year else name

    @property
    def described(self) -> str:
        """``Title (Year) [key]``: what a person needs to tell two candidates apart."""
        return f"{self.name} [{self.key}]"


_SLUG_AND_YEAR = re.compile(r"^(?P<slug>[a-z0-9][a-z0-9-]*)-(?P<year>\d{4})$")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _slugs_of_key(key: str) -> set[str]:
    """What a key's slug may be given as: the part after the site prefix, and for a TV
    show or game also without its ``tv:`` / ``game:`` segment."""
    rest = key.lower().split(":", 1)[-1]
    slugs = {rest}
    media, separator, slug = rest.partition(":")
    if separator and media in ("tv", "game"):
        slugs.add(slug)
    return slugs


def find_film(engine: Engine, name: str) -> FilmRef:
    """The film ``name`` names, trying in turn (the first rule that matches anything decides):

    1. a film key (``metacritic:moonlight``);
    2. a slug: the part of a key after its site prefix (``moonlight``, ``tv:severance``,
       ``moonlight_2016``), together with the films whose title it also is;
    3. ``slugify(title)-year`` (``moonlight-2016``);
    4. a title, ``Title`` or ``Title (Year)``, case-insensitive.

    LookupFailed when nothing matches; AmbiguousFilm (listing each candidate as
    ``Title (Year) [key]``) when the deciding rule matches several films.
    """
    films = Film.__table__
    columns = (
        films.c.id,
        films.c.key,
        films.c.title,
        films.c.year,
        films.c.media,
        films.c.platform,
    )
    text = name.strip()
    lowered = text.lower()
    with engine.connect() as connection:
        row = connection.execute(select(*columns).where(films.c.key == text)).first()
        if row is not None:
            return FilmRef(*row)
        conditions = [func.lower(films.c.title) == lowered]
        if title_year := _TITLE_AND_YEAR.match(text):
            conditions = [
                and_(
                    func.lower(films.c.title) == title_year["title"].lower(),
                    films.c.year == int(title_year["year"]),
                )
            ]
        by_title = [FilmRef(*r) for r in connection.execute(select(*columns).where(*conditions))]
        stages: list[list[FilmRef]] = []
        if lowered and " " not in lowered:
            suffix = connection.execute(
                select(*columns).where(
                    func.lower(films.c.key).like("%:" + _escape_like(lowered), escape="\\")
                )
            ).all()
            by_slug = [FilmRef(*r) for r in suffix if lowered in _slugs_of_key(r.key)]
            if by_slug:
                # One site's slug is often a plain title too (``moonlight``): the person
                # may mean any film of that title, so the slug alone must not pick one.
                stages.append(list({ref.id: ref for ref in by_slug + by_title}.values()))
        if match := _SLUG_AND_YEAR.match(lowered):
            same_year = connection.execute(
                select(*columns).where(films.c.year == int(match["year"]))
            ).all()
            stages.append(
                [FilmRef(*r) for r in same_year if slugify(r.title or "") == match["slug"]]
            )
        stages.append(by_title)
    for found in stages:
        if len(found) == 1:
            return found[0]
        if found:
            found = sorted(found, key=lambda ref: ref.key)
            listed = ", ".join(ref.described for ref in found)
            raise AmbiguousFilm(f"several films match {name!r}: {listed}; give a key", found)
    raise LookupFailed(f"no film with key or title {name!r}")


def reviews_of(
    engine: Engine, film_id: int, sentiment: str | None = None, include_gone: bool = False
) -> list[dict[str, Any]]:
    """A film's reviews, best score first (unscored last), then by critic."""
    reviews = Review.__table__
    query = select(reviews).where(reviews.c.film_id == film_id)
    if sentiment:
        query = query.where(reviews.c.sentiment == sentiment)
    if not include_gone:
        query = query.where(reviews.c.gone_run.is_(None))
    query = query.order_by(
        reviews.c.score.is_(None), reviews.c.score.desc(), reviews.c.critic, reviews.c.id
    )
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def history_of(engine: Engine, film_id: int) -> list[dict[str, Any]]:
    """A film's summary as each run that touched it left it, oldest first."""
    snapshots = SummarySnapshot.__table__
    runs = CrawlRun.__table__
    query = (
        select(snapshots.c.run_id, runs.c.started_at, *(snapshots.c[n] for n in SUMMARY_FIELDS))
        .join(runs, runs.c.id == snapshots.c.run_id)
        .where(snapshots.c.film_id == film_id)
        .order_by(snapshots.c.run_id)
    )
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def recent_runs(engine: Engine, limit: int = 20) -> list[dict[str, Any]]:
    runs = CrawlRun.__table__
    with engine.connect() as connection:
        rows = connection.execute(select(runs).order_by(runs.c.id.desc()).limit(limit))
        return [dict(row._mapping) for row in rows]


def require_runs(engine: Engine, run_ids: Iterable[int]) -> None:
    runs = CrawlRun.__table__
    wanted = set(run_ids)
    with engine.connect() as connection:
        found = set(connection.scalars(select(runs.c.id).where(runs.c.id.in_(wanted))))
    if missing := sorted(wanted - found):
        raise LookupFailed(f"no crawl run {', '.join(map(str, missing))}")


def _review_rows(engine: Engine, query: Any) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def compare_runs(engine: Engine, run_a: int, run_b: int) -> dict[str, Any]:
    """What changed after run A up to and including run B (A < B).

    added: reviews first seen in (A, B]; changed: field changes recorded in
    (A, B]; gone: reviews marked gone in (A, B]; summaries: for each film a run in
    (A, B] touched, its latest snapshot up to A against its latest up to B.
    """
    require_runs(engine, (run_a, run_b))
    low, high = sorted((run_a, run_b))
    reviews, films = Review.__table__, Film.__table__
    changes = ReviewChange.__table__
    review_columns = (
        films.c.key.label("film"),
        reviews.c.id,
        reviews.c.critic,
        reviews.c.publication,
        reviews.c.score,
        reviews.c.quote,
    )
    in_range = lambda column: and_(column > low, column <= high)  # noqa: E731

    def reviews_by(run_column: Any) -> list[dict[str, Any]]:
        """Reviews whose ``run_column`` (first seen, gone) falls in the compared runs."""
        return _review_rows(
            engine,
            select(*review_columns, run_column.label("run"))
            .join(films, films.c.id == reviews.c.film_id)
            .where(in_range(run_column))
            .order_by(films.c.key, reviews.c.id),
        )

    added = reviews_by(reviews.c.first_seen_run)
    gone = reviews_by(reviews.c.gone_run)
    changed = _review_rows(
        engine,
        select(
            films.c.key.label("film"),
            changes.c.review_id,
            reviews.c.critic,
            reviews.c.publication,
            changes.c.run_id.label("run"),
            changes.c.field,
            changes.c.old_value,
            changes.c.new_value,
        )
        .join(reviews, reviews.c.id == changes.c.review_id)
        .join(films, films.c.id == reviews.c.film_id)
        .where(in_range(changes.c.run_id))
        .order_by(films.c.key, changes.c.review_id, changes.c.id),
    )
    return {
        "run_a": low,
        "run_b": high,
        "added": added,
        "changed": changed,
        "gone": gone,
        "summaries": _summary_deltas(engine, low, high),
    }


def _latest_snapshots(engine: Engine, film_ids: list[int], up_to: int) -> dict[int, dict]:
    snapshots = SummarySnapshot.__table__
    found: dict[int, dict] = {}
    with engine.connect() as connection:
        for chunk in chunked(sorted(film_ids)):
            latest = (
                select(snapshots.c.film_id, func.max(snapshots.c.run_id).label("run_id"))
                .where(any_of(connection, snapshots.c.film_id, chunk), snapshots.c.run_id <= up_to)
                .group_by(snapshots.c.film_id)
                .subquery()
            )
            query = select(snapshots).join(
                latest,
                and_(
                    latest.c.film_id == snapshots.c.film_id, latest.c.run_id == snapshots.c.run_id
                ),
            )
            found.update({row.film_id: dict(row._mapping) for row in connection.execute(query)})
    return found


def _summary_deltas(engine: Engine, low: int, high: int) -> list[dict[str, Any]]:
    snapshots, films = SummarySnapshot.__table__, Film.__table__
    with engine.connect() as connection:
        touched = dict(
            connection.execute(
                select(films.c.id, films.c.key)
                .where(
                    films.c.id.in_(
                        select(snapshots.c.film_id).where(
                            snapshots.c.run_id > low, snapshots.c.run_id <= high
                        )
                    )
                )
                .order_by(films.c.key)
            ).all()
        )
    ids = list(touched)
    before = _latest_snapshots(engine, ids, low) if ids else {}
    after = _latest_snapshots(engine, ids, high) if ids else {}
    deltas = []
    for film_id, key in touched.items():
        old, new = before.get(film_id, {}), after.get(film_id, {})
        fields = {
            name: {"before": old.get(name), "after": new.get(name)}
            for name in SUMMARY_FIELDS
            if old.get(name) != new.get(name)
        }
        if fields:
            deltas.append({"film": key, "changes": fields})
    return deltas
