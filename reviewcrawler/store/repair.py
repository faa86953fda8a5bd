"""After a crash: the summaries of films written by runs that died are recomputed.

A crawl killed outright (SIGKILL, the OOM killer, a pulled plug) never closes, so
the summaries of the films it wrote were never recomputed, and a crawl resumed
from its JOBDIR skips their pages. Every run holds a lock while its process
lives (store/joblock.py ``run_lock_name``: a PostgreSQL session advisory lock, or
an OS lock on a file beside a SQLite database; the kernel or the server drops it
with the process). A run with no ``finished_at`` whose lock nobody holds has
died: ``repair_died_runs`` recomputes and snapshots the summaries of the films it
recorded in ``crawl_run_films`` and marks it ``died``. Every crawl does this
when it opens, and ``reviewcrawler db repair`` on demand.

Blocking: call from a worker thread or the CLI, never the reactor.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select, update

from reviewcrawler.store import run_films
from reviewcrawler.store.engine import write_transaction
from reviewcrawler.store.history import snapshot_summaries
from reviewcrawler.store.joblock import is_held, run_lock_name
from reviewcrawler.store.models import CrawlRun
from reviewcrawler.store.runs import now
from reviewcrawler.store.summaries import refresh_run_in_chunks

DIED = "died"
DIED_FAILURE = "the crawl's process ended before the crawl closed (killed, or the machine stopped)"


@dataclass(frozen=True)
class RepairedRun:
    run_id: int
    films: int


def died_runs(engine: Engine, database_url: str, *, except_run: int | None = None) -> list[int]:
    """Runs that never closed and whose process no longer lives."""
    runs = CrawlRun.__table__
    with engine.connect() as connection:
        open_runs = list(
            connection.scalars(
                select(runs.c.id)
                .where(runs.c.finished_at.is_(None))
                .where(runs.c.finish_reason.is_(None))
                .order_by(runs.c.id)
            )
        )
    return [
        run_id
        for run_id in open_runs
        if run_id != except_run and not is_held(database_url, run_lock_name(run_id))
    ]


def repair_died_runs(
    engine: Engine, database_url: str, *, except_run: int | None = None
) -> list[RepairedRun]:
    """Recompute the summaries of every died run's films, snapshot them, mark the run died."""
    repaired = []
    for run_id in died_runs(engine, database_url, except_run=except_run):
        films = sum(len(rows) for rows in refresh_run_in_chunks(engine, run_id))
        snapshot_summaries(engine, run_id, run_films.films_of(run_id))
        runs = CrawlRun.__table__
        with write_transaction(engine) as connection:
            connection.execute(
                update(runs)
                .where(runs.c.id == run_id)
                .where(runs.c.finished_at.is_(None))  # it closed after all: leave it
                .values(finish_reason=DIED, finished_at=now(), films=films, failure=DIED_FAILURE)
            )
        repaired.append(RepairedRun(run_id, films))
    return repaired
