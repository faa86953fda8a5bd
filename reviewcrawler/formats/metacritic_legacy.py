"""Metacritic's legacy (pre-2023) HTML: a film's main page and its critic-reviews pages.

Only the critic side is read: user reviews share the ``div.review`` markup but sit
in ``div.user_reviews`` and carry ``metascore_w user`` badges; other films'
scores on the page ("featured movies") sit outside the summary and review blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from reviewcrawler.formats.html import (
    canonical_url,
    classes_of,
    element_text,
    first_int,
    own_text,
)
from reviewcrawler.formats.links import absolute
from reviewcrawler.formats.page import Page
from reviewcrawler.identity import film_identity
from reviewcrawler.items import FilmSummaryItem, FollowUp, ReviewItem

NAME = "metacritic_legacy"
SITE = "metacritic"

_CRITIC_REVIEWS_PATH = re.compile(r"^(/movie/[^/?#]+/critic-reviews)/?$")


def matches(page: Page) -> bool:
    if "metascore_w" not in page.text:
        return False
    index = page.class_index
    if _elements(index, "div", "product_page_title") or _elements(index, "div", "critic_reviews"):
        return True
    return any(
        "metascore_w" in classes_of(badge) and _inside(badge, "review")
        for badge in _elements(index, "div", "indiv")
    )


def lists_reviews(page: Page) -> bool:
    """Every legacy film page shows its critic reviews (a main page some, a critic-reviews page
    all): none found beside a stated critic count means the markup drifted."""
    return True


# The page is read through its class index (Page.class_index, one walk over the tree)
# rather than through XPath or CSS queries, each of which would walk the whole page
# again: on a 40-review page those queries had cost as much as reading the reviews.


def _elements(index: dict[str, list[Any]], tag: str, name: str) -> list[Any]:
    """The ``tag`` elements with class ``name``, in document order."""
    return [element for element in index.get(name, ()) if element.tag == tag]


def _inside(element: Any, name: str) -> bool:
    """Whether an ancestor div has class ``name``."""
    return any(name in classes_of(parent) for parent in element.iterancestors("div"))


def _links_to_critic_reviews(anchor: Any) -> bool:
    return "/critic-reviews" in (anchor.get("href") or "")


def _critic_anchors(index: dict[str, list[Any]], within: Any = None) -> list[Any]:
    """The ``a.metascore_anchor`` links to the critic reviews (the user score's link
    to user-reviews has the same markup)."""
    anchors = [
        anchor
        for anchor in _elements(index, "a", "metascore_anchor")
        if _links_to_critic_reviews(anchor)
    ]
    if within is None:
        return anchors
    return [anchor for anchor in anchors if any(p is within for p in anchor.iterancestors())]


def _first_text(elements: Iterable[Any]) -> str | None:
    """The first own text node among the elements (CSS ``::text`` with ``.get()``)."""
    return next((text for element in elements if (text := own_text(element)) is not None), None)


def parse(page: Page) -> Iterator[ReviewItem | FilmSummaryItem | FollowUp]:
    canonical = canonical_url(page.selector)
    identity = film_identity(page.url, SITE, page.film_argument, canonical)
    yield _summary(page, canonical, identity.key, identity.title, identity.year)
    for block in _review_blocks(page.class_index):
        if review := _review(block, page.url, identity.key):
            yield review
    yield from _follow_ups(page, identity.key)


def _summary(
    page: Page, canonical: str | None, film_key: str, title: str | None, year: int | None
) -> FilmSummaryItem:
    index = page.class_index
    # The critic summary is the score_description whose link leads to critic reviews
    # (the user score has the same markup and links to user-reviews).
    description = next(
        (
            span
            for span in _elements(index, "span", "score_description")
            if span.get("class") == "score_description"
            and any(_links_to_critic_reviews(anchor) for anchor in span.iter("a"))
        ),
        None,
    )
    label = based_on = None
    if description is not None:
        label = element_text(
            next(
                (
                    span
                    for anchor in description.iter("a")
                    for span in anchor.iterchildren("span")
                    if span.get("class") != "based_on"
                ),
                None,
            )
        )
        based_on = first_int(
            _first_text(span for span in description.iter("span") if "based_on" in classes_of(span))
        )
    metascore = first_int(
        _first_text(
            badge
            for anchor in _critic_anchors(index)
            for badge in anchor.iterchildren("*")
            if "metascore_w" in (classes := badge.get("class") or "") and "user" not in classes
        )
    )
    distribution = next(
        (div for div in _elements(index, "div", "distribution") if _critic_anchors(index, div)),
        None,
    )
    counts: dict[str, int | None] = {}
    for bucket in ("positive", "mixed", "negative"):
        counts[f"stated_{bucket}"] = (
            first_int(
                _first_text(
                    count
                    for chart in distribution.iter()
                    if {"chart", bucket} <= set(classes_of(chart))
                    for count in chart.iterdescendants()
                    if "count" in classes_of(count)
                )
            )
            if distribution is not None
            else None
        )
    page_title = element_text(
        next(
            (
                heading
                for div in _elements(index, "div", "product_page_title")
                for heading in div.iterdescendants("h1")
            ),
            None,
        )
    )
    page_year = first_int(_first_text(_elements(index, "span", "release_year")))
    return FilmSummaryItem(
        film_key=film_key,
        source_url=page.url,
        title=page_title or title,
        year=page_year or year,
        url=_film_url(canonical or page.url),
        stated_label=label,
        stated_critic_count=based_on,
        stated_metascore=metascore,
        **counts,
    )


def _film_url(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed canonical URL ("http://[bad"): no film URL
        return None
    if parts.scheme not in ("http", "https"):
        return None
    match = re.match(r"^(/movie/[^/?#]+)", parts.path)
    path = match.group(1) if match else parts.path
    return f"{parts.scheme}://{parts.netloc}{path}"


def _review_blocks(index: dict[str, list[Any]]) -> list[Any]:
    """The critic review blocks: ``div.review`` inside ``div.critic_reviews``, never one
    inside a ``user_reviews`` container."""
    blocks = []
    for block in _elements(index, "div", "review"):
        ancestors = [parent.get("class") or "" for parent in block.iterancestors("div")]
        if any("critic_reviews" in classes.split() for classes in ancestors) and not any(
            "user_reviews" in classes for classes in ancestors
        ):
            blocks.append(block)
    return blocks


#: Which part of a review block an element is, by one of its classes.
_PARTS_BY_CLASS = {
    "source": "publication",
    "author": "critic",
    "date": "date",
    "no_hover": "quote_link",
    "review_body": "quote_body",
    "summary": "summary",
    "read_full": "read_full",
}


_MACHINERY = frozenset({"script", "style"})


def _review_parts(block: Any) -> dict[str, Any] | None:
    """The first element of each part of a review block, found in one walk over it.

    None for a user review (its badge has the ``user`` class): never a critic review.
    ``machinery`` is set when the block holds a script or style element.
    """
    parts: dict[str, Any] = {}
    for element in block.iter():
        if element.tag in _MACHINERY:
            parts["machinery"] = True
        classes = element.get("class")
        if not classes:
            continue
        names = classes.split()
        if "metascore_w" in names:
            if "user" in names:
                return None
            if "indiv" in names:
                parts.setdefault("badge", element)
            continue
        for name in names:
            if (part := _PARTS_BY_CLASS.get(name)) is not None:
                parts.setdefault(part, element)
    return parts


def _review(block: Any, page_url: str, film_key: str) -> ReviewItem | None:
    parts = _review_parts(block)
    if parts is None:
        return None
    # A script or style inside a name or quote is page machinery, not what the critic
    # wrote; a block without any keeps to the fast path.
    machinery = "machinery" in parts
    quote = parts.get("quote_link")
    if quote is None:
        quote = parts.get("quote_body", parts.get("summary"))
    read_full = parts.get("read_full")
    href = read_full.get("href") if read_full is not None else None
    if href is None and parts.get("quote_link") is not None:
        href = parts["quote_link"].get("href")
    return ReviewItem(
        film_key=film_key,
        source_url=page_url,
        critic=element_text(parts.get("critic"), skip_machinery=machinery),
        publication=element_text(parts.get("publication"), skip_machinery=machinery),
        original_score=element_text(parts.get("badge"), skip_machinery=machinery),
        published_on=element_text(parts.get("date"), skip_machinery=machinery),
        quote=element_text(quote, skip_machinery=machinery),
        review_url=absolute(page_url, href),
    )


def _follow_ups(page: Page, film_key: str) -> Iterator[FollowUp]:
    """The film's full critic-reviews page, and that page's own next page; nothing else."""
    page_url = page.url
    parts = urlsplit(page_url)
    if parts.scheme not in ("http", "https"):
        return  # a saved page's links point at the live site, not at files beside it
    on_critic_reviews = _CRITIC_REVIEWS_PATH.match(parts.path) is not None
    anchors = page.selector.root.iter("a")
    if on_critic_reviews:
        nexts = {id(anchor) for anchor in _next_page_anchors(page.class_index)}
        hrefs = [a.get("href") for a in anchors if id(a) in nexts and a.get("href") is not None]
    else:
        hrefs = [a.get("href") for a in anchors if _links_to_critic_reviews(a)]
    film_path = re.match(r"^/movie/[^/?#]+", parts.path)
    for href in hrefs:
        if (joined := absolute(page_url, href)) is None:
            continue  # "http://[broken": no link at all
        target = urlsplit(joined)
        if (target.scheme, target.netloc) != (parts.scheme, parts.netloc):
            continue  # another site's copy of the path: the spider would refuse it anyway
        path_match = _CRITIC_REVIEWS_PATH.match(target.path)
        if path_match is None or film_path is None:
            continue
        if not path_match.group(1).startswith(film_path.group(0) + "/"):
            continue  # another film's reviews
        if not on_critic_reviews and target.query:
            continue  # ?dist=positive filters: the plain page covers them
        yield FollowUp(url=target.geturl(), film_key=film_key)
        if not on_critic_reviews:
            return


def _next_page_anchors(index: dict[str, list[Any]]) -> list[Any]:
    """``span.flipper.next a`` and ``.page_nav a[rel=next]``: the pagination's next link."""
    anchors = [
        anchor
        for span in _elements(index, "span", "flipper")
        if "next" in classes_of(span)
        for anchor in span.iterdescendants("a")
    ]
    anchors += [
        anchor
        for nav in index.get("page_nav", ())
        for anchor in nav.iterdescendants("a")
        if anchor.get("rel") == "next"
    ]
    return anchors
