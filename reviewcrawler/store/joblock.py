"""One run of a job at a time: a lock held in the database for the life of the crawl.

A job is the spider with its arguments (the same targets file every night is the
same job). PostgreSQL holds a session advisory lock, so the lock works across
machines and is released by the server if the process dies; SQLite, which only
one machine can write anyway, uses an OS lock on a file beside the database,
which the kernel likewise releases with the process. No stale lock ever needs
clearing by hand.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from reviewcrawler.store.engine import get_engine


class JobLocked(Exception):
    """Another run of the same job holds the lock."""


def job_name(spider: str, arguments: Mapping[str, str]) -> str:
    return f"{spider} {json.dumps(dict(sorted(arguments.items())), ensure_ascii=False)}"


def _advisory_key(name: str) -> int:
    return int.from_bytes(hashlib.sha1(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def job_lock(database_url: str, name: str) -> Iterator[None]:
    """Hold the job's lock for the body; raises JobLocked at once if it is taken."""
    engine = get_engine(database_url)
    if engine.dialect.name == "postgresql":
        key = _advisory_key(name)
        with engine.connect() as connection:
            if not connection.scalar(select(func.pg_try_advisory_lock(key))):
                raise JobLocked(f"another run of this job is in progress: {name}")
            try:
                yield
            finally:
                try:
                    connection.scalar(select(func.pg_advisory_unlock(key)))
                    connection.commit()
                except SQLAlchemyError:
                    # The session is gone (database lost mid-crawl), and the server
                    # released its lock with it.
                    connection.invalidate()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield  # a private database: nothing to share
        return
    lock_path = Path(f"{database}.locks") / (hashlib.sha1(name.encode()).hexdigest() + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise JobLocked(f"another run of this job is in progress: {name}") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
