"""Ids the pages state: RT critics' slugs, RT film years from slugs, IMDb ids in JSON-LD,
and which data path each item came from.

Pure: fixture pages (and the real RT title page, when ../shared/reference is present)
read by their formats, normalized as the crawl does where the stored value matters.
"""

from __future__ import annotations

import json

import pytest

from reviewcrawler.formats import detect, json_ld, parse_page, rottentomatoes, rottentomatoes_api
from reviewcrawler.formats.page import Page
from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.normalize.items import normalize_page
from tests.conftest import FIXTURES, reference

FORMATS = FIXTURES / "formats"
NAPI_URL = "https://www.rottentomatoes.com/napi/rtcf/v1/movies/5b2c0d7e/reviews?after=&type=critic"


def parsed(
    relative: str, url: str, film_key: str | None = None
) -> tuple[list[FilmSummaryItem], list[ReviewItem]]:
    text = (FORMATS / relative).read_text(encoding="utf-8")
    page = Page(url=url, text=text, film_key=film_key)
    fmt = detect(page)
    assert fmt is not None and relative.split("/")[0] == fmt.NAME
    outputs = list(fmt.parse(page))
    return (
        [o for o in outputs if isinstance(o, FilmSummaryItem)],
        [o for o in outputs if isinstance(o, ReviewItem)],
    )


@pytest.mark.parametrize(
    ("href", "slug"),
    [
        ("/critics/wren-abara/movies", "wren-abara"),
        ("https://www.rottentomatoes.com/critics/Ivo-Lindqvist/movies?page=2", "ivo-lindqvist"),
        ("/critics/source/1201", None),  # a publication's page
        ("/m/arrival_2016", None),
        ("http://[broken", None),
        ("", None),
        (None, None),
    ],
)
def test_critic_slug_from_the_name_link(href: str | None, slug: str | None) -> None:
    assert rottentomatoes.critic_slug(href) == slug


def test_cards_carry_critic_slugs_and_the_critics_verdict() -> None:
    summaries, reviews = parsed(
        "rottentomatoes/reviews-page-year-in-slug.html",
        "https://www.rottentomatoes.com/m/salt_meridian_2019/reviews",
    )
    assert [(r.critic, r.critic_slug, r.path) for r in reviews] == [
        ("Tamsin Achebe", "tamsin-achebe", "html"),
        ("Ivo Lindqvist", "ivo-lindqvist", "html"),
        ("Uncredited Staff", None, "html"),  # no link: no slug
    ]
    (summary,), kept, _ = normalize_page(summaries, reviews)
    assert (summary.title, summary.year) == ("Salt Meridian", 2019)  # from the slug
    # Fresh or rotten is the critic's own verdict, whatever the score band says:
    # a 2.5/4 fresh is positive, a 3/5 rotten negative.
    assert [(r.original_score, r.sentiment) for r in kept] == [
        ("2.5/4", "positive"),
        ("3/5", "negative"),
        (None, "positive"),
    ]


def test_napi_reviews_carry_vanity_slugs_and_the_api_path() -> None:
    _, reviews = parsed(
        "rottentomatoes_api/reviews-page.json",
        NAPI_URL,
        film_key="rottentomatoes:the_ninth_ferry",
    )
    assert [(r.critic, r.critic_slug, r.path) for r in reviews] == [
        ("Rosa Quintero", "rosa-quintero", "api"),
        ("Callum Reyes", "callum-reyes", "api"),
        (None, None, "api"),  # an item without a critic
    ]


@pytest.mark.parametrize(
    ("vanity", "slug"),
    [("Greta-Lind", "greta-lind"), ("", None), ("two words", None), ("a/b", None), (7, "7")],
)
def test_vanity_that_is_no_slug_is_dropped(vanity: object, slug: str | None) -> None:
    item = {"critic": {"displayName": "Someone", "vanity": vanity}, "reviewQuote": "Fine."}
    review = rottentomatoes_api.review_from_item(item, "rottentomatoes:x", NAPI_URL)
    assert review.critic_slug == slug


def test_a_dropped_vanity_is_counted_with_its_reason() -> None:
    body = {
        "reviews": [
            {"critic": {"displayName": "A", "vanity": "not a slug"}, "reviewQuote": "Fine."},
            {"critic": {"displayName": "B", "vanity": "b-critic"}, "reviewQuote": "Good."},
            {"critic": {"displayName": "C"}, "reviewQuote": "Hm."},  # no vanity: nothing lost
        ],
        "pageInfo": {"hasNextPage": False},
    }
    parsed_page = parse_page(Page(url=NAPI_URL, text=json.dumps(body)))
    reviews = [o for o in parsed_page.outputs if isinstance(o, ReviewItem)]
    assert [r.critic_slug for r in reviews] == [None, "b-critic", None]
    assert parsed_page.findings.stats == {"rottentomatoes_api/unreadable/critic_slug": 1}
    ((_, message),) = parsed_page.findings.messages
    assert "'not a slug'" in message and NAPI_URL in message


@pytest.mark.parametrize(
    ("urls", "year"),
    [
        (("https://www.rottentomatoes.com/m/arrival_2016/reviews",), 2016),
        (("https://www.rottentomatoes.com/m/the_ninth_ferry", None), None),
        (("file:///srv/page.html", "https://www.rottentomatoes.com/m/salt_meridian_2019"), 2019),
        (("https://www.rottentomatoes.com/m/2001_a_space_odyssey",), None),
        (("https://www.rottentomatoes.com/m/blade_runner_2049",), 2049),
    ],
)
def test_year_from_slug(urls: tuple[str | None, ...], year: int | None) -> None:
    assert rottentomatoes.year_from_slug(*urls) == year


def test_json_ld_year_wins_over_the_slug() -> None:
    (summary,), _ = parsed(
        "rottentomatoes/title-page.html", "https://www.rottentomatoes.com/m/the_ninth_ferry_2020"
    )
    assert summary.year == 2022  # "The Ninth Ferry (2022)"


def test_real_rt_title_page_year_and_no_imdb_id() -> None:
    text = reference("rottentomatoes/arrival-2016-title-page-trimmed.html").read_text()
    page = Page(url="https://www.rottentomatoes.com/m/arrival_2016", text=text)
    (summary,) = [o for o in rottentomatoes.parse(page) if isinstance(o, FilmSummaryItem)]
    assert (summary.title, summary.year) == ("Arrival", 2016)
    # Its people's sameAs links are RT pages, and nobody's IMDb title.
    assert summary.imdb_id is None


def test_json_ld_same_as_list_gives_the_imdb_id() -> None:
    (summary,), _ = parsed(
        "json_ld/same-as-imdb.html", "https://www.metacritic.com/movie/lanterns-over-vell/"
    )
    assert (summary.imdb_id, summary.path) == ("tt0934512", "json_ld")


def test_json_ld_same_as_string_of_the_film_not_of_the_web_page() -> None:
    (summary,), _ = parsed(
        "json_ld/same-as-string.html", "https://www.rottentomatoes.com/m/copperhead_road_trip"
    )
    assert (summary.imdb_id, summary.path) == ("tt11045120", "json_ld")


@pytest.mark.parametrize(
    ("same_as", "imdb"),
    [
        ("https://www.imdb.com/title/tt2543164/", "tt2543164"),
        (["https://example.org/x", {"@id": "https://m.imdb.com/title/tt0111161/"}], "tt0111161"),
        ("https://www.imdb.com/name/nm0000123/", None),  # a person
        ("https://www.imdb.com/title/tt12/", None),  # too short for an id
        (["https://example.org/a", 42, None], None),
        ({"unexpected": True}, None),
    ],
)
def test_imdb_id_from_same_as(same_as: object, imdb: str | None) -> None:
    node = {"@type": "Movie", "name": "Some Film (2014)", "sameAs": same_as}
    text = f'<script type="application/ld+json">{json.dumps(node)}</script>'
    found = json_ld.facts(Page(url="https://www.metacritic.com/movie/some-film/", text=text))
    assert found is not None and found.imdb_id == imdb
