"""Inputs benchmarks/fuzz_formats.py found crashing a format, kept as regressions."""

from __future__ import annotations

from reviewcrawler.identity import film_identity, site_of, slug_from_url
from tests.bad_input.harness import process

LEGACY_HEAD = b"""<html><head><link rel="canonical" href="http://[broken/movie/film"></head>
<body><div class="product_page_title"><h1>Film</h1></div>
<span class="score_description"><a href="/movie/film/critic-reviews"><span>Mixed</span>
<span class="based_on">based on , Critics</span></a></span>
<div class="distribution"><a class="metascore_anchor" href="/movie/film/critic-reviews">
<span class="metascore_w">,</span></a>
<div class="chart positive"><div class="count">,</div></div></div>
<div class="critic_reviews"><div class="review"><div class="metascore_w indiv">70</div>
<span class="source">Paper</span>
<div class="summary"><a class="no_hover" href="//[broken">Fine.</a></div></div></div>
<a href="http://[broken/movie/film/critic-reviews">broken link</a>
"""


def test_malformed_urls_name_no_site_and_no_slug() -> None:
    assert site_of("http://[broken/movie/x", "metacritic") == "metacritic"
    assert slug_from_url("http://[broken/movie/x") is None
    identity = film_identity(
        "https://www.rottentomatoes.com/m/x", "rottentomatoes", None, "http://["
    )
    assert identity.key == "rottentomatoes:x"


def test_a_count_made_of_commas_is_no_count() -> None:
    outcome = process(LEGACY_HEAD, "https://www.metacritic.com/movie/film", "text/html")
    (summary,) = outcome.summaries
    assert summary.stated_critic_count is None and summary.stated_metascore is None
    assert summary.stated_positive is None
    assert [review.quote for review in outcome.reviews] == ["Fine."]


def test_plain_text_with_a_comma_count_is_not_a_summary() -> None:
    page = b"Good reviews - based on , Critics\n\nCritic Reviews\n  1. 80\n    Fine.\n"
    assert process(page, "http://127.0.0.1:8/x.txt", "text/plain").format is None


def test_a_stated_count_beyond_any_film_costs_that_value_only() -> None:
    page = (
        b"Good reviews - based on 99999999999999999999 Critics\n\nCritic Reviews\n"
        b"  1. 80\n    Fine.\n"
    )
    outcome = process(page, "http://127.0.0.1:8/x.txt", "text/plain")
    assert not outcome.rejected and len(outcome.reviews) == 1
    (summary,) = outcome.summaries
    assert summary.stated_critic_count is None and summary.stated_label == "Good"
    assert outcome.stats["normalize/out_of_range/stated_critic_count"] == 1
