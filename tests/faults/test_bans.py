"""403s and bot challenges are blocks: counted, warned with the URL, never parsed as a film."""

from __future__ import annotations

import pytest
from scrapy import Spider
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine

from reviewcrawler.middlewares.bans import BanDetectionMiddleware, Banned
from tests.support.crawl import run_crawl
from tests.support.project_settings import project_settings
from tests.support.server import FixtureServer, Reply
from tests.support.stats import crawl_stats
from tests.support.tables import table_rows

CLOUDFLARE = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="360"></head><body><div class="main-wrapper">
<noscript>Enable JavaScript and cookies to continue</noscript>
<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script>
</div></body></html>"""
CAPTCHA = b"""<html><head><title>Are you a robot?</title></head><body>
<div class="critic_reviews"><form><div class="g-recaptcha" data-sitekey="x"></div></form>
</div></body></html>"""


def middleware() -> BanDetectionMiddleware:
    return BanDetectionMiddleware.from_crawler(get_crawler(Spider, project_settings()))


def html(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    request = Request("https://www.example.org/movie/x/critic-reviews")
    return HtmlResponse(request.url, status=status, body=body, headers=headers, request=request)


@pytest.mark.parametrize(
    ("response", "stat"),
    [
        (html(b"<html>Forbidden</html>", 403), "bans/status/403"),
        (html(CLOUDFLARE, 503), "bans/challenge"),
        (html(CLOUDFLARE), "bans/challenge"),
        (html(CAPTCHA), "bans/challenge"),
        (html(b"<html></html>", 200, {"cf-mitigated": "challenge"}), "bans/challenge"),
    ],
)
def test_blocks_are_recognised(response: Response, stat: str) -> None:
    mw = middleware()
    with pytest.raises(Banned):
        mw.process_response(response.request, response)
    assert mw.stats.get_value(stat) == 1


def test_rate_limits_are_counted_and_left_to_the_retries() -> None:
    mw = middleware()
    response = html(b"slow down", 429)
    assert mw.process_response(response.request, response) is response
    assert mw.stats.get_value("bans/status/429") == 1


def test_ordinary_pages_pass() -> None:
    mw = middleware()
    response = html(b"<html><p>A review mentioning a captcha, in passing.</p></html>")
    assert mw.process_response(response.request, response) is response
    assert not mw.stats.get_stats()


def test_a_blocked_crawl_stores_nothing_warns_and_fails(
    sqlite_url: str, sqlite_engine: Engine
) -> None:
    with FixtureServer() as server:
        server.route("/movie/blocked/critic-reviews", Reply(403, b"<html>Forbidden</html>"))
        server.route(
            "/movie/challenged/critic-reviews",
            Reply(200, CLOUDFLARE, {"Content-Type": "text/html; charset=utf-8"}),
        )
        urls_file = sqlite_url.removeprefix("sqlite:///") + ".targets"
        with open(urls_file, "w") as file:
            file.write(server.url("/movie/blocked/critic-reviews") + "\n")
            file.write(server.url("/movie/challenged/critic-reviews") + "\n")
        result = run_crawl("-a", f"urls_file={urls_file}", database_url=sqlite_url)
        assert server.requests["/movie/challenged/critic-reviews"] == 1  # never retried
    assert result.returncode == 1
    stats = crawl_stats(result)
    assert stats["bans/status/403"] == 1 and stats["bans/challenge"] == 1
    assert "pages/unrecognised" not in stats
    assert stats["monitors/failed"] == ["Bans"] or "Bans" in stats["monitors/failed"]
    assert "Blocked (403) at " + server.url("/movie/blocked/critic-reviews") in result.stderr
    assert "Bot challenge" in result.stderr and "/movie/challenged/" in result.stderr
    assert table_rows(sqlite_engine, "films") == []
    assert table_rows(sqlite_engine, "reviews") == []
