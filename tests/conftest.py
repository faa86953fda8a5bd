from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from reviewcrawler.store.engine import dispose_engine
from tests.support.crawl import PROJECT
from tests.support.postgres import temporary_database
from tests.support.server import FixtureServer

FIXTURES = PROJECT / "fixtures"
SAMPLE = FIXTURES / "sample"
#: The real pages beside the checkout; absent in a user's fresh clone.
REFERENCE = PROJECT.parent / "shared" / "reference"


@pytest.fixture
def sample_server() -> Iterator[FixtureServer]:
    """The bundled sample pages served from 127.0.0.1."""
    with FixtureServer(SAMPLE) as server:
        yield server


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'reviews.db'}"


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = create_engine(sqlite_url)
    yield engine
    engine.dispose()


def reference(relative: str) -> Path:
    """A real page from ../shared/reference, or skip the test when it is absent."""
    path = REFERENCE / relative
    if not path.is_file():
        pytest.skip(f"{path} is not present (no ../shared/reference beside the checkout)")
    return path


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards (skips when not configured)."""
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
