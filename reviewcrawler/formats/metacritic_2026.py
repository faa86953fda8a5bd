"""Metacritic's current (2026, Nuxt 3) critic-reviews page.

* Cards ``div[data-testid="review-card"]``: date ``[data-testid="review-card-date"]``;
  ``a[data-testid="review-card-header"]`` holds the score badge
  (``div.c-siteReviewScore``) and then the publication's name as a text node, so
  the badge's text is left out of the publication; quote
  ``[data-testid="review-quote-text"]``; critic ``a.movie-review-footer__author``
  (``By Robbie Collin``: the normalizer drops ``By``); full review: the footer's
  ``a[target=_blank]``.
* Score card ``[data-testid="score-card-overview"]``: label in
  ``.score-sentiment__texts``, metascore in ``.c-siteReviewScore``, one row per
  positive/mixed/negative (``<label> ... <span>43</span><span>(96%)</span>``),
  and ``div.count`` reading ``Showing 49 Critic Reviews``.
* Only about ten cards are rendered: for a movie, the page hands the crawl to
  the backend API (``metacritic_api``), which lists every review.
* ``<script id="__NUXT_DATA__">`` holds the page data; its review items (the API's
  shape) stand in for the cards when the markup yields none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parsel import Selector

from reviewcrawler.formats import json_ld, metacritic_api, nuxt_data
from reviewcrawler.formats.html import canonical_url, first_int, node_text
from reviewcrawler.formats.links import absolute
from reviewcrawler.formats.page import Page
from reviewcrawler.identity import film_identity
from reviewcrawler.items import FilmSummaryItem, FollowUp, ReviewItem

NAME = "metacritic_2026"
SITE = "metacritic"

_SHOWING = re.compile(r"Showing\s+([\d,]+)\s+Critic\s+Reviews?", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\s*(?:critic\s+)?reviews?\s*-\s*Metacritic\s*$", re.IGNORECASE)
_CARD = "[data-testid='review-card']"
_MARKERS = ("review-card", "product-reviews", "score-card-overview")


def matches(page: Page) -> bool:
    text = page.text
    if not any(f'data-testid="{marker}"' in text for marker in _MARKERS):
        return False
    return bool(page.selector.css(", ".join(f"[data-testid='{m}']" for m in _MARKERS)))


def lists_reviews(page: Page) -> bool:
    """A critic-reviews page: no review found while it states critics means the markup drifted."""
    return bool(
        page.selector.css("[data-testid='product-reviews'], [data-testid='score-card-overview']")
    )


def parse(page: Page) -> Iterator[ReviewItem | FilmSummaryItem | FollowUp]:
    sel = page.selector
    canonical = canonical_url(sel)
    identity = film_identity(page.url, SITE, page.film_argument, canonical)
    yield _summary(sel, page, identity.key, identity.title, identity.year, canonical)
    cards = sel.css(_CARD)
    for card in cards:
        yield _review(card, page.url, identity.key)
    if not cards:
        data = nuxt_data.load(nuxt_data.payload_text(sel))
        for node in nuxt_data.walk(data):
            if metacritic_api.looks_like_review_item(node):
                yield metacritic_api.review_from_item(node, identity.key, page.url)
    if follow_up := metacritic_api.first_page(page.url, identity.key):
        yield follow_up


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
    showing = _SHOWING.search(" ".join(sel.css("div.count ::text").getall()))
    if showing:
        figures["stated_critic_count"] = int(showing.group(1).replace(",", ""))
    return figures


def _summary(
    sel: Selector,
    page: Page,
    film_key: str,
    title: str | None,
    year: int | None,
    canonical: str | None,
) -> FilmSummaryItem:
    facts = json_ld.facts(page)
    page_title = (
        (facts.title if facts else None)
        or node_text(sel.css(".subpage-header__navigation")[:1] or None)
        or _TITLE_SUFFIX.sub("", sel.css("title::text").get() or "").strip()
        or None
    )
    return FilmSummaryItem(
        film_key=film_key,
        source_url=page.url,
        title=page_title or title,
        year=(facts.year if facts else None) or year,
        url=metacritic_api.film_page_url(canonical or page.url),
        **summary_figures(sel),  # type: ignore[arg-type]
    )


def _review(card: Selector, page_url: str, film_key: str) -> ReviewItem:
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
    return ReviewItem(
        film_key=film_key,
        source_url=page_url,
        critic=node_text(footer.css("a.movie-review-footer__author")[:1] or None),
        publication=publication or None,
        original_score=node_text(badge.css("span")[:1] or None),
        published_on=card.css("[data-testid='review-card-date']::text").get(),
        quote=node_text(card.css("[data-testid='review-quote-text']")[:1] or None),
        review_url=absolute(page_url, href),
    )
