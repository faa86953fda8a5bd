"""Metacritic's current (2025-2026, Nuxt 3) pages: movies, TV shows and games, title
pages and critic-reviews pages alike.

One page carries its data up to three ways here, and the format reads them all,
each item tagged with its ``path`` (items.PATHS; pipelines/dedupe.py reconciles them):

* ``page_data``: ``<script id="__NUXT_DATA__">`` (formats/metacritic_page_data.py):
  the product and its facts, the critic score summary, the critic reviews and the
  audience's ``user-score-summary``. It alone gives the reviews and the summary when
  the cards and the score card are gone.
* ``json_ld``: a title page's schema.org ``aggregateRating`` and the title's facts
  (formats/json_ld.py).
* ``html``: the cards ``div[data-testid="review-card"]``: date
  ``[data-testid="review-card-date"]``; ``a[data-testid="review-card-header"]``
  holds the score badge (``div.c-siteReviewScore``) and then the publication's
  name as a text node, so the badge's text is left out of the publication; quote
  ``[data-testid="review-quote-text"]``; critic ``a.movie-review-footer__author``
  (``By Robbie Collin``, href ``/critic/<slug>/``); full review: the footer's
  ``a[target=_blank]``; games' footers name the platform, not a critic. Score card
  ``[data-testid="score-card-overview"]``: label ``.score-sentiment__texts``,
  metascore ``.c-siteReviewScore``, one row per positive/mixed/negative
  (``<label> ... <span>43</span><span>(96%)</span>``) and ``div.count``
  (``Showing 49 Critic Reviews``: the listed count, not the count the score is
  based on, which is positive + mixed + negative). The user score is a badge of its
  own, outside the score card: ``title="User score 8.2 out of 10"`` around
  ``<span>8.2</span>`` (``User score null out of 10`` / ``tbd`` when there is none).

The audience's figures go on the summary of the path they were read from, in their
own fields (``audience_*``), never in the critics' ``stated_*`` ones.

The page yields one summary per path that states anything, and every path's
reviews (page data first). Season pages (``/tv/<slug>/season-<n>/``) are the show's
film with their season on each review; their score card, user score and release
date are the season's, so none of them is given as the show's. Only about ten cards are rendered:
the page hands the crawl to the backend API (``metacritic_api``), which lists every
review (for games, of the page's platform).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import replace

from parsel import Selector

from reviewcrawler.formats import json_ld, metacritic_api, metacritic_page_data, nuxt_data
from reviewcrawler.formats.html import canonical_url, first_int, node_text
from reviewcrawler.formats.json_values import integer as _int
from reviewcrawler.formats.json_values import text as _text
from reviewcrawler.formats.links import absolute
from reviewcrawler.formats.metacritic_page_data import PageData
from reviewcrawler.formats.page import Page
from reviewcrawler.formats.problems import Problem
from reviewcrawler.formats.title_element import name_from_title_element
from reviewcrawler.identity import UrlFilm, film_identity, media_of_key, with_platform
from reviewcrawler.items import (
    AUDIENCE_FIELDS,
    STATED_FIELDS,
    FilmSummaryItem,
    FollowUp,
    ReviewItem,
)
from reviewcrawler.normalize.text import comparable

NAME = "metacritic_2026"
SITE = "metacritic"

_SHOWING = re.compile(r"Showing\s+([\d,]+)\s+Critic\s+Reviews?", re.IGNORECASE)
#: What a card's score badge shows for a review Metacritic has not scored: no score.
_NO_SCORE = {"tbd", "-", ""}
_CRITIC_HREF = re.compile(r"/critic/([^/?#]+)")
#: The user score badge's title (and aria-label): ``User score 8.2 out of 10``.
_USER_SCORE = re.compile(
    r"^\s*User\s+score\s+(?P<score>\S+)\s+out\s+of\s+(?P<scale>\d+)", re.IGNORECASE
)
_USER_BADGES = (
    "//*[starts-with(normalize-space(@title), 'User score')"
    " or starts-with(normalize-space(@aria-label), 'User score')]"
)
#: What a season page states of its season, not of the show: left off its summaries.
_SEASONS_OWN = (*STATED_FIELDS, *AUDIENCE_FIELDS, "release_date", "seasons")
_CARD = "[data-testid='review-card']"
_MARKERS = ("review-card", "product-reviews", "score-card-overview")
#: Page data of Metacritic's (not merely of some Nuxt 3 site): its component names.
_PAGE_DATA_MARKERS = ("critic-score-summary", "critic-reviews", "loadPage:")
_PROBLEM_WORDS = {
    "malformed": "is not valid JSON",
    "truncated": "is cut off",
    "not_devalue": "is not a devalue array",
    "too_deep": "nests too deep (cut there)",
    "lists_contradict_summary": "lists reviews its own summary contradicts",
}


def matches(page: Page) -> bool:
    text = page.text
    if any(f'data-testid="{marker}"' in text for marker in _MARKERS) and page.selector.css(
        ", ".join(f"[data-testid='{m}']" for m in _MARKERS)
    ):
        return True
    # A page whose markup changed but whose page data is Metacritic's.
    return "__NUXT_DATA__" in text and any(marker in text for marker in _PAGE_DATA_MARKERS)


def lists_reviews(page: Page) -> bool:
    """A page meant to list reviews: none found while it states critics means drift."""
    return bool(
        page.selector.css("[data-testid='product-reviews'], [data-testid='score-card-overview']")
    ) or ("critic-reviews" in page.text and "__NUXT_DATA__" in page.text)


def parse(page: Page) -> Iterator[ReviewItem | FilmSummaryItem | FollowUp | Problem]:
    sel = page.selector
    canonical = canonical_url(sel) or _header_link(sel)
    data = metacritic_page_data.read(nuxt_data.payload_text(sel))
    yield from _problems(data, page.url)
    film_key = _film_key(page, canonical, data, html_platform(sel))
    season = metacritic_api.season_of_url(page.url) or metacritic_api.season_of_url(canonical)
    summaries = [
        _page_data_summary(data, page, film_key, canonical),
        _json_ld_summary(page, film_key),
        _html_summary(sel, page, film_key, canonical),
    ]
    for summary in summaries:
        if summary is not None:
            # A season page states the season's figures, not the show's.
            yield _without_seasons_own(summary) if season else summary
    from_data = [
        metacritic_api.review_from_item(item, film_key, page.url, "page_data", season)
        for item in data.reviews
    ]
    yield from from_data
    for card in sel.css(_CARD):
        yield _review(card, page.url, film_key, season, from_data)
    yield from metacritic_api.follow_ups_for_key(film_key, page.url)


def _problems(data: PageData, url: str) -> Iterator[Problem]:
    for reason in dict.fromkeys(data.problems):
        component = reason.split("/", 1)[-1]
        what = _PROBLEM_WORDS.get(reason) or f"has a {component} component of the wrong type"
        yield Problem(
            f"page_data/problems/{reason.split('/', 1)[0]}",
            f"The page data (__NUXT_DATA__) of {url} {what}; the page's other data is kept",
        )


def _header_link(sel: Selector) -> str | None:
    """A saved page without a canonical link still names its product: the header menu
    links its own critic-reviews page (``/game/<slug>/critic-reviews/``)."""
    href = sel.css(
        "[data-testid='global-header-menu'] a[href*='/critic-reviews']::attr(href)"
    ).get()
    return absolute(metacritic_api.PUBLIC_SITE, href) if href else None


def html_platform(sel: Selector) -> str | None:
    """The platform a game page shows: its platform filter's choice, else a card's."""
    chosen = sel.css(
        "[data-testid='reviews-platform-filter'] [data-testid='dropdown-v2-trigger'] span"
    )
    return node_text(chosen[:1] or None) or node_text(
        sel.css("[data-testid='review-platform']")[:1] or None
    )


def _film_key(page: Page, canonical: str | None, data: PageData, platform: str | None) -> str:
    """The URL's key (identity.py); a saved page without one is known by its page data.
    A game's key takes the page's own platform when its URL names none."""
    key = film_identity(page.url, SITE, page.film_argument, canonical).key
    if key.startswith("file:") and not page.film_argument and data.media and data.slug:
        key = f"{SITE}:{UrlFilm(data.media, data.slug).key_part}"
    return with_platform(key, data.platform_slug or platform)


def _page_data_summary(
    data: PageData, page: Page, film_key: str, canonical: str | None
) -> FilmSummaryItem | None:
    summary = data.score_summary or {}
    if not (data.title or summary or data.total_results is not None or data.user_summary):
        return None
    positive, mixed, negative = (
        _int(summary.get(name)) for name in ("positiveCount", "neutralCount", "negativeCount")
    )
    based_on = _int(summary.get("reviewCount"))
    if based_on is None and None not in (positive, mixed, negative):
        based_on = positive + mixed + negative  # type: ignore[operator]
    media = media_of_key(film_key)
    return FilmSummaryItem(
        film_key=film_key,
        source_url=page.url,
        title=metacritic_api.show_title(data.title) if media == "tv" else data.title,
        year=data.year,
        url=metacritic_api.film_page_url(canonical or page.url),
        media=media,
        platform=data.platform if media == "game" else None,
        stated_label=_text(summary.get("sentiment")),
        stated_critic_count=based_on,
        stated_listed_count=data.total_results,
        stated_metascore=_int(summary.get("score")),
        stated_positive=positive,
        stated_mixed=mixed,
        stated_negative=negative,
        path="page_data",
        **data.facts,
        **metacritic_page_data.audience_fields(data.user_summary),
    )


def _json_ld_summary(page: Page, film_key: str) -> FilmSummaryItem | None:
    facts = json_ld.facts(page)
    if facts is None or (facts.rating_name or "Metascore").lower() != "metascore":
        return None
    return FilmSummaryItem(
        film_key=film_key,
        source_url=page.url,
        title=facts.title,
        year=facts.year,
        url=facts.url,
        media=media_of_key(film_key),
        stated_critic_count=facts.review_count,
        stated_metascore=facts.rating_value,
        path="json_ld",
        **json_ld.fact_fields(facts),
    )


def summary_figures(sel: Selector) -> dict[str, object]:
    """The score card's stated figures, as ``FilmSummaryItem`` fields."""
    card = sel.css("[data-testid='score-card-overview']")
    figures: dict[str, object] = {}
    if card:
        figures["stated_label"] = node_text(card.css(".score-sentiment__texts > div")[:1] or None)
        figures["stated_metascore"] = first_int(card.css(".c-siteReviewScore span::text").get())
        for label in card.xpath(".//div[following-sibling::div[1]][count(*)=0]"):
            name = (label.xpath("string()").get() or "").strip().lower()
            if name in ("positive", "mixed", "negative"):
                count = label.xpath("following-sibling::div[count(span)>=1][1]/span[1]/text()")
                figures[f"stated_{name}"] = first_int(count.get())
    buckets = [figures.get(f"stated_{name}") for name in ("positive", "mixed", "negative")]
    if all(isinstance(count, int) for count in buckets):
        # What the Metascore is based on; "Showing N" also counts unscored reviews.
        figures["stated_critic_count"] = sum(buckets)  # type: ignore[arg-type]
    showing = _SHOWING.search(" ".join(sel.css("div.count ::text").getall()))
    if showing:
        figures["stated_listed_count"] = int(showing.group(1).replace(",", ""))
    return figures


def _html_summary(
    sel: Selector, page: Page, film_key: str, canonical: str | None
) -> FilmSummaryItem:
    """Always yielded, stating or not: it names the page's film and its URL."""
    page_title = node_text(sel.css(".subpage-header__navigation")[:1] or None)
    titled_year, facts_path = None, None
    if page_title is None:
        page_title, titled_year = name_from_title_element(sel.css("title::text").get())
        facts_path = "title_tag"
    figures = summary_figures(sel)
    media = media_of_key(film_key)
    if media == "tv":
        page_title = metacritic_api.show_title(page_title)
    return FilmSummaryItem(
        film_key=film_key,
        source_url=page.url,
        title=page_title,
        year=titled_year,
        facts_path=facts_path,
        url=metacritic_api.film_page_url(canonical or page.url),
        media=media,
        platform=html_platform(sel) if media == "game" else None,
        path="html",
        **figures,  # type: ignore[arg-type]
        **html_audience(sel),
    )


def html_audience(sel: Selector) -> dict[str, object]:
    """The user score badge's score and scale, as ``FilmSummaryItem`` audience fields.

    The first badge stating a number wins (a page may repeat the badge, and show a
    ``tbd`` one beside it); the score is the badge's title, else its text, as a number
    (HTML states text: the format turns it into the number normalization expects).
    """
    for badge in sel.xpath(_USER_BADGES):
        stated = _USER_SCORE.match(badge.attrib.get("title") or badge.attrib.get("aria-label", ""))
        if stated is None:
            continue
        score = _decimal(stated.group("score"))
        if score is None:
            score = _decimal(node_text(badge))
        if score is not None:
            return {"audience_score": score, "audience_scale": int(stated.group("scale"))}
    return {}


def _decimal(text: str | None) -> float | None:
    """A number written as text (``8.2``); None for ``tbd``, ``null`` and other words."""
    try:
        number = float(text) if text else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def _without_seasons_own(summary: FilmSummaryItem) -> FilmSummaryItem:
    return replace(summary, **dict.fromkeys(_SEASONS_OWN))


def _review(
    card: Selector,
    page_url: str,
    film_key: str,
    season: str | None,
    from_data: list[ReviewItem],
) -> ReviewItem:
    header = card.css("a[data-testid='review-card-header']")
    badge = header.css(".c-siteReviewScore")
    # The publication is the header's own text, not the badge's digits.
    publication = " ".join(
        part.strip()
        for part in header.xpath(
            ".//text()[not(ancestor::*[contains(@class, 'c-siteReviewScore')])]"
        ).getall()
        if part.strip()
    )
    footer = card.css(".review-footer, [data-testid='review-card-footer']")
    href = (
        footer.css("a[target=_blank]::attr(href)").get()
        or card.css("a[data-testid='review-full-review-link']::attr(href)").get()
    )
    author = footer.css("a.movie-review-footer__author, a[class*='review-footer__author']")[:1]
    slug = _CRITIC_HREF.search(author.attrib.get("href", "")) if author else None
    review = ReviewItem(
        film_key=film_key,
        source_url=page_url,
        critic=node_text(author or None),
        critic_slug=slug.group(1) if slug else None,
        publication=publication or None,
        season=season,
        original_score=_badge_score(badge),
        published_on=card.css("[data-testid='review-card-date']::text").get(),
        quote=node_text(card.css("[data-testid='review-quote-text']")[:1] or None),
        review_url=absolute(page_url, href),
        path="html",
    )
    if twin := _page_data_twin(review, from_data):
        # What a card leaves out, its page-data twin names: a show's card its season, a
        # game's card its critic (game footers name the platform instead).
        review.season = review.season or twin.season
        if review.critic is None:
            review.critic, review.critic_slug = twin.critic, twin.critic_slug
    return review


def _badge_score(badge: Selector) -> str | None:
    text = node_text(badge.css("span")[:1] or None)
    return None if text is None or text.lower() in _NO_SCORE else text


def _page_data_twin(card: ReviewItem, from_data: list[ReviewItem]) -> ReviewItem | None:
    """The page data's item for a card: same publication, and same critic when the card
    names one; the quote decides between several (a critic's reviews of two seasons)."""
    critic = comparable(_critic(card.critic))
    same = [
        r
        for r in from_data
        if comparable(r.publication) == comparable(card.publication)
        and (card.critic is None or comparable(_critic(r.critic)) == critic)
    ]
    same_quote = [r for r in same if comparable(r.quote) == comparable(card.quote)]
    for candidates in (same_quote, same):
        if len(candidates) == 1:
            return candidates[0]
    return None


def _critic(name: object) -> str | None:
    if not isinstance(name, str):  # a wrong JSON type: normalization counts it
        return None
    return re.sub(r"^(?:by\s+)+", "", name, flags=re.IGNORECASE) or None
