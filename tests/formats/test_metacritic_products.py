"""Metacritic's three products read every way a page carries them (issue 11), as pure functions.

Fixtures are the invented pages in fixtures/formats/metacritic_2026 and
metacritic_api (written by tests/support/write_metacritic_fixtures.py), read as
their golden files' URLs; reviews are compared after normalization and the
dedupe stage's path reconciliation, i.e. as the store would receive them.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from reviewcrawler.formats import metacritic_api, parse_page
from reviewcrawler.formats.page import Page
from reviewcrawler.identity import film_identity, with_platform
from reviewcrawler.items import FilmSummaryItem, FollowUp, PageItems, ReviewItem
from reviewcrawler.monitors.checks import path_disagreements
from reviewcrawler.pipelines.dedupe import DedupePipeline
from reviewcrawler.reading import read_page
from reviewcrawler.spiders.reviews import ReviewsSpider
from tests.formats.golden import FORMAT_FIXTURES
from tests.support.metacritic_pages import component, devalue, nuxt_page_data, page

PAGES = FORMAT_FIXTURES / "metacritic_2026"
DRIFTED = sorted(PAGES.glob("*-drifted.html"))


def fixture_page(path: Path, url: str | None = None) -> Page:
    golden = json.loads(path.with_name(path.name + ".golden.json").read_text(encoding="utf-8"))
    return Page(url=url or golden["url"], text=path.read_text(encoding="utf-8"))


def stored(*pages: Page) -> tuple[dict[str, tuple[Any, ...]], dict[str, Any]]:
    """What the store would get: reviews by fingerprint, and the merged summary figures."""
    dedupe = DedupePipeline(MemoryStatsCollector(get_crawler()), memory=1000)
    reviews: dict[str, tuple[Any, ...]] = {}
    summary: dict[str, Any] = {}
    for one in pages:
        parsed = read_page(one)
        items = PageItems(
            url=one.url,
            format_name=parsed.format_name or "",
            summaries=[o for o in parsed.outputs if isinstance(o, FilmSummaryItem)],
            reviews=[o for o in parsed.outputs if isinstance(o, ReviewItem)],
        )
        dedupe.process_item(items)
        for r in items.reviews:
            reviews[r.fingerprint or ""] = (
                r.film_key,
                r.critic,
                r.publication,
                r.season,
                r.score,
                r.published_on,
                r.quote,
                r.critic_slug,
            )
        for s in items.summaries:
            for name, value in vars(s).items():
                if value is not None and name not in ("source_url", "path"):
                    summary[name] = value  # the store merges: a later non-empty value wins
    return reviews, summary


@pytest.mark.parametrize("drifted", DRIFTED, ids=lambda p: p.name)
def test_a_drifted_page_stores_the_same_reviews_and_summary(drifted: Path) -> None:
    intact = drifted.with_name(drifted.name.replace("-drifted", ""))
    reviews, summary = stored(fixture_page(intact))
    drifted_reviews, drifted_summary = stored(fixture_page(drifted))
    assert drifted_reviews and drifted_reviews == reviews
    stated = {k: v for k, v in summary.items() if k.startswith("stated_")}
    assert stated and {k: drifted_summary.get(k) for k in stated} == stated
    assert drifted_summary["film_key"] == summary["film_key"]


def test_the_drifted_page_has_lost_its_cards_and_score_card() -> None:
    parsed = parse_page(fixture_page(PAGES / "movie-critic-reviews-drifted.html"))
    reviews = [o for o in parsed.outputs if isinstance(o, ReviewItem)]
    assert {r.path for r in reviews} == {"page_data"}
    html = [o for o in parsed.outputs if isinstance(o, FilmSummaryItem) and o.path == "html"]
    assert html and html[0].stated_metascore is None


def test_movie_counts_the_score_is_based_on_beside_the_listed_count() -> None:
    _, summary = stored(fixture_page(PAGES / "movie-critic-reviews.html"))
    assert (summary["stated_critic_count"], summary["stated_listed_count"]) == (6, 7)
    assert (summary["title"], summary["year"], summary["media"]) == (
        "The Lamplighter's Daughter",
        2025,
        "movie",
    )


def test_a_title_page_whose_data_is_only_page_data_is_read() -> None:
    # Only __NUXT_DATA__ and JSON-LD: no card, no score card.
    parsed = parse_page(fixture_page(PAGES / "movie-title-page-drifted.html"))
    assert parsed.format_name == "metacritic_2026"
    paths = {o.path for o in parsed.outputs if isinstance(o, FilmSummaryItem)}
    assert paths == {"page_data", "json_ld", "html"}
    # The ProductReviewsSummary's lists overlap: their distinct reviews, once each.
    reviews = [o for o in parsed.outputs if isinstance(o, ReviewItem)]
    assert len(reviews) == len({(r.publication, r.critic) for r in reviews}) == 5


def test_user_reviews_never_become_critic_reviews() -> None:
    for path in PAGES.glob("*.html"):
        parsed = parse_page(fixture_page(path))
        critics = {o.critic for o in parsed.outputs if isinstance(o, ReviewItem)}
        assert not critics & {"reelfan_77", "nightowl"}, path.name


def test_tv_reviews_of_two_seasons_by_one_critic_are_two_reviews() -> None:
    reviews, summary = stored(fixture_page(PAGES / "tv-title-page-seasons.html"))
    assert summary["film_key"] == "metacritic:tv:harbour-watch"
    by_critic = sorted((r[1], r[3]) for r in reviews.values())
    assert by_critic == [
        ("Ada Quill", "Season 1"),
        ("Ada Quill", "Season 2"),
        ("Jon Abel", "Season 3"),
        ("Mae Okafor", "Season 2"),  # its season only in the reviewed product's title
        ("Tomas Brand", "Season 1"),
    ]
    # The cards name no season: each takes its page-data twin's, so none is stored twice.
    assert len(reviews) == 5
    assert summary["stated_metascore"] == 76  # the show's, not a season's


def test_a_season_page_is_the_show_and_states_no_figure_as_the_shows() -> None:
    url = "https://www.metacritic.com/tv/harbour-watch/season-2/"
    parsed = parse_page(fixture_page(PAGES / "tv-title-page-seasons.html", url))
    summaries = [o for o in parsed.outputs if isinstance(o, FilmSummaryItem)]
    assert {s.film_key for s in summaries} == {"metacritic:tv:harbour-watch"}
    assert all(s.stated_metascore is None and s.stated_critic_count is None for s in summaries)
    follow_ups = [o for o in parsed.outputs if isinstance(o, FollowUp)]
    assert all("/critic/shows/harbour-watch/" in f.url for f in follow_ups)


def test_a_game_is_keyed_by_its_platform_even_when_its_url_names_none() -> None:
    for url in (
        "https://www.metacritic.com/game/ember-circuit/critic-reviews/?platform=playstation-5",
        "https://www.metacritic.com/game/ember-circuit/critic-reviews/",
    ):
        reviews, summary = stored(fixture_page(PAGES / "game-critic-reviews-platform.html", url))
        assert summary["film_key"] == "metacritic:game:ember-circuit:playstation-5"
        assert (summary["media"], summary["platform"]) == ("game", "PlayStation 5")
        assert (summary["stated_critic_count"], summary["stated_listed_count"]) == (5, 6)
        assert summary["year"] == 2025
        assert len(reviews) == 6
        assert sorted(r[1] or "" for r in reviews.values()) == [
            "",
            "",
            "",
            "",
            "Kit Amsel",
            "Noor Halvorsen",
        ]  # author "" is no critic
    parsed = parse_page(fixture_page(PAGES / "game-critic-reviews-platform.html"))
    follow_ups = [o.url for o in parsed.outputs if isinstance(o, FollowUp)]
    # The platform is a path segment: the API ignores a ``platform=`` query.
    assert len(follow_ups) == 2 and not any("platform=" in u for u in follow_ups)
    assert all("/critic/games/ember-circuit/platform/playstation-5/" in u for u in follow_ups)


def test_games_api_items_carry_platform_and_uncredited_authors() -> None:
    path = FORMAT_FIXTURES / "metacritic_api" / "games-reviews-platform.json"
    reviews, summary = stored(fixture_page(path))
    assert summary["film_key"] == "metacritic:game:ember-circuit:playstation-5"
    assert summary["platform"] == "PlayStation 5"
    assert len(reviews) == 6


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.metacritic.com/movie/alba/", "metacritic:alba"),
        ("https://www.metacritic.com/tv/alba/", "metacritic:tv:alba"),
        ("https://www.metacritic.com/tv/alba/season-3/critic-reviews/", "metacritic:tv:alba"),
        ("https://www.metacritic.com/game/alba/", "metacritic:game:alba"),
        (
            "https://www.metacritic.com/game/alba/critic-reviews/?platform=pc",
            "metacritic:game:alba:pc",
        ),
        (
            "https://backend.metacritic.com/reviews/metacritic/critic/games/alba/web?platform=pc",
            "metacritic:game:alba:pc",
        ),
        (
            "https://backend.metacritic.com/reviews/metacritic/critic/shows/alba/web",
            "metacritic:tv:alba",
        ),
        (
            "https://backend.metacritic.com/reviews/metacritic/critic/movies/alba/stats/web",
            "metacritic:alba",
        ),
    ],
)
def test_a_movie_a_show_and_a_game_of_one_slug_are_three_films(url: str, key: str) -> None:
    assert film_identity(url, "metacritic").key == key


def test_with_platform_completes_only_a_platformless_game_key() -> None:
    assert (
        with_platform("metacritic:game:alba", "Xbox Series X")
        == "metacritic:game:alba:xbox-series-x"
    )
    assert with_platform("metacritic:game:alba:pc", "PlayStation 5") == "metacritic:game:alba:pc"
    assert with_platform("metacritic:alba", "PC") == "metacritic:alba"


def test_every_metacritic_url_names_its_api() -> None:
    for url, path in [
        ("https://www.metacritic.com/movie/alba/critic-reviews/", "/critic/movies/alba/"),
        ("https://www.metacritic.com/tv/alba/season-2/", "/critic/shows/alba/"),
        ("https://www.metacritic.com/game/alba/?platform=pc", "/critic/games/alba/platform/pc/"),
    ]:
        reviews, stats = metacritic_api.start_follow_ups(url, "k")
        assert path + "web?" in reviews.url and path + "stats/web?" in stats.url
        assert f"limit={metacritic_api.PAGE_SIZE}" in reviews.url
    # A game without a platform has no API of its own until its page names the platform.
    assert metacritic_api.start_follow_ups("https://www.metacritic.com/game/alba/", "k") == []
    assert metacritic_api.start_follow_ups("file:///tmp/movie/alba/index.html", "k") == []


# --- Bad page data ----------------------------------------------------------------------

CARD = {
    "quote": "A film of salt and tin.",
    "score": 70,
    "url": "https://tin.example/r",
    "date": "2025-05-01",
    "author": "Vera Lind",
    "authorSlug": "vera-lind",
    "publicationName": "Tin Review",
    "publicationSlug": "tin-review",
}
SUMMARY = {
    "score": 70,
    "reviewCount": 1,
    "positiveCount": 1,
    "neutralCount": 0,
    "negativeCount": 0,
    "sentiment": "Generally favorable",
}


def bad_page(raw_data: str | None = None, data: Any = None) -> Page:
    text = page(
        title="Tin Harbour critic reviews",
        canonical="https://www.metacritic.com/movie/tin-harbour/critic-reviews/",
        data=data,
        cards=[CARD],
        summary=SUMMARY,
        listed=1,
        raw_data=raw_data,
    )
    return Page(url="https://www.metacritic.com/movie/tin-harbour/critic-reviews/", text=text)


def _deep() -> str:
    entries: list[Any] = [{"data": 1}]
    entries += [[i + 2] for i in range(1, 3000)] + [["x"]]
    return json.dumps(entries)


GOOD = devalue(
    nuxt_page_data(
        "loadPage:movies-critic-reviews:tin-harbour:",
        [
            component("critic-reviews", "ReviewList", {"items": [CARD], "totalResults": 1}),
        ],
    )
)


@pytest.mark.parametrize(
    ("raw", "data", "stat"),
    [
        ('[{"data":1},{"components":', None, "page_data/problems/truncated"),
        ("[{data: 1}]", None, "page_data/problems/malformed"),
        ('{"not": "an array"}', None, "page_data/problems/not_devalue"),
        (_deep(), None, "page_data/problems/too_deep"),
        (
            None,
            nuxt_page_data(
                "loadPage:movies:tin-harbour:",
                [
                    component("critic-reviews", "ReviewList", "three reviews"),
                    component("critic-score-summary", "MetaScoreSummary", [1, 2]),
                ],
            ),
            "page_data/problems/wrong_type",
        ),
        (
            None,
            nuxt_page_data(
                "loadPage:movies:tin-harbour:",
                [
                    component("critic-reviews", "ReviewList", {"items": {"a": 1}}),
                ],
            ),
            "page_data/problems/wrong_type",
        ),
        (
            None,
            nuxt_page_data(
                "loadPage:movies:tin-harbour:",
                [
                    component(
                        "critic-reviews",
                        "ProductReviewsSummary",
                        {
                            "item": {"default": [CARD], "negative": [CARD]},  # a 70 among negatives
                            "totalResults": 1,
                        },
                    ),
                ],
            ),
            "page_data/problems/lists_contradict_summary",
        ),
        (
            None,
            nuxt_page_data(
                "loadPage:movies:tin-harbour:",
                [
                    component(
                        "critic-reviews",
                        "ReviewList",
                        {
                            "items": [CARD, {**CARD, "publicationName": "Other"}],
                            "totalResults": 1,
                        },
                    ),
                ],
            ),
            "page_data/problems/lists_contradict_summary",
        ),
    ],
    ids=[
        "truncated",
        "malformed",
        "not-devalue",
        "deep",
        "wrong-type",
        "items-not-a-list",
        "band-contradicts",
        "more-than-total",
    ],
)
def test_bad_page_data_is_counted_and_the_html_path_is_kept(
    raw: str | None, data: Any, stat: str
) -> None:
    parsed = read_page(bad_page(raw, data))
    assert parsed.error is None and parsed.format_name == "metacritic_2026"
    assert parsed.findings.stats[stat] >= 1
    assert any(
        stat.rsplit("/", 1)[-1].split("_")[0] in message or "page data" in message.lower()
        for _, message in parsed.findings.messages
    )
    reviews = [o for o in parsed.outputs if isinstance(o, ReviewItem)]
    assert ("Vera Lind", "Tin Review", 70) in {(r.critic, r.publication, r.score) for r in reviews}
    html = next(o for o in parsed.outputs if isinstance(o, FilmSummaryItem) and o.path == "html")
    assert (html.stated_metascore, html.stated_critic_count) == (70, 1)


def test_cyclic_page_data_resolves_once_and_is_read() -> None:
    # The product's entry refers back to the root: a cycle, walked once.
    payload = json.loads(GOOD)
    payload.append({"again": 0, "title": len(payload) + 1})
    payload.append("Tin Harbour")
    payload[1]["loop"] = len(payload) - 2
    parsed = read_page(bad_page(json.dumps(payload)))
    assert not [stat for stat in parsed.findings.stats if stat.startswith("page_data/")]
    reviews = [o for o in parsed.outputs if isinstance(o, ReviewItem)]
    assert {r.path for r in reviews} == {"page_data", "html"}


# --- Reconciling paths (pipelines/dedupe.py) -------------------------------------------


def review(path: str, score: int, quote: str = "Salt.") -> ReviewItem:
    return ReviewItem(
        film_key="metacritic:tin",
        source_url=f"http://127.0.0.1/{path}",
        fingerprint="f1",
        score=score,
        quote=quote,
        path=path,
    )


def test_a_lower_path_that_disagrees_is_counted_once_logged_once_and_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stats = MemoryStatsCollector(get_crawler())
    dedupe = DedupePipeline(stats, memory=10)
    with caplog.at_level(logging.WARNING):
        assert not dedupe.seen(review("api", 80))
        assert dedupe.seen(review("html", 70))  # lower precedence: dropped
        assert dedupe.seen(review("api", 80, "Salt."))  # the same again: a plain duplicate
    assert stats.get_value("paths/disagree/score") == 1
    (line,) = [r.getMessage() for r in caplog.records if "disagree" in r.getMessage()]
    assert "api says 80" in line and "html says 70" in line and "127.0.0.1/html" in line


def test_a_higher_path_arriving_later_supersedes() -> None:
    stats = MemoryStatsCollector(get_crawler())
    dedupe = DedupePipeline(stats, memory=10)
    assert not dedupe.seen(review("html", 70))
    assert not dedupe.seen(review("page_data", 75))  # passes through: the store keeps it
    assert dedupe.seen(review("html", 70))
    assert stats.get_value("paths/disagree/score") == 2
    assert stats.get_value("paths/superseded") == 1


def test_summaries_keep_the_higher_path_and_never_erase() -> None:
    stats = MemoryStatsCollector(get_crawler())
    dedupe = DedupePipeline(stats, memory=10)

    def summary(path: str, metascore: int, count: int) -> FilmSummaryItem:
        return FilmSummaryItem(
            film_key="metacritic:tin",
            source_url="http://127.0.0.1/",
            stated_metascore=metascore,
            stated_critic_count=count,
            path=path,
        )

    api = summary("api", 71, 57)
    html = summary("html", 70, 57)
    dedupe.reconcile_summary(api)
    dedupe.reconcile_summary(html)
    assert (html.stated_metascore, html.stated_critic_count) == (None, 57)
    later_api = summary("api", 72, 57)
    dedupe.reconcile_summary(later_api)
    assert later_api.stated_metascore == 72
    assert stats.get_value("paths/disagree/stated_metascore") == 2


def test_the_path_monitor_fails_beyond_its_setting() -> None:
    stats = {"paths/disagree/score": 3, "paths/disagree/stated_metascore": 1}
    assert path_disagreements(stats, 4) == []
    (problem,) = path_disagreements(stats, 3)
    assert "4 value(s)" in problem and "score: 3" in problem


# --- The spider's start: API first ------------------------------------------------------


def start_requests(url: str, settings: dict[str, str]) -> tuple[list[str], dict[str, Any]]:
    crawler = get_crawler(ReviewsSpider, settings)
    spider = ReviewsSpider.from_crawler(crawler, url=url)
    # The engine only answers whether to back out; the downloader is never full here.
    crawler.engine = SimpleNamespace(needs_backout=lambda: False)  # type: ignore[assignment]

    async def collect() -> list[str]:
        return [request.url async for request in spider.start()]

    return asyncio.run(collect()), crawler.stats.get_stats()


def test_start_asks_the_api_from_the_url_alone() -> None:
    urls, _ = start_requests(
        "https://www.metacritic.com/game/ember-circuit/critic-reviews/?platform=pc",
        {"METACRITIC_API_URL": "http://127.0.0.1:9/mirror"},
    )
    # Beside the critic stats, the audience's user stats (issue 28; no user reviews:
    # AUDIENCE_REVIEWS is off).
    page, reviews, stats, user_stats = urls
    assert page.startswith("https://www.metacritic.com/game/ember-circuit/")
    assert reviews.startswith("http://127.0.0.1:9/mirror/reviews/metacritic/critic/games/")
    assert "/ember-circuit/platform/pc/stats/web?" in stats and "platform=" not in stats
    assert user_stats.endswith("/reviews/metacritic/user/games/ember-circuit/platform/pc/stats/web")


def test_an_empty_api_setting_asks_nothing_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO):
        urls, stats = start_requests(
            "https://www.metacritic.com/movie/alba/", {"METACRITIC_API_URL": ""}
        )
    assert urls == ["https://www.metacritic.com/movie/alba/"]
    assert stats["follow_ups/api_off/metacritic"] == 2
    said = [r for r in caplog.records if "API is off" in r.getMessage()]
    assert len(said) == 1 and said[0].levelno == logging.INFO
