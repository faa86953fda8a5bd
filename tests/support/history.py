"""A store's history written row by row, for tests of what changed between runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine

from reviewcrawler.store.models import (
    AudienceSnapshot,
    CrawlRun,
    CrawlRunFilm,
    Film,
    Review,
    ReviewChange,
    SummarySnapshot,
)

#: Run n started at START + n days.
START = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


class History:
    """Films, runs, snapshots and reviews inserted directly, ids as given."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _insert(self, table: Any, **values: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(table.__table__.insert().values(**values))

    def film(self, film_id: int, key: str, title: str, year: int | None = 2019) -> None:
        self._insert(Film, id=film_id, key=key, title=title, year=year)

    def run(self, run_id: int) -> None:
        self._insert(
            CrawlRun,
            id=run_id,
            spider="reviews",
            arguments={},
            started_at=START + dt.timedelta(days=run_id),
            finished_at=START + dt.timedelta(days=run_id, minutes=5),
            finish_reason="finished",
        )

    def touched(self, run_id: int, film_id: int) -> None:
        self._insert(CrawlRunFilm, run_id=run_id, film_id=film_id, reviewed=True)

    def metascore(self, run_id: int, film_id: int, score: int | None) -> None:
        """The run touched the film and left its stated score at ``score``."""
        self.touched(run_id, film_id)
        self._insert(SummarySnapshot, run_id=run_id, film_id=film_id, stated_metascore=score)

    def audience(self, run_id: int, film_id: int, score: float | None, scale: int = 10) -> None:
        """The audience's snapshot (the run must have touched the film already)."""
        self._insert(
            AudienceSnapshot,
            run_id=run_id,
            film_id=film_id,
            score=score,
            scale=scale,
            score_100=None if score is None else score * 100 / scale,
            count=20,
        )

    def review(self, review_id: int, film_id: int, first_run: int, **values: Any) -> None:
        self._insert(
            Review,
            id=review_id,
            film_id=film_id,
            fingerprint=f"fp{review_id}",
            first_seen_run=first_run,
            last_seen_run=first_run,
            **{"critic": f"Critic {review_id}", "publication": "The Paper", "score": 70, **values},
        )

    def review_change(self, run_id: int, review_id: int, field: str, old: str, new: str) -> None:
        self._insert(
            ReviewChange,
            review_id=review_id,
            run_id=run_id,
            field=field,
            old_value=old,
            new_value=new,
        )
