"""RetryAfterMiddleware in process: when it retries, how long it waits, when it gives up."""

from __future__ import annotations

import asyncio
import datetime as dt
from email.utils import format_datetime

import pytest
from scrapy import Spider
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from reviewcrawler.middlewares.retry_after import (
    DELAY_META,
    RetryAfterMiddleware,
    retry_after_seconds,
)
from tests.support.project_settings import project_settings

NOW = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)


def test_retry_after_in_seconds_and_http_date() -> None:
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds(b" 7 ") == 7
    in_90s = format_datetime(NOW + dt.timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds(in_90s, now=NOW) == 90
    past = format_datetime(NOW - dt.timedelta(hours=1), usegmt=True)
    assert retry_after_seconds(past, now=NOW) == 0


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5", "Mon, 99 Foo 2026"])
def test_unusable_retry_after_is_none(value: str | None) -> None:
    assert retry_after_seconds(value) is None


def middleware(**settings: object) -> RetryAfterMiddleware:
    crawler = get_crawler(Spider, project_settings(RETRY_TIMES=3, **settings))
    crawler.spider = crawler._create_spider("test")
    return RetryAfterMiddleware.from_crawler(crawler)


def respond(status: int, headers: dict[str, str] | None = None) -> tuple[Request, Response]:
    request = Request("http://127.0.0.1/page")
    return request, Response(request.url, status=status, headers=headers or {}, request=request)


def test_retries_back_off_exponentially_up_to_the_cap() -> None:
    mw = middleware(RETRY_BACKOFF_BASE=2, RETRY_BACKOFF_MAX=5)
    request, response = respond(500)
    delays = []
    for _ in range(3):
        retry = mw.process_response(request, response)
        assert isinstance(retry, Request)
        delays.append(retry.meta[DELAY_META])
        request = retry
        response = Response(request.url, status=500, request=request)
    assert delays == [2, 4, 5]
    # RETRY_TIMES=3: the fourth failure is given up and the response passed on.
    assert mw.process_response(request, response) is response
    assert mw.crawler.stats.get_value("retry/max_reached") == 1


def test_exceptions_back_off_too() -> None:
    mw = middleware(RETRY_BACKOFF_BASE=0.5)
    retry = mw.process_exception(Request("http://127.0.0.1/"), TimeoutError())
    assert isinstance(retry, Request) and retry.meta[DELAY_META] == 0.5


def test_retry_after_replaces_the_backoff() -> None:
    mw = middleware(RETRY_BACKOFF_BASE=1, RETRY_AFTER_MAX_WAIT=60)
    request, response = respond(429, {"Retry-After": "42"})
    retry = mw.process_response(request, response)
    assert isinstance(retry, Request) and retry.meta[DELAY_META] == 42
    assert mw.crawler.stats.get_value("retry/retry_after_honoured") == 1


def test_retry_after_beyond_the_maximum_wait_is_given_up() -> None:
    mw = middleware(RETRY_AFTER_MAX_WAIT=60)
    request, response = respond(503, {"Retry-After": "3600"})
    assert mw.process_response(request, response) is response
    assert mw.crawler.stats.get_value("retry/retry_after_too_long") == 1


def test_statuses_outside_retry_codes_pass() -> None:
    mw = middleware()
    request, response = respond(404)
    assert mw.process_response(request, response) is response


def test_the_wait_is_taken_once_before_the_download() -> None:
    mw = middleware()
    request = Request("http://127.0.0.1/", meta={DELAY_META: 0.001})
    assert asyncio.run(mw.process_request(request)) is None
    assert DELAY_META not in request.meta
