"""Network faults, each against a 127.0.0.1 server that misbehaves on purpose.

Retries and timeouts are shrunk with -s settings so that every crawl takes a
couple of seconds; what is asserted is what the server saw and what was stored.
"""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

from sqlalchemy import Engine

from tests.conftest import SAMPLE
from tests.support.crawl import run_crawl
from tests.support.raw_server import Fault, RawServer
from tests.support.server import FixtureServer, Reply, Route
from tests.support.stats import crawl_stats
from tests.support.tables import table_rows

PAGE = (SAMPLE / "lantern-keeper-2011-critic-reviews.txt").read_bytes()
FILM = "film=The Lantern Keeper (2011)"
TEXT = {"Content-Type": "text/plain; charset=utf-8"}
FAST = {"RETRY_TIMES": "2", "RETRY_BACKOFF_BASE": "0.01", "DOWNLOAD_TIMEOUT": "1"}


def failing_then_ok(failures: list[Reply]) -> Route:
    """Serves each of ``failures`` once, in order, then the page."""
    remaining = list(failures)

    def route(*_: object) -> Reply:
        return remaining.pop(0) if remaining else Reply(200, PAGE, TEXT)

    return route


def crawl(url: str, sqlite_url: str, **settings: str):  # noqa: ANN201 (CompletedProcess)
    return run_crawl(
        "-a", f"url={url}", "-a", FILM, database_url=sqlite_url, settings={**FAST, **settings}
    )


def test_503_with_retry_after_in_seconds_is_waited_out(
    sqlite_url: str, sqlite_engine: Engine
) -> None:
    with FixtureServer() as server:
        server.route("/film", failing_then_ok([Reply(503, b"busy", {"Retry-After": "1"})] * 2))
        result = crawl(server.url("/film"), sqlite_url)
        assert server.requests["/film"] == 3
    assert result.returncode == 0, result.stderr
    stats = crawl_stats(result)
    assert stats["retry/retry_after_honoured"] == 2
    assert stats["retry/reason_count/503 Service Unavailable"] == 2
    assert len(table_rows(sqlite_engine, "reviews")) == 8


def test_429_with_retry_after_as_http_date_is_waited_out(
    sqlite_url: str, sqlite_engine: Engine
) -> None:
    def soon(*_: object) -> Reply:
        when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
        return Reply(429, b"slow down", {"Retry-After": format_datetime(when, usegmt=True)})

    with FixtureServer() as server:
        first = failing_then_ok([soon()])
        server.route("/film", first)
        # A rate-limited response counts as a ban: the monitor is told to allow one.
        result = crawl(server.url("/film"), sqlite_url, MONITOR_MAX_BANNED="1")
        assert server.requests["/film"] == 2
    assert result.returncode == 0, result.stderr
    stats = crawl_stats(result)
    assert stats["retry/retry_after_honoured"] == 1
    assert stats["bans/status/429"] == 1
    assert len(table_rows(sqlite_engine, "reviews")) == 8


def test_retry_after_longer_than_the_maximum_wait_gives_up_and_fails_the_crawl(
    sqlite_url: str, sqlite_engine: Engine
) -> None:
    with FixtureServer() as server:
        server.route("/film", Reply(503, b"maintenance", {"Retry-After": "3600"}))
        result = crawl(server.url("/film"), sqlite_url, RETRY_AFTER_MAX_WAIT="5")
        assert server.requests["/film"] == 1
    assert result.returncode == 1
    assert crawl_stats(result)["retry/retry_after_too_long"] == 1
    assert "asks to wait 3600 s" in result.stderr
    assert table_rows(sqlite_engine, "reviews") == []


def test_5xx_retries_a_bounded_number_of_times(sqlite_url: str, sqlite_engine: Engine) -> None:
    with FixtureServer() as server:
        server.route("/film", Reply(500, b"oops"))
        result = crawl(server.url("/film"), sqlite_url)
        assert server.requests["/film"] == 3  # the first attempt and RETRY_TIMES=2 retries
    assert result.returncode == 1  # given up: the monitors fail the crawl
    stats = crawl_stats(result)
    assert stats["retry/count"] == 2 and stats["retry/max_reached"] == 1
    assert "Errors and retries" in stats["monitors/failed"]
    assert table_rows(sqlite_engine, "reviews") == []


def test_a_transient_500_is_retried_into_success(sqlite_url: str, sqlite_engine: Engine) -> None:
    with FixtureServer() as server:
        server.route("/film", failing_then_ok([Reply(502, b""), Reply(504, b"")]))
        result = crawl(server.url("/film"), sqlite_url)
        assert server.requests["/film"] == 3
    assert result.returncode == 0, result.stderr
    assert len(table_rows(sqlite_engine, "reviews")) == 8


def raw_fault_crawl(fault: Fault, sqlite_url: str) -> tuple[int, dict]:
    with RawServer(fault) as server:
        result = crawl(server.url("/film"), sqlite_url)
        connections = server.connections
    assert result.returncode == 1, result.stderr  # given up: reported and failed
    assert "Traceback" not in result.stderr
    return connections, crawl_stats(result)


def test_connection_resets_retry_a_bounded_number_of_times(sqlite_url: str) -> None:
    connections, stats = raw_fault_crawl(Fault.RESET, sqlite_url)
    assert connections == 3
    assert stats["retry/max_reached"] == 1 and stats["pages/failed"] == 1


def test_timeouts_retry_a_bounded_number_of_times(sqlite_url: str) -> None:
    connections, stats = raw_fault_crawl(Fault.SILENT, sqlite_url)
    assert connections == 3
    assert any("Timeout" in key for key in stats if key.startswith("retry/reason_count/"))


def test_a_body_cut_short_is_retried_not_parsed(sqlite_url: str, sqlite_engine: Engine) -> None:
    connections, stats = raw_fault_crawl(Fault.TRUNCATED, sqlite_url)
    assert connections == 3
    assert "pages/format/plain_text" not in stats
    assert table_rows(sqlite_engine, "films") == []


def test_redirect_loops_and_endless_chains_end(sqlite_url: str) -> None:
    def hop(_path: str, query: dict[str, list[str]], _headers: dict[str, str]) -> Reply:
        n = int(query.get("n", ["0"])[0])
        return Reply(302, b"", {"Location": f"/chain?n={n + 1}"})

    with FixtureServer() as server:
        server.route("/loop-a", Reply(301, b"", {"Location": "/loop-b"}))
        server.route("/loop-b", Reply(301, b"", {"Location": "/loop-a"}))
        server.route("/chain", hop)
        targets = f"{server.url('/loop-a')}\n{server.url('/chain')}\n"
        urls_file = sqlite_url.removeprefix("sqlite:///") + ".targets"
        with open(urls_file, "w") as file:
            file.write(targets)
        result = run_crawl(
            "-a",
            f"urls_file={urls_file}",
            database_url=sqlite_url,
            settings={**FAST, "REDIRECT_MAX_TIMES": "4", "MONITOR_MAX_ERRORS": "10"},
        )
        chain = sum(n for path, n in server.requests.items() if path.startswith("/chain"))
        loop = server.requests["/loop-a"] + server.requests["/loop-b"]
    assert result.returncode == 0, result.stderr
    assert chain == 5  # the first request and REDIRECT_MAX_TIMES=4 redirects
    assert loop <= 5
    assert "max redirections reached" in result.stderr or "Filtered duplicate" in result.stderr


def test_oversized_bodies_are_cut_with_a_warning(sqlite_url: str, sqlite_engine: Engine) -> None:
    huge = PAGE + b"x" * 300_000
    with FixtureServer() as server:
        server.route("/film", Reply(200, huge, TEXT))
        result = crawl(server.url("/film"), sqlite_url, DOWNLOAD_MAXSIZE="100000")
    assert result.returncode == 1  # the page could not be fetched: reported
    assert "larger than download max size (100000)" in result.stderr
    stats = crawl_stats(result)
    assert stats["downloader/exception_type_count/scrapy.exceptions.DownloadCancelledError"] == 1
    assert table_rows(sqlite_engine, "reviews") == []


def test_latin1_page_labelled_utf8_and_utf8_page_without_charset_decode(
    sqlite_url: str, sqlite_engine: Engine
) -> None:
    text = PAGE.decode("utf-8")
    latin1 = text.replace("—", "-").encode("cp1252", errors="replace")
    with FixtureServer() as server:
        server.route("/latin1", Reply(200, latin1, TEXT))
        server.route("/nocharset", Reply(200, PAGE, {"Content-Type": "text/plain"}))
        for path, film in (("/latin1", "Latin"), ("/nocharset", "Plain")):
            result = run_crawl(
                "-a", f"url={server.url(path)}", "-a", f"film={film}", database_url=sqlite_url
            )
            assert result.returncode == 0, result.stderr
    critics = {(r["film_id"], r["critic"]) for r in table_rows(sqlite_engine, "reviews")}
    assert {(1, "Tomás Ferreira"), (2, "Tomás Ferreira")} <= critics
    quotes = " ".join(r["quote"] or "" for r in table_rows(sqlite_engine, "reviews"))
    assert "\ufffd" not in quotes and "Ã" not in quotes
