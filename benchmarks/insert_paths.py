"""New-review inserts, two ways, run by hand: ``.venv/bin/python benchmarks/insert_paths.py``.

The store writes new reviews with ``store/upsert.insert_rows``: on SQLite one-row
``INSERT ... ON CONFLICT DO NOTHING`` compiled once and sent as multi-row VALUES
statements of plain tuples, on PostgreSQL one ``INSERT ... SELECT FROM unnest(arrays)``.
SQLAlchemy 2's own "insertmanyvalues" does a similar thing for an executemany of
``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` (multi-row VALUES, bind
processors applied). This times both over the same rows: N reviews (default
100,000) in transactions of 1,000, into fresh SQLite and (with
REVIEWCRAWLER_TEST_POSTGRES_URL) PostgreSQL databases, best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reviewcrawler.store.engine import dispose_engine, get_engine, write_transaction  # noqa: E402
from reviewcrawler.store.models import Film, Review  # noqa: E402
from reviewcrawler.store.schema import upgrade  # noqa: E402
from reviewcrawler.store.upsert import insert_for, insert_rows  # noqa: E402

BATCH = 1000


def rows(count: int, film_id: int, salt: str) -> list[dict[str, Any]]:
    return [
        {
            "critic": f"Critic {n}",
            "critic_slug": f"critic-{n}",
            "publication": f"Publication {n % 300}",
            "season": None,
            "score": n % 101,
            "original_score": str(n % 101),
            "sentiment": "positive",
            "published_on": dt.date(2024, 1, 1 + n % 28),
            "quote": f"Quote number {n}, long enough to look like one a critic wrote.",
            "review_url": f"https://pub{n % 300}.example/review/{n}",
            "film_id": film_id,
            "fingerprint": f"{salt}{n:032x}"[:40],
            "first_seen_run": 1,
            "last_seen_run": 1,
        }
        for n in range(count)
    ]


def hand_split(connection: Connection, batch: list[dict[str, Any]]) -> None:
    table = Review.__table__
    insert_rows(connection, table, batch, conflict=table.c.fingerprint)


def insertmanyvalues(connection: Connection, batch: list[dict[str, Any]]) -> None:
    table = Review.__table__
    statement = (
        insert_for(connection, table)
        .on_conflict_do_nothing(index_elements=[table.c.fingerprint])
        .returning(table.c.id)
    )
    connection.execute(statement, batch).all()


def timed(url: str, write: Callable[[Connection, list[dict[str, Any]]], None], n: int) -> float:
    engine = get_engine(url)
    upgrade(engine)
    with write_transaction(engine) as connection:
        film_id = connection.execute(
            Film.__table__.insert().values(key=f"film:{uuid.uuid4().hex}").returning(Film.id)
        ).scalar_one()
    data = rows(n, film_id, uuid.uuid4().hex[:8])
    start = time.perf_counter()
    for offset in range(0, n, BATCH):
        with write_transaction(engine) as connection:
            write(connection, data[offset : offset + BATCH])
    return time.perf_counter() - start


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / (uuid.uuid4().hex + '.db')}"


def postgres_url(server: str) -> tuple[str, Callable[[], None]]:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        dispose_engine(url)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    ways = {"hand-split (store/upsert.py)": hand_split, "insertmanyvalues": insertmanyvalues}
    with tempfile.TemporaryDirectory() as folder:
        for name, write in ways.items():
            best = min(
                timed(sqlite_url(Path(folder)), write, arguments.reviews)
                for _ in range(arguments.repeat)
            )
            print(f"SQLite      {name:30} {arguments.reviews / best:10,.0f} rows/s")
    server = os.environ.get("REVIEWCRAWLER_TEST_POSTGRES_URL")
    if not server:
        print("PostgreSQL  skipped: REVIEWCRAWLER_TEST_POSTGRES_URL is unset")
        return
    for name, write in ways.items():
        results = []
        for _ in range(arguments.repeat):
            url, drop = postgres_url(server)
            try:
                results.append(timed(url, write, arguments.reviews))
            finally:
                drop()
        print(f"PostgreSQL  {name:30} {arguments.reviews / min(results):10,.0f} rows/s")


if __name__ == "__main__":
    main()
