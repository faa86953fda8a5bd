"""The report's pure parts: bins, chart layout, link and file-name safety, figures."""

from __future__ import annotations

import pytest

from reviewcrawler.report import charts
from reviewcrawler.report.values import figure, http_url, page_name


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (0, "0-9"),
        (9, "0-9"),
        (39, "30-39"),
        (40, "40-49"),
        (50, "50-60"),
        (60, "50-60"),
        (61, "61-70"),
        (100, "91-100"),
    ],
)
def test_bins_follow_metacritic_bands(score: int, label: str) -> None:
    low, high = charts.BINS[charts.bin_of(score)]
    assert f"{low}-{high}" == label


def test_bins_cover_0_to_100_once() -> None:
    covered = [s for low, high in charts.BINS for s in range(low, high + 1)]
    assert covered == list(range(101))


def test_distribution_stacks_by_stored_sentiment() -> None:
    # A Rotten Tomatoes 2.5/5 (50) the site calls fresh counts as positive in 50-60.
    bins = charts.distribution([(50, "positive"), (55, "mixed"), (20, None), (95, "positive")])
    by_label = {b.label: b for b in bins}
    positive, mixed, _, none = (charts.SENTIMENTS.index(s) for s in charts.SENTIMENTS)
    assert by_label["50-60"].counts[positive] == 1
    assert by_label["50-60"].counts[mixed] == 1
    assert by_label["20-29"].counts[none] == 1
    assert sum(b.total for b in bins) == 4


def test_bar_chart_heights_are_proportional() -> None:
    bins = charts.distribution([(70, "positive")] * 4 + [(30, "negative")] * 2)
    chart = charts.bar_chart(bins)
    heights = {rect.bin_label: rect.height for rect in chart.rects}
    assert heights["61-70"] == pytest.approx(2 * heights["30-39"], abs=0.2)
    assert sum(rect.count for rect in chart.rects) == 6
    assert all(rect.y + rect.height <= chart.plot_bottom + 0.1 for rect in chart.rects)


def test_empty_distribution_draws_no_bars() -> None:
    chart = charts.bar_chart(charts.distribution([]))
    assert chart.rects == [] and len(chart.x_ticks) == len(charts.BINS)


def test_line_chart_breaks_on_missing_values() -> None:
    chart = charts.line_chart(["a", "b", "c", "d"], [("stated", "line-stated", [70, None, 72, 74])])
    (series,) = chart.series
    assert len(series.segments) == 2 and len(series.dots) == 3


def test_sparkline_needs_two_values() -> None:
    assert charts.sparkline([70]) == ""
    assert charts.sparkline([None, 70]) == ""
    assert len(charts.sparkline([60, 70, 80]).split()) == 3


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "//evil.example/x",
        "/relative",
        "file:///etc/passwd",
        "http:/missing-slash",
        "",
        None,
    ],
)
def test_only_http_urls_become_links(url: str | None) -> None:
    assert http_url(url) is None


def test_http_urls_are_kept() -> None:
    for url in ("https://paper.example/a?b=1#c", "HTTP://Paper.example/"):
        assert http_url(url) == url


def test_page_names_are_file_safe_and_distinct() -> None:
    keys = [
        "metacritic:her",
        "metacritic:game:elden-ring:pc",
        "file:Her",
        "file:her",
        "film:../../etc",
        "film:a b",
        "film:a_b",
        "film:a:b",
    ]
    names = [page_name(key) for key in keys]
    assert page_name("metacritic:her") == "metacritic_her.html"
    assert len(set(names)) == len(names)
    assert all("/" not in name and not name.startswith(".") for name in names)


def test_figures() -> None:
    assert figure(None) == "—"
    assert figure(64.22) == "64.22"
    assert figure(70.0) == "70"
    assert figure(75, percent=True) == "75%"
