"""One page through what a crawl does to it, in process: decode, detect, parse, normalize, validate.

Nothing is caught on the way except the rejections the pipelines make on
purpose (DropItem, counted in stats with a reason): any other exception is a
crash and fails the test.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler

from reviewcrawler.formats.page import Page
from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.monitors.validation import ItemValidationPipeline
from reviewcrawler.reading import read_page
from reviewcrawler.spiders.reviews import ReviewsSpider
from tests.support.project_settings import project_settings


@dataclass
class Outcome:
    format: str | None
    summaries: list[FilmSummaryItem] = field(default_factory=list)
    reviews: list[ReviewItem] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


def process(body: bytes, url: str, content_type: str | None = None) -> Outcome:
    crawler = get_crawler(ReviewsSpider, project_settings())
    validate = ItemValidationPipeline.from_crawler(crawler)
    headers = Headers({"Content-Type": content_type} if content_type else {})
    response_class = responsetypes.from_args(headers=headers, url=url, body=body)
    response = response_class(url=url, body=body, headers=headers)
    page = Page.from_response(response, None)
    parsed = read_page(page, list(crawler.settings.getdict("MONITOR_FIELD_COVERAGE")))
    assert parsed.error is None, parsed.error  # a format that raised: a crash
    outcome = Outcome(format=parsed.format_name)
    outcome.rejected += [
        message.removeprefix("Rejected: ")
        for _, message in parsed.findings.messages
        if message.startswith("Rejected")
    ]
    parsed.findings.record(crawler.stats, logging.getLogger("reviewcrawler.reading"))
    for output in parsed.outputs:
        if not isinstance(output, ReviewItem | FilmSummaryItem):
            continue
        try:
            item = validate.process_item(output)
        except DropItem as exc:
            outcome.rejected.append(str(exc))
            continue
        (outcome.reviews if isinstance(item, ReviewItem) else outcome.summaries).append(item)
    outcome.stats = crawler.stats.get_stats()
    return outcome
