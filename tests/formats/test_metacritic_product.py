"""The product endpoint (issue 27): every platform's summary and follow-ups from one
answer, each platform under its own key, its reviews asked with the platform as a path
segment."""

from __future__ import annotations

from reviewcrawler.formats import metacritic_product
from reviewcrawler.formats.page import Page
from reviewcrawler.items import FilmSummaryItem, FollowUp
from tests.conftest import FIXTURES

URL = "http://127.0.0.1:9/games/metacritic/tidewater-keep/web"


def test_one_answer_gives_every_platform() -> None:
    text = (FIXTURES / "formats" / "metacritic_product" / "game-three-platforms.json").read_text()
    page = Page(URL, text)
    assert metacritic_product.matches(page)
    outputs = list(metacritic_product.parse(page))
    summaries = [o for o in outputs if isinstance(o, FilmSummaryItem)]
    assert [s.film_key for s in summaries] == [
        "metacritic:game:tidewater-keep:playstation-5",
        "metacritic:game:tidewater-keep:pc",
        "metacritic:game:tidewater-keep:nintendo-switch",  # a legacy slug, canonicalized
    ]
    ps5, pc, switch = summaries
    assert (ps5.stated_metascore, ps5.stated_listed_count, ps5.stated_critic_count) == (85, 93, 90)
    assert (pc.stated_metascore, pc.stated_positive, pc.release_date, pc.platform) == (
        83,
        10,
        "2026-11-22",
        "PC",
    )
    # Nothing yet: no figures, not zeros; the title's release date stands in.
    assert (switch.stated_metascore, switch.stated_critic_count, switch.stated_positive) == (
        None,
        None,
        None,
    )
    assert switch.release_date == "2026-11-20"
    assert all(s.path == "api" for s in summaries)
    assert (ps5.title, ps5.genres, ps5.age_rating, ps5.developers, ps5.publishers) == (
        "Tidewater Keep",
        "Action, Adventure",
        "E10+",
        "Tide Works, Second Pier",
        "Harbor Games",
    )
    follow_ups = [o for o in outputs if isinstance(o, FollowUp)]
    paths = {f.url.split("?")[0].split("metacritic.com")[1] for f in follow_ups}
    assert "/reviews/metacritic/critic/games/tidewater-keep/platform/pc/web" in paths
    assert "/reviews/metacritic/critic/games/tidewater-keep/platform/pc/stats/web" in paths
    assert all("platform=" not in f.url for f in follow_ups)
    assert {f.film_key for f in follow_ups} == {s.film_key for s in summaries}


def test_other_answers_are_not_products() -> None:
    assert not metacritic_product.matches(Page(URL, '{"data": {"items": []}}'))
    assert not metacritic_product.matches(
        Page("http://127.0.0.1/reviews/metacritic/critic/games/x/web", '{"data": {"item": {}}}')
    )
