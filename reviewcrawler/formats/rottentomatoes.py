"""Rotten Tomatoes' 2026 pages: critic review cards and the title page's scorecard.

* Reviews page (``/m/<slug>/reviews``): one ``review-card-critic`` element per
  review, with ``rt-link[slot=name]`` (critic), ``[slot=publication]``,
  ``span[slot=timestamp]`` (``07/13/2023``), ``[slot=rating]`` holding
  ``score-icon-critics[sentiment=POSITIVE|NEGATIVE]`` and the original score
  (``2.5/4``; often absent), ``[slot=review]`` (quote) and
  ``rt-link[slot=review-link]`` (full review). The critic's slug is the one in
  the name link (``/critics/<slug>/movies``). Fresh/rotten is the critic's own
  verdict, kept as the review's sentiment.
* Title page (``/m/<slug>``): ``media-scorecard`` (``critics-score`` ``94%``,
  ``critics-reviews`` ``441 Reviews``, linking to the reviews page),
  ``script#media-scorecard-json`` and JSON-LD ``Movie.aggregateRating``
  named ``Tomatometer``. The Tomatometer is stored as the stated score.
* The audience's score (the Popcornmeter, a percentage) is read apart from the
  critics', into the ``audience_*`` fields (scale 100): ``media-scorecard-json``'s
  ``audienceScore`` (``score``; its ratings ``reviewCount``/``ratingCount``, else
  ``bandedRatingCount`` when exact, else ``likedCount`` + ``notLikedCount``, which are
  also its positive and negative), else the rendered ``[slot=audience-score]``
  (``64%``) and ``[slot=audience-reviews]`` (``1,234 Ratings``). A banded count
  (``250+ Ratings``) is a lower bound, not a count: not read. RT states its scores as
  text in that JSON (``"score": "71"``), so a number written as text is read there.
* The title's facts come from JSON-LD (formats/json_ld.py): genres, content rating,
  director, runtime, and ``datePublished`` as the release (RT's ``dateCreated`` is
  the record's date, not the film's).
* The film's year is the one JSON-LD's ``name`` carries (``Arrival (2016)``), else
  the one its slug ends in (``arrival_2016``; many slugs carry none).
* Only a page of reviews is rendered; when the page data states the film's
  internal id (``emsId``) the crawl continues through the ``napi`` JSON
  (``rottentomatoes_api``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector, SelectorList

from reviewcrawler.formats import json_ld, rottentomatoes_api
from reviewcrawler.formats.html import canonical_url, first_int, node_text
from reviewcrawler.formats.links import absolute
from reviewcrawler.formats.page import Page
from reviewcrawler.formats.title_element import name_from_title_element
from reviewcrawler.identity import film_identity, slug_from_url
from reviewcrawler.items import FilmSummaryItem, FollowUp, ReviewItem

NAME = "rottentomatoes"
SITE = "rottentomatoes"

_SCORE_PREFIX = re.compile(r"^(?:original\s+score|rated|score)\s*:?\s*", re.IGNORECASE)
_NOT_A_SCORE = re.compile(r"^(?:fresh|rotten|certified)\b", re.IGNORECASE)
_REVIEWS_PATH = re.compile(r"^/m/[^/?#]+/reviews/?$")
_CRITIC_PAGE = re.compile(r"^/critics/(?P<slug>[^/?#]+)")
#: ``/critics/source/<id>`` is a publication's page, not a critic's.
_NOT_CRITIC_SLUGS = frozenset({"source"})
_YEAR_IN_SLUG = re.compile(r"_(?P<year>(?:18|19|20)\d{2})$")
_PLAIN_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def matches(page: Page) -> bool:
    text = page.text
    if "<review-card-critic" not in text and "<media-scorecard" not in text:
        return False
    return bool(page.selector.css("review-card-critic, media-scorecard"))


def lists_reviews(page: Page) -> bool:
    """The reviews page (not the title page): no card found means the markup drifted."""
    return bool(_REVIEWS_PATH.match(urlsplit(page.url).path)) or "<review-card-critic" in page.text


def parse(page: Page) -> Iterator[ReviewItem | FilmSummaryItem | FollowUp]:
    sel = page.selector
    facts = json_ld.facts(page)
    canonical = canonical_url(sel) or (facts.url if facts else None)
    identity = film_identity(page.url, SITE, page.film_argument, canonical)
    yield _summary(sel, page, identity.key, facts, canonical)
    for card in sel.css("review-card-critic"):
        yield _review(card, page.url, identity.key)
    yield from _follow_ups(sel, page, identity.key)


def _scorecard_json(sel: Selector) -> Mapping[str, Any]:
    """``script#media-scorecard-json`` (``criticsScore``, ``audienceScore``); empty when
    the script or its JSON is missing."""
    text = sel.css("script#media-scorecard-json::text").get()
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return {}
    return data if isinstance(data, Mapping) else {}


def _score_object(scorecard: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """One score object of the scorecard; empty when it is missing or no object."""
    score = scorecard.get(name)
    return score if isinstance(score, Mapping) else {}


def _percent(value: Any) -> float | None:
    """A percentage as RT writes it: a number, or text (``"64"``, ``64%``)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().rstrip("%").strip()
    return float(text) if _PLAIN_NUMBER.match(text) else None


def _exact_count(value: Any) -> int | None:
    """A count of ratings when it is exact: ``1,234 Ratings`` or 1234; None for a band
    (``250+ Ratings``, ``50,000+``), which only says there are at least so many."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value)
    return None if "+" in text else first_int(text)


def _audience(stated: Mapping[str, Any], scorecard: SelectorList[Selector]) -> dict[str, Any]:
    """The audience's score and ratings, as ``FilmSummaryItem`` audience fields, from the
    scorecard JSON's ``audienceScore`` and, lacking it, the rendered scorecard."""
    score = _percent(stated.get("score"))
    if score is None:
        score = _percent(node_text(scorecard.css("[slot=audience-score]")))
    liked = _exact_count(stated.get("likedCount"))
    not_liked = _exact_count(stated.get("notLikedCount"))
    count = next(
        (
            number
            for name in ("reviewCount", "ratingCount", "bandedRatingCount")
            if (number := _exact_count(stated.get(name))) is not None
        ),
        None,
    )
    if count is None and liked is not None and not_liked is not None:
        count = liked + not_liked
    if count is None:
        count = _exact_count(node_text(scorecard.css("[slot=audience-reviews]")))
    figures: dict[str, Any] = {
        "audience_score": score,
        "audience_count": count,
        "audience_positive": liked,
        "audience_negative": not_liked,
    }
    if score is not None:
        figures["audience_scale"] = 100
    return {name: value for name, value in figures.items() if value is not None}


def year_from_slug(*urls: str | None) -> int | None:
    """The year an RT film slug ends in (``/m/arrival_2016``), from the first URL with one."""
    for url in urls:
        slug = slug_from_url(url) if url else None
        if slug and (match := _YEAR_IN_SLUG.search(slug)):
            return int(match.group("year"))
    return None


def _summary(
    sel: Selector,
    page: Page,
    film_key: str,
    facts: json_ld.FilmFacts | None,
    canonical: str | None,
) -> FilmSummaryItem:
    scorecard = sel.css("media-scorecard")
    stated = _scorecard_json(sel)
    critics = _score_object(stated, "criticsScore")
    score = first_int(str(critics.get("score") or "")) or first_int(
        node_text(scorecard.css("[slot=critics-score]"))
    )
    count = first_int(str(critics.get("reviewCount") or "")) or first_int(
        node_text(scorecard.css("[slot=critics-reviews]"))
    )
    title = facts.title if facts else None
    year = (facts.year if facts else None) or year_from_slug(page.url, canonical)
    facts_path = "json_ld" if title else None
    if title is None:
        # The reviews page states its film only in <title>: the weakest source.
        title, titled_year = name_from_title_element(sel.css("title::text").get())
        year = year or titled_year
        facts_path = "title_tag"
    url = facts.url if facts and facts.url else None
    return FilmSummaryItem(
        film_key=film_key,
        source_url=page.url,
        title=title,
        year=year,
        facts_path=facts_path,
        url=url,
        imdb_id=facts.imdb_id if facts else None,
        stated_critic_count=count if count is not None else (facts.review_count if facts else None),
        stated_metascore=score if score is not None else (facts.rating_value if facts else None),
        stated_positive=first_int(str(critics.get("likedCount") or "")),
        stated_negative=first_int(str(critics.get("notLikedCount") or "")),
        **json_ld.fact_fields(facts),
        **_audience(_score_object(stated, "audienceScore"), scorecard),
    )


def _review(card: Selector, page_url: str, film_key: str) -> ReviewItem:
    rating = card.css("[slot=rating]")
    original = " ".join(
        t.strip()
        for t in rating.xpath(".//text()[not(ancestor::score-icon-critics)]").getall()
        if t.strip()
    )
    original = _SCORE_PREFIX.sub("", original).strip()
    if _NOT_A_SCORE.match(original):
        original = ""
    href = card.css("rt-link[slot=review-link]::attr(href), a[slot=review-link]::attr(href)").get()
    return ReviewItem(
        film_key=film_key,
        source_url=page_url,
        critic=node_text(card.css("[slot=name]")),
        critic_slug=critic_slug(card.css("[slot=name]::attr(href)").get()),
        publication=node_text(card.css("[slot=publication]")),
        original_score=original or None,
        sentiment=card.css("score-icon-critics::attr(sentiment)").get(),
        published_on=node_text(card.css("[slot=timestamp]")),
        quote=node_text(card.css("[slot=review]")),
        review_url=absolute(page_url, href),
    )


def critic_slug(href: str | None) -> str | None:
    """The critic's slug from a link to their page (``/critics/<slug>/movies``)."""
    if not href:
        return None
    try:
        path = urlsplit(href.strip()).path
    except ValueError:  # "http://[broken": no link at all
        return None
    match = _CRITIC_PAGE.match(path)
    if match is None or match.group("slug").lower() in _NOT_CRITIC_SLUGS:
        return None
    return match.group("slug").lower()


def _follow_ups(sel: Selector, page: Page, film_key: str) -> Iterator[FollowUp]:
    parts = urlsplit(page.url)
    if parts.scheme not in ("http", "https"):
        return  # a saved page's links point at the live site, not at files beside it
    if not _REVIEWS_PATH.match(parts.path):
        href = sel.css("media-scorecard [slot=critics-reviews]::attr(href)").get()
        target = absolute(page.url, href)
        if target and _REVIEWS_PATH.match(urlsplit(target).path):
            yield FollowUp(url=target, film_key=film_key)
    if follow_up := rottentomatoes_api.first_page(page.text, film_key):
        yield follow_up
