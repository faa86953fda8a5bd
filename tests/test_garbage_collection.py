"""The collector threshold (garbage_collection.py) applies in the crawl's process and in
its parse workers, and 0 leaves CPython's defaults."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest
from scrapy.utils.test import get_crawler

from reviewcrawler.garbage_collection import CollectorThreshold
from reviewcrawler.parse_workers import PageParser
from reviewcrawler.spiders.reviews import ReviewsSpider
from tests.support.project_settings import project_settings


@pytest.fixture(autouse=True)
def restore_threshold() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def test_the_crawl_collects_its_young_generation_less_often() -> None:
    crawler = get_crawler(ReviewsSpider, project_settings(GC_THRESHOLD=12_345))
    assert "reviewcrawler.garbage_collection.CollectorThreshold" in crawler.settings.getdict(
        "EXTENSIONS"
    )
    assert CollectorThreshold.from_crawler(crawler).applied
    assert gc.get_threshold()[0] == 12_345


def test_zero_keeps_the_defaults() -> None:
    before = gc.get_threshold()
    crawler = get_crawler(ReviewsSpider, project_settings(GC_THRESHOLD=0))
    assert not CollectorThreshold.from_crawler(crawler).applied
    assert gc.get_threshold() == before


def test_a_parse_worker_applies_the_threshold_too() -> None:
    crawler = get_crawler(ReviewsSpider, project_settings(PARSE_PROCESSES=1, GC_THRESHOLD=4_321))
    parser = PageParser.from_crawler(crawler)

    async def worker_threshold() -> tuple[int, int, int]:
        parser.start()
        assert await parser.wait_until_running()
        try:
            assert parser._executor is not None
            return await asyncio.wrap_future(parser._executor.submit(gc.get_threshold))
        finally:
            parser.stop()

    assert asyncio.run(worker_threshold())[0] == 4_321
