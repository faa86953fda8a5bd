"""Issue 28's API part, end to end: the audience's figures and reviews through Metacritic's API.

One invented game, *Ember Circuit*, on three platforms, served from 127.0.0.1 with
``METACRITIC_API_URL`` pointing at the server. PC and PlayStation 5 have user scores
that differ; Xbox Series X has no votes (``score: 0``, ``reviewCount: 0``). Each crawl
is a subprocess (tests/support/crawl.py) over the three platforms' critic-reviews
pages, and the assertions read the stored rows and the server's request log:

* ``baseline``: the audience routes answer 404, so nothing audience is stored;
* ``off``: the default crawl (``AUDIENCE_REVIEWS`` off): user stats, no user reviews;
* ``on``: ``-s AUDIENCE_REVIEWS=True``, crawled twice into one database.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, create_engine

from reviewcrawler.cli import main
from tests.formats.fake_sites import HTML, MetacriticApi, page_2026
from tests.formats.spider_driver import crawl as crawl_in_process
from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer, Reply
from tests.support.stats import crawl_stats
from tests.support.tables import table_rows

SLUG = "ember-circuit"
PAGE = f"/game/{SLUG}/critic-reviews/"
PLATFORMS = {"pc": "PC", "playstation-5": "PlayStation 5", "xbox-series-x": "Xbox Series X"}
KEYS = {slug: f"metacritic:game:{SLUG}:{slug}" for slug in PLATFORMS}
AUDIENCE_STATS = {
    "pc": {"score": 8.6, "reviewCount": 24, "positiveCount": 19, "neutralCount": 3},
    "playstation-5": {"score": 6.1, "reviewCount": 40, "positiveCount": 18, "neutralCount": 12},
    "xbox-series-x": {"score": 0, "reviewCount": 0, "positiveCount": 0, "neutralCount": 0},
}
#: User reviews served per platform: PC's take three pages of 50 (limit 50 asked for).
AUDIENCE_COUNTS = {"pc": 113, "playstation-5": 7, "xbox-series-x": 0}
CRITIC_STATS = {
    "pc": (81, 4, 3, 1, 0),
    "playstation-5": (77, 5, 3, 2, 0),
    "xbox-series-x": (70, 3, 2, 1, 0),
}


def critic_items(platform: str, count: int) -> list[dict[str, Any]]:
    """Critic reviews of the game on one platform, each naming its platform."""
    name = PLATFORMS[platform]
    return [
        {
            "quote": f"On {name}, outlet {n} calls it {('taut', 'slick', 'thin')[n % 3]}.",
            "score": 90 - 3 * n,
            "url": f"https://outlet{n}.example/{platform}",
            # Dated most of the time: a crawl's date coverage is judged (monitors).
            "date": None if n == 2 else f"2025-11-{10 + n:02d}",
            "author": "" if n % 2 else f"Reviewer {platform} {n}",
            "authorSlug": None,
            "publicationName": f"Outlet {n}",
            "publicationSlug": f"outlet-{n}",
            "reviewedProduct": {
                "title": "Ember Circuit",
                "url": f"/game/{SLUG}/",
                "platform": {"id": n, "name": name},
            },
            "platform": name,
        }
        for n in range(count)
    ]


def audience_items(platform: str, count: int) -> list[dict[str, Any]]:
    """User reviews: ids (one missing, on PlayStation 5), scores 0-10, spoilers."""
    items = [
        {
            "id": f"{n:08x}-0000-4000-8000-{list(PLATFORMS).index(platform):012d}",
            "quote": f"Player {n} on {PLATFORMS[platform]}: {('fun', 'grindy', 'pretty')[n % 3]}.",
            "score": n % 11,
            "author": f"player_{platform}_{n}",
            "date": f"2025-12-{1 + n % 28:02d}",
            "spoiler": n % 5 == 0,
        }
        for n in range(count)
    ]
    if platform == "playstation-5":
        items[3]["id"] = None  # identified by a hash of film, author, date and quote
    return items


def _apis(platform: str) -> MetacriticApi:
    score, count, positive, mixed, negative = CRITIC_STATS[platform]
    stats = AUDIENCE_STATS[platform]
    return MetacriticApi(
        SLUG,
        critic_items(platform, count),
        product="games",
        platform=platform,
        stats={
            "score": score,
            "reviewCount": count,
            "positiveCount": positive,
            "neutralCount": mixed,
            "negativeCount": negative,
            "sentiment": "Generally favorable",
        },
        audience_stats={
            "max": 10,
            **stats,
            "negativeCount": stats["reviewCount"] - stats["positiveCount"] - stats["neutralCount"],
        },
        audience_reviews=audience_items(platform, AUDIENCE_COUNTS[platform]),
    )


def serve(server: FixtureServer, audience: bool = True) -> dict[str, MetacriticApi]:
    apis = {platform: _apis(platform) for platform in PLATFORMS}
    for api in apis.values():
        api.install(server)
        if not audience:
            server.route(api.audience_stats_path, Reply(404, b"not found"))
            server.route(api.audience_reviews_path, Reply(404, b"not found"))
    server.route(PAGE, Reply(200, page_2026("Ember Circuit", []), HTML))
    return apis


def crawl(
    server: FixtureServer, database: Path, settings: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    targets = database.with_suffix(".targets")
    urls = [server.url(f"{PAGE}?platform={platform}") for platform in PLATFORMS]
    targets.write_text("\n".join(urls) + "\n", encoding="utf-8")
    result = run_crawl(
        "-a",
        f"urls_file={targets}",
        database_url=f"sqlite:///{database}",
        settings={"METACRITIC_API_URL": server.base_url, **(settings or {})},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def api_requests(server: FixtureServer) -> Counter[str]:
    return Counter({k: v for k, v in server.requests.items() if k.startswith("/reviews/")})


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as running:
        serve(running)
        yield running


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with FixtureServer() as running:
        serve(running, audience=False)
        database = tmp_path_factory.mktemp("baseline") / "reviews.db"
        result = crawl(running, database)
    return {"engine": create_engine(f"sqlite:///{database}"), "stats": crawl_stats(result)}


@pytest.fixture(scope="module")
def off(server: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    database = tmp_path_factory.mktemp("off") / "reviews.db"
    before = api_requests(server)
    result = crawl(server, database)
    return {
        "engine": create_engine(f"sqlite:///{database}"),
        "api": api_requests(server) - before,
        "stats": crawl_stats(result),
    }


@pytest.fixture(scope="module")
def on(server: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    database = tmp_path_factory.mktemp("on") / "reviews.db"
    engine = create_engine(f"sqlite:///{database}")
    before = api_requests(server)
    first = crawl(server, database, {"AUDIENCE_REVIEWS": "True"})
    requests = api_requests(server) - before
    stored_first = table_rows(engine, "audience_reviews")
    second = crawl(server, database, {"AUDIENCE_REVIEWS": "True"})
    return {
        "database_url": f"sqlite:///{database}",
        "engine": engine,
        "api": requests,
        "first": crawl_stats(first),
        "second": crawl_stats(second),
        "stored_first": stored_first,
    }


def film_ids(engine: Engine) -> dict[str, int]:
    return {film["key"]: film["id"] for film in table_rows(engine, "films")}


def audience_by_key(engine: Engine) -> dict[str, dict[str, Any]]:
    keys = {film_id: key for key, film_id in film_ids(engine).items()}
    return {
        keys[row["film_id"]]: row for row in table_rows(engine, "audience_summaries", "film_id")
    }


def critic_rows(engine: Engine) -> dict[str, Any]:
    """Reviews and critic summaries by film key, without ids and run bookkeeping."""
    keys = {film_id: key for key, film_id in film_ids(engine).items()}
    moving = {"id", "film_id", "first_seen_run", "last_seen_run", "updated_at", "computed_at"}
    reviews = sorted(
        (keys[r["film_id"]], *sorted((k, str(v)) for k, v in r.items() if k not in moving))
        for r in table_rows(engine, "reviews")
    )
    summaries = {
        keys[s["film_id"]]: {k: v for k, v in s.items() if k not in moving}
        for s in table_rows(engine, "film_summaries", "film_id")
    }
    return {"reviews": reviews, "summaries": summaries}


# --- (a) user stats per platform ------------------------------------------------------


def test_each_platform_stores_its_own_user_score_and_no_votes_is_no_score(
    off: dict[str, Any],
) -> None:
    stored = audience_by_key(off["engine"])
    assert set(stored) == set(KEYS.values())
    pc, ps5, xbox = (stored[KEYS[p]] for p in PLATFORMS)
    assert (pc["score"], pc["scale"], pc["count"]) == (8.6, 10, 24)
    assert (pc["positive"], pc["mixed"], pc["negative"]) == (19, 3, 2)
    assert (ps5["score"], ps5["count"]) == (6.1, 40)
    assert pc["score_100"] == 86.0 and ps5["path"] == "api"
    # score 0 of 0 votes: no score, not a score of 0.
    assert (xbox["score"], xbox["score_100"], xbox["count"]) == (None, None, 0)


def test_audience_requests_change_no_critic_row(
    off: dict[str, Any], baseline: dict[str, Any]
) -> None:
    assert table_rows(baseline["engine"], "audience_summaries", "film_id") == []
    assert baseline["stats"]["pages/failed_audience"] == 3  # counted apart, not a failure
    assert "pages/failed" not in baseline["stats"]
    with_audience, without = critic_rows(off["engine"]), critic_rows(baseline["engine"])
    assert with_audience == without
    summaries = with_audience["summaries"]
    assert [summaries[KEYS[p]]["stated_metascore"] for p in PLATFORMS] == [81, 77, 70]
    assert [summaries[KEYS[p]]["stated_critic_count"] for p in PLATFORMS] == [4, 5, 3]
    assert len(with_audience["reviews"]) == 4 + 5 + 3


# --- (c) AUDIENCE_REVIEWS off ---------------------------------------------------------


def test_with_audience_reviews_off_no_user_review_list_is_asked(off: dict[str, Any]) -> None:
    user = [path for path in off["api"] if "/reviews/metacritic/user/" in path]
    assert sorted(path.split("?")[0] for path in user) == sorted(
        f"/reviews/metacritic/user/games/{SLUG}/platform/{p}/stats/web" for p in PLATFORMS
    )
    assert table_rows(off["engine"], "audience_reviews") == []


# --- (d) a game's platform is a path segment ------------------------------------------


@pytest.mark.parametrize("crawl_name", ["off", "on"])
def test_every_game_request_names_its_platform_as_a_path_segment(
    crawl_name: str, request: pytest.FixtureRequest
) -> None:
    asked = request.getfixturevalue(crawl_name)["api"]
    games = [path for path in asked if "/games/" in path]
    assert games
    assert not any("platform=" in path for path in games)
    for platform in PLATFORMS:
        mine = [path for path in games if f"/games/{SLUG}/platform/{platform}/" in path]
        kinds = {(p.split("/")[3], p.split("?")[0].endswith("/stats/web")) for p in mine}
        expected = {("critic", False), ("critic", True), ("user", True)}
        if crawl_name == "on" and AUDIENCE_COUNTS[platform]:
            expected.add(("user", False))
        assert kinds >= expected, platform
    assert sum(1 for path in games if "/platform/" not in path) == 0


# --- (b) AUDIENCE_REVIEWS on ----------------------------------------------------------


def test_every_user_review_is_stored_once(on: dict[str, Any]) -> None:
    engine = on["engine"]
    ids = film_ids(engine)
    stored = on["stored_first"]
    assert len(stored) == sum(AUDIENCE_COUNTS.values())
    for platform, count in AUDIENCE_COUNTS.items():
        served = audience_items(platform, count)
        mine = [row for row in stored if row["film_id"] == ids[KEYS[platform]]]
        assert sorted(r["author"] for r in mine) == sorted(i["author"] for i in served)
        assert {r["review_id"] for r in mine} >= {i["id"] for i in served if i["id"]}
    by_author = {row["author"]: row for row in stored}
    spoiler = by_author["player_pc_10"]
    assert (spoiler["score"], spoiler["spoiler"], str(spoiler["published_on"])) == (
        10.0,
        True,
        "2025-12-11",
    )
    derived = by_author["player_playstation-5_3"]["review_id"]
    assert len(derived) == 40 and "-" not in derived  # a sha1, no UUID
    # PC's 113 reviews at 50 a page: offsets 0, 50 and 100, each asked once.
    pc_pages = sorted(
        path
        for path in on["api"]
        if path.startswith(f"/reviews/metacritic/user/games/{SLUG}/platform/pc/web?")
    )
    assert [p.split("offset=")[1].split("&")[0] for p in pc_pages] == ["0", "100", "50"]
    assert on["first"]["store/audience_reviews_new"] == sum(AUDIENCE_COUNTS.values())


def test_a_second_crawl_adds_no_user_review(on: dict[str, Any]) -> None:
    again = table_rows(on["engine"], "audience_reviews")
    assert [r["review_id"] for r in again] == [r["review_id"] for r in on["stored_first"]]
    assert "store/audience_reviews_new" not in on["second"]
    assert on["second"]["store/audience_reviews_unchanged"] == len(again)
    runs = {r["first_seen_run"] for r in again}, {r["last_seen_run"] for r in again}
    assert runs == ({on["first"]["store/run_id"]}, {on["second"]["store/run_id"]})


def test_user_reviews_never_become_critic_reviews(on: dict[str, Any]) -> None:
    engine = on["engine"]
    reviews = table_rows(engine, "reviews")
    assert len(reviews) == 4 + 5 + 3
    authors = {r["author"] for r in table_rows(engine, "audience_reviews")}
    assert not authors & {r["critic"] for r in reviews}
    assert not any((r["quote"] or "").startswith("Player ") for r in reviews)
    listed = CliRunner().invoke(
        main, ["critics", "--json", "--database-url", on["database_url"]], catch_exceptions=False
    )
    assert listed.exit_code == 0, listed.output
    assert "player_" not in listed.output
    assert any("Reviewer" in json.dumps(c) for c in json.loads(listed.output))


# --- Trust the item, not the request --------------------------------------------------


def test_reviews_of_another_platform_are_not_stored_under_the_one_asked() -> None:
    """A server ignoring the platform answers the lead platform's reviews for PC."""
    with FixtureServer() as ignoring:
        apis = serve(ignoring)
        lead = apis["playstation-5"]
        ignoring.route(apis["pc"].reviews_path, lead.reviews_page)
        result = crawl_in_process(
            ignoring.url(apis["pc"].reviews_path + "?offset=0&limit=50"),
            {"METACRITIC_API_URL": ignoring.base_url},
        )
    assert result.reviews == []
    assert result.stats["paths/platform_mismatch"] == CRITIC_STATS["playstation-5"][1]
    stated = [s for s in result.summaries if s.film_key == KEYS["pc"]]
    assert all(s.stated_listed_count is None for s in stated)
    # The critic stats carry no platform to check: PC's own figures, asked by path.
    assert any(s.stated_metascore == 81 for s in stated)
