from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewcrawler.store.engine import dispose_engine
from tests.support.postgres import temporary_database


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with temporary_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each supported kind (PostgreSQL skipped when not configured)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
        yield url
        dispose_engine(url)
    else:
        with temporary_database() as url:
            yield url
