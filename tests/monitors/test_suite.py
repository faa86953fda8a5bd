"""The Spidermon suite as a crawl runs it at close: results in stats; a failure fails it."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from reviewcrawler.monitors.extension import Monitors
from reviewcrawler.monitors.suite import FAILED_STAT, PASSED_STAT, REPORT_STAT
from reviewcrawler.outcome import failure_reason
from reviewcrawler.spiders.reviews import ReviewsSpider
from tests.support.project_settings import project_settings

HEALTHY = {
    "finish_reason": "finished",
    "pages/stating_reviews": 2,
    "coverage/metacritic_legacy/reviews": 12,
    "coverage/metacritic_legacy/quote": 12,
    "coverage/metacritic_legacy/publication": 12,
    "coverage/metacritic_legacy/published_on": 12,
}
ALL = [
    "Markup drift",
    "Field coverage",
    "Errors and retries",
    "Finish reason",
    "Bans",
    "Item validation",
    "Path agreement",
]


def run_close_suite(stats: dict[str, Any]) -> Any:
    crawler = get_crawler(ReviewsSpider, project_settings())
    crawler.spider = crawler._create_spider()
    extension = Monitors.from_crawler(crawler)
    for name, value in stats.items():
        crawler.stats.set_value(name, value)
    extension._run_suites(crawler.spider, extension.spider_closed_suites)
    return crawler.stats


def test_a_healthy_crawl_passes_every_monitor() -> None:
    stats = run_close_suite(HEALTHY)
    assert stats.get_value(FAILED_STAT) == []
    assert stats.get_value(PASSED_STAT) == ALL
    assert failure_reason(stats) is None


@pytest.mark.parametrize(
    ("bad", "monitor"),
    [
        ({"pages/suspected_markup_drift": 1}, "Markup drift"),
        ({"coverage/metacritic_legacy/quote": 1}, "Field coverage"),
        ({"log_count/ERROR": 3}, "Errors and retries"),
        ({"finish_reason": "closespider_timeout"}, "Finish reason"),
        ({"bans/status/403": 1}, "Bans"),
        ({"spidermon/validation/items/errors": 1}, "Item validation"),
        ({"paths/disagree/score": 20, "paths/disagree/quote": 6}, "Path agreement"),
    ],
)
def test_each_monitor_fails_the_crawl_with_one_report(
    bad: dict[str, Any], monitor: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        stats = run_close_suite({**HEALTHY, **bad})
    assert stats.get_value(FAILED_STAT) == [monitor]
    assert failure_reason(stats) == f"monitors failed: {monitor}"
    report = stats.get_value(REPORT_STAT)
    assert report.startswith("Crawl monitors failed:\n  - " + monitor + ": ")
    assert "Traceback" not in report
    reports = [r for r in caplog.records if r.getMessage() == report]
    assert len(reports) == 1 and reports[0].levelno == logging.ERROR
