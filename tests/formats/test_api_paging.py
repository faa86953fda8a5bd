"""Paging through the JSON APIs until every review is found, with the spider's real routing.

Each test serves an invented film from 127.0.0.1 (tests/formats/fake_sites.py)
and drives ``ReviewsSpider.parse`` in-process (tests/formats/spider_driver.py),
with ``METACRITIC_API_URL`` / ``ROTTENTOMATOES_API_URL`` pointing at the server.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from reviewcrawler.items import ReviewItem
from reviewcrawler.normalize.text import clean_critic, clean_text
from tests.formats.fake_sites import (
    HTML,
    MetacriticApi,
    RottenTomatoesApi,
    metacritic_reviews,
    page_2026,
    rt_reviews_page,
)
from tests.formats.spider_driver import Crawl, crawl
from tests.support.server import FixtureServer, Reply

SLUG = "the-copper-ruse"
FILM_KEY = f"metacritic:{SLUG}"


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as running:
        yield running


def settings(server: FixtureServer) -> dict[str, str]:
    return {"METACRITIC_API_URL": server.base_url, "ROTTENTOMATOES_API_URL": server.base_url}


def identities(reviews: list[ReviewItem]) -> set[tuple[str, str | None, str | None]]:
    """Reviews as the store tells them apart (the fingerprint rule's fields, cleaned)."""
    return {(r.film_key, clean_text(r.publication), clean_critic(r.critic)) for r in reviews}


def crawl_api(server: FixtureServer, api: MetacriticApi) -> Crawl:
    api.install(server)
    return crawl(server.url(api.reviews_path + "?offset=0&limit=10"), settings(server))


def test_57_reviews_ten_at_a_time_by_links_next(server: FixtureServer) -> None:
    api = MetacriticApi(SLUG, metacritic_reviews(57))
    result = crawl_api(server, api)
    assert len(result.reviews) == 57
    assert len(identities(result.reviews)) == 57
    assert {r.film_key for r in result.reviews} == {FILM_KEY}
    assert api.page_requests(server) == [0, 10, 20, 30, 40, 50]
    assert (
        server.requests[
            api.stats_path + "?componentName=critic-score-summary&componentType=MetaScoreSummary"
        ]
        == 1
    )
    (stated,) = [s for s in result.summaries if s.stated_critic_count is not None]
    assert (stated.stated_critic_count, stated.stated_metascore) == (57, 71)
    assert (stated.stated_positive, stated.stated_mixed, stated.stated_negative) == (40, 12, 5)
    # 5 more pages, the stats and the audience's user stats (issue 28).
    assert result.stats["follow_ups/api/metacritic"] == 7


def test_a_57_review_film_takes_four_requests_where_limit_is_honoured(
    server: FixtureServer,
) -> None:
    """The page, two API pages of up to 50 (PAGE_SIZE), the stats and the user stats:
    5 requests, not 9."""
    reviews = metacritic_reviews(57)
    api = MetacriticApi(SLUG, reviews, honours_limit=True)
    api.install(server)
    server.route(
        "/movie/the-copper-ruse/critic-reviews/",
        Reply(200, page_2026("The Copper Ruse", reviews[:10]), HTML),
    )
    result = crawl(server.url("/movie/the-copper-ruse/critic-reviews/"), settings(server))
    assert len(identities(result.reviews)) == 57
    assert api.page_requests(server) == [0, 50]
    assert len(result.fetched) == 5


def test_without_links_next_the_offset_advances_by_the_items_returned(
    server: FixtureServer,
) -> None:
    # limit=10 is asked for and ignored: 8 come back each time.
    api = MetacriticApi(SLUG, metacritic_reviews(57), served_per_page=8, next_link=lambda _: False)
    result = crawl_api(server, api)
    assert len(identities(result.reviews)) == 57
    assert api.page_requests(server) == list(range(0, 57, 8))  # stops at totalResults


def test_a_page_missing_links_next_midway(server: FixtureServer) -> None:
    api = MetacriticApi(SLUG, metacritic_reviews(57), next_link=lambda offset: offset != 20)
    result = crawl_api(server, api)
    assert len(identities(result.reviews)) == 57
    assert api.page_requests(server) == [0, 10, 20, 30, 40, 50]


def test_without_total_results_an_empty_last_page_stops_paging(server: FixtureServer) -> None:
    api = MetacriticApi(
        SLUG, metacritic_reviews(57), next_link=lambda _: False, total=lambda _: None
    )
    result = crawl_api(server, api)
    assert len(identities(result.reviews)) == 57
    assert api.page_requests(server) == [0, 10, 20, 30, 40, 50, 57]


def test_total_results_growing_between_pages(server: FixtureServer) -> None:
    # Reviews were added while the crawl paged: each page's own total counts.
    api = MetacriticApi(
        SLUG, metacritic_reviews(57), next_link=lambda _: False, total=lambda o: 45 + o // 5
    )
    result = crawl_api(server, api)
    assert len(identities(result.reviews)) == 57
    assert api.page_requests(server) == [0, 10, 20, 30, 40, 50]


def test_total_results_shrinking_between_pages(server: FixtureServer) -> None:
    # A page claims fewer reviews than the first did: paging stops there, not beyond.
    api = MetacriticApi(
        SLUG,
        metacritic_reviews(57),
        next_link=lambda _: False,
        total=lambda o: 60 if o < 30 else 40,
    )
    result = crawl_api(server, api)
    assert api.page_requests(server) == [0, 10, 20, 30]
    assert len(identities(result.reviews)) == 40


@pytest.mark.parametrize(
    "start",
    [
        "/movie/the-copper-ruse/critic-reviews/",
        "/movie/the-copper-ruse/",
        "/reviews/metacritic/critic/movies/the-copper-ruse/web",
    ],
)
def test_any_metacritic_film_url_leads_to_every_review(server: FixtureServer, start: str) -> None:
    reviews = metacritic_reviews(57)
    api = MetacriticApi(SLUG, reviews)
    api.install(server)
    server.route(
        "/movie/the-copper-ruse/critic-reviews/",
        Reply(200, page_2026("The Copper Ruse", reviews[:10]), HTML),
    )
    title_page = (
        '<html><head><script type="application/ld+json">{"@type":"Movie","name":"The Copper Ruse",'
        '"datePublished":"2025-01-10","aggregateRating":{"name":"Metascore","ratingValue":71,'
        '"reviewCount":57}}</script></head><body></body></html>'
    )
    server.route("/movie/the-copper-ruse/", Reply(200, title_page.encode(), HTML))
    result = crawl(server.url(start), settings(server))
    assert len(identities(result.reviews)) == 57
    assert {r.film_key for r in result.reviews} == {FILM_KEY}


def test_cards_and_api_items_are_the_same_reviews(server: FixtureServer) -> None:
    """The HTML cards and the API name a review alike once normalized: one fingerprint each."""
    reviews = metacritic_reviews(57)
    api = MetacriticApi(SLUG, reviews)
    api.install(server)
    server.route(
        "/movie/the-copper-ruse/critic-reviews/",
        Reply(200, page_2026("The Copper Ruse", reviews[:10]), HTML),
    )
    result = crawl(server.url("/movie/the-copper-ruse/critic-reviews/"), settings(server))
    normalized = result.reviews  # the spider hands over normalized items (reading.py)
    from_cards = [r for r in normalized if "/critic-reviews/" in r.source_url]
    from_api = [r for r in normalized if "/reviews/metacritic/" in r.source_url]
    assert len(from_cards) == 10 and len(from_api) == 57
    assert {r.fingerprint for r in from_cards} <= {r.fingerprint for r in from_api}
    assert len({r.fingerprint for r in normalized}) == 57
    by_fingerprint = {r.fingerprint: r for r in from_api}
    for card in from_cards:
        twin = by_fingerprint[card.fingerprint]
        assert (card.critic, card.publication, card.score, card.published_on, card.quote) == (
            twin.critic,
            twin.publication,
            twin.score,
            twin.published_on,
            twin.quote,
        )


def test_api_follow_ups_go_to_the_configured_base_and_other_hosts_are_refused(
    server: FixtureServer,
) -> None:
    api = MetacriticApi(SLUG, metacritic_reviews(25))
    # links.next names backend.metacritic.com; the crawl must fetch it from the server.
    result = crawl_api(server, api)
    assert all(url.startswith(server.base_url) for url in result.fetched)
    assert len(identities(result.reviews)) == 25


def test_rotten_tomatoes_cursor_paging_keeps_the_film_of_the_page(server: FixtureServer) -> None:
    ems_id = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
    RottenTomatoesApi(ems_id, count=45).install(server)
    server.route("/m/harbour_lights/reviews", Reply(200, rt_reviews_page(ems_id), HTML))
    result = crawl(server.url("/m/harbour_lights/reviews"), settings(server))
    assert {r.film_key for r in result.reviews} == {"rottentomatoes:harbour_lights"}
    assert len(identities(result.reviews)) == 45  # the card is also the API's first review
    napi = [url for url in result.fetched if "/napi/" in url]
    assert len(napi) == 3  # 20 + 20 + 5, then hasNextPage is false


def test_a_review_list_that_comes_out_empty_is_reported_as_markup_drift(
    server: FixtureServer, caplog: pytest.LogCaptureFixture
) -> None:
    score_card = (
        '<div data-testid="score-card-overview">'
        '<div class="c-siteReviewScore"><span>64</span></div></div>'
        '<div class="count">Showing 12 Critic Reviews</div>'
    )
    drifted = page_2026("Quiet Markup", [], score_card=score_card)
    server.route("/game/quiet-markup/critic-reviews/", Reply(200, drifted, HTML))
    with caplog.at_level(logging.WARNING):
        result = crawl(server.url("/game/quiet-markup/critic-reviews/"), settings(server))
    assert result.stats["pages/suspected_markup_drift"] == 1
    assert any(
        "markup drift" in record.getMessage() and "/game/quiet-markup/" in record.getMessage()
        for record in caplog.records
    )
