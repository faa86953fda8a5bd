"""Which records a feed gets, and how a page's items become records (reviewcrawler/feeds.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from reviewcrawler.feeds import (
    REVIEW_FIELDS,
    REVIEWS,
    SUMMARIES,
    PageFeedExporter,
    RecentFilms,
    ReviewRow,
    XmlExporter,
    feed_kinds,
    full_fields,
    page_rows,
)
from reviewcrawler.items import FilmSummaryItem, PageItems, ReviewItem
from reviewcrawler.spiders.reviews import ReviewsSpider

URL = "http://127.0.0.1/movie/x/critic-reviews"


@pytest.mark.parametrize(
    ("uri", "kinds"),
    [
        ("reviews.csv", {REVIEWS}),
        ("/tmp/out/films.csv", {SUMMARIES}),
        ("file:///tmp/summaries-2026-12-01.jsonl", {SUMMARIES}),
        ("s3://bucket/nightly/Films.json", {SUMMARIES}),
        ("stdout:", {REVIEWS}),
        ("/tmp/films/reviews.csv", {REVIEWS}),  # the file name counts, not its folder
    ],
)
def test_feed_kinds_by_file_name(uri: str, kinds: set[str]) -> None:
    assert feed_kinds(uri, ()) == kinds


def test_feed_kinds_by_item_classes() -> None:
    assert feed_kinds("films.csv", (ReviewItem,)) == {REVIEWS}
    assert feed_kinds("out.csv", (FilmSummaryItem,)) == {SUMMARIES}
    assert feed_kinds("out.csv", (ReviewItem, FilmSummaryItem)) == {REVIEWS, SUMMARIES}
    assert feed_kinds("out.csv", (PageItems,)) == set()


def test_csv_header_of_both_kinds_starts_with_the_review_fields() -> None:
    fields = full_fields(frozenset({REVIEWS, SUMMARIES}))
    assert fields[: len(REVIEW_FIELDS)] == list(REVIEW_FIELDS)
    assert len(fields) == len(set(fields)) and "stated_metascore" in fields


def page(key: str, title: str | None, year: int | None, critics: list[str]) -> PageItems:
    summaries = [FilmSummaryItem(key, URL, title=title, year=year)] if title or year else []
    return PageItems(URL, "f", summaries, [ReviewItem(key, URL, critic=c) for c in critics])


def test_review_rows_carry_their_films_title_and_year_from_earlier_pages() -> None:
    films = RecentFilms(size=2)
    rows = page_rows(page("k1", "Ash Lake", None, ["A"]), films)
    assert isinstance(rows[0], FilmSummaryItem) and isinstance(rows[1], ReviewRow)
    assert (rows[1].critic, rows[1].title, rows[1].year) == ("A", "Ash Lake", None)
    # A later page states the year; the title stays (a non-empty value wins).
    page_rows(page("k1", None, 2024, []), films)
    (row,) = page_rows(page("k1", None, None, ["B"]), films)
    assert (row.title, row.year) == ("Ash Lake", 2024)


def test_recent_films_are_bounded() -> None:
    films = RecentFilms(size=2)
    for key in ("k1", "k2", "k3"):
        page_rows(page(key, key.upper(), 2000, []), films)
    (forgotten,) = page_rows(page("k1", None, None, ["A"]), films)
    (kept,) = page_rows(page("k3", None, None, ["A"]), films)
    assert (forgotten.title, kept.title) == (None, "K3")


def test_xml_writes_no_value_as_an_empty_element() -> None:
    buffer = io.BytesIO()
    exporter = XmlExporter(buffer)
    exporter.start_exporting()
    exporter.export_item(ReviewRow("k", URL, critic="A", score=None))
    exporter.finish_exporting()
    xml = buffer.getvalue().decode()
    assert "<critic>A</critic>" in xml and "<score></score>" in xml and "None" not in xml


def test_a_record_a_feed_cannot_write_costs_that_record_only(tmp_path: Path) -> None:
    out = tmp_path / "reviews.jsonl"
    crawler = get_crawler(ReviewsSpider, {"FEEDS": {str(out): {"format": "jsonlines"}}})
    crawler.stats.open_spider()
    spider = crawler._create_spider()
    feeds = PageFeedExporter(crawler)
    feeds.open_spider(spider)
    (slot,) = feeds.slots
    slot.start_exporting()
    assert slot.exporter is not None
    write = slot.exporter.export_item

    def refuse_b(item: object) -> None:
        if getattr(item, "critic", None) == "B":
            raise ValueError("cannot serialise")
        write(item)

    slot.exporter.export_item = refuse_b  # type: ignore[method-assign]
    feeds.item_scraped(page("k1", "Ash Lake", 2020, ["A", "B", "C"]), spider)
    slot.finish_exporting()
    slot.file.close()  # type: ignore[union-attr]
    written = [json.loads(line)["critic"] for line in out.read_text().splitlines()]
    assert written == ["A", "C"]
    assert crawler.stats.get_value("feeds/records_failed/ValueError") == 1
