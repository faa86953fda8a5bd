"""The audience beside the critics, never mixed; the facts that identify a title (issue 28).

Each fixture page is read and normalized as a crawl reads it (``reading.read_page``):
the critics' stated figures must be what they were before the audience was read (the
values the goldens held), the audience's figures the page's, in their own fields and
on the summary of the path they came from. Bad audience values cost only themselves.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reviewcrawler.formats import parse_page
from reviewcrawler.formats.json_ld import minutes
from reviewcrawler.formats.page import Page
from reviewcrawler.items import AUDIENCE_FIELDS, STATED_FIELDS, FilmSummaryItem
from reviewcrawler.reading import read_page
from tests.formats.golden import FORMAT_FIXTURES, page_for, read_golden


def _page(name: str, text: str | None) -> Page:
    fixture = FORMAT_FIXTURES / name
    page = page_for(fixture, read_golden(fixture))
    return page if text is None else Page(url=page.url, text=text)


def _by_path(outputs: list[Any]) -> dict[str, FilmSummaryItem]:
    summaries = [o for o in outputs if isinstance(o, FilmSummaryItem)]
    by_path = {summary.path: summary for summary in summaries}
    assert len(by_path) == len(summaries), "one summary per path"
    return by_path


def _read(name: str, text: str | None = None) -> tuple[dict[str, FilmSummaryItem], Any]:
    """A fixture read and normalized: its summaries by path, and the findings."""
    parsed = read_page(_page(name, text))
    assert parsed.error is None, parsed.error
    return _by_path(parsed.outputs), parsed.findings


def _raw(name: str, text: str | None = None) -> dict[str, FilmSummaryItem]:
    """A fixture's summaries by path as the format yields them (what goldens record)."""
    parsed = parse_page(_page(name, text))
    assert parsed.error is None, parsed.error
    return _by_path(parsed.outputs)


def _stated(summary: FilmSummaryItem) -> dict[str, object]:
    return {name: getattr(summary, name) for name in STATED_FIELDS}


def _audience(summary: FilmSummaryItem) -> tuple[object, ...]:
    return tuple(getattr(summary, name) for name in AUDIENCE_FIELDS)


NO_AUDIENCE = (None,) * len(AUDIENCE_FIELDS)


def _figures(
    label: str | None,
    count: int | None,
    listed: int | None,
    score: int | None,
    buckets: tuple[int | None, int | None, int | None],
) -> dict[str, object]:
    return dict(
        zip(STATED_FIELDS, (label, count, listed, score, *buckets), strict=True),
    )


# --- Metacritic 2026: page data and the user score badge -----------------------------


def test_2026_title_page_states_the_audience_apart_from_the_critics() -> None:
    name = "metacritic_2026/movie-title-page.html"
    raw = _raw(name)
    # The critics' figures, as the golden held them before the audience was read.
    critics = _figures("Generally favorable", 6, 6, 74, (4, 1, 1))
    assert _stated(raw["page_data"]) == critics
    assert _stated(raw["html"]) == critics
    assert _stated(raw["json_ld"]) == _figures(None, 6, None, 74, (None, None, None))
    summaries, _ = _read(name)
    # The page data's user-score-summary: 7.9 of 10 from 212 ratings, on its own path.
    assert _audience(summaries["page_data"]) == (7.9, 10, 212, None, None, None)
    assert _audience(summaries["json_ld"]) == NO_AUDIENCE  # aggregateRating is the critics'
    assert summaries["page_data"].release_date == "2025-02-28"
    assert summaries["json_ld"].release_date == "2025-03-14"


def test_2026_page_with_every_audience_figure_and_fact() -> None:
    summaries, findings = _read("metacritic_2026/movie-title-page-audience-and-facts.html")
    data, html, ld = summaries["page_data"], summaries["html"], summaries["json_ld"]
    assert _stated(data) == _figures("Generally favorable", 8, 9, 72, (5, 2, 1))
    assert _stated(html) == _figures("Generally favorable", 8, 9, 72, (5, 2, 1))
    # Every figure of the user-score-summary, and none of them in the critics' fields.
    assert _audience(data) == (6.4, 10, 143, 81, 27, 35)
    # The rendered badge states the score and its scale, no count.
    assert _audience(html) == (6.4, 10, None, None, None, None)
    assert (data.release_date, data.genres, data.age_rating) == (
        "2024-09-27",
        "Drama, Mystery",
        "PG-13",
    )
    assert (data.director, data.runtime) == ("Lena Voss", 112)
    assert data.developers is None and data.publishers is None  # a production company is neither
    assert (ld.genres, ld.age_rating, ld.director, ld.runtime) == (
        "Drama, Mystery",
        "PG-13",
        "Lena Voss",
        112,
    )
    assert not [stat for stat in findings.stats if "audience" in stat]


def test_2026_show_with_no_user_ratings_has_no_audience_score() -> None:
    summaries, findings = _read("metacritic_2026/tv-title-page-facts-no-user-ratings.html")
    data = summaries["page_data"]
    assert _stated(data) == _figures("Generally favorable", 12, None, 77, (10, 2, 0))
    # score 0 from 0 ratings is no score; the html badge says "tbd".
    assert data.audience_score is None and data.audience_count == 0
    assert summaries["html"].audience_score is None
    assert (data.network, data.seasons, data.age_rating, data.genres) == (
        "Estuary Channel",
        3,
        "TV-MA",
        "Crime, Drama",
    )
    assert data.release_date == "2021-04-11"
    assert not findings.stats["normalize/out_of_range/audience_score"]


def _devalue(root: Any) -> str:
    """A structure as Nuxt 3's flat devalue array (entry 0 is the root)."""
    flat: list[Any] = []

    def add(value: Any) -> int:
        at = len(flat)
        flat.append(None)
        if isinstance(value, dict):
            flat[at] = {key: add(item) for key, item in value.items()}
        elif isinstance(value, list):
            flat[at] = [add(item) for item in value]
        else:
            flat[at] = value
        return at

    add(root)
    return json.dumps(flat)


def _page_data_page(user_summary: dict[str, Any]) -> str:
    def component(name: str, item: dict[str, Any]) -> dict[str, Any]:
        return {"meta": {"componentName": name}, "data": {"item": item}}

    critics = {"score": 64, "max": 100, "reviewCount": 10, "positiveCount": 5}
    critics |= {"neutralCount": 4, "negativeCount": 1, "sentiment": "Generally favorable"}
    data = {
        "data": {
            "loadPage:movies:tin-harbour:": {
                "components": [
                    component("product", {"title": "Tin Harbour", "releaseDate": "2020-05-01"}),
                    component("critic-score-summary", critics),
                    component("user-score-summary", user_summary),
                ]
            }
        }
    }
    return (
        '<html><head><link rel="canonical" href="https://www.metacritic.com/movie/tin-harbour/">'
        '</head><body><script type="application/json" id="__NUXT_DATA__">'
        f"{_devalue(data)}</script></body></html>"
    )


@pytest.mark.parametrize(
    ("user_summary", "stat", "field"),
    [
        ({"score": 11, "max": 10, "reviewCount": 40}, "out_of_range", "audience_score"),
        ({"score": 7.1, "max": 10, "reviewCount": -3}, "out_of_range", "audience_count"),
        ({"score": "7.5", "max": 10, "reviewCount": 40}, "wrong_type", "audience_score"),
        (
            {"score": 7.1, "max": 10, "reviewCount": 40, "negativeCount": -1},
            "out_of_range",
            "audience_negative",
        ),
    ],
)
def test_bad_page_data_audience_values_cost_only_themselves(
    user_summary: dict[str, Any], stat: str, field: str
) -> None:
    page = Page(
        url="https://www.metacritic.com/movie/tin-harbour/", text=_page_data_page(user_summary)
    )
    parsed = read_page(page)
    (data,) = [
        o for o in parsed.outputs if isinstance(o, FilmSummaryItem) and o.path == "page_data"
    ]
    assert getattr(data, field) is None
    assert parsed.findings.stats[f"normalize/{stat}/{field}"] == 1
    # The critics' figures are untouched.
    assert _stated(data) == _figures("Generally favorable", 10, None, 64, (5, 4, 1))
    assert data.release_date == "2020-05-01"


# --- Legacy product and movie pages --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "critics", "audience", "release"),
    [
        (
            "metacritic_legacy/game-product-page-distributions.html",
            _figures("Generally favorable reviews", 19, None, 71, (12, 5, 2)),
            (5.8, 10, 260, 140, 70, 50),
            "2022-10-05",
        ),
        (
            "metacritic_legacy/tv-show-page-distributions.html",
            _figures("Generally favorable reviews", 7, None, 68, (4, 2, 1)),
            (7.4, 10, 47, 30, 5, 12),
            "2018-09-20",
        ),
    ],
)
def test_legacy_product_pages_read_both_blocks_apart(
    name: str, critics: dict[str, object], audience: tuple[object, ...], release: str
) -> None:
    assert _stated(_raw(name)["html"]) == critics
    summaries, _ = _read(name)
    html = summaries["html"]
    assert _audience(html) == audience
    assert html.release_date == release


def test_legacy_game_page_facts_and_audience() -> None:
    summaries, _ = _read("metacritic_legacy/game-product-page-audience-and-facts.html")
    html = summaries["html"]
    assert _stated(html) == _figures("Universal acclaim", 24, None, 82, (21, 3, 0))
    assert _audience(html) == (6.9, 10, 1042, 610, 190, 242)
    assert (html.developers, html.publishers) == (
        "Ashglaze Works, Second Firing",
        "Potter's Wheel Games",
    )
    assert (html.genres, html.age_rating, html.release_date) == (
        "Simulation, Crafting",
        "E10+",
        "2020-02-08",
    )


def test_legacy_movie_page_reads_the_user_chart_not_a_viewers_own_score() -> None:
    name = "metacritic_legacy/movie-page-audience-and-details.html"
    assert _stated(_raw(name)["html"]) == _figures(
        "Mixed or average reviews", 18, None, 58, (7, 8, 3)
    )
    summaries, _ = _read(name)
    html = summaries["html"]
    # 9.0 is the "Your Score" popup's: the audience's score is 7.3.
    assert _audience(html) == (7.3, 10, 312, 201, 64, 47)
    assert (html.director, html.genres, html.age_rating, html.runtime) == (
        "Oona Fell",
        "Thriller, Drama",
        "PG-13",
        109,
    )


def test_legacy_season_page_gives_none_of_the_seasons_figures_to_the_show() -> None:
    summaries, _ = _read("metacritic_legacy/tv-season-page.html")
    html = summaries["html"]
    assert _audience(html) == NO_AUDIENCE
    assert html.release_date is None  # the season's premiere, not the show's
    assert html.network == "Tidewater One"


def test_legacy_user_score_out_of_range_is_dropped_and_counted() -> None:
    name = "metacritic_legacy/game-product-page-distributions.html"
    text = (
        (FORMAT_FIXTURES / name)
        .read_text(encoding="utf-8")
        .replace(
            '<div class="metascore_w user large game mixed">5.8</div>',
            '<div class="metascore_w user large game mixed">11</div>',
        )
    )
    summaries, findings = _read(name, text)
    html = summaries["html"]
    assert html.audience_score is None
    assert findings.stats["normalize/out_of_range/audience_score"] == 1
    assert _stated(html) == _stated(_read(name)[0]["html"])  # the critics' as without it
    assert html.audience_count == 260


# --- Rotten Tomatoes ----------------------------------------------------------------


def test_rt_title_page_audience_score_from_the_scorecard_json() -> None:
    name = "rottentomatoes/title-page.html"
    assert _stated(_raw(name)["html"]) == _figures(None, 38, None, 71, (27, None, 11))
    summaries, _ = _read(name)
    html = summaries["html"]
    # "250+ Ratings" is a band, not a count.
    assert _audience(html) == (64.0, 100, None, None, None, None)


def test_rt_title_page_audience_counts_and_json_ld_facts() -> None:
    name = "rottentomatoes/title-page-audience-and-facts.html"
    assert _stated(_raw(name)["html"]) == _figures(None, 112, None, 86, (96, None, 16))
    summaries, _ = _read(name)
    html = summaries["html"]
    assert _audience(html) == (79.0, 100, 2622, 2071, None, 551)
    # datePublished, not dateCreated (RT's record date).
    assert html.release_date == "2019-06-21"
    assert (html.genres, html.age_rating, html.runtime) == ("Drama, War", "R", 127)
    assert html.director == "Ines Halloran, Teodor Vance"


def test_rt_audience_falls_back_to_the_rendered_scorecard() -> None:
    name = "rottentomatoes/title-page-audience-and-facts.html"
    text = (FORMAT_FIXTURES / name).read_text(encoding="utf-8")
    start = text.index('<script id="media-scorecard-json"')
    text = text[:start] + text[text.index("</script>", start) + len("</script>") :]
    text = text.replace("2,500+ Ratings", "2,622 Ratings")
    summaries, _ = _read(name, text)
    html = summaries["html"]
    assert _audience(html) == (79.0, 100, 2622, None, None, None)
    assert (html.stated_metascore, html.stated_critic_count) == (86, 112)


# --- JSON-LD ------------------------------------------------------------------------


def test_json_ld_tv_series_facts() -> None:
    summaries, _ = _read("json_ld/tv-series-facts.html")
    ld = summaries["json_ld"]
    assert (ld.stated_metascore, ld.stated_critic_count) == (66, 14)
    assert _audience(ld) == NO_AUDIENCE
    assert (ld.genres, ld.age_rating, ld.director, ld.seasons, ld.runtime) == (
        "Science Fiction",
        "TV-14",
        "Maren Quist",
        2,
        48,
    )
    assert ld.release_date == "2022-10-02"


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        ("PT2H15M", 135),
        ("PT116M", 116),
        ("PT1H", 60),
        ("126 min", 126),
        ("PT1M56S", None),  # Metacritic's 1 h 56 min, or 116 seconds: not guessed
        (116, None),  # no unit
        ("soon", None),
    ],
)
def test_durations(duration: object, expected: int | None) -> None:
    assert minutes(duration) == expected


def test_reference_pages_state_their_facts_and_audience() -> None:
    reference = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
    if not reference.is_dir():
        pytest.skip("the reference pages are not beside the checkout")
    her = reference / "metacritic-legacy" / "her-2013-movie-page.html"
    parsed = parse_page(
        Page("https://www.metacritic.com/movie/her", her.read_text(encoding="utf-8"))
    )
    (summary,) = [o for o in parsed.outputs if isinstance(o, FilmSummaryItem)]
    assert (summary.stated_metascore, summary.stated_critic_count) == (90, 46)
    assert (summary.audience_score, summary.audience_count) == (8.6, 1376)
    assert (summary.director, summary.runtime, summary.age_rating) == ("Spike Jonze", 126, "R")
    arrival = reference / "rottentomatoes" / "arrival-2016-title-page-trimmed.html"
    parsed = parse_page(
        Page("https://www.rottentomatoes.com/m/arrival_2016", arrival.read_text(encoding="utf-8"))
    )
    (summary,) = [o for o in parsed.outputs if isinstance(o, FilmSummaryItem)]
    assert (summary.stated_metascore, summary.audience_score, summary.audience_scale) == (
        94,
        83.0,
        100,
    )
    assert summary.audience_count is None  # "50,000+ Ratings" is a band
    assert summary.release_date is None  # dateCreated is the record's date
