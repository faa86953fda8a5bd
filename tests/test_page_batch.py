"""Pages travel the pipelines whole; feed exports still write one record per review."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from typing import Any

from scrapy.http import HtmlResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from reviewcrawler.exporters import JsonLinesExporter
from reviewcrawler.items import FilmSummaryItem, FollowUp, PageItems, ReviewItem
from reviewcrawler.middlewares.page_batch import PageBatchMiddleware
from reviewcrawler.pipelines.dedupe import DedupePipeline
from reviewcrawler.pipelines.normalize import NormalizePipeline

URL = "http://127.0.0.1/movie/x/critic-reviews"


def outputs() -> list[Any]:
    return [
        FilmSummaryItem(film_key="metacritic:x", source_url=URL, stated_critic_count=3),
        ReviewItem(film_key="metacritic:x", source_url=URL, critic="A", quote="One."),
        FollowUp(url=URL + "?page=1", film_key="metacritic:x"),
        ReviewItem(film_key="metacritic:x", source_url=URL, critic="a", quote="One, again."),
        ReviewItem(film_key="metacritic:x", source_url=URL, critic="Staff"),
        ReviewItem(film_key="metacritic:x", source_url=URL, critic="B", original_score="7/10"),
    ]


async def collect(result: AsyncIterator[Any]) -> list[Any]:
    return [output async for output in result]


async def as_async(items: list[Any]) -> AsyncIterator[Any]:
    for item in items:
        yield item


def test_a_page_becomes_one_item_after_its_requests() -> None:
    response = HtmlResponse(URL, body=b"")
    batched = asyncio.run(
        collect(PageBatchMiddleware().process_spider_output(response, as_async(outputs())))
    )
    assert isinstance(batched[0], FollowUp)
    (page,) = batched[1:]
    assert isinstance(page, PageItems)
    assert (len(page.summaries), len(page.reviews)) == (1, 4)


def test_pipelines_normalize_reject_and_dedupe_inside_a_page() -> None:
    stats = MemoryStatsCollector(get_crawler())
    page = PageItems(
        URL,
        [o for o in outputs() if isinstance(o, FilmSummaryItem)],
        [o for o in outputs() if isinstance(o, ReviewItem)],
    )
    page = NormalizePipeline(stats).process_item(page)
    page = DedupePipeline(stats, memory=100).process_item(page)
    assert [(r.critic, r.score) for r in page.reviews] == [("A", None), ("B", 70)]
    assert stats.get_value("normalize/rejected/empty_review") == 1
    assert stats.get_value("dedupe/duplicates") == 1


def test_feed_export_writes_one_line_per_summary_and_review() -> None:
    page = PageItems(
        URL,
        [FilmSummaryItem(film_key="k", source_url=URL, title="X")],
        [
            ReviewItem(film_key="k", source_url=URL, critic="A"),
            ReviewItem(film_key="k", source_url=URL, critic="B"),
        ],
    )
    buffer = io.BytesIO()
    exporter = JsonLinesExporter(buffer)
    exporter.start_exporting()
    exporter.export_item(page)
    exporter.finish_exporting()
    lines = [json.loads(line) for line in buffer.getvalue().decode().splitlines()]
    assert [line.get("title") or line.get("critic") for line in lines] == ["X", "A", "B"]
