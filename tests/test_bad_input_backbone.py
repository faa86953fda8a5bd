"""Issue 2's bad input: counted and logged with the URL, never a crash or a half-written row."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.utils.test import get_crawler

from reviewcrawler.findings import Findings
from reviewcrawler.items import FilmSummaryItem, PageItems, ReviewItem
from reviewcrawler.normalize.items import RejectedReview, normalize_review
from reviewcrawler.spiders.reviews import ReviewsSpider
from tests.conftest import SAMPLE


@pytest.fixture
def spider() -> ReviewsSpider:
    crawler = get_crawler(ReviewsSpider)
    crawler.stats.open_spider()
    crawler.spider = crawler._create_spider()
    return crawler.spider


def parsed(outputs: Coroutine[Any, Any, list[object]]) -> list[object]:
    """What the spider's parse returned, with each page's items taken out of their PageItems."""
    flat: list[object] = []
    for output in asyncio.run(outputs):
        flat.extend(output if isinstance(output, PageItems) else [output])
    return flat


def respond(url: str, body: bytes, cls: type[Response] = HtmlResponse) -> Response:
    request = Request(url, meta={"film_argument": None})
    if cls is Response:
        return Response(url, body=body, request=request)
    return cls(url, body=body, encoding="utf-8", request=request)


def test_page_in_no_format_is_counted_and_logged(
    spider: ReviewsSpider, caplog: pytest.LogCaptureFixture
) -> None:
    url = "http://127.0.0.1/movie/x"
    # At DEBUG: the warning lists every unrecognised page once at close (closing_output.py).
    with caplog.at_level(logging.DEBUG):
        assert parsed(spider.parse(respond(url, b"<html><body>Hello</body></html>"))) == []
    assert spider.crawler.stats.get_value("pages/unrecognised") == 1
    assert url in caplog.text


@pytest.mark.parametrize("body", [b"", b"\x00\x01\x02\xff" * 100])
def test_empty_and_binary_pages_are_unrecognised(spider: ReviewsSpider, body: bytes) -> None:
    assert parsed(spider.parse(respond("http://127.0.0.1/x", body, Response))) == []
    assert spider.crawler.stats.get_value("pages/unrecognised") == 1


def test_truncated_pages_yield_what_they_hold(spider: ReviewsSpider) -> None:
    legacy = (SAMPLE / "movie/the-quiet-harbour/critic-reviews/index.html").read_bytes()
    cut = legacy[: legacy.index(b"Cinema Weekly") + 40]
    outputs = parsed(
        spider.parse(respond("http://127.0.0.1/movie/the-quiet-harbour/critic-reviews", cut))
    )
    reviews = [o for o in outputs if isinstance(o, ReviewItem)]
    assert [r.publication for r in reviews][-1] == "Cinema Weekly"
    assert len(reviews) == 5
    text = (SAMPLE / "lantern-keeper-2011-critic-reviews.txt").read_bytes()
    cut_text = text[: text.index(b"  4. Reviewed by")]
    outputs = parsed(spider.parse(respond("file:///tmp/lantern.txt", cut_text, TextResponse)))
    assert len([o for o in outputs if isinstance(o, ReviewItem)]) == 3
    assert isinstance(outputs[0], FilmSummaryItem) and outputs[0].stated_critic_count == 8


def normalized(spider: ReviewsSpider, item: ReviewItem) -> ReviewItem:
    """One review through the normalization rules, their findings recorded as a crawl does."""
    findings = Findings()
    try:
        return normalize_review(item, findings)
    finally:
        findings.record(spider.crawler.stats, logging.getLogger("reviewcrawler.reading"))


def test_unreadable_fields_become_none_and_are_counted(
    spider: ReviewsSpider, caplog: pytest.LogCaptureFixture
) -> None:
    url = "http://127.0.0.1/movie/x/critic-reviews"
    item = ReviewItem(
        film_key="metacritic:x",
        source_url=url,
        critic="A. Critic",
        publication="Paper",
        original_score="great!",
        published_on="Feb 30, 2019",
        quote=None,
    )
    with caplog.at_level(logging.INFO):
        result = normalized(spider, item)
    assert (result.score, result.original_score, result.published_on) == (None, "great!", None)
    stats = spider.crawler.stats
    assert stats.get_value("normalize/unreadable/score") == 1
    assert stats.get_value("normalize/unreadable/date") == 1
    assert stats.get_value("normalize/missing/quote") == 1
    assert caplog.text.count(url) >= 3


def test_review_with_nothing_in_it_is_rejected_with_a_reason(spider: ReviewsSpider) -> None:
    item = ReviewItem(film_key="metacritic:x", source_url="http://127.0.0.1/x", critic="Staff")
    with pytest.raises(RejectedReview, match="no critic, publication, score or quote"):
        normalized(spider, item)
    assert spider.crawler.stats.get_value("normalize/rejected/empty_review") == 1
