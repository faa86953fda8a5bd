"""Report throughput, run by hand: ``.venv/bin/python benchmarks/report_throughput.py``.

Builds a SQLite store of N films (default 10,000) with 50 reviews each (500,000),
two crawl runs of history (snapshots, run films, a changed and a gone review per
film), by bulk insert; then times ``reviewcrawler report --out DIR`` in its own
process and reads that process's peak RSS. Goal: 10,000 films and 500,000 reviews
in under a minute, with memory flat in the number of films (compare ``--films 2000``).
Runs ``--jobs 1`` then ``--jobs 2`` unless ``--jobs N`` (repeatable) says otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reviewcrawler.store.models import (  # noqa: E402
    CrawlRun,
    CrawlRunFilm,
    Film,
    FilmSummary,
    Review,
    ReviewChange,
    SummarySnapshot,
)
from reviewcrawler.store.schema import upgrade  # noqa: E402
from reviewcrawler.store.summaries import compute  # noqa: E402

PER_FILM = 50
BATCH = 20_000


def _band(score: int) -> str:
    return "positive" if score > 60 else "mixed" if score >= 40 else "negative"


def _score(film: int, number: int) -> int:
    return (film * 7 + number * 13) % 101


def _reviews(films: int) -> Iterator[dict]:
    review_id = 0
    for film in range(1, films + 1):
        for number in range(PER_FILM):
            review_id += 1
            score = _score(film, number)
            yield {
                "id": review_id,
                "film_id": film,
                "fingerprint": f"{film:06d}-{number:03d}",
                "critic": f"Critic {number}",
                "publication": f"Paper {number % 9}",
                "score": score,
                "original_score": str(score),
                "sentiment": _band(score),
                "published_on": dt.date(2025, 1 + number % 12, 1 + number % 28),
                "quote": f"Review {number} of film {film}: told with care & a little <wit>.",
                "review_url": f"https://paper.example/{film}/{number}",
                "first_seen_run": 1 if number < PER_FILM - 1 else 2,
                "last_seen_run": 2,
                # The first review of every film is gone in run 2.
                "gone_run": 2 if number == 0 else None,
            }


def _batched(rows: Iterator[dict]) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def build(path: Path, films: int) -> None:
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    upgrade(engine)
    started = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
    with engine.begin() as connection:
        connection.execute(
            insert(CrawlRun.__table__),
            [
                {
                    "id": run,
                    "spider": "reviews",
                    "arguments": {},
                    "started_at": started + dt.timedelta(days=run),
                    "finished_at": started + dt.timedelta(days=run, hours=1),
                    "finish_reason": "finished",
                }
                for run in (1, 2)
            ],
        )
        connection.execute(
            insert(Film.__table__),
            [
                {
                    "id": n,
                    "key": f"metacritic:bench-film-{n}",
                    "title": f"Bench Film {n}",
                    "year": 1990 + n % 35,
                    "media": "movie",
                }
                for n in range(1, films + 1)
            ],
        )
        for batch in _batched(_reviews(films)):
            connection.execute(insert(Review.__table__), batch)
        summaries, snapshots, run_films, changes = [], [], [], []
        for film in range(1, films + 1):
            scores = [_score(film, n) for n in range(1, PER_FILM)]
            row = {
                "film_id": film,
                **compute(scores, [_band(s) for s in scores], PER_FILM - 1),
                "stated_metascore": 40 + film % 50,
                "stated_label": "Generally favorable",
                "stated_critic_count": PER_FILM - 1,
                "stated_positive": 20,
                "stated_mixed": 20,
                "stated_negative": PER_FILM - 41,
            }
            summaries.append(row)
            for run in (1, 2):
                snapshots.append({**row, "run_id": run, "stated_metascore": 38 + run + film % 50})
                run_films.append(
                    {
                        "run_id": run,
                        "film_id": film,
                        "reviewed": True,
                        "reviews_new": PER_FILM - 1 if run == 1 else 1,
                        "reviews_changed": 0 if run == 1 else 1,
                    }
                )
            changes.append(
                {
                    "review_id": (film - 1) * PER_FILM + 2,
                    "run_id": 2,
                    "field": "quote",
                    "old_value": "An earlier quote.",
                    "new_value": "The quote as edited.",
                }
            )
        for table, rows in (
            (FilmSummary, summaries),
            (SummarySnapshot, snapshots),
            (CrawlRunFilm, run_films),
            (ReviewChange, changes),
        ):
            for start in range(0, len(rows), BATCH):
                connection.execute(insert(table.__table__), rows[start : start + BATCH])
    engine.dispose()


def time_report(path: Path, out: Path, jobs: int) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (all its processes) and the largest process's peak
    RSS (MB) of ``reviewcrawler report --jobs JOBS`` over the store."""
    command = [
        sys.executable,
        "-m",
        "reviewcrawler.cli",
        "report",
        "--out",
        str(out),
        "--database-url",
        f"sqlite:///{path}",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - begin
    if result.returncode != 0:
        sys.exit(result.stderr)
    print("  " + result.stdout.strip())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu, after.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--films", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, action="append", help="default: 1, then 2")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="report-bench-") as folder:
        store = Path(folder) / "bench.db"
        begin = time.perf_counter()
        build(store, arguments.films)
        print(
            f"built {arguments.films} films, {arguments.films * PER_FILM} reviews "
            f"in {time.perf_counter() - begin:.1f} s ({store.stat().st_size / 1e6:.0f} MB)"
        )
        for jobs in arguments.jobs or [1, 2]:
            out = Path(folder) / f"report-{jobs}"
            elapsed, cpu, peak = time_report(store, out, jobs)
            size = sum(f.stat().st_size for f in out.rglob("*.html"))
            print(
                f"report --jobs {jobs}: {elapsed:.1f} s, {arguments.films / elapsed:.0f} "
                f"films/s, CPU {cpu:.1f} s, peak RSS {peak:.0f} MB (largest process), "
                f"{size / 1e6:.0f} MB of HTML; load average {os.getloadavg()[0]:.1f}"
            )


if __name__ == "__main__":
    os.environ.pop("REVIEWCRAWLER_DATABASE_URL", None)
    main()
