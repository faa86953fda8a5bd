"""Each format over the real pages in ../shared/reference, asserting the facts FORMATS.md lists.

The pages are read in place (never copied into the project); every test skips
when the folder is absent, as it is in a fresh clone.
"""

from __future__ import annotations

from reviewcrawler.formats import detect
from reviewcrawler.formats.page import Page
from reviewcrawler.items import FilmSummaryItem, FollowUp, ReviewItem
from reviewcrawler.normalize.dates import iso_date
from reviewcrawler.normalize.items import normalize_summary
from reviewcrawler.normalize.scores import score_from_original
from reviewcrawler.normalize.text import clean_critic
from tests.conftest import reference


def parsed(
    relative: str, url: str, expected_format: str
) -> tuple[list[FilmSummaryItem], list[ReviewItem], list[FollowUp]]:
    page = Page(url=url, text=reference(relative).read_text(encoding="utf-8"))
    fmt = detect(page)
    assert fmt is not None
    assert expected_format == fmt.NAME
    outputs = list(fmt.parse(page))
    return (
        [o for o in outputs if isinstance(o, FilmSummaryItem)],
        [o for o in outputs if isinstance(o, ReviewItem)],
        [o for o in outputs if isinstance(o, FollowUp)],
    )


def test_seed_plain_text() -> None:
    (summary,), reviews, _ = parsed(
        "seed/pusher-1996-critic-reviews.txt",
        "https://www.metacritic.com/movie/pusher/critic-reviews",
        "plain_text",
    )
    assert summary.film_key == "metacritic:pusher"
    assert (summary.stated_label, summary.stated_critic_count) == ("Generally favorable", 11)
    # Mixed is missing from the page; normalization derives it as N minus the others.
    assert (summary.stated_positive, summary.stated_mixed, summary.stated_negative) == (9, None, 0)
    normalize_summary(summary)
    assert (summary.stated_positive, summary.stated_mixed, summary.stated_negative) == (9, 2, 0)
    assert len(reviews) == 11
    assert reviews[0].critic == "Noel Murray"
    assert iso_date(reviews[0].published_on) == "2013-07-15"
    assert (reviews[1].critic, reviews[1].original_score) == (None, "80")
    assert clean_critic(reviews[2].critic) is None  # Staff [Not Credited]


def test_legacy_her_page() -> None:
    (summary,), reviews, _ = parsed(
        "metacritic-legacy/her-2013-movie-page.html",
        "https://www.metacritic.com/movie/her",
        "metacritic_legacy",
    )
    assert (summary.film_key, summary.title, summary.year) == ("metacritic:her", "Her", 2013)
    assert (summary.stated_label, summary.stated_critic_count) == ("Universal acclaim", 46)
    assert summary.stated_metascore == 90
    assert (summary.stated_positive, summary.stated_mixed, summary.stated_negative) == (42, 4, 0)
    # The page's 14 review blocks are 7 critic reviews and 7 user reviews.
    assert len(reviews) == 7
    assert all(r.publication and r.quote and r.original_score for r in reviews)
    assert iso_date("Jan  9, 2014") in {iso_date(r.published_on) for r in reviews}


def test_arrival_2026_cards() -> None:
    summaries, reviews, follow_ups = parsed(
        "metacritic-2026/arrival-2016-critic-reviews-trimmed.html",
        "https://www.metacritic.com/movie/arrival/critic-reviews/",
        "metacritic_2026",
    )
    assert [s.film_key for s in summaries] == ["metacritic:arrival"]
    assert [r.publication for r in reviews] == ["The Telegraph", "Consequence", "Total Film"]
    assert [clean_critic(r.critic) for r in reviews] == [
        "Robbie Collin",
        "Sarah Kurchak",
        "Matt Maytum",
    ]
    assert [score_from_original(r.original_score) for r in reviews] == [100, 100, 100]
    assert [iso_date(r.published_on) for r in reviews] == [
        "2016-09-01",
        "2016-09-11",
        "2016-10-24",
    ]
    assert reviews[0].quote == "This is riveting, dizzying stuff from Villeneuve."
    assert reviews[1].quote == "[A] truly remarkable film."
    assert reviews[0].review_url is not None
    assert reviews[0].review_url.startswith("http://www.telegraph.co.uk/films/2016/09/01/")
    assert [r.critic_slug for r in reviews] == ["robbie-collin", "sarah-kurchak", "matt-maytum"]
    assert {r.path for r in reviews} == {"html"}
    # Only ten cards are ever rendered: the film goes on through the API, and its stats.
    api, stats = follow_ups
    assert (api.api, stats.api) == ("metacritic", "metacritic")
    assert "/reviews/metacritic/critic/movies/arrival/web?offset=0" in api.url
    assert "/reviews/metacritic/critic/movies/arrival/stats/web" in stats.url


def test_arrival_2026_title_page_json_ld() -> None:
    (summary,), reviews, follow_ups = parsed(
        "metacritic-2026/arrival-2016-title-page-trimmed.html",
        "https://www.metacritic.com/movie/arrival/",
        "json_ld",
    )
    assert reviews == []
    assert (summary.film_key, summary.title, summary.year) == (
        "metacritic:arrival",
        "Arrival",
        2016,
    )
    assert (summary.stated_metascore, summary.stated_critic_count) == (81, 52)
    assert [f.api for f in follow_ups] == ["metacritic"]


def test_silksong_score_card_and_counts() -> None:
    (summary,), reviews, follow_ups = parsed(
        "metacritic-2026/silksong-critic-reviews-summary-excerpt.html",
        "https://www.metacritic.com/game/hollow-knight-silksong/critic-reviews/",
        "metacritic_2026",
    )
    # A game's key names its platform: the URL names none, the page's filter says PC.
    assert summary.film_key == "metacritic:game:hollow-knight-silksong:pc"
    assert (summary.media, summary.platform) == ("game", "PC")
    assert summary.title == "Hollow Knight: Silksong"
    assert (summary.stated_label, summary.stated_metascore) == ("Universal Acclaim", 90)
    assert (summary.stated_positive, summary.stated_mixed, summary.stated_negative) == (43, 2, 0)
    # The Metascore is based on 43 + 2 + 0; "Showing 49 Critic Reviews" is the listed count.
    assert (summary.stated_critic_count, summary.stated_listed_count) == (45, 49)
    (review,) = reviews
    assert (review.publication, review.original_score) == ("GamingBolt", "100")
    assert review.critic is None  # game cards name the platform, not the critic
    assert review.quote is not None and review.quote.startswith("Challenging, frustrating")
    assert iso_date(review.published_on) == "2025-09-08"
    # The games API, for the page's own platform (a path segment, never a query).
    assert [f.url.split("?")[0].rsplit("/critic/", 1)[1] for f in follow_ups] == [
        "games/hollow-knight-silksong/platform/pc/web",
        "games/hollow-knight-silksong/platform/pc/stats/web",
    ]
    assert not any("platform=" in f.url for f in follow_ups)


def test_rotten_tomatoes_title_page() -> None:
    (summary,), reviews, follow_ups = parsed(
        "rottentomatoes/arrival-2016-title-page-trimmed.html",
        "https://www.rottentomatoes.com/m/arrival_2016",
        "rottentomatoes",
    )
    assert reviews == []
    assert summary.film_key == "rottentomatoes:arrival_2016"
    assert (summary.title, summary.year) == ("Arrival", 2016)
    # Tomatometer 94% of 441 reviews: the scorecard and the JSON-LD agree.
    assert (summary.stated_metascore, summary.stated_critic_count) == (94, 441)
    assert [f.url for f in follow_ups] == ["https://www.rottentomatoes.com/m/arrival_2016/reviews"]


def test_rotten_tomatoes_json_ld_alone() -> None:
    """Without the scorecard markup, the JSON-LD format reads the same stated facts."""
    text = reference("rottentomatoes/arrival-2016-title-page-trimmed.html").read_text()
    head_only = text.split("<body>")[0] + "<body></body></html>"
    page = Page(url="https://www.rottentomatoes.com/m/arrival_2016", text=head_only)
    fmt = detect(page)
    assert fmt is not None and fmt.NAME == "json_ld"
    (summary,) = list(fmt.parse(page))
    assert isinstance(summary, FilmSummaryItem)
    assert summary.film_key == "rottentomatoes:arrival_2016"
    assert (summary.stated_metascore, summary.stated_critic_count) == (94, 441)


def test_silksong_saved_without_its_url_is_still_the_game_on_its_platform() -> None:
    # Read from a file: no canonical link, but the header menu links the game's own
    # critic-reviews page and the platform filter names PC.
    path = reference("metacritic-2026/silksong-critic-reviews-summary-excerpt.html")
    summaries, _, follow_ups = parsed(
        "metacritic-2026/silksong-critic-reviews-summary-excerpt.html",
        path.resolve().as_uri(),
        "metacritic_2026",
    )
    assert {s.film_key for s in summaries} == {"metacritic:game:hollow-knight-silksong:pc"}
    assert follow_ups == []  # a saved page is read offline
