"""The Redis named by REVIEWCRAWLER_TEST_REDIS_URL, emptied of the test's keys afterwards."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from reviewcrawler.distributed import job_keys, redis_client

REDIS_ENV = "REVIEWCRAWLER_TEST_REDIS_URL"


@contextmanager
def redis_for_test(spider: str = "reviews") -> Iterator[str]:
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"{REDIS_ENV} is not set")
    client = redis_client(url)
    keys = list(job_keys(spider).values())
    client.delete(*keys)
    try:
        yield url
    finally:
        client.delete(*keys)
        client.close()
