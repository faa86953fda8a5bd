"""Issue 27's acceptance: a catalogue kept current by jobs that fetch only what changed.

A fake API of our own on 127.0.0.1 (fake_catalogue.py) lists games with several
platforms, a movie, and a game with no reviews; its review lists answer 10 items
whatever ``limit`` says and its route without a platform segment answers the lead
platform. Each test runs ``scrapy crawl catalogue`` jobs against it and asserts on what
was stored and on the requests made.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.catalogue.fake_catalogue import FakeCatalogue, Platform, Title
from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer, Reply

#: A product endpoint request: one per fetched title.
PRODUCT = re.compile(r"^/(?:games|movies|shows)/metacritic/([^/]+)/web$")


def catalogue() -> FakeCatalogue:
    return FakeCatalogue(
        [
            Title(
                "game",
                "ember-tide",
                "Ember Tide",
                "2026-11-20",
                [
                    Platform(
                        "PlayStation 5",
                        "playstation-5",
                        [90, 85, 80, 70, 88, 91, 77, 84, 86, 79, 95, 60],
                    ),
                    Platform("PC", "pc", [75, 65]),
                ],
            ),
            Title("game", "quiet-moss", "Quiet Moss", "2026-11-18", [Platform("PC", "pc", [])]),
            Title(
                "game",
                "lantern-run",
                "Lantern Run",
                "2026-10-01",
                [Platform("Nintendo Switch", "nintendo-switch", [55, 62, 71])],
            ),
            Title(
                "movie",
                "harbor-lights",
                "Harbor Lights",
                "2026-09-12",
                [Platform("", "", [80, 60])],
            ),
        ]
    )


@pytest.fixture
def served() -> Iterator[tuple[FixtureServer, FakeCatalogue]]:
    fake = catalogue()
    with FixtureServer() as server:
        fake.install(server)
        yield server, fake


def job(server: FixtureServer, database: Path, *arguments: str, **settings: str) -> str:
    server.requests.clear()
    result = run_crawl(
        "-a",
        "media=all",
        *arguments,
        spider="catalogue",
        database_url=f"sqlite:///{database}",
        settings={
            "METACRITIC_API_URL": server.base_url,
            "METACRITIC_SITE_URL": server.base_url,
            "HTTPCACHE_ENABLED": "False",
            **settings,
        },
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout + result.stderr


def asked(server: FixtureServer, fragment: str) -> list[str]:
    return sorted(path for path in server.requests if fragment in path)


def stored_reviews(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        return dict(
            connection.execute(
                "SELECT f.key, count(*) FROM reviews r JOIN films f ON f.id = r.film_id"
                " GROUP BY f.key"
            ).fetchall()
        )


def test_first_job_stores_everything_then_nothing_is_asked_again(
    served: tuple[FixtureServer, FakeCatalogue], tmp_path: Path
) -> None:
    server, fake = served
    database = tmp_path / "catalogue.db"
    output = job(server, database)
    assert stored_reviews(database) == {
        "metacritic:game:ember-tide:playstation-5": 12,  # two pages of 10 at most
        "metacritic:game:ember-tide:pc": 2,
        "metacritic:game:lantern-run:nintendo-switch": 3,
        "metacritic:harbor-lights": 2,
    }
    with sqlite3.connect(database) as connection:
        known = dict(connection.execute("SELECT slug, film_keys FROM catalogue_titles").fetchall())
        platforms = dict(
            connection.execute(
                "SELECT f.key, s.stated_metascore FROM films f JOIN film_summaries s"
                " ON s.film_id = f.id WHERE f.key LIKE 'metacritic:game:ember-tide:%'"
            ).fetchall()
        )
    assert set(known) == {"ember-tide", "quiet-moss", "lantern-run", "harbor-lights"}
    assert known["ember-tide"] == (
        "metacritic:game:ember-tide:pc metacritic:game:ember-tide:playstation-5"
    )
    assert platforms == {
        "metacritic:game:ember-tide:playstation-5": 82,
        "metacritic:game:ember-tide:pc": 70,
    }
    # Platforms are path segments; the title listed with no reviews cost nothing.
    assert not any("platform=" in path for path in server.requests)
    assert asked(server, "quiet-moss") == []
    assert "Catalogue: 4 titles listed (4 new" in output

    # The same answers again: no product, stats or review-list request at all.
    output = job(server, database)
    assert asked(server, "/reviews/") == [] and asked(server, "/metacritic/ember-tide/web") == []
    assert "0 fetched" in output

    # The lead platform of one game gains a review (the listing states the lead
    # platform's figures): only that title is fetched, and only its moved platform.
    fake.titles[0].platforms[0].scores.append(99)
    job(server, database)
    lists = [p.split("?")[0] for p in asked(server, "/reviews/metacritic/critic/")]
    assert sorted(set(lists)) == [
        "/reviews/metacritic/critic/games/ember-tide/platform/playstation-5/stats/web",
        "/reviews/metacritic/critic/games/ember-tide/platform/playstation-5/web",
    ]
    assert asked(server, "lantern-run") == [] and asked(server, "harbor-lights") == []
    assert stored_reviews(database)["metacritic:game:ember-tide:playstation-5"] == 13
    with sqlite3.connect(database) as connection:
        (new_in_last_run,) = connection.execute(
            "SELECT reviews_new FROM crawl_run_films rf JOIN films f ON f.id = rf.film_id"
            " WHERE f.key = 'metacritic:game:ember-tide:playstation-5'"
            " ORDER BY run_id DESC LIMIT 1"
        ).fetchone()
    assert new_in_last_run == 1


def test_a_limit_fetches_in_turns_and_none_twice(
    served: tuple[FixtureServer, FakeCatalogue], tmp_path: Path
) -> None:
    server, fake = served
    fake.titles += [
        Title("movie", f"film-{n}", f"Film {n}", f"2026-0{1 + n % 8}-01", [Platform("", "", [70])])
        for n in range(5)
    ]
    fake.install(server)
    database = tmp_path / "turns.db"
    fetched: list[str] = []
    for _ in range(3):
        job(server, database, CATALOGUE_MAX_TITLES="3")
        fetched += [m.group(1) for p in server.requests if (m := PRODUCT.match(p))]
    # 8 titles need a request (the one with no reviews never does): 3, 3, then 2.
    assert len(fetched) == 8 and len(set(fetched)) == 8


def test_bad_listing_input_costs_only_itself(
    served: tuple[FixtureServer, FakeCatalogue], tmp_path: Path
) -> None:
    server, fake = served
    database = tmp_path / "bad.db"
    job(server, database, "-a", "media=game")
    before = stored_reviews(database)
    fake.odd_items["game"] = [{"title": "No slug"}, "not an item"]
    fake.total_as["game"] = "many"
    fake.broken_pages[("movie", 0)] = b'{"data": {"items": [{"slug": "cut-'
    fake.limit_cap = 24
    output = job(server, database)
    counted = dict(re.findall(r"'(catalogue/[a-z_/]+)': (\d+)", output))
    assert counted["catalogue/problems/no_slug"] == "2"  # a dict without one, a string
    assert counted["catalogue/problems/total_not_a_number"] >= "1"
    assert counted["catalogue/problems/malformed"] == "1"  # the movies' truncated page
    assert counted["catalogue/listing_limit_refused"] == "3"  # each media, asked again
    # Nothing stored is lost, and the listing still went on at the smaller limit.
    assert stored_reviews(database) == before
    with sqlite3.connect(database) as connection:
        (known,) = connection.execute("SELECT count(*) FROM catalogue_titles").fetchone()
    assert known == 3


def test_a_title_crawled_by_hand_is_known_to_the_nightly_job(
    served: tuple[FixtureServer, FakeCatalogue], tmp_path: Path
) -> None:
    server, _ = served
    database = tmp_path / "by-hand.db"
    result = run_crawl(
        "-a",
        f"url={server.url('/game/lantern-run/?platform=nintendo-switch')}",
        database_url=f"sqlite:///{database}",
        settings={"METACRITIC_API_URL": server.base_url, "HTTPCACHE_ENABLED": "False"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT media, film_keys, last_fetched IS NOT NULL, due_reason FROM catalogue_titles"
        ).fetchall()
    assert row == [("game", "metacritic:game:lantern-run:nintendo-switch", 1, None)]
    job(server, database, "-a", "media=game")
    # Listed for the first time: the game crawled by hand costs one probe of its product
    # (a crawl of given URLs may have seen some of its platforms only), nothing more.
    assert asked(server, "lantern-run") == ["/games/metacritic/lantern-run/web"]
    assert asked(server, "/games/metacritic/ember-tide/web") != []


def test_a_stale_title_costs_its_probe_unless_it_moved(
    served: tuple[FixtureServer, FakeCatalogue], tmp_path: Path
) -> None:
    server, fake = served
    database = tmp_path / "stale.db"
    job(server, database, "-a", "media=game")
    # Every title stale at once: the product endpoint is asked, and nothing else...
    job(server, database, "-a", "media=game", CATALOGUE_MAX_AGES="*:0")
    assert sorted(p for p in server.requests if PRODUCT.match(p)) == [
        "/games/metacritic/ember-tide/web",
        "/games/metacritic/lantern-run/web",
    ]
    assert asked(server, "/reviews/") == []
    # ...unless a platform moved without the listing showing it (PC is not the lead).
    fake.titles[0].platforms[1].scores.append(64)
    job(server, database, "-a", "media=game", CATALOGUE_MAX_AGES="*:0")
    assert {p.split("?")[0] for p in asked(server, "/reviews/metacritic/critic/")} == {
        "/reviews/metacritic/critic/games/ember-tide/platform/pc/web",
        "/reviews/metacritic/critic/games/ember-tide/platform/pc/stats/web",
    }
    assert stored_reviews(database)["metacritic:game:ember-tide:pc"] == 3


def test_discovery_from_a_sitemap(
    served: tuple[FixtureServer, FakeCatalogue], tmp_path: Path
) -> None:
    server, _ = served
    xml = "application/xml"
    server.route(
        "/robots.txt",
        Reply(200, f"User-agent: *\nSitemap: {server.url('/sitemap-index.xml')}\n".encode()),
    )
    server.route(
        "/sitemap-index.xml",
        Reply(
            200,
            (
                '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9"><sitemap><loc>{server.url("/games.xml")}</loc></sitemap>'
                "</sitemapindex>"
            ).encode(),
            {"Content-Type": xml},
        ),
    )
    server.route(
        "/games.xml",
        Reply(
            200,
            (
                b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                b"<url><loc>https://www.metacritic.com/game/ember-tide/</loc>"
                b"<lastmod>2026-11-30</lastmod></url>"
                b"<url><loc>https://www.metacritic.com/news/not-a-title/</loc></url>"
                b"<url><loc>https://www.metacritic.com/movie/harbor-lights/</loc></url>"
                b"</urlset>"
            ),
            {"Content-Type": xml},
        ),
    )
    database = tmp_path / "sitemap.db"
    job(server, database, "-a", f"sitemap={server.url('/robots.txt')}", "-a", "media=game")
    with sqlite3.connect(database) as connection:
        known = connection.execute("SELECT media, slug, lastmod FROM catalogue_titles").fetchall()
    # Only the product asked (games), only title URLs, each with its lastmod.
    assert known == [("game", "ember-tide", "2026-11-30")]
    assert stored_reviews(database)["metacritic:game:ember-tide:pc"] == 2
    assert asked(server, "/finder/") == []


def test_a_title_partly_fetched_is_failed_not_fresh(
    served: tuple[FixtureServer, FakeCatalogue], tmp_path: Path
) -> None:
    server, fake = served
    path = "/reviews/metacritic/critic/games/ember-tide/platform/playstation-5/web"
    whole = server.routes[path]

    def second_page_fails(
        route: str, query: dict[str, list[str]], headers: dict[str, str]
    ) -> Reply:
        if query.get("offset") == ["10"]:
            return Reply(500, b"down")
        return whole(route, query, headers)

    server.route(path, second_page_fails)
    database = tmp_path / "partly.db"
    server.requests.clear()
    result = run_crawl(
        "-a",
        "media=game",
        spider="catalogue",
        database_url=f"sqlite:///{database}",
        settings={
            "METACRITIC_API_URL": server.base_url,
            "HTTPCACHE_ENABLED": "False",
            "RETRY_ENABLED": "False",
        },
    )
    assert "failed page" in result.stderr.lower()
    with sqlite3.connect(database) as connection:
        state = dict(
            connection.execute(
                "SELECT slug, due_reason FROM catalogue_titles WHERE slug != 'quiet-moss'"
            ).fetchall()
        )
    # The missing page fails the title: due again (after a backoff), fetched whole then.
    assert state == {"ember-tide": "failed", "lantern-run": None}


def test_saved_pages_do_not_make_titles_fresh(tmp_path: Path) -> None:
    database = tmp_path / "samples.db"
    result = run_crawl(database_url=f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM reviews").fetchone()[0] > 0
        assert connection.execute("SELECT count(*) FROM catalogue_titles").fetchone()[0] == 0
