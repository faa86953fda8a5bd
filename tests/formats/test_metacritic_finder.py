"""The finder listing (issue 27): every item read for what it states; a bad item or page
costs only itself."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from reviewcrawler.formats.metacritic_finder import (
    ListingQuery,
    listing_url,
    parse_listing,
)
from tests.conftest import FIXTURES

URL = "http://127.0.0.1/finder/metacritic/web?mcoTypeId=13&offset=0&limit=50"


def test_a_listing_page_is_read_for_everything_it_states() -> None:
    page = parse_listing(
        (FIXTURES / "catalogue" / "finder-games-page.json").read_bytes(), URL, "game"
    )
    assert (page.total, page.answered) == (4, 4)
    ember, moss, lantern = page.titles
    assert (ember.slug, ember.title, ember.release_date, ember.genres, ember.age_rating) == (
        "ember-tide",
        "Ember Tide",
        "2026-11-20",
        "Action, Adventure",
        "E10+",
    )
    assert (ember.score, ember.listed_count, ember.positive, ember.mixed, ember.negative) == (
        85,
        93,
        83,
        7,
        0,
    )
    assert (ember.sentiment, ember.user_score, ember.media, ember.site) == (
        "Universal acclaim",
        8.8,
        "game",
        "metacritic",
    )
    # A title with nothing yet: no score, a listed count of 0.
    assert (moss.score, moss.listed_count, moss.user_score) == (None, 0, None)
    # Slugs compare lower-cased; a summary of the wrong type states nothing.
    assert (lantern.slug, lantern.score, lantern.user_score) == ("lantern-run", None, 7.0)
    assert [problem.stat for problem in page.problems] == ["catalogue/problems/no_slug"]


def test_bad_pages_cost_only_themselves() -> None:
    assert [p.stat for p in parse_listing(b'{"data": {"items": [', URL, "game").problems] == [
        "catalogue/problems/malformed"
    ]
    odd = parse_listing(b'{"data": {"totalResults": "many", "items": []}}', URL, "movie")
    assert odd.total is None and odd.titles == []
    assert [p.stat for p in odd.problems] == ["catalogue/problems/total_not_a_number"]
    assert parse_listing(b'{"errors": ["bad"]}', URL, "tv").problems[0].stat == (
        "catalogue/problems/no_data"
    )


def test_listing_urls_ask_the_largest_page_with_the_filters() -> None:
    url = listing_url(
        "http://127.0.0.1:8080/", ListingQuery("game", 2024, 2026, new_releases=True), 100
    )
    parts = urlsplit(url)
    assert parts.path == "/finder/metacritic/web"
    assert parse_qs(parts.query) == {
        "sortBy": ["-releaseDate"],
        "mcoTypeId": ["13"],
        "offset": ["100"],
        "limit": ["50"],
        "releaseYearMin": ["2024"],
        "releaseYearMax": ["2026"],
        "metaScoreMin": ["1"],
    }
    assert "mcoTypeId=2" in listing_url("http://x", ListingQuery("movie"), 0)


def test_values_that_fit_no_column_cost_only_themselves() -> None:
    long_title = {"slug": "long-one", "title": "T" * 600}
    long_slug = {"slug": "s" * 400, "title": "Fine"}
    body = json.dumps({"data": {"totalResults": 2, "items": [long_title, long_slug]}})
    page = parse_listing(body, URL, "game")
    (title,) = page.titles
    assert len(title.title or "") == 500 and (title.title or "").endswith("…")
    assert [p.stat for p in page.problems] == ["catalogue/problems/no_slug"]
