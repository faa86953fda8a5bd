from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from tests.support.crawl import PROJECT
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
