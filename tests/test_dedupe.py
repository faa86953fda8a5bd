from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from reviewcrawler.items import ReviewItem
from reviewcrawler.pipelines.dedupe import DedupePipeline


def review(fingerprint: str) -> ReviewItem:
    return ReviewItem(film_key="f", source_url="http://127.0.0.1/", fingerprint=fingerprint)


def test_repeats_are_dropped_and_memory_stays_bounded() -> None:
    stats = MemoryStatsCollector(get_crawler())
    dedupe = DedupePipeline(stats, memory=3)
    for name in "abc":
        dedupe.process_item(review(name))
    with pytest.raises(DropItem):
        dedupe.process_item(review("a"))  # seen recently, and refreshed by this sighting
    dedupe.process_item(review("d"))  # forgets b, the least recent
    assert list(dedupe.recent) == ["c", "a", "d"]
    assert dedupe.process_item(review("b")).fingerprint == "b"
    assert stats.get_value("dedupe/duplicates") == 1
