"""Issue 11's acceptance, end to end: ``scrapy crawl reviews`` over 127.0.0.1 for a movie,
a TV show and a game, API first, with what was stored read back from the database.

One server serves every page and API (``METACRITIC_API_URL`` points at it); the
crawls are shared by the tests of this module (module-scoped fixtures):

* ``first``: three start URLs: a movie whose HTML page 404s (only its API
  answers), a game page whose URL names no platform, a TV show's title page;
* ``again``: the same crawl, into the same database;
* ``api_off``: ``METACRITIC_API_URL=`` over the TV page and pages with bad page data.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine

from tests.formats.fake_sites import MetacriticApi, metacritic_reviews
from tests.formats.golden import FORMAT_FIXTURES
from tests.support.crawl import run_crawl
from tests.support.metacritic_pages import component, nuxt_page_data, page
from tests.support.server import FixtureServer, Reply
from tests.support.tables import table_rows

HTML = {"Content-Type": "text/html; charset=utf-8"}
PAGES = FORMAT_FIXTURES / "metacritic_2026"
API_FIXTURES = FORMAT_FIXTURES / "metacritic_api"
MOVIE = "/movie/the-copper-ruse/critic-reviews/"  # 404: only the API answers
GAME = "/game/ember-circuit/critic-reviews/"  # no ?platform=: the page names it
SHOW = "/tv/harbour-watch/"
BAD = {
    "truncated": '[{"data":1},{"components":',
    "malformed": "[{data: 1}]",
    "deep": json.dumps([{"data": 1}, *[[i + 2] for i in range(1, 3000)], ["x"]]),
    "cyclic": '[{"data":1,"again":0},{"components":2,"root":0},[3],'
    '{"meta":4,"data":0},{"componentName":5},"critic-reviews"]',
}
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
WRONG_TYPE = nuxt_page_data(
    "loadPage:movies:tin-wrong-type:",
    [component("critic-reviews", "ReviewList", "three reviews")],
)
CONTRADICTING = nuxt_page_data(
    "loadPage:movies:tin-contradicting:",
    [
        component(
            "critic-reviews",
            "ProductReviewsSummary",
            {"item": {"default": [CARD], "negative": [CARD]}, "totalResults": 1},
        )
    ],
)


def bad_page(slug: str, raw: str | None = None, data: Any = None) -> bytes:
    return page(
        title="Tin Harbour critic reviews",
        canonical=f"https://www.metacritic.com/movie/{slug}/critic-reviews/",
        data=data,
        cards=[CARD],
        summary=SUMMARY,
        listed=1,
        raw_data=raw,
    ).encode()


def api_items(name: str) -> list[dict[str, Any]]:
    return json.loads((API_FIXTURES / name).read_text(encoding="utf-8"))["data"]["items"]


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as running:
        MetacriticApi("the-copper-ruse", metacritic_reviews(57)).install(running)
        game_stats = {**_stats(83, 5, 4, 1, 0)}
        MetacriticApi(
            "ember-circuit",
            api_items("games-reviews-platform.json"),
            product="games",
            stats=game_stats,
            platform="playstation-5",
        ).install(running)
        MetacriticApi(
            "harbour-watch",
            api_items("shows-reviews-seasons.json"),
            product="shows",
            stats=_stats(76, 5, 3, 2, 0),
        ).install(running)
        for path, fixture in (
            (GAME, "game-critic-reviews-platform.html"),
            (SHOW, "tv-title-page-seasons.html"),
        ):
            running.route(path, Reply(200, (PAGES / fixture).read_bytes(), HTML))
        for name, raw in BAD.items():
            running.route(
                f"/movie/tin-{name}/critic-reviews/", Reply(200, bad_page(f"tin-{name}", raw), HTML)
            )
        running.route(
            "/movie/tin-wrong-type/critic-reviews/",
            Reply(200, bad_page("tin-wrong-type", data=WRONG_TYPE), HTML),
        )
        running.route(
            "/movie/tin-contradicting/critic-reviews/",
            Reply(200, bad_page("tin-contradicting", data=CONTRADICTING), HTML),
        )
        yield running


def _stats(score: int, count: int, positive: int, mixed: int, negative: int) -> dict[str, Any]:
    return {
        "score": score,
        "reviewCount": count,
        "positiveCount": positive,
        "neutralCount": mixed,
        "negativeCount": negative,
        "sentiment": "Generally favorable",
    }


def crawl(
    server: FixtureServer, paths: list[str], database: Path, api: str | None = None
) -> subprocess.CompletedProcess[str]:
    targets = database.with_suffix(".targets")
    targets.write_text("\n".join(server.url(p) for p in paths) + "\n", encoding="utf-8")
    return run_crawl(
        "-a",
        f"urls_file={targets}",
        database_url=f"sqlite:///{database}",
        settings={"METACRITIC_API_URL": server.base_url if api is None else api},
    )


def api_requests(server: FixtureServer) -> Counter[str]:
    return Counter({k: v for k, v in server.requests.items() if k.startswith("/reviews/")})


@pytest.fixture(scope="module")
def first(server: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    database = tmp_path_factory.mktemp("mc") / "reviews.db"
    before = api_requests(server)
    result = crawl(server, [MOVIE, GAME, SHOW], database)
    engine = create_engine(f"sqlite:///{database}")
    return {
        "result": result,
        "engine": engine,
        "database": database,
        "api": api_requests(server) - before,
    }


def films(engine: Engine) -> dict[str, dict[str, Any]]:
    return {film["key"]: film for film in table_rows(engine, "films")}


def reviews_of(engine: Engine, key: str) -> list[dict[str, Any]]:
    film_id = films(engine)[key]["id"]
    return [r for r in table_rows(engine, "reviews") if r["film_id"] == film_id]


def summary_of(engine: Engine, key: str) -> dict[str, Any]:
    film_id = films(engine)[key]["id"]
    (summary,) = [
        s for s in table_rows(engine, "film_summaries", "film_id") if s["film_id"] == film_id
    ]
    return summary


def test_a_movie_whose_page_404s_stores_every_api_review_and_the_stats(
    first: dict[str, Any],
) -> None:
    engine = first["engine"]
    assert "Traceback" not in first["result"].stderr
    stored = reviews_of(engine, "metacritic:the-copper-ruse")
    assert len(stored) == 57
    assert len({(r["publication"], r["critic"]) for r in stored}) == 57
    summary = summary_of(engine, "metacritic:the-copper-ruse")
    assert (summary["stated_critic_count"], summary["stated_metascore"]) == (57, 71)
    assert (summary["stated_positive"], summary["stated_mixed"], summary["stated_negative"]) == (
        40,
        12,
        5,
    )
    assert films(engine)["metacritic:the-copper-ruse"]["title"] == "The Copper Ruse"


def test_57_reviews_take_one_api_page_and_one_stats_request(first: dict[str, Any]) -> None:
    # limit=50 is asked for; this server serves 10 a page whatever limit says, so six
    # pages; a server honouring limit=50 would take two (see test_api_paging.py).
    # The critics' requests: the audience's user stats (issue 28) are asked beside them.
    movie = {k: v for k, v in first["api"].items() if "/critic/movies/the-copper-ruse/" in k}
    assert sum(v for k, v in movie.items() if "/stats/" in k) == 1
    assert sum(v for k, v in movie.items() if "/stats/" not in k) == 6
    assert all(v == 1 for v in movie.values())


def test_a_game_is_stored_per_platform_with_its_media(first: dict[str, Any]) -> None:
    engine = first["engine"]
    key = "metacritic:game:ember-circuit:playstation-5"
    game = films(engine)[key]
    assert (game["media"], game["platform"], game["title"], game["year"]) == (
        "game",
        "PlayStation 5",
        "Ember Circuit",
        2025,
    )
    stored = reviews_of(engine, key)
    assert len(stored) == 6  # cards, page data and API: the same six reviews
    assert sorted(r["critic"] or "" for r in stored) == [
        "",
        "",
        "",
        "",
        "Kit Amsel",
        "Noor Halvorsen",
    ]
    summary = summary_of(engine, key)
    assert (summary["stated_critic_count"], summary["stated_listed_count"]) == (5, 6)
    assert summary["stated_metascore"] == 83
    # The page named the platform, so its API was asked for that platform: as a path
    # segment, never a ``platform=`` query (silently ignored by the real API).
    games = [k for k in first["api"] if "/games/" in k]
    assert games and all("/games/ember-circuit/platform/playstation-5/" in k for k in games)
    assert not any("platform=" in k for k in games)


def test_a_tv_show_stores_each_seasons_review(first: dict[str, Any]) -> None:
    engine = first["engine"]
    show = films(engine)["metacritic:tv:harbour-watch"]
    assert (show["media"], show["platform"], show["title"]) == ("tv", None, "Harbour Watch")
    stored = reviews_of(engine, "metacritic:tv:harbour-watch")
    assert sorted((r["critic"], r["season"]) for r in stored) == [
        ("Ada Quill", "Season 1"),
        ("Ada Quill", "Season 2"),
        ("Jon Abel", "Season 3"),
        ("Mae Okafor", "Season 2"),
        ("Tomas Brand", "Season 1"),
    ]
    assert {r["critic_slug"] for r in stored} >= {"ada-quill", "jon-abel"}
    assert summary_of(engine, "metacritic:tv:harbour-watch")["stated_metascore"] == 76


def test_crawling_again_adds_no_rows(server: FixtureServer, first: dict[str, Any]) -> None:
    engine = first["engine"]
    tables = {"films": "id", "reviews": "id", "film_summaries": "film_id"}
    before = {t: table_rows(engine, t, order) for t, order in tables.items()}
    crawl(server, [MOVIE, GAME, SHOW], first["database"])
    after = {t: table_rows(engine, t, order) for t, order in tables.items()}
    assert {t: len(rows) for t, rows in after.items()} == {t: len(r) for t, r in before.items()}
    assert [r["fingerprint"] for r in after["reviews"]] == [
        r["fingerprint"] for r in before["reviews"]
    ]


@pytest.fixture(scope="module")
def api_off(server: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    database = tmp_path_factory.mktemp("off") / "reviews.db"
    paths = [
        SHOW,
        *(f"/movie/tin-{name}/critic-reviews/" for name in [*BAD, "wrong-type", "contradicting"]),
    ]
    before = api_requests(server)
    result = crawl(server, paths, database, api="")
    return {
        "result": result,
        "engine": create_engine(f"sqlite:///{database}"),
        "api": api_requests(server) - before,
    }


def test_an_empty_api_setting_makes_no_api_request_and_says_so_once(
    api_off: dict[str, Any],
) -> None:
    assert api_off["api"] == Counter()
    said = [line for line in api_off["result"].stderr.splitlines() if "API is off" in line]
    assert len(said) == 1 and "METACRITIC_API_URL" in said[0]
    # The pages are still read: the show's reviews come from its page alone.
    assert len(reviews_of(api_off["engine"], "metacritic:tv:harbour-watch")) == 5


def stat(stderr: str, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", stderr)
    return int(match.group(1)) if match else 0


def test_bad_page_data_never_crashes_is_counted_and_keeps_the_html(
    api_off: dict[str, Any],
) -> None:
    result = api_off["result"]
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr[-3000:]
    for reason in ("truncated", "malformed", "too_deep", "wrong_type", "lists_contradict_summary"):
        assert stat(result.stderr, f"page_data/problems/{reason}") >= 1, reason
    engine = api_off["engine"]
    for name in [*BAD, "wrong-type", "contradicting"]:
        key = f"metacritic:tin-{name}"
        assert [(r["critic"], r["score"]) for r in reviews_of(engine, key)] == [("Vera Lind", 70)]
        assert summary_of(engine, key)["stated_metascore"] == 70
