"""Pages travel the pipelines whole; feed exports still write one record per review."""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy.http import Request, TextResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from reviewcrawler.feeds import RecentFilms, page_rows
from reviewcrawler.items import FilmSummaryItem, PageItems, ReviewItem
from reviewcrawler.normalize.items import normalize_page
from reviewcrawler.pipelines.dedupe import DedupePipeline
from reviewcrawler.spiders.reviews import ReviewsSpider
from tests.conftest import SAMPLE

URL = "http://127.0.0.1/movie/x/critic-reviews"


def outputs() -> list[Any]:
    return [
        FilmSummaryItem(film_key="metacritic:x", source_url=URL, stated_critic_count=3),
        ReviewItem(film_key="metacritic:x", source_url=URL, critic="A", quote="One."),
        ReviewItem(film_key="metacritic:x", source_url=URL, critic="a", quote="One, again."),
        ReviewItem(film_key="metacritic:x", source_url=URL, critic="Staff"),
        ReviewItem(film_key="metacritic:x", source_url=URL, critic="B", original_score="7/10"),
    ]


def test_the_spider_yields_a_page_as_one_item_beside_its_requests() -> None:
    crawler = get_crawler(ReviewsSpider)
    crawler.stats.open_spider()
    spider = crawler._create_spider()
    path = "movie/the-quiet-harbour/critic-reviews/index.html"
    url = "http://127.0.0.1/movie/the-quiet-harbour/critic-reviews"
    response = TextResponse(url, body=(SAMPLE / path).read_bytes(), encoding="utf-8",
                            request=Request(url, meta={"film_argument": None}))  # fmt: skip
    produced = asyncio.run(spider.parse(response))
    requests = [output for output in produced if isinstance(output, Request)]
    (page,) = [output for output in produced if isinstance(output, PageItems)]
    assert [request.url for request in requests] == [url + "?page=1"]
    assert (page.format_name, len(page.summaries), len(page.reviews)) == (
        "metacritic_legacy", 1, 5,
    )  # fmt: skip


def test_normalization_rejects_and_dedupe_drops_inside_a_page() -> None:
    stats = MemoryStatsCollector(get_crawler())
    items = outputs()
    page = PageItems(
        URL,
        "metacritic_legacy",
        [o for o in items if isinstance(o, FilmSummaryItem)],
        [o for o in items if isinstance(o, ReviewItem)],
    )
    page.summaries, page.reviews, findings = normalize_page(page.summaries, page.reviews)
    for stat, value in findings.stats.items():
        stats.inc_value(stat, value)
    page = DedupePipeline(stats, memory=100).process_item(page)
    assert [(r.critic, r.score) for r in page.reviews] == [("A", None), ("B", 70)]
    assert stats.get_value("normalize/rejected/empty_review") == 1
    assert stats.get_value("dedupe/duplicates") == 1


def test_feed_export_writes_one_record_per_summary_and_review() -> None:
    page = PageItems(
        URL,
        "metacritic_legacy",
        [FilmSummaryItem(film_key="k", source_url=URL, title="X")],
        [
            ReviewItem(film_key="k", source_url=URL, critic="A"),
            ReviewItem(film_key="k", source_url=URL, critic="B"),
        ],
    )
    rows = page_rows(page, RecentFilms(size=10))
    assert [getattr(row, "critic", None) or row.title for row in rows] == ["X", "A", "B"]
