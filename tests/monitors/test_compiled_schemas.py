"""Item schemas checked where a page is read, and what the validation pipeline makes of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from reviewcrawler.formats.page import Page
from reviewcrawler.items import FilmSummaryItem, PageItems, ReviewItem
from reviewcrawler.monitors.compiled_schemas import CompiledSchemas, schema_sources
from reviewcrawler.monitors.schemas import FILM_SUMMARY_SCHEMA, REVIEW_SCHEMA
from reviewcrawler.monitors.validation import ItemValidationPipeline
from reviewcrawler.reading import read_page
from reviewcrawler.spiders.reviews import ReviewsSpider
from tests.support.project_settings import project_settings

API_PAGE = Path(__file__).parents[2] / "fixtures/formats/metacritic_api/reviews-first-page.json"


def _review(**fields: object) -> ReviewItem:
    values: dict[str, object] = {
        "film_key": "metacritic:the-quiet-harbour",
        "source_url": "https://www.metacritic.com/movie/the-quiet-harbour/critic-reviews",
        "critic": "Ada Quill",
        "publication": "The Lantern",
        "score": 80,
        "sentiment": "positive",
        "published_on": "2024-05-02",
        "quote": "Patient and warm.",
        "fingerprint": "0" * 40,
    }
    return ReviewItem(**{**values, **fields})  # type: ignore[arg-type]


def _compiled() -> CompiledSchemas:
    return CompiledSchemas(schema_sources(Settings(project_settings())))


def test_the_sources_are_the_schemas_spidermon_loads_from_the_settings() -> None:
    sources = schema_sources(Settings(project_settings()))
    assert sources == {"ReviewItem": [REVIEW_SCHEMA], "FilmSummaryItem": [FILM_SUMMARY_SCHEMA]}
    # A list applies to every item, as in Spidermon; Spidermon off checks nothing here.
    listed = Settings({"SPIDERMON_VALIDATION_SCHEMAS": [REVIEW_SCHEMA]})
    assert schema_sources(listed) == {"Item": [REVIEW_SCHEMA]}
    assert schema_sources(Settings(project_settings(SPIDERMON_ENABLED=False))) == {}
    # What a worker process receives: plain data.
    assert json.loads(json.dumps(sources)) == sources


def test_an_item_breaking_its_schema_or_without_one_does_not_pass() -> None:
    compiled = _compiled()
    assert compiled.passes([_review(), _review(quote=None)])
    assert not compiled.passes([_review(), _review(score=300)])
    assert not compiled.passes([_review(fingerprint="not a sha1")])
    assert not CompiledSchemas({}).passes([_review()])
    assert compiled.passes([])


def test_a_read_page_says_whether_its_items_met_their_schemas() -> None:
    text = API_PAGE.read_text()
    url = "https://backend.metacritic.com/reviews/metacritic/critic/movies/the-quiet-harbour/web"
    parsed = read_page(Page(url=url, text=text), (), _compiled())
    reviews = [o for o in parsed.outputs if isinstance(o, ReviewItem)]
    assert reviews and parsed.schemas_passed
    assert not read_page(Page(url=url, text=text)).schemas_passed  # no schemas given


def _pipeline() -> tuple[ItemValidationPipeline, object]:
    crawler = get_crawler(ReviewsSpider, project_settings())
    pipeline = ItemValidationPipeline.from_crawler(crawler)
    return pipeline, crawler.stats


def _page(reviews: list[ReviewItem], *, schemas_passed: bool) -> PageItems:
    summary = FilmSummaryItem(film_key=reviews[0].film_key, source_url=reviews[0].source_url)
    return PageItems(
        url=reviews[0].source_url,
        format_name="metacritic_api",
        summaries=[summary],
        reviews=reviews,
        schemas_passed=schemas_passed,
    )


def test_a_page_checked_where_it_was_read_is_counted_not_checked_again() -> None:
    pipeline, stats = _pipeline()
    page = _page([_review(), _review(critic="Bo Lind")], schemas_passed=True)
    assert pipeline.process_item(page) is page
    assert len(page.reviews) == 2
    assert stats.get_value("spidermon/validation/items") == 3  # type: ignore[attr-defined]
    fields = sum(len(vars(part)) for part in page)
    assert stats.get_value("spidermon/validation/fields") == fields  # type: ignore[attr-defined]


def test_a_page_not_marked_is_checked_item_by_item() -> None:
    pipeline, stats = _pipeline()
    page = _page([_review(), _review(score=300, critic="Bo Lind")], schemas_passed=False)
    pipeline.process_item(page)
    assert [review.critic for review in page.reviews] == ["Ada Quill"]
    assert stats.get_value("spidermon/validation/items/dropped") == 1  # type: ignore[attr-defined]
    with pytest.raises(DropItem):
        pipeline.process_item(_review(score=300))
