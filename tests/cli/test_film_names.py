"""FILM arguments that are one film's slug and other films' title (issue 29)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reviewcrawler.cli import main
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.schema import upgrade
from tests.cli.test_cli import crawl_run, review, summary

MC_2016 = "metacritic:moonlight"
RT_2016 = "rottentomatoes:moonlight_2016"
RT_2005 = "rottentomatoes:moonlight_2005"
HER = "metacritic:her"

#: Sorted by key, as every ambiguous FILM's candidates are.
CANDIDATES = (
    f"Moonlight (2016) [{MC_2016}], Moonlight (2005) [{RT_2005}], Moonlight (2016) [{RT_2016}]"
)


@pytest.fixture
def moonlights(store_url: str) -> Iterator[str]:
    """``moonlight`` is Metacritic's slug of the 2016 film; Rotten Tomatoes' 2016 and
    2005 films have other slugs but the same title. Her's slug is its own title only."""
    upgrade(get_engine(store_url))
    crawl_run(
        store_url,
        [
            summary(MC_2016, "Moonlight", 2016, 1, 99),
            summary(RT_2016, "Moonlight", 2016, 1, 98),
            summary(RT_2005, "Moonlight", 2005, 1, 41),
            summary(HER, "Her", 2013, 1, 90),
        ],
        [
            review(MC_2016, "Ada Quill", 100, "Luminous."),
            review(RT_2016, "Bo Marsh", 90, "Tender and exact."),
            review(RT_2005, "Cass Dunn", 40, "Fangs, no bite."),
            review(HER, "Dev Ortiz", 88, "A voice to fall for."),
        ],
    )
    yield store_url


def invoke(url: str, *arguments: str) -> Result:
    return CliRunner().invoke(main, [*arguments, "--database-url", url])


@pytest.mark.parametrize(
    "arguments",
    [
        ("reviews", "Moonlight"),
        ("reviews", "moonlight"),
        ("history", "Moonlight"),
        ("summary", "Moonlight"),
        ("links", "confirm", "Moonlight", HER),
        ("links", "reject", HER, "moonlight"),
    ],
)
def test_slug_of_one_film_and_title_of_others_is_refused(
    moonlights: str, arguments: tuple[str, ...]
) -> None:
    name = next(argument for argument in arguments[1:] if argument.lower() == "moonlight")
    result = invoke(moonlights, *arguments)
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == (
        f"Error: several films match {name!r}: {CANDIDATES}; give a key"
    )


def test_report_refuses_it_too(moonlights: str, tmp_path: Path) -> None:
    result = invoke(moonlights, "report", "--out", str(tmp_path / "site"), "Moonlight")
    assert result.exit_code == 1, result.output
    assert CANDIDATES in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_full_key_or_a_slug_that_is_its_own_title_only_still_names_one_film(
    moonlights: str,
) -> None:
    for name, key, critic in ((MC_2016, MC_2016, "Ada Quill"), ("her", HER, "Dev Ortiz")):
        result = invoke(moonlights, "reviews", name, "--json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["film"]["key"] == key
        assert [row["critic"] for row in data["reviews"]] == [critic]
    # Another site's slug is no title, so it names its one film as before.
    (row,) = json.loads(invoke(moonlights, "summary", "moonlight_2005", "--json").stdout)
    assert row["key"] == RT_2005
