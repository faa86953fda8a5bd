"""Issue 28 in the report: the audience beside the critics (never merged) and the
title's facts, with text fields from crawled pages carrying injected markup.

*Ember Court* (Metacritic) states an audience summary (8.5/10 from 120 ratings) and
facts whose genres, director and age rating carry a ``<script>``, an ``<img
onerror>`` and an attribute breakout; *Salt Meridian* (Rotten Tomatoes) states
neither; *Quiet Lane* (a legacy page) states its audience's positive ratings alone.
Every payload would set ``window.__pwned`` if it ever ran.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from parsel import Selector

from reviewcrawler.cli import main
from reviewcrawler.items import FilmSummaryItem
from reviewcrawler.report import charts
from reviewcrawler.report.values import page_name
from reviewcrawler.report.writer import assets
from reviewcrawler.store.engine import dispose_engine, get_engine
from reviewcrawler.store.runs import start_run
from reviewcrawler.store.schema import upgrade
from reviewcrawler.store.summaries import refresh_summaries
from reviewcrawler.store.writer import StoreWriter
from tests.report.stores import review

EMBER = "metacritic:ember-court"
MERIDIAN = "rottentomatoes:salt-meridian"
LANE = "metacritic:quiet-lane"
INJECTED_GENRES = "Drama, <script>window.__pwned = 'genres'</script>Mystery"
INJECTED_DIRECTOR = "Ona Reyes <img src=x onerror=\"window.__pwned = 'director'\">"
INJECTED_RATING = "R\" onmouseover=\"window.__pwned='rating'"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('audience-store') / 'reviews.db'}"
    engine = get_engine(url)
    upgrade(engine)
    run_id = start_run(engine, "reviews", {})
    ember = FilmSummaryItem(
        film_key=EMBER,
        source_url="http://127.0.0.1/page",
        title="Ember Court",
        year=2025,
        stated_metascore=71,
        stated_critic_count=3,
        release_date="2025-09-04",
        genres=INJECTED_GENRES,
        age_rating=INJECTED_RATING,
        director=INJECTED_DIRECTOR,
        runtime=124,
        audience_score=8.5,
        audience_scale=10,
        audience_count=120,
        audience_positive=90,
        audience_mixed=20,
        audience_negative=10,
        path="api",
    )
    meridian = FilmSummaryItem(
        film_key=MERIDIAN,
        source_url="http://127.0.0.1/page",
        title="Salt Meridian",
        year=2023,
        stated_metascore=67,
    )
    lane = FilmSummaryItem(
        film_key=LANE,
        source_url="http://127.0.0.1/page",
        title="Quiet Lane",
        year=2019,
        audience_score=6.1,
        audience_scale=10,
        audience_count=2104,
        audience_positive=1022,
    )
    result = StoreWriter(engine, run_id).write_batch(
        [ember, meridian, lane],
        [
            review(EMBER, "Ivo Brandt", "The Lamp", "88", 88, "Warm."),
            review(EMBER, "Ruth Calder", "Weekly Reel", "55", 55, "Slight."),
            review(EMBER, "Tam Ochoa", "Night Edition", "30", 30, "Cold."),
            review(MERIDIAN, "Ada Fox", "Reel North", "4/5", 80, "Salty.", sentiment="positive"),
            review(
                MERIDIAN, "Lev Marr", "City Screen", None, None, "Drifts.", sentiment="negative"
            ),
        ],
    )
    refresh_summaries(engine, result.film_ids)
    yield url
    dispose_engine(url)


@pytest.fixture(scope="module")
def report(store: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("audience-report")
    result = CliRunner().invoke(main, ["report", "--out", str(out), "--database-url", store])
    assert result.exit_code == 0, result.output
    return out


def page(report: Path, key: str) -> Selector:
    return Selector(text=(report / "films" / page_name(key)).read_text(encoding="utf-8"))


def split_rows(html: Selector) -> dict[str, list[str]]:
    return {
        row.attrib["data-group"]: [
            row.css("th::text").get(),
            *row.css("td::attr(data-v)").getall(),
        ]
        for row in html.css("#split-table tbody tr")
    }


def test_film_page_draws_critics_and_audience_apart(report: Path) -> None:
    ember = page(report, EMBER)
    # One labelled row each: the critics' stored counts, the audience's stated ones.
    assert split_rows(ember) == {
        "critics": ["Critics", "1", "1", "1", "3"],
        "audience": ["Audience", "90", "20", "10", "120"],
    }
    chart = ember.css("#critics-audience svg")
    assert chart.css("text.group::text").getall() == ["Critics", "Audience"]
    for group, counts in (("critics", [1, 1, 1]), ("audience", [90, 20, 10])):
        rects = chart.css(f"rect.share[data-group='{group}']")
        assert [int(n) for n in rects.xpath("@data-count").getall()] == counts
        # Each bar is its own 100 %: the audience's 120 never add to the critics' 3.
        assert sum(float(w) for w in rects.xpath("@width").getall()) == pytest.approx(
            640 - 78 - 92, abs=0.5
        )
    assert chart.css("rect.share.a-positive title::text").get().startswith("Audience: 90 positive")
    legend = ember.css("#critics-audience .legend li::text").getall()
    assert "Critics: positive" in legend and "Audience: positive" in legend
    # The critics' score distribution still draws only the critics' scored reviews.
    assert sum(int(n) for n in ember.css("svg rect.bar::attr(data-count)").getall()) == 3


def test_audience_score_on_its_scale_and_on_100(report: Path) -> None:
    ember = page(report, EMBER)
    score = ember.css("#audience-score")
    assert score.css("::text").get() == "8.5/10"
    assert (score.attrib["data-v"], score.attrib["data-scale"]) == ("8.5", "10")
    note = ember.css("#audience-score-100")
    assert note.attrib["data-v"] == "85"
    assert note.css("::text").get() == "85 on 0-100 · 120 ratings"
    # The critics' own figures stay theirs.
    assert ember.css("#stated-score::text").get() == "71"
    assert ember.css("#computed-score::text").get() == "57.67"  # (88 + 55 + 30) / 3


def test_film_without_audience_or_facts_says_so(report: Path) -> None:
    meridian = page(report, MERIDIAN)
    assert meridian.css("#audience-score::text").get() == "—"
    assert meridian.css("#audience-score-100::text").get() == "no audience score stated"
    rows = split_rows(meridian)
    assert rows["audience"] == ["Audience", "", "", "", ""]  # not stated, not zero
    assert rows["critics"][0] == "Critics"
    assert "not stated" in meridian.css("#critics-audience svg text::text").getall()
    assert meridian.css("#critics-audience rect.share[data-group='audience']").getall() == []
    # Rotten Tomatoes' words are the critics' only.
    headings = meridian.css("#split-table thead th::text").getall()
    assert headings == ["Positive (fresh)", "Mixed", "Negative (rotten)", "All"]
    assert meridian.css("#facts.facts-none").get() is not None


def test_audience_split_stated_in_part_draws_no_shares(report: Path) -> None:
    lane = page(report, LANE)
    assert split_rows(lane)["audience"] == ["Audience", "1022", "", "", "2104"]
    assert lane.css("#critics-audience rect.share[data-group='audience']").getall() == []
    assert "split not stated in full" in lane.css("#critics-audience svg text::text").getall()
    assert lane.css("#audience-score::text").get() == "6.1/10"


def test_facts_are_listed(report: Path) -> None:
    facts = {
        item.attrib["data-field"]: (item.css("dt::text").get(), item.css("dd::text").get())
        for item in page(report, EMBER).css("#facts div")
    }
    assert facts == {
        "release_date": ("Released", "2025-09-04"),
        "genres": ("Genres", INJECTED_GENRES),
        "age_rating": ("Age rating", INJECTED_RATING),
        "director": ("Director", INJECTED_DIRECTOR),
        "runtime": ("Runtime", "124 min"),
    }


def test_injected_facts_are_text(report: Path) -> None:
    ember = page(report, EMBER)
    html = (report / "films" / page_name(EMBER)).read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html
    assert ember.xpath("//script/text()").getall() == [str(assets().script)]
    assert ember.xpath("//img").getall() == []
    assert ember.xpath("//@*[starts-with(name(), 'on')]").getall() == []
    assert INJECTED_GENRES in " ".join(ember.css("#facts ::text").getall())


def test_index_has_a_labelled_audience_column(report: Path) -> None:
    index = Selector(text=(report / "index.html").read_text(encoding="utf-8"))
    headings = [" ".join(th.css("::text").getall()).strip() for th in index.css("#films thead th")]
    assert "Audience" in headings
    assert headings.index("Audience") == headings.index("Computed") + 1
    column = index.css("#films thead th")[headings.index("Audience")]
    assert "never counted with the critics" in column.attrib["title"]
    cells = {row.attrib["data-key"]: row.css("td.audience") for row in index.css("#films tbody tr")}
    ember = cells[EMBER]
    assert ember.attrib["data-v"] == "85"
    assert ember.css("::text").get() == "85"
    assert ember.css(".scale::text").get() == "8.5/10"
    assert ember.attrib["title"] == "Audience: 8.5/10 · 120 ratings"
    assert (cells[MERIDIAN].attrib["data-v"], cells[MERIDIAN].css("::text").get()) == ("", "—")


def test_no_payload_runs_in_a_browser(report: Path) -> None:
    """The film page with the injected facts, scripts on, in Debian's Chromium."""
    from tests.report.test_browser import BROWSER_ARGS, CHROMIUM, _require_browser

    sync_playwright = _require_browser()
    errors: list[str] = []
    requests: list[str] = []
    own = report.resolve().as_uri() + "/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            context = browser.new_context()
            context.on("request", lambda request: requests.append(request.url))

            def console(message: Any) -> None:
                if message.type == "error":
                    errors.append(message.text)

            context.on("console", console)
            film = context.new_page()
            film.goto((report / "films" / page_name(EMBER)).resolve().as_uri())
            film.hover("#facts")
            assert film.evaluate("window.__pwned") is None
            assert film.locator("#facts script, #facts img").count() == 0
            assert INJECTED_GENRES in film.locator("#facts").inner_text()
            assert film.locator("#split-table tbody tr").count() == 2
        finally:
            browser.close()
    assert [url for url in requests if not url.startswith(own)] == []
    assert errors == []


def test_share_chart_scales_each_group_to_its_own_total() -> None:
    chart = charts.share_chart([("critics", (3, 1, 0)), ("audience", (900, 0, 100))])
    critics, audience = chart.rows
    assert (critics.total, audience.total) == (4, 1000)
    assert [(s.sentiment, s.count, s.share) for s in critics.segments] == [
        ("positive", 3, 75.0),
        ("mixed", 1, 25.0),
    ]
    assert [(s.sentiment, s.share) for s in audience.segments] == [
        ("positive", 90.0),
        ("negative", 10.0),
    ]
    width = chart.plot_right - chart.plot_left
    for row in chart.rows:
        assert sum(s.width for s in row.segments) == pytest.approx(width, abs=0.2)
        assert row.segments[0].x == chart.plot_left
    assert audience.y > critics.y + critics.height  # one bar each, never stacked together
    empty = charts.share_chart([("audience", (None, None, None))]).rows[0]
    assert (empty.total, empty.segments, empty.complete) == (0, [], False)
    # Only the positive ratings stated (a legacy Metacritic page): no shares of a part.
    partial = charts.share_chart([("audience", (1022, None, None))]).rows[0]
    assert (partial.total, partial.segments, partial.complete) == (1022, [], False)
