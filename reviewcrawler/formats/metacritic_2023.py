"""Metacritic's 2023-2024 (Nuxt 2) markup: ``c-siteReview*`` blocks and ``window.__NUXT__``.

* Review ``div.c-siteReview``: score ``.c-siteReviewScore`` (``<span>90</span>``),
  ``a.c-siteReviewHeader_publicationName``, ``.c-siteReviewHeader_reviewDate``,
  ``.c-siteReview_quote``, ``a.c-siteReview_criticName`` (``By ...``) and
  ``a.c-siteReview_externalLink`` (full review).
* Summary ``.c-productScoreInfo``: ``_scoreSentiment`` (label), ``_scoreNumber``
  (metascore badge), ``_reviewsTotal`` (``Based on 52 Critic Reviews``); counts in
  ``.c-reviewsStats_positiveStats|neutralStats|negativeStats`` (``43 Reviews``).
* ``window.__NUXT__`` (read by ``nuxt2_data``) holds the same reviews in the API's
  item shape: yielded as ``path="page_data"`` beside the blocks' ``"html"`` ones (so
  they stand in when the markup yields none); the product's title and release date
  fill what the markup lacks.
* The page data's title facts (the product's release date, genres, rating, companies,
  crew: ``metacritic_page_data.product_facts``) and the audience's
  ``user-score-summary`` are yielded on a summary of their own, ``path="page_data"``,
  when it states any: the markup's summary stays the critics' as the markup states it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from parsel import Selector

from reviewcrawler.formats import metacritic_api, metacritic_page_data, nuxt2_data, nuxt_data
from reviewcrawler.formats.html import first_int, node_text
from reviewcrawler.formats.links import absolute
from reviewcrawler.formats.page import Page
from reviewcrawler.identity import FilmIdentity, film_identity, media_of_key
from reviewcrawler.items import FILM_FACT_FIELDS, FilmSummaryItem, FollowUp, ReviewItem

NAME = "metacritic_2023"
SITE = "metacritic"

_MARKERS = ("c-siteReview_quote", "c-siteReviewHeader_publicationName", "c-productScoreInfo")
_YEAR = re.compile(r"\b(1[89]\d{2}|2\d{3})\b")
_REVIEW = "div.c-siteReview"


def matches(page: Page) -> bool:
    text = page.text
    if any(marker in text for marker in _MARKERS):
        return bool(page.selector.css(f"{_REVIEW}, .c-productScoreInfo"))
    return "window.__NUXT__" in text and any(
        metacritic_api.looks_like_review_item(n) for n in nuxt_data.walk(_nuxt(page))
    )


def lists_reviews(page: Page) -> bool:
    return True


def _nuxt(page: Page) -> Any:
    script = nuxt2_data.script_text(page.selector.css("script::text").getall())
    return nuxt2_data.parse_nuxt(script) if script else None


def parse(page: Page) -> Iterator[ReviewItem | FilmSummaryItem | FollowUp]:
    sel = page.selector
    canonical = sel.css('link[rel="canonical"]::attr(href)').get()
    identity = film_identity(page.url, SITE, page.film_argument, canonical)
    data = _nuxt(page)
    summary = _summary(sel, page, identity.key, data, identity, canonical)
    yield summary
    if stated := _page_data_summary(summary, data):
        yield stated
    # Every path's reviews, each tagged (pipelines/dedupe.py keeps the page data's
    # where both list a review): the page data's first, then the review blocks.
    for node in nuxt_data.walk(data):
        if metacritic_api.looks_like_review_item(node):
            yield metacritic_api.review_from_item(node, identity.key, page.url, "page_data")
    for block in sel.css(_REVIEW):
        yield _review(block, page.url, identity.key)
    yield from metacritic_api.follow_ups_for_key(identity.key, page.url)


def _product(data: Any) -> Mapping[str, Any] | None:
    """The reviewed product in the page data: the first node with a title and a score summary."""
    for node in nuxt_data.walk(data):
        if isinstance(node, Mapping) and "title" in node and "criticScoreSummary" in node:
            return node
    return None


def _summary(
    sel: Selector,
    page: Page,
    film_key: str,
    data: Any,
    identity: FilmIdentity,
    canonical: str | None,
) -> FilmSummaryItem:
    info = sel.css(".c-productScoreInfo")[:1]
    product = _product(data)
    product_year = None
    if product and (match := _YEAR.search(str(product.get("releaseDate") or ""))):
        product_year = int(match.group(1))
    stats = sel.css(".c-reviewsStats")[:1]
    return FilmSummaryItem(
        film_key=film_key,
        source_url=page.url,
        title=node_text(sel.css(".c-productHero_title, .c-productSubpageHeader_back")[:1])
        or (str(product["title"]) if product and product.get("title") else None)
        or identity.title,
        year=product_year or identity.year,
        url=metacritic_api.film_page_url(canonical or page.url),
        media=media_of_key(film_key),
        stated_label=node_text(info.css(".c-productScoreInfo_scoreSentiment")),
        stated_critic_count=first_int(node_text(info.css(".c-productScoreInfo_reviewsTotal"))),
        stated_metascore=first_int(
            node_text(info.css(".c-productScoreInfo_scoreNumber .c-siteReviewScore"))
        ),
        stated_positive=first_int(node_text(stats.css(".c-reviewsStats_positiveStats"))),
        stated_mixed=first_int(node_text(stats.css(".c-reviewsStats_neutralStats"))),
        stated_negative=first_int(node_text(stats.css(".c-reviewsStats_negativeStats"))),
    )


def _page_data_summary(summary: FilmSummaryItem, data: Any) -> FilmSummaryItem | None:
    """The page data's title facts and audience figures on a ``page_data`` summary of the
    same film, or None when it states neither."""
    found = metacritic_page_data.read_data(data)
    facts = dict(found.facts)
    if product := _product(data):
        # A page whose data has no named components still has its product node.
        for name, value in metacritic_page_data.product_facts(product).items():
            facts.setdefault(name, value)
    audience = metacritic_page_data.audience_fields(found.user_summary)
    if not facts and not audience:
        return None
    # Only what the page data itself states: this summary ranks as the page data's.
    title = found.title or (product.get("title") if product else None)
    year = found.year
    if year is None and (match := _YEAR.search(str(facts.get("release_date") or ""))):
        year = int(match.group(1))
    return FilmSummaryItem(
        film_key=summary.film_key,
        source_url=summary.source_url,
        title=title if isinstance(title, str) else None,
        year=year,
        url=summary.url,
        media=summary.media,
        path="page_data",
        **{name: facts[name] for name in FILM_FACT_FIELDS if name in facts},
        **audience,
    )


def _review(block: Selector, page_url: str, film_key: str) -> ReviewItem:
    href = block.css("a.c-siteReview_externalLink::attr(href)").get()
    return ReviewItem(
        film_key=film_key,
        source_url=page_url,
        path="html",
        critic=node_text(block.css(".c-siteReview_criticName")),
        publication=node_text(block.css(".c-siteReviewHeader_publicationName")),
        original_score=node_text(block.css(".c-siteReviewScore span")[:1]),
        published_on=node_text(block.css(".c-siteReviewHeader_reviewDate")),
        quote=node_text(block.css(".c-siteReview_quote")),
        review_url=absolute(page_url, href),
    )
