"""The fixed malloc thresholds (memory.py) apply on glibc and can be turned off."""

from __future__ import annotations

import platform

import pytest
from scrapy.utils.test import get_crawler

from reviewcrawler.memory import FixedMallocThresholds, fix_malloc_thresholds
from reviewcrawler.spiders.reviews import ReviewsSpider
from tests.support.project_settings import project_settings

GLIBC = platform.libc_ver()[0] == "glibc"


@pytest.mark.skipif(not GLIBC, reason="mallopt is glibc's")
def test_the_crawl_fixes_the_thresholds_on_glibc() -> None:
    crawler = get_crawler(ReviewsSpider, project_settings())
    assert "reviewcrawler.memory.FixedMallocThresholds" in crawler.settings.getdict("EXTENSIONS")
    assert FixedMallocThresholds.from_crawler(crawler).applied


def test_zero_leaves_glibc_alone() -> None:
    assert not fix_malloc_thresholds(0)
    crawler = get_crawler(ReviewsSpider, project_settings(MALLOC_MMAP_THRESHOLD=0))
    assert not FixedMallocThresholds.from_crawler(crawler).applied
