"""Metacritic's legacy (pre-2023) HTML: a film's main page and its critic-reviews pages.

Only the critic side is read: user reviews share the ``div.review`` markup but sit
in ``div.user_reviews`` and carry ``metascore_w user`` badges; other films'
scores on the page ("featured movies") sit outside the summary and review blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector

from reviewcrawler.formats.html import canonical_url, first_int, node_text
from reviewcrawler.formats.links import absolute
from reviewcrawler.formats.page import Page
from reviewcrawler.identity import film_identity
from reviewcrawler.items import FilmSummaryItem, FollowUp, ReviewItem

NAME = "metacritic_legacy"
SITE = "metacritic"

_CRITIC_REVIEWS_PATH = re.compile(r"^(/movie/[^/?#]+/critic-reviews)/?$")
_CRITIC_LINK = "contains(@href, '/critic-reviews')"


def matches(page: Page) -> bool:
    if "metascore_w" not in page.text:
        return False
    sel = page.selector
    return bool(
        sel.css("div.product_page_title, div.critic_reviews")
        or sel.css("div.review div.metascore_w.indiv")
    )


def lists_reviews(page: Page) -> bool:
    """Every legacy film page shows its critic reviews (a main page some, a critic-reviews page
    all): none found beside a stated critic count means the markup drifted."""
    return True


def _first(selectors: list[Selector]) -> Selector | None:
    return selectors[0] if selectors else None


def parse(page: Page) -> Iterator[ReviewItem | FilmSummaryItem | FollowUp]:
    sel = page.selector
    identity = film_identity(page.url, SITE, page.film_argument, canonical_url(sel))
    yield _summary(sel, page, identity.key, identity.title, identity.year)
    for block in _REVIEW_BLOCKS(sel.root):
        if review := _review(block, page.url, identity.key):
            yield review
    yield from _follow_ups(sel, page.url, identity.key)


def _summary(
    sel: Selector, page: Page, film_key: str, title: str | None, year: int | None
) -> FilmSummaryItem:
    # The critic summary is the score_description whose link leads to critic reviews
    # (the user score has the same markup and links to user-reviews).
    description = _first(sel.xpath(f"//span[@class='score_description'][.//a[{_CRITIC_LINK}]]"))
    label = based_on = None
    if description is not None:
        label = node_text(_first(description.xpath(".//a/span[not(@class='based_on')]")))
        based_on = first_int(description.css("span.based_on::text").get())
    metascore = first_int(
        sel.xpath(
            f"//a[contains(@class, 'metascore_anchor')][{_CRITIC_LINK}]"
            "/*[contains(@class, 'metascore_w') and not(contains(@class, 'user'))]/text()"
        ).get()
    )
    distribution = _first(
        sel.xpath(
            "//div[contains(@class, 'distribution')]"
            f"[.//a[contains(@class, 'metascore_anchor')][{_CRITIC_LINK}]]"
        )
    )
    counts: dict[str, int | None] = {}
    for bucket in ("positive", "mixed", "negative"):
        counts[f"stated_{bucket}"] = (
            first_int(distribution.css(f".chart.{bucket} .count::text").get())
            if distribution is not None
            else None
        )
    page_title = node_text(_first(sel.css("div.product_page_title h1")))
    page_year = first_int(sel.css("span.release_year::text").get())
    canonical = canonical_url(sel)
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


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# Compiled once: a critic-reviews page runs these for each of its reviews, and
# lxml's own XPath objects cost a fraction of building selectors per call.
_REVIEW_BLOCKS = etree.XPath(
    f"//div[{_has_class('critic_reviews')}]//div[{_has_class('review')}]"
    "[not(ancestor::div[contains(@class, 'user_reviews')])]"
)


def _node_text(node: Any) -> str | None:
    if node is None:
        return None
    # A script or style inside a quote or name is page machinery, not what the critic
    # wrote; the common case (none) keeps lxml's fast itertext.
    if node.find(".//script") is None and node.find(".//style") is None:
        parts = node.itertext()
    else:
        parts = node.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")
    text = " ".join(part.strip() for part in parts if part.strip())
    return text or None


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


def _review_parts(block: Any) -> dict[str, Any] | None:
    """The first element of each part of a review block, found in one walk over it.

    None for a user review (its badge has the ``user`` class): never a critic review.
    """
    parts: dict[str, Any] = {}
    for element in block.iter():
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
        critic=_node_text(parts.get("critic")),
        publication=_node_text(parts.get("publication")),
        original_score=_node_text(parts.get("badge")),
        published_on=_node_text(parts.get("date")),
        quote=_node_text(quote),
        review_url=absolute(page_url, href),
    )


def _follow_ups(sel: Selector, page_url: str, film_key: str) -> Iterator[FollowUp]:
    """The film's full critic-reviews page, and that page's own next page; nothing else."""
    parts = urlsplit(page_url)
    if parts.scheme not in ("http", "https"):
        return  # a saved page's links point at the live site, not at files beside it
    on_critic_reviews = _CRITIC_REVIEWS_PATH.match(parts.path) is not None
    if on_critic_reviews:
        hrefs = sel.css(
            "span.flipper.next a::attr(href), .page_nav a[rel=next]::attr(href)"
        ).getall()
    else:
        hrefs = sel.xpath(f"//a[{_CRITIC_LINK}]/@href").getall()
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
