"""The audience's score per run: what makes its moves changes, as ``summary_snapshots``
does for the critics' stated score.

Blocking: call from a worker thread (a run's close), never the reactor.
"""

from __future__ import annotations

from sqlalchemy import Engine, literal, select

from reviewcrawler.store import run_films
from reviewcrawler.store.engine import write_transaction
from reviewcrawler.store.models import AudienceSnapshot, AudienceSummary

#: The figures copied, in ``audience_summaries`` and ``audience_snapshots`` alike.
COPIED = ("film_id", "score", "scale", "score_100", "count")


def snapshot_audience(engine: Engine, run_id: int) -> None:
    """Copy the audience summaries of the films ``run_id`` touched, as they stand now.

    One statement, the run's films a subquery the database resolves itself, so that a
    run of any number of films costs the close one round trip.
    """
    summaries, snapshots = AudienceSummary.__table__, AudienceSnapshot.__table__
    with write_transaction(engine) as connection:
        connection.execute(
            snapshots.insert().from_select(
                ["run_id", *COPIED],
                select(literal(run_id), *(summaries.c[name] for name in COPIED)).where(
                    summaries.c.film_id.in_(run_films.films_of(run_id))
                ),
            )
        )
