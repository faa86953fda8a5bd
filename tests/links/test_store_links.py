"""recompute_links, decisions and FILM lookup against a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, insert

from reviewcrawler.cli import main
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.links import (
    AUTOMATIC,
    CONFIRMED,
    REJECTED,
    SUGGESTED,
    LinkRefused,
    decide,
    list_links,
    recompute_links,
)
from reviewcrawler.store.models import Film, Review
from reviewcrawler.store.queries import AmbiguousFilm, LookupFailed, find_film
from reviewcrawler.store.schema import upgrade
from tests.support.tables import table_rows

FILMS = [
    # id, key, title, year, media
    (1, "metacritic:moonlight", "Moonlight", 2016, "movie"),
    (2, "rottentomatoes:moonlight_2016", "Moonlight", None, "movie"),
    (3, "rottentomatoes:moonlight_2005", "Moonlight", 2005, "movie"),
    (4, "metacritic:salt-iron", "Salt & Iron", 2021, "movie"),
    (5, "rottentomatoes:salt_and_iron", "Salt and Iron", 2020, "movie"),
    (6, "metacritic:tv:moonlight", "Moonlight", 2016, "tv"),
    (7, "file:moonlight", "Moonlight", 2016, "movie"),
]


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = get_engine(store_url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(
            insert(Film.__table__),
            [dict(zip(("id", "key", "title", "year", "media"), row, strict=True)) for row in FILMS],
        )
    yield engine


def pairs(engine: Engine) -> dict[tuple[int, int], str]:
    return {(r["film_a_id"], r["film_b_id"]): r["state"] for r in table_rows(engine, "film_links")}


def test_recompute_keeps_decisions_and_drops_stale_matches(engine: Engine) -> None:
    result = recompute_links(engine)
    assert pairs(engine) == {(1, 2): AUTOMATIC, (4, 5): SUGGESTED}
    assert (result.films, result.added) == (6, 2)  # the saved page's film is never linked

    decide(engine, 4, 5, CONFIRMED)
    decide(engine, 2, 1, REJECTED)  # either order names the pair
    decide(engine, 3, 4, CONFIRMED)  # a person may link what the rules would not
    again = recompute_links(engine, [1, 2, 3, 4, 5])
    assert pairs(engine) == {(1, 2): REJECTED, (4, 5): CONFIRMED, (3, 4): CONFIRMED}
    assert (again.added, again.removed, again.kept) == (0, 0, 3)

    # Salt and Iron's year is corrected: the rules would now say automatic, the person's
    # "rejected" stays. The TV show turns out to be a movie: it matches RT's Moonlight.
    decide(engine, 4, 5, REJECTED)
    films = Film.__table__
    with engine.begin() as connection:
        connection.execute(films.update().where(films.c.id == 5).values(year=2021))
        connection.execute(films.update().where(films.c.id == 6).values(media="movie"))
    recompute_links(engine, [5, 6])
    assert pairs(engine) == {
        (1, 2): REJECTED,
        (4, 5): REJECTED,
        (3, 4): CONFIRMED,
        (2, 6): AUTOMATIC,
    }
    # An automatic link whose films stop matching is removed.
    with engine.begin() as connection:
        connection.execute(films.update().where(films.c.id == 6).values(year=1990))
    assert recompute_links(engine, [6]).removed == 1
    assert (2, 6) not in pairs(engine)


def test_decisions_refuse_what_never_links(engine: Engine) -> None:
    with pytest.raises(LinkRefused, match="both films are on metacritic"):
        decide(engine, 1, 4, CONFIRMED)
    with pytest.raises(LinkRefused, match="saved pages"):
        decide(engine, 1, 7, CONFIRMED)
    with pytest.raises(LinkRefused, match="itself"):
        decide(engine, 1, 1, REJECTED)
    assert list_links(engine) == []


def test_find_film_by_key_slug_title(engine: Engine) -> None:
    assert find_film(engine, "metacritic:moonlight").id == 1
    assert find_film(engine, "moonlight_2005").id == 3  # a key's slug
    assert find_film(engine, "salt-iron").id == 4
    assert find_film(engine, "salt-and-iron-2020").id == 5  # slugify(title)-year
    assert find_film(engine, "Moonlight (2005)").id == 3
    with pytest.raises(AmbiguousFilm) as ambiguous:
        find_film(engine, "moonlight-2016")
    assert str(ambiguous.value) == (
        "several films match 'moonlight-2016': Moonlight (2016) [file:moonlight], "
        "Moonlight (2016) [metacritic:moonlight], Moonlight (2016) [metacritic:tv:moonlight]; "
        "give a key"
    )
    with pytest.raises(LookupFailed, match="no film with key or title 'Nope'"):
        find_film(engine, "Nope")


def test_links_commands(engine: Engine, store_url: str) -> None:
    def run(*arguments: str) -> str:
        result = CliRunner().invoke(main, [*arguments, "--database-url", store_url])
        assert result.exit_code == 0, result.output
        return result.stdout

    assert "2 added" in run("links", "suggest")
    assert "1 suggested" in run("links", "suggest")
    assert "confirmed: Salt & Iron (2021) [metacritic:salt-iron]" in run(
        "links", "confirm", "salt-iron", "rottentomatoes:salt_and_iron"
    )
    refused = CliRunner().invoke(
        main, ["links", "confirm", "salt-iron", "metacritic:moonlight", "--database-url", store_url]
    )
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        "Error: both films are on metacritic: two films of one site never link"
    )
    # --database-url given to `links` before the subcommand counts too
    before = CliRunner().invoke(
        main, ["links", "--database-url", store_url, "reject", "moonlight_2005", "salt-iron"]
    )
    assert before.exit_code == 0, before.output
    assert "rejected: Moonlight (2005)" in before.stdout
    listed = run("links", "--state", "confirmed")
    assert "Salt and Iron (2020) [rottentomatoes:salt_and_iron]" in listed
    assert "Moonlight" not in listed


def test_critics_on_each_dialect(engine: Engine, store_url: str) -> None:
    reviews = Review.__table__
    rows = [
        # film, critic, slug, score
        (1, "Ada Quill", None, 80),
        (1, "Bo Marsh", None, 60),
        (2, "Ada Quill", "ada-quill", 90),
        (2, "Cy Dunn", "cy-dunn", 50),
        (3, "Ada Quill", "ada-q", 40),  # a second RT critic of the same name
        (3, "Cy Dunn", "cy-dunn", 70),
    ]
    with engine.begin() as connection:
        connection.execute(
            insert(reviews),
            [
                {"film_id": film, "fingerprint": f"f{n}", "critic": critic, "critic_slug": slug,
                 "publication": "Weekly Reel", "score": score}
                for n, (film, critic, slug, score) in enumerate(rows)
            ],
        )  # fmt: skip
    recompute_links(engine)  # films 1 (MC) and 2 (RT) are one work
    result = CliRunner().invoke(main, ["critics", "--json", "--database-url", store_url])
    assert result.exit_code == 0, result.output
    critics = {(c["name"], c["id"]): c for c in json.loads(result.stdout)}
    # Two RT critics named Ada Quill: none of that name is joined across sites.
    assert set(critics) == {
        ("Ada Quill", "metacritic:name:ada quill"),
        ("Ada Quill", "rottentomatoes:ada-q"),
        ("Ada Quill", "rottentomatoes:ada-quill"),
        ("Bo Marsh", "bo-marsh"),
        ("Cy Dunn", "cy-dunn"),
    }
    cy = critics[("Cy Dunn", "cy-dunn")]
    # 50 - 90 = -40 on film 2; 70 - 40 = 30 on film 3
    assert (cy["reviews"], cy["films"], cy["mean_score"], cy["leniency"]) == (2, 2, 60.0, -5.0)
    ambiguous = CliRunner().invoke(main, ["critic", "Ada Quill", "--database-url", store_url])
    assert ambiguous.exit_code == 1
    assert "several critics match 'Ada Quill'" in ambiguous.stderr
    assert "[rottentomatoes:ada-q]" in ambiguous.stderr
    one = CliRunner().invoke(main, ["critic", "ada-q", "--json", "--database-url", store_url])
    assert one.exit_code == 0, one.output
    assert [r["score"] for r in json.loads(one.stdout)["review_list"]] == [40]
