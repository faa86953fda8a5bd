"""Legacy (pre-2023) Metacritic product pages of games and TV shows, stored end to end.

One crawl (a subprocess into SQLite, pages served from 127.0.0.1) of a game's product
page, which links to its critic-reviews page, and of a TV season page; then the same
crawl again. The assertions read the stored rows: every field of the critic reviews,
no user review, media, platform and season, and no new rows from the second crawl.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from reviewcrawler.formats import metacritic_legacy
from reviewcrawler.formats.metacritic_legacy import Product, product_key, product_of_url
from reviewcrawler.formats.page import Page
from reviewcrawler.items import FilmSummaryItem
from tests.conftest import FIXTURES
from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer, Reply
from tests.support.tables import snapshot, table_rows

PAGES = FIXTURES / "formats" / "metacritic_legacy"
HTML = {"Content-Type": "text/html; charset=utf-8"}
GAME = "/game/playstation-5/ember-tide"
TV = "/tv/harbor-lights/season-2"
GAME_KEY = "metacritic:game:ember-tide:playstation-5"
TV_KEY = "metacritic:tv:harbor-lights"
#: What the fixtures' user reviews say: none of it may reach the store.
USER_REVIEW_TEXT = ("tidecaller", "driftwood", "lamplighter", "Not A Publication", "refunded")


@dataclass
class Stored:
    films: list[dict[str, Any]]
    reviews: list[dict[str, Any]]
    summaries: list[dict[str, Any]]
    first: dict[str, list[dict[str, Any]]]
    second: dict[str, list[dict[str, Any]]]


def _page(name: str) -> Reply:
    return Reply(200, (PAGES / name).read_bytes(), HTML)


def _crawl(targets: Path, database_url: str) -> None:
    result = run_crawl(
        "-a",
        f"urls_file={targets}",
        database_url=database_url,
        # No API: these pages predate it, and the crawl must store them from HTML alone.
        settings={"METACRITIC_API_URL": ""},
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stored]:
    folder = tmp_path_factory.mktemp("legacy-products")
    database_url = f"sqlite:///{folder / 'reviews.db'}"
    with FixtureServer() as server:
        server.route(GAME, _page("game-product-page.html"))
        server.route(f"{GAME}/critic-reviews", _page("game-critic-reviews-page.html"))
        server.route(TV, _page("tv-season-page.html"))
        # The season's critic-reviews page lists the same one review.
        server.route(f"{TV}/critic-reviews", _page("tv-season-page.html"))
        targets = folder / "targets.txt"
        targets.write_text(f"{server.url(GAME)}\n{server.url(TV)}\n", encoding="utf-8")
        engine = create_engine(database_url)
        try:
            _crawl(targets, database_url)
            first = snapshot(engine)
            _crawl(targets, database_url)
            second = snapshot(engine, ignore={"reviews": {"last_seen_run"}})
            yield Stored(
                films=table_rows(engine, "films"),
                reviews=table_rows(engine, "reviews"),
                summaries=table_rows(engine, "film_summaries", "film_id"),
                first=first,
                second=second,
            )
        finally:
            engine.dispose()


def _reviews_of(stored: Stored, key: str) -> list[dict[str, Any]]:
    (film,) = [f for f in stored.films if f["key"] == key]
    return [r for r in stored.reviews if r["film_id"] == film["id"]]


def test_game_and_show_are_films_with_media_platform_title_and_year(stored: Stored) -> None:
    films = {f["key"]: f for f in stored.films}
    assert set(films) == {GAME_KEY, TV_KEY}
    game, show = films[GAME_KEY], films[TV_KEY]
    assert (game["media"], game["platform"], game["title"], game["year"]) == (
        "game",
        "PlayStation 5",
        "Ember Tide",
        2021,
    )
    assert game["url"].endswith(GAME)
    # A season page's film is the show: its heading's "Season 2" goes on the reviews.
    assert (show["media"], show["platform"], show["title"], show["year"]) == (
        "tv",
        None,
        "Harbor Lights",
        2019,
    )
    assert show["url"].endswith("/tv/harbor-lights")


def test_no_user_review_is_stored(stored: Stored) -> None:
    for review in stored.reviews:
        text = " ".join(str(value) for value in review.values() if value is not None)
        assert not any(marker in text for marker in USER_REVIEW_TEXT), review
    # Product page (3 critic reviews) and critic-reviews page (5) overlap: 5 reviews once.
    assert len(_reviews_of(stored, GAME_KEY)) == 5
    assert len(_reviews_of(stored, TV_KEY)) == 1


def test_game_critic_reviews_every_field(stored: Stored) -> None:
    by_publication = {r["publication"]: r for r in _reviews_of(stored, GAME_KEY)}
    assert set(by_publication) == {
        "Pixel Harbor",
        "Lantern Press Games",
        "The Save Point",
        "Controller Quarterly",
        "Bitter Cartridge",
    }
    fields = ("critic", "critic_slug", "score", "original_score", "sentiment", "season")
    assert [tuple(by_publication[name][f] for f in fields) for name in sorted(by_publication)] == [
        (None, None, 35, "35", "negative", None),  # Bitter Cartridge: uncredited
        (None, None, 85, "85", "positive", None),  # Controller Quarterly: Staff (Not Credited)
        ("Ossian Reyes", "ossian-reyes", 88, "88", "positive", None),  # "by <a>..</a>"
        ("Mara Quill", "mara-quill", 90, "90", "positive", None),
        (None, None, 60, "60", "mixed", None),  # The Save Point: badge without "indiv"
    ]
    pixel = by_publication["Pixel Harbor"]
    assert str(pixel["published_on"]) == "2021-03-11"
    assert pixel["quote"] == (
        "A tide-pool of ideas that never once feels crowded — the best sailing since "
        "[the studio's] debut."
    )
    assert pixel["review_url"] == "https://pixelharbor.example/reviews/ember-tide-ps5"
    quarterly = by_publication["Controller Quarterly"]
    assert str(quarterly["published_on"]) == "2021-04-02"  # "Apr  2, 2021"
    assert quarterly["quote"] is None  # "Quotation forthcoming."
    assert quarterly["review_url"] == "https://cq.example/2021/04/ember-tide"


def test_tv_review_carries_its_season(stored: Stored) -> None:
    (review,) = _reviews_of(stored, TV_KEY)
    assert (review["critic"], review["critic_slug"], review["publication"]) == (
        "Junia Park",
        "junia-park",
        "The Night Desk",
    )
    assert (review["season"], review["score"], str(review["published_on"])) == (
        "Season 2",
        58,
        "2019-10-01",
    )
    assert review["review_url"] == "https://nightdesk.example/tv/harbor-lights-s2"


def test_stated_summaries_are_the_critics_not_the_users(stored: Stored) -> None:
    ids = {f["id"]: f["key"] for f in stored.films}
    summaries = {ids[s["film_id"]]: s for s in stored.summaries}
    game, show = summaries[GAME_KEY], summaries[TV_KEY]
    assert (game["stated_metascore"], game["stated_critic_count"]) == (84, 27)
    assert game["stated_label"] == "Generally favorable"  # page: "Generally favorable reviews"
    # The show's fixture is a season page: its figures are the season's, never stated as
    # the show's summary (the show's own page states those).
    assert (show["stated_metascore"], show["stated_critic_count"]) == (None, None)
    assert show["stated_label"] is None
    assert (game["review_count"], show["review_count"]) == (5, 1)


def test_crawling_again_adds_no_rows(stored: Stored) -> None:
    first = {
        table: [{k: v for k, v in row.items() if k != "last_seen_run"} for row in rows]
        for table, rows in stored.first.items()
    }
    assert stored.second == first


@pytest.mark.parametrize(
    ("url", "product"),
    [
        (f"https://www.metacritic.com{GAME}", Product("game", "ember-tide", "playstation-5")),
        (
            f"https://www.metacritic.com{GAME}/critic-reviews?page=1",
            Product("game", "ember-tide", "playstation-5"),
        ),
        # Today's game URLs name the platform in the query, or not at all.
        (
            "https://www.metacritic.com/game/ember-tide/critic-reviews/?platform=pc",
            Product("game", "ember-tide", "pc"),
        ),
        ("https://www.metacritic.com/game/ember-tide/", Product("game", "ember-tide")),
        ("http://127.0.0.1:8080/tv/harbor-lights", Product("tv", "harbor-lights")),
        (
            f"https://www.metacritic.com{TV}/critic-reviews",
            Product("tv", "harbor-lights", season="Season 2"),
        ),
        ("https://www.metacritic.com/movie/her", None),
        ("file:///srv/pages/game/playstation-5/ember-tide.html", None),
        ("http://[broken/game/x/y", None),
        (None, None),
    ],
)
def test_product_of_url(url: str | None, product: Product | None) -> None:
    assert product_of_url(url) == product


def test_product_keys() -> None:
    assert product_key("metacritic", Product("tv", "harbor-lights", season="Season 2")) == TV_KEY
    assert product_key("metacritic", Product("game", "ember-tide", "playstation-5")) == GAME_KEY
    # Without a platform in the URL, the page's platform (slugified) completes the key.
    assert product_key("metacritic", Product("game", "ember-tide"), "nintendo-switch") == (
        "metacritic:game:ember-tide:nintendo-switch"
    )
    assert product_key("metacritic", Product("game", "ember-tide")) == "metacritic:game:ember-tide"


def _summary_of(url: str, film_argument: str | None = None) -> FilmSummaryItem:
    page = Page(
        url=url,
        text=(PAGES / "game-product-page.html").read_text(encoding="utf-8"),
        film_argument=film_argument,
    )
    summary = next(metacritic_legacy.parse(page))
    assert isinstance(summary, FilmSummaryItem)
    return summary


def test_saved_game_page_is_known_by_its_canonical_url() -> None:
    summary = _summary_of("file:///srv/pages/ember-tide.html")
    assert (summary.film_key, summary.media, summary.platform) == (
        GAME_KEY,
        "game",
        "PlayStation 5",
    )


def test_film_argument_names_a_saved_game_page_which_stays_a_game() -> None:
    summary = _summary_of("file:///srv/pages/ember-tide.html", "Ember Tide (2021)")
    assert (summary.film_key, summary.media, summary.year) == ("film:ember-tide-2021", "game", 2021)


def test_todays_game_url_takes_the_pages_platform() -> None:
    summary = _summary_of("https://www.metacritic.com/game/ember-tide/")
    assert summary.film_key == GAME_KEY
