"""Feed exports of every format keep every field of every stored review (issue 15).

Each test reads one feed of the shared folder crawl (conftest.py) and compares it
with what the crawl stored: one record per stored review, every column equal.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reviewcrawler.feeds import REVIEW_FIELDS, SUMMARY_FIELDS
from reviewcrawler.pipelines.dedupe import rank
from tests.exports.conftest import FolderCrawl
from tests.support.tables import table_rows

#: reviews columns that a feed writes under the same name.
STORED_FIELDS = (
    "fingerprint",
    "critic",
    "critic_slug",
    "publication",
    "season",
    "score",
    "original_score",
    "sentiment",
    "published_on",
    "quote",
    "review_url",
)


def as_text(value: Any) -> str:
    """A value as every format can be compared: CSV and XML write text, None as empty."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_csv(path: Path) -> list[dict[str, Any]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def read_json(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def read_jsonlines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def read_xml(path: Path) -> list[dict[str, Any]]:
    root = ElementTree.parse(path).getroot()
    return [{child.tag: child.text for child in item} for item in root]


READERS: dict[str, Callable[[Path], list[dict[str, Any]]]] = {
    "reviews.csv": read_csv,
    "reviews.json": read_json,
    "reviews.jsonl": read_jsonlines,
    "reviews.xml": read_xml,
}


def stored_reviews(crawl: FolderCrawl) -> list[dict[str, Any]]:
    films = {film["id"]: film for film in table_rows(crawl.engine, "films")}
    return [
        {**review, "film_key": films[review["film_id"]]["key"], "film": films[review["film_id"]]}
        for review in table_rows(crawl.engine, "reviews")
    ]


def test_the_crawl_read_every_page_format(folder_crawl: FolderCrawl) -> None:
    prefix = "pages/format/"
    formats = {name.removeprefix(prefix) for name in folder_crawl.stats if name.startswith(prefix)}
    assert formats == {page.parent.name for page in folder_crawl.pages}
    assert len(stored_reviews(folder_crawl)) > 20


@pytest.mark.parametrize("feed", sorted(READERS))
def test_every_stored_review_is_in_the_feed_with_every_field(
    folder_crawl: FolderCrawl, feed: str
) -> None:
    records = READERS[feed](folder_crawl.feed(feed))
    stored = stored_reviews(folder_crawl)
    # Reviews only (no summary records), every stored review among them.
    assert all(set(record) == set(REVIEW_FIELDS) for record in records)
    assert {r["fingerprint"] for r in records} == {r["fingerprint"] for r in stored}
    # A review met again on a path of higher precedence (the API after the HTML) passes
    # the dedupe and supersedes the stored row: the feed has both, the better one last.
    paths: dict[str, list[str]] = {}
    for record in records:
        paths.setdefault(record["fingerprint"], []).append(record["path"])
    for seen in paths.values():
        assert [rank(path) for path in seen] == sorted({rank(path) for path in seen}, reverse=True)
    by_fingerprint = {record["fingerprint"]: record for record in records}  # the last one
    for review in stored:
        record = by_fingerprint[review["fingerprint"]]
        assert {name: as_text(record[name]) for name in (*STORED_FIELDS, "film_key")} == {
            name: as_text(review[name]) for name in (*STORED_FIELDS, "film_key")
        }
        # The film's title and year, as far as pages read before it had stated them.
        for name in ("title", "year"):
            if as_text(record[name]):
                assert as_text(record[name]) == as_text(review["film"][name])
    titled = [record for record in records if as_text(record["title"])]
    assert len(titled) > len(records) / 2


def test_csv_header_is_every_review_field_not_the_first_records(
    folder_crawl: FolderCrawl,
) -> None:
    with folder_crawl.feed("reviews.csv").open(newline="", encoding="utf-8") as file:
        header = next(csv.reader(file))
    assert header == list(REVIEW_FIELDS)
    assert {"critic", "publication", "score", "published_on", "quote", "title", "year"} <= set(
        header
    )


def test_a_films_feed_gets_one_record_per_stated_summary(folder_crawl: FolderCrawl) -> None:
    summaries = read_csv(folder_crawl.feed("films.csv"))
    assert summaries and all(list(row) == list(SUMMARY_FIELDS) for row in summaries)
    assert read_json(folder_crawl.feed("stated.json")) and all(
        set(row) == set(SUMMARY_FIELDS) for row in read_json(folder_crawl.feed("stated.json"))
    )
    assert len(read_json(folder_crawl.feed("stated.json"))) == len(summaries)
    assert folder_crawl.stats["store/summaries_stated"] == len(summaries)
    # Films known only from reviews (an API page without its stats) state no summary.
    films = {film["key"]: film for film in table_rows(folder_crawl.engine, "films")}
    assert {row["film_key"] for row in summaries} <= set(films)
    for row in summaries:
        for name in ("title", "year"):
            if row[name]:
                assert row[name] == as_text(films[row["film_key"]][name])


def test_a_feed_naming_both_item_classes_gets_both(folder_crawl: FolderCrawl) -> None:
    rows = read_csv(folder_crawl.feed("everything.csv"))
    reviews = [row for row in rows if row["fingerprint"]]
    summaries = [row for row in rows if not row["fingerprint"]]
    only_reviews = read_csv(folder_crawl.feed("reviews.csv"))
    assert [{name: row[name] for name in REVIEW_FIELDS} for row in reviews] == only_reviews
    assert len(summaries) == len(read_csv(folder_crawl.feed("films.csv")))
    assert set(rows[0]) == set(REVIEW_FIELDS) | set(SUMMARY_FIELDS)
