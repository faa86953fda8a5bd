"""Issue 29: a Rotten Tomatoes reviews page names its film only in a wrapped ``<title>``.

Pages in fixtures/titles/, served from 127.0.0.1:

* Harbor Lights (2016): Metacritic's critic-reviews page; RT's title page (JSON-LD
  ``Harbor Lights``) and its reviews page, titled ``Harbor Lights (2016) Reviews |
  Rotten Tomatoes``, crawled after the title page by a second crawl;
* Night Ferry (2018): Metacritic's page; RT's reviews page alone, titled ``Critic
  Reviews for Night Ferry (2018) - Rotten Tomatoes``, its slug naming no year.

Wren Halloway and Tobias Fenn review their film on both sites; Ilse Morrow both
films on Metacritic only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reviewcrawler.cli import main
from reviewcrawler.store.engine import dispose_engine, get_engine
from tests.conftest import FIXTURES
from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer
from tests.support.tables import table_rows

SETTINGS = {"METACRITIC_API_URL": "", "ROTTENTOMATOES_API_URL": "", "HTTPCACHE_ENABLED": "False"}
FIRST = (
    "/movie/harbor-lights/critic-reviews",
    "/movie/night-ferry/critic-reviews",
    "/m/harbor_lights",
)
SECOND = ("/m/harbor_lights/reviews", "/m/night_ferry/reviews")


def crawl(server: FixtureServer, url: str, folder: Path, pages: tuple[str, ...]) -> None:
    targets = folder / "targets.txt"
    targets.write_text("".join(server.url(path) + "\n" for path in pages), encoding="utf-8")
    result = run_crawl("-a", f"urls_file={targets}", database_url=url, settings=SETTINGS)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("titles")
    url = f"sqlite:///{folder / 'reviews.db'}"
    with FixtureServer(FIXTURES / "titles") as server:
        crawl(server, url, folder, FIRST)
        crawl(server, url, folder, SECOND)
    yield url
    dispose_engine(url)


def cli(url: str, *arguments: str) -> Any:
    result = CliRunner().invoke(main, [*arguments, "--database-url", url])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_wrapped_titles_are_stored_as_the_film_s_name(crawled: str) -> None:
    films = {
        row["key"]: (row["title"], row["year"]) for row in table_rows(get_engine(crawled), "films")
    }
    assert films == {
        "metacritic:harbor-lights": ("Harbor Lights", 2016),
        "metacritic:night-ferry": ("Night Ferry", 2018),
        # The title page's JSON-LD name stays, though its reviews page came later.
        "rottentomatoes:harbor_lights": ("Harbor Lights", 2016),
        "rottentomatoes:night_ferry": ("Night Ferry", 2018),
    }


def test_each_rt_film_links_to_its_metacritic_twin(crawled: str) -> None:
    links = {
        (link["film_a"]["key"], link["film_b"]["key"]): (link["state"], link["reason"])
        for link in cli(crawled, "links", "--json")
    }
    assert links == {
        ("metacritic:harbor-lights", "rottentomatoes:harbor_lights"): (
            "automatic",
            "title and year",
        ),
        ("metacritic:night-ferry", "rottentomatoes:night_ferry"): ("automatic", "title and year"),
    }
    (harbor,) = cli(crawled, "summary", "metacritic:harbor-lights", "--json")
    assert [site["key"] for site in harbor["work"]["sites"]] == [
        "metacritic:harbor-lights",
        "rottentomatoes:harbor_lights",
    ]


def test_a_critic_on_both_sites_counts_the_film_once(crawled: str) -> None:
    critics = {critic["name"]: critic for critic in cli(crawled, "critics", "--json")}
    assert (critics["Wren Halloway"]["reviews"], critics["Wren Halloway"]["films"]) == (2, 1)
    assert (critics["Tobias Fenn"]["reviews"], critics["Tobias Fenn"]["films"]) == (2, 1)
    assert (critics["Ilse Morrow"]["reviews"], critics["Ilse Morrow"]["films"]) == (2, 2)
