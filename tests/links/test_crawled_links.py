"""Issue 14's acceptance: links, side-by-side summaries and critics from a real crawl.

One crawl (a subprocess, tests/support/crawl.py) of the pages in fixtures/links/,
served from 127.0.0.1, into a SQLite file shared by the module's tests:

* The Lantern Keeper (2019): on Metacritic and Rotten Tomatoes (title page with
  JSON-LD, and its reviews page);
* Salt & Iron (Metacritic, 2021) and Salt and Iron (Rotten Tomatoes, 2020): the
  same film with the festival year on one site (a year off by one: suggested);
* The Lantern Keeper (1987): the same title from another year, on each site (RT
  states no year on its reviews page; the slug ends ``_1987``);
* Quiet Orchard (2020): on Metacritic only.

Links are recomputed here after each crawl with ``recompute_links`` until the
crawl's close does it itself.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reviewcrawler.cli import main
from reviewcrawler.store.engine import dispose_engine, get_engine
from reviewcrawler.store.links import recompute_links, recompute_run_links
from tests.conftest import FIXTURES
from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer
from tests.support.tables import table_rows

PAGES = (
    "/movie/the-lantern-keeper/critic-reviews",
    "/movie/salt-iron/critic-reviews",
    "/movie/the-lantern-keeper-1987/critic-reviews",
    "/movie/quiet-orchard/critic-reviews",
    "/m/the_lantern_keeper",
    "/m/salt_and_iron",
    "/m/the_lantern_keeper_1987/reviews",
)
#: No API follow-ups: these films exist only as the pages served here.
SETTINGS = {"METACRITIC_API_URL": "", "ROTTENTOMATOES_API_URL": "", "HTTPCACHE_ENABLED": "False"}

MC_2019 = "metacritic:the-lantern-keeper"
RT_2019 = "rottentomatoes:the_lantern_keeper"
MC_1987 = "metacritic:the-lantern-keeper-1987"
RT_1987 = "rottentomatoes:the_lantern_keeper_1987"
MC_SALT = "metacritic:salt-iron"
RT_SALT = "rottentomatoes:salt_and_iron"
MC_ORCHARD = "metacritic:quiet-orchard"


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with FixtureServer(FIXTURES / "links") as running:
        yield running


def crawl(server: FixtureServer, url: str, folder: Path) -> None:
    targets = folder / "targets.txt"
    targets.write_text("".join(server.url(path) + "\n" for path in PAGES), encoding="utf-8")
    result = run_crawl("-a", f"urls_file={targets}", database_url=url, settings=SETTINGS)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def crawled(server: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("links")
    url = f"sqlite:///{folder / 'reviews.db'}"
    crawl(server, url, folder)
    recompute_links(get_engine(url), None)
    yield url
    dispose_engine(url)


def cli(url: str, *arguments: str) -> Any:
    result = CliRunner().invoke(main, [*arguments, "--database-url", url])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if "--json" in arguments else result.stdout


def links_by_keys(url: str) -> dict[tuple[str, str], tuple[str, float, str]]:
    return {
        (link["film_a"]["key"], link["film_b"]["key"]): (
            link["state"],
            link["confidence"],
            link["reason"],
        )
        for link in cli(url, "links", "--json")
    }


def test_links_and_their_states(crawled: str) -> None:
    assert links_by_keys(crawled) == {
        (MC_2019, RT_2019): ("automatic", 1.0, "title and year"),
        (MC_1987, RT_1987): ("automatic", 1.0, "title and year"),
        (MC_SALT, RT_SALT): ("suggested", 0.7, "year off by one"),
    }
    # Never on title alone across years, never within a site, never the one-site film.
    films = {film["key"] for film in table_rows(get_engine(crawled), "films")}
    assert MC_ORCHARD in films and len(films) == 7
    text = cli(crawled, "links", "--state", "suggested")
    assert "Salt & Iron (2021) [metacritic:salt-iron]" in text
    assert "Lantern" not in text


def test_side_by_side_summary(crawled: str) -> None:
    (metacritic,) = cli(crawled, "summary", MC_2019, "--json")
    assert metacritic["key"] == MC_2019
    work = metacritic["work"]
    assert [site["key"] for site in work["sites"]] == [MC_2019, RT_2019]
    mc, rt = work["sites"]
    assert (mc["stated_score_name"], mc["stated_score"]) == ("Metascore", 74)
    assert (mc["computed_score_name"], mc["computed_score"]) == ("mean score", 70.0)  # 80 70 60
    assert (mc["stated_critic_count"], mc["review_count"]) == (3, 3)
    assert (mc["stated_positive"], mc["stated_mixed"], mc["stated_negative"]) == (2, 1, 0)
    assert (rt["stated_score_name"], rt["stated_score"]) == ("Tomatometer", 67)
    # the computed Tomatometer: 2 fresh of 3 stored
    assert (rt["computed_score_name"], rt["computed_score"]) == ("positive share", 66.67)
    assert rt["positive_share"] == 66.67 and rt["mean_score"] == 60.0  # 80, 75, 25
    assert (rt["stated_positive"], rt["stated_negative"]) == (2, 1)
    assert [(link["state"], link["reason"]) for link in work["links"]] == [
        ("automatic", "title and year")
    ]
    assert work["suggested"] == []
    # By title and year: the two films of the work answer to it, so both rows come back.
    both = cli(crawled, "summary", "The Lantern Keeper (2019)", "--json")
    assert [row["key"] for row in both] == [MC_2019, RT_2019]
    text = cli(crawled, "summary", RT_2019)
    assert "Metascore 74" in text and "Tomatometer 67" in text and "positive share 66.67" in text
    # The one-site film has no work; the suggested pair shows what to decide.
    (orchard,) = cli(crawled, "summary", "Quiet Orchard", "--json")
    assert orchard["work"] is None
    (salt,) = cli(crawled, "summary", MC_SALT, "--json")
    assert [site["key"] for site in salt["work"]["sites"]] == [MC_SALT]
    assert [(s["key"], s["reason"]) for s in salt["work"]["suggested"]] == [
        (RT_SALT, "year off by one")
    ]


def test_ambiguous_film_lists_title_year_and_key(crawled: str) -> None:
    result = CliRunner().invoke(main, ["history", "The Lantern Keeper", "--database-url", crawled])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: several films match 'The Lantern Keeper': "
        f"The Lantern Keeper (2019) [{MC_2019}], The Lantern Keeper (1987) [{MC_1987}], "
        f"The Lantern Keeper (2019) [{RT_2019}], The Lantern Keeper (1987) [{RT_1987}]; give a key"
    )
    history = cli(crawled, "history", "quiet-orchard-2020", "--json")
    assert history["film"]["key"] == MC_ORCHARD and len(history["snapshots"]) == 1


def critics_by_name(url: str, *arguments: str) -> dict[str, dict]:
    return {critic["name"]: critic for critic in cli(url, "critics", "--json", *arguments)}


def test_critic_figures_by_hand(crawled: str) -> None:
    critics = critics_by_name(crawled)
    assert set(critics) == {
        "Bram Kessler",
        "Zoë Marsh",
        "Felix Marr",
        "Otto Brand",
        "Rudi Pane",
        "Ines Volk",
    }
    bram = critics["Bram Kessler"]
    assert bram["sites"] == ["metacritic", "rottentomatoes"]
    assert bram["publications"] == ["The Quarry Review"]
    # MC Lantern 80, MC Salt 50, RT Lantern 80, RT Salt 60; The Lantern Keeper is one work
    assert (bram["reviews"], bram["films"], bram["mean_score"]) == (4, 3, 67.5)
    # 80 - (70+60)/2 = 15; 50 - 90 = -40; 80 - (75+25)/2 = 30; 60 - (50+40)/2 = 15
    assert bram["leniency"] == (15 - 40 + 30 + 15) / 4
    zoe = critics["Zoë Marsh"]  # "Zoe Marsh" on Rotten Tomatoes: the same critic
    assert (zoe["reviews"], zoe["films"], zoe["mean_score"]) == (3, 2, round(185 / 3, 2))
    # 70 - (80+60)/2 = 0; 40 - 20 = 20; 75 - (80+25)/2 = 22.5
    assert zoe["leniency"] == round((0 + 20 + 22.5) / 3, 2)
    felix = critics["Felix Marr"]
    # his 1987 Metacritic review is the film's only one: left out of the leniency
    assert (felix["reviews"], felix["films"], felix["leniency_reviews"]) == (4, 3, 3)
    assert felix["leniency"] == round((60 - 75 + 90 - 50 + 100 - 60) / 3, 2)
    assert list(critics_by_name(crawled, "--min-reviews", "3")) == [
        "Bram Kessler",
        "Felix Marr",
        "Zoë Marsh",
    ]
    by_leniency = [c["name"] for c in cli(crawled, "critics", "--json", "--sort", "leniency")]
    assert by_leniency == [
        "Felix Marr",
        "Zoë Marsh",
        "Bram Kessler",
        "Ines Volk",
        "Otto Brand",
        "Rudi Pane",
    ]
    one = cli(crawled, "critic", "zoe marsh", "--json")
    assert one["name"] == "Zoë Marsh"
    assert sorted((r["film"], r["score"], r["difference"]) for r in one["review_list"]) == [
        (MC_ORCHARD, 40, 20.0),
        (MC_2019, 70, 0.0),
        (RT_2019, 75, 22.5),
    ]
    missing = CliRunner().invoke(main, ["critic", "Nobody", "--database-url", crawled])
    assert missing.exit_code == 1 and missing.stderr.strip() == "Error: no critic named 'Nobody'"


def test_rotten_tomatoes_fresh_with_a_low_score_is_positive(crawled: str) -> None:
    """Ines Volk marked Salt and Iron fresh, rating it 2.5/5: the site's verdict wins
    over the score's band (50: mixed), the score is still normalized beside it."""
    (ines,) = [
        review
        for review in table_rows(get_engine(crawled), "reviews")
        if review["critic"] == "Ines Volk"
    ]
    assert (ines["original_score"], ines["score"], ines["sentiment"]) == ("2.5/5", 50, "positive")


def copy_database(url: str, folder: Path) -> str:
    """A copy of the module's database, for a test that changes it."""
    source = sqlite3.connect(url.removeprefix("sqlite:///"))
    target = sqlite3.connect(folder / "copy.db")
    with target:
        source.backup(target)
    source.close()
    target.close()
    return f"sqlite:///{folder / 'copy.db'}"


def test_confirm_and_reject_survive_a_recrawl(
    crawled: str, server: FixtureServer, tmp_path: Path
) -> None:
    url = copy_database(crawled, tmp_path)
    try:
        cli(url, "links", "confirm", MC_SALT, RT_SALT)
        cli(url, "links", "reject", "the-lantern-keeper-1987", RT_1987)
        crawl(server, url, tmp_path)
        engine = get_engine(url)
        (second_run,) = [run["id"] for run in table_rows(engine, "crawl_runs")][1:]
        recompute_run_links(engine, second_run)
        assert links_by_keys(url) == {
            (MC_2019, RT_2019): ("automatic", 1.0, "title and year"),
            (MC_1987, RT_1987): ("rejected", 0.0, "title and year"),
            (MC_SALT, RT_SALT): ("confirmed", 1.0, "year off by one"),
        }
        assert "1 decided by hand kept" not in cli(url, "links", "suggest")
        assert "2 decided by hand kept" in cli(url, "links", "suggest")
        # Confirmed, Salt & Iron is one work: Bram Kessler's four reviews are of two films.
        assert critics_by_name(url)["Bram Kessler"]["films"] == 2
        (salt,) = cli(url, "summary", MC_SALT, "--json")
        assert [site["key"] for site in salt["work"]["sites"]] == [MC_SALT, RT_SALT]
    finally:
        dispose_engine(url)
