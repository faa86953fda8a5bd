"""Locks held for the life of a crawl: one run of a job at a time, and "this run is alive".

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


def _lock_file(database: str, name: str) -> Path:
    return Path(f"{database}.locks") / (hashlib.sha1(name.encode()).hexdigest() + ".lock")


@contextmanager
def job_lock(database_url: str, name: str, *, remove_file: bool = False) -> Iterator[None]:
    """Hold the lock ``name`` for the body; raises JobLocked at once if it is taken.

    ``remove_file``: for SQLite, delete the lock file when done (locks named once,
    such as a run's, would otherwise leave one file each behind)."""
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
    lock_path = _lock_file(database, name)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise JobLocked(f"another run of this job is in progress: {name}") from None
        try:
            yield
        finally:
            if remove_file:
                lock_path.unlink(missing_ok=True)
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_lock_name(run_id: int) -> str:
    """The lock a crawl run holds while its process lives (store/repair.py tests it)."""
    return f"crawl run {run_id}"


def is_held(database_url: str, name: str) -> bool:
    """Whether a live process holds the lock ``name`` (taken and released at once if not)."""
    try:
        with job_lock(database_url, name, remove_file=True):
            return False
    except JobLocked:
        return True
