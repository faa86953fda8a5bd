"""Which changes a reader wants: since when, of which films, of which run, which kinds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table

from reviewcrawler.changes.model import KINDS
from reviewcrawler.store import run_films


class UnknownKind(ValueError):
    """A kind that is none of model.KINDS."""


@dataclass(frozen=True)
class Scope:
    #: Only runs started at or after this moment (UTC).
    since: dt.datetime | None = None
    #: Only these films.
    film_ids: frozenset[int] | None = None
    #: Only this run (an alert message is one run's changes).
    run_id: int | None = None
    #: Only these kinds (model.KINDS).
    kinds: frozenset[str] | None = None
    #: At most this many changes, the newest.
    limit: int | None = None

    def __post_init__(self) -> None:
        if self.kinds is not None and (unknown := self.kinds - set(KINDS)):
            raise UnknownKind(
                f"unknown change kind {', '.join(sorted(unknown))}; known: {', '.join(KINDS)}"
            )

    def wants(self, *kinds: str) -> bool:
        return self.kinds is None or any(kind in self.kinds for kind in kinds)

    def conditions(
        self, run_column: Any, film_column: Any, runs: Table
    ) -> Iterator[ColumnElement[bool]]:
        """What a query of changes made by ``run_column`` to ``film_column``'s films
        must add (``runs``, crawl_runs, joined on ``run_column`` when ``since`` is set)."""
        if self.run_id is not None:
            yield run_column == self.run_id
            # Through the films the run touched (an index), not a scan of every row
            # for its run column, which no index covers.
            yield film_column.in_(run_films.films_of(self.run_id))
        if self.film_ids is not None:
            yield film_column.in_(sorted(self.film_ids))
        if self.since is not None:
            yield runs.c.started_at >= self.since
