"""The pure rules: which films are one work, and who a critic is (no database)."""

from __future__ import annotations

import pytest

from reviewcrawler.store.critics import (
    CriticReview,
    critic_figures,
    group_critics,
    leniency_terms,
    normalize_name,
)
from reviewcrawler.store.links import (
    AUTOMATIC,
    SUGGESTED,
    FilmFacts,
    film_facts,
    match,
    normalize_title,
    propose_links,
    site_of_key,
    works,
    year_of,
)


def film(
    film_id: int,
    key: str,
    title: str,
    year: int | None,
    media: str = "movie",
    imdb_id: str | None = None,
) -> FilmFacts:
    facts = film_facts(film_id, key, title, year, media, imdb_id)
    assert facts is not None
    return facts


@pytest.mark.parametrize(
    ("title", "normalized"),
    [
        ("The Lantern Keeper", "lantern keeper"),
        ("LANTERN KEEPER!", "lantern keeper"),
        ("Salt & Iron", "salt and iron"),
        ("Amélie", "amelie"),
        ("A Quiet Place", "quiet place"),
        ("An Education", "education"),
        ("The", "the"),  # an article alone is the title
        ("Theater Camp", "theater camp"),  # only a whole leading word is an article
        ("Spider-Man:  Into the Spider-Verse", "spider man into the spider verse"),
        ("千と千尋の神隠し", "千と千尋の神隠し"),  # letters of any script are kept
        (None, ""),
    ],
)
def test_normalize_title(title: str | None, normalized: str) -> None:
    assert normalize_title(title) == normalized


def test_sites_and_years_from_keys() -> None:
    assert site_of_key("metacritic:moonlight") == "metacritic"
    assert site_of_key("rottentomatoes:moonlight_2016") == "rottentomatoes"
    assert site_of_key("film:moonlight-2016") is None
    assert site_of_key("file:moonlight") is None
    assert year_of("rottentomatoes:moonlight_2016", None) == 2016
    assert year_of("rottentomatoes:moonlight_2016", 2017) == 2017  # the page's year wins
    assert year_of("metacritic:moonlight_2016", None) is None  # the slug rule is RT's
    assert year_of("rottentomatoes:blade_runner_2049", None) is None  # a title, not a year
    # saved pages are never linked
    assert film_facts(1, "file:moonlight", "Moonlight", 2016, "movie", None) is None


def test_moonlight_2016_is_not_moonlight_2005() -> None:
    mc = film(1, "metacritic:moonlight", "Moonlight", 2016)
    rt_old = film(2, "rottentomatoes:moonlight_2005", "Moonlight", 2005)
    rt_new = film(3, "rottentomatoes:moonlight_2016", "Moonlight", None)
    assert match(mc, rt_old) is None
    assert match(mc, rt_new) == (AUTOMATIC, "title and year")


def test_rules() -> None:
    mc = film(1, "metacritic:salt-iron", "Salt & Iron", 2021)
    assert match(mc, film(2, "rottentomatoes:salt_and_iron", "Salt and Iron", 2021)) == (
        AUTOMATIC,
        "title and year",
    )
    assert match(mc, film(2, "rottentomatoes:salt_and_iron", "Salt and Iron", 2020)) == (
        SUGGESTED,
        "year off by one",
    )
    assert match(mc, film(2, "rottentomatoes:x", "Salt and Iron: The Forge", 2021)) == (
        SUGGESTED,
        "subtitle",
    )
    assert match(mc, film(2, "rottentomatoes:x", "Salt and Iron: The Forge", 2020)) is None
    assert match(mc, film(2, "rottentomatoes:x", "Salt and Iron", None)) is None  # title alone
    assert match(mc, film(2, "metacritic:salt-iron-2021", "Salt & Iron", 2021)) is None  # a site
    assert match(mc, film(2, "rottentomatoes:x", "Salt & Iron", 2021, media="tv")) is None


def test_a_shared_imdb_id_decides_alone() -> None:
    a = film(1, "metacritic:her", "Her", 2013, imdb_id="tt1798709")
    assert match(a, film(2, "rottentomatoes:her", "Her (film)", 2014, imdb_id="TT1798709")) == (
        AUTOMATIC,
        "imdb id",
    )
    # two different ids: not one work, whatever the titles say
    assert match(a, film(2, "rottentomatoes:her", "Her", 2013, imdb_id="tt0000001")) is None


def test_propose_links_groups_without_comparing_everything() -> None:
    films = [
        film(1, "metacritic:the-lantern-keeper", "The Lantern Keeper", 2019),
        film(2, "metacritic:the-lantern-keeper-1987", "The Lantern Keeper", 1987),
        film(3, "rottentomatoes:the_lantern_keeper", "The Lantern Keeper", 2019),
        film(4, "rottentomatoes:the_lantern_keeper_1987", "The Lantern Keeper", None),
        film(5, "rottentomatoes:lantern_keeper_2", "The Lantern Keeper: Low Tide", 2019),
        film(6, "metacritic:quiet-orchard", "Quiet Orchard", 2020),
    ]
    proposed = {(p.film_a_id, p.film_b_id): (p.state, p.reason) for p in propose_links(films)}
    assert proposed == {
        (1, 3): (AUTOMATIC, "title and year"),
        (2, 4): (AUTOMATIC, "title and year"),
        (1, 5): (SUGGESTED, "subtitle"),
    }
    only_old = propose_links(films, only={4})
    assert [(p.film_a_id, p.film_b_id) for p in only_old] == [(2, 4)]


def test_works_join_linked_films() -> None:
    assert works([(1, 3), (3, 7), (2, 4)]) == {1: 1, 3: 1, 7: 1, 2: 2, 4: 2}


def review(
    review_id: int,
    film_id: int,
    key: str,
    critic: str,
    score: int | None,
    slug: str | None = None,
    publication: str = "Weekly Reel",
) -> CriticReview:
    return CriticReview(
        review_id, film_id, key, "Film", 2020, critic, slug, publication, score, None, None, None,
        None,
    )  # fmt: skip


def test_critic_identity() -> None:
    assert normalize_name("Zoë  O'Marsh") == "zoe o marsh"
    rows = [
        review(1, 1, "metacritic:a", "Zoë Marsh", 70),
        review(2, 2, "rottentomatoes:a", "Zoe Marsh", 75, slug="zoe-marsh"),
        review(3, 3, "rottentomatoes:b", "ZOE MARSH", 60),  # no slug: joins RT's zoe-marsh
        # two RT critics of one name: kept apart, and not joined across sites either
        review(4, 4, "rottentomatoes:c", "Sam Lee", 50, slug="sam-lee"),
        review(5, 5, "rottentomatoes:d", "Sam Lee", 40, slug="sam-lee-2"),
        review(6, 6, "metacritic:d", "Sam Lee", 30),
    ]
    groups = sorted(sorted(r.review_id for r in group) for group in group_critics(rows))
    assert groups == [[1, 2, 3], [4], [5], [6]]


def test_critic_figures_by_hand() -> None:
    # film 1 scores 80 (this critic), 70, 60; film 2: 50 (this critic), 90; film 3: only hers
    rows = [
        review(1, 1, "metacritic:a", "Ada", 80),
        review(2, 2, "metacritic:b", "Ada", 50),
        review(3, 3, "rottentomatoes:a", "Ada", 100),
        review(4, 4, "rottentomatoes:c", "Ada", None),
    ]
    film_scores = {1: (210, 3), 2: (140, 2), 3: (100, 1)}
    assert leniency_terms(rows, film_scores) == [80 - 65, 50 - 90]
    critic = critic_figures(rows, film_scores, work_of={1: 1, 3: 1})
    assert (critic.reviews, critic.scored, critic.films) == (4, 3, 3)  # films 1 and 3: one work
    assert critic.mean_score == round((80 + 50 + 100) / 3, 2)
    assert critic.leniency == (15 - 40) / 2
    assert critic.leniency_reviews == 2
    assert critic.sites == ["metacritic", "rottentomatoes"]


def test_director_and_release_date_tell_two_works_of_one_title_and_year_apart() -> None:
    def stated(film_id: int, key: str, release: str | None, director: str | None) -> FilmFacts:
        facts = film_facts(film_id, key, "Moonlight", 2016, "movie", None, release, director)
        assert facts is not None
        return facts

    mc = stated(1, "metacritic:moonlight", "2016-10-21", "Barry Jenkins")
    assert match(mc, stated(2, "rottentomatoes:moonlight_2016", "2016-09-02", "barry jenkins")) == (
        AUTOMATIC,
        "title and year",
    )
    # Another director: two works, though title and year agree.
    assert match(mc, stated(3, "rottentomatoes:moonlight_b", None, "Ada Quill")) is None
    # Directors in common (one site names two): the same work.
    assert match(mc, stated(4, "rottentomatoes:m4", None, "Ada Quill, Barry Jenkins")) is not None
    # Release dates years apart: two works; one side unstated: the title and year decide.
    assert match(mc, stated(5, "rottentomatoes:m5", "2014-01-10", None)) is None
    assert match(mc, stated(6, "rottentomatoes:m6", None, None)) is not None
    # A release date gives the year a page did not state.
    facts = film_facts(7, "rottentomatoes:m7", "Moonlight", None, "movie", None, "2016-09-02")
    assert facts is not None and match(mc, facts) == (AUTOMATIC, "title and year")
