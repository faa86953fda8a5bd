from __future__ import annotations

from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer


def test_unreachable_redis_is_one_line_before_any_request(sqlite_url: str) -> None:
    with FixtureServer() as server:
        result = run_crawl(
            "-a", f"url={server.url('/movie/x')}",
            database_url=sqlite_url,
            settings={"REDIS_URL": "redis://:s3cret@127.0.0.1:9/0"},
        )  # fmt: skip
        assert not server.requests
    assert result.returncode == 2
    assert "Cannot reach Redis at redis://:***@127.0.0.1:9/0" in result.stderr
    assert "s3cret" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
