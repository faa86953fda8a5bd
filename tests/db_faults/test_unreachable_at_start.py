"""The database unreachable when the crawl starts: one line (password masked), a non-zero
exit, and not a single request sent. (A missing SQLite folder and the masked password
on a refused port are covered in tests/test_crawl_backbone.py.)"""

from __future__ import annotations

import socket
from pathlib import Path

from tests.conftest import SAMPLE
from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer


def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        return listener.getsockname()[1]  # nothing listens once closed


def crawl_against(database_url: str) -> tuple[str, int, int]:
    with FixtureServer(SAMPLE) as server:
        result = run_crawl(
            "-a", f"url={server.url('/movie/the-quiet-harbour')}", database_url=database_url
        )
        requests = sum(server.requests.values())
    return result.stderr + result.stdout, result.returncode, requests


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "ERROR" in line or "reviewcrawler:" in line]


def test_postgres_on_a_closed_port(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://crawler:n1ght-pw@127.0.0.1:{closed_port()}/reviews"
    output, status, requests = crawl_against(url)
    assert status == 2 and requests == 0
    (line,) = error_lines(output)
    assert "crawler:***@127.0.0.1" in line and "n1ght-pw" not in output
    assert "Traceback" not in output


def test_sqlite_path_that_cannot_be_a_database(tmp_path: Path) -> None:
    # A directory where the file should be: as root, the one way a path is reliably
    # unwritable (permissions do not stop root).
    database = tmp_path / "reviews.db"
    database.mkdir()
    output, status, requests = crawl_against(f"sqlite:///{database}")
    assert status == 2 and requests == 0
    (line,) = error_lines(output)
    assert str(database) in line and "unable to open database file" in line
    assert "Traceback" not in output
