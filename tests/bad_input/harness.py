"""One page through what a crawl does to it, in process: decode, detect, parse, normalize, validate.

Nothing is caught on the way except the rejections the pipelines make on
purpose (DropItem, counted in stats with a reason): any other exception is a
crash and fails the test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler

from reviewcrawler.formats import detect
from reviewcrawler.formats.page import Page
from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.monitors.validation import ItemValidationPipeline
from reviewcrawler.pipelines.normalize import NormalizePipeline
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
    normalize = NormalizePipeline.from_crawler(crawler)
    validate = ItemValidationPipeline.from_crawler(crawler)
    headers = Headers({"Content-Type": content_type} if content_type else {})
    response_class = responsetypes.from_args(headers=headers, url=url, body=body)
    response = response_class(url=url, body=body, headers=headers)
    page = Page.from_response(response, None)
    fmt = detect(page)
    outcome = Outcome(format=fmt.NAME if fmt else None)
    if fmt is not None:
        for output in list(fmt.parse(page)):
            if not isinstance(output, ReviewItem | FilmSummaryItem):
                continue
            try:
                item = validate.process_item(normalize.process_item(output))
            except DropItem as exc:
                outcome.rejected.append(str(exc))
                continue
            (outcome.reviews if isinstance(item, ReviewItem) else outcome.summaries).append(item)
    outcome.stats = crawler.stats.get_stats()
    return outcome
