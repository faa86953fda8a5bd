"""Metacritic's page data (``__NUXT_DATA__``), read into what a format needs.

Every 2025-2026 Metacritic page (title pages and critic-reviews pages, movies, TV
shows and games) carries its data as Nuxt components, each with
``meta.componentName`` and ``data``:

* ``product``: ``title``, ``slug``, ``premiereYear``, ``releaseDate``, ``type``;
  games ``platform`` (the page's) and ``platforms[] {name, slug}``;
* ``critic-score-summary``: ``score``, ``reviewCount`` (what the score is based on),
  ``positiveCount``, ``neutralCount``, ``negativeCount``, ``sentiment``;
* ``critic-reviews``: a ReviewList (``items[]``, ``totalResults``) on critic-reviews
  pages; a ProductReviewsSummary (``item`` holding lists ``default``, ``positive``,
  ``neutral``, ``negative`` that overlap) on title pages: the distinct reviews across
  the lists are the page's;
* ``user-score-summary`` / ``user-reviews``: the audience's, never read as critics'.

A component's fields sit in its ``data.item`` (or in ``data`` itself). The page's
entry key (``loadPage:<movies|shows|games>[-critic-reviews]:<slug>:...``) names the
product, so a saved page knows what it is. Pure and total: a component of the wrong
shape is skipped with a reason (``problems``), the others are still read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from reviewcrawler.formats import metacritic_api, nuxt_data
from reviewcrawler.formats.json_values import integer as _int
from reviewcrawler.formats.json_values import text as _text
from reviewcrawler.identity import platform_slug

_PAGE_KEY = re.compile(r"^loadPage:(?P<kind>movies|shows|games)(?:-[a-z-]+)?:(?P<slug>[^:]+):")
_MEDIA = {"movies": "movie", "shows": "tv", "games": "game"}
_REVIEW_LISTS = ("default", "positive", "neutral", "negative")
#: The score band each ProductReviewsSummary list holds (Metacritic's per-review bands).
_BANDS = {"positive": (61, 100), "neutral": (40, 60), "negative": (0, 39)}
_YEAR = re.compile(r"^(\d{4})")


@dataclass
class PageData:
    """What a page's ``__NUXT_DATA__`` states; every field None when it states nothing."""

    media: str | None = None
    slug: str | None = None
    title: str | None = None
    year: int | None = None
    #: Games: the page's platform as named (``PlayStation 5``) and its slug.
    platform: str | None = None
    platform_slug: str | None = None
    #: The ``critic-score-summary`` item.
    score_summary: Mapping[str, Any] | None = None
    #: Distinct critic review items (the API's shape), in page order.
    reviews: list[Mapping[str, Any]] = field(default_factory=list)
    #: ``totalResults`` of ``critic-reviews``: every listed review, scored or not.
    total_results: int | None = None
    #: Whether any Metacritic component was found at all.
    has_components: bool = False
    #: Reasons the data could not be wholly used (``page_data/problems/<reason>``).
    problems: list[str] = field(default_factory=list)


def read(text: str | None) -> PageData:
    """The page data in a ``__NUXT_DATA__`` script's text."""
    data, problem = nuxt_data.read(text)
    found = PageData()
    if problem:
        found.problems.append(problem)
    if data is None:
        return found
    for key in _page_keys(data):
        if match := _PAGE_KEY.match(key):
            found.media = found.media or _MEDIA[match.group("kind")]
            found.slug = found.slug or match.group("slug").lower()
    components = list(_components(data))
    found.has_components = bool(components)
    for name, body in components:
        try:
            _read_component(found, name, body)
        except (TypeError, ValueError, AttributeError):
            found.problems.append(f"wrong_type/{name}")
    if not components:
        # An older shape without component names: critic review items wherever they are.
        found.reviews = _distinct(
            node for node in nuxt_data.walk(data) if metacritic_api.looks_like_review_item(node)
        )
    _check_lists(found)
    return found


def _page_keys(data: Any) -> Iterator[str]:
    for node in nuxt_data.walk(data):
        if isinstance(node, Mapping):
            yield from (k for k in node if isinstance(k, str) and k.startswith("loadPage:"))


def _components(data: Any) -> Iterator[tuple[str, Any]]:
    """``(componentName, data)`` of every component, each once, in page order."""
    for node in nuxt_data.walk(data):
        if not isinstance(node, Mapping):
            continue
        meta = node.get("meta")
        name = meta.get("componentName") if isinstance(meta, Mapping) else None
        if isinstance(name, str) and "data" in node:
            yield name, node.get("data")


def _item(body: Any) -> Mapping[str, Any]:
    """A component's fields: ``data.item`` or ``data`` itself."""
    if not isinstance(body, Mapping):
        raise TypeError("component data is not an object")
    item = body.get("item")
    return item if isinstance(item, Mapping) else body


def _read_component(found: PageData, name: str, body: Any) -> None:
    if name == "product":
        _read_product(found, _item(body))
    elif name == "critic-score-summary":
        item = _item(body)
        if not any(key in item for key in ("score", "reviewCount", "positiveCount")):
            raise TypeError("no score summary")
        found.score_summary = found.score_summary or item
    elif name == "critic-reviews":
        if body is None:
            return  # loaded later by the page (the composer API answers it so)
        if not isinstance(body, Mapping):
            raise TypeError("critic-reviews data is not an object")
        found.total_results = _int(body.get("totalResults"))
        found.reviews = _distinct([*found.reviews, *_review_items(body)])
        if contradicting_bands(body):
            found.problems.append("lists_contradict_summary")


def _read_product(found: PageData, item: Mapping[str, Any]) -> None:
    found.title = found.title or _text(item.get("title"))
    found.slug = found.slug or (_text(item.get("slug")) or "").lower() or None
    year = _int(item.get("premiereYear"))
    if year is None and (released := _text(item.get("releaseDate"))):
        match = _YEAR.match(released)
        year = int(match.group(1)) if match else None
    found.year = found.year or year
    kind = (_text(item.get("type")) or "").lower()
    if found.media is None and kind:
        found.media = "game" if "game" in kind else "tv" if "show" in kind else "movie"
    platform = item.get("platform")
    name = _text(platform) or _text(platform.get("name") if isinstance(platform, Mapping) else None)
    if name and not found.platform:
        found.platform = name
        found.platform_slug = _platform_slug(name, item.get("platforms"))


def _platform_slug(name: str, platforms: Any) -> str | None:
    """The slug ``platforms[]`` gives the named platform, else the name slugified."""
    for entry in platforms if isinstance(platforms, list) else []:
        slug = _text(entry.get("slug")) if isinstance(entry, Mapping) else None
        if slug and _text(entry.get("name")) == name:
            return slug.lower()
    return platform_slug(name)


def _review_items(body: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """A ReviewList's items, or every list of a ProductReviewsSummary."""
    items = body.get("items")
    if items is not None:
        if not isinstance(items, list):
            raise TypeError("critic-reviews items is not a list")
        yield from (i for i in items if metacritic_api.looks_like_review_item(i))
        return
    summary = body.get("item")
    if isinstance(summary, Mapping):
        for name in _REVIEW_LISTS:
            yield from (i for i in _list(summary.get(name)) if _is_review(i))


def _list(value: Any) -> list[Any]:
    if isinstance(value, Mapping):  # a list wrapped as {"items": [...]}
        value = value.get("items")
    return value if isinstance(value, list) else []


def _is_review(value: Any) -> bool:
    return metacritic_api.looks_like_review_item(value)


def _identity(item: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        _text(item.get("publicationName")),
        _text(item.get("author")),
        metacritic_api.season_of_item(item),
        _text(item.get("quote")),
    )


def _distinct(items: Any) -> list[Mapping[str, Any]]:
    """Items without repeats (the overlapping lists hold one review in two), in order."""
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for item in items:
        key = _identity(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def _check_lists(found: PageData) -> None:
    """Counted when the review lists contradict what the page states about them."""
    if found.total_results is not None and len(found.reviews) > found.total_results:
        found.problems.append("lists_contradict_summary")


def contradicting_bands(body: Mapping[str, Any]) -> int:
    """Reviews a ProductReviewsSummary files under a sentiment list their score is not in."""
    summary = body.get("item") if isinstance(body, Mapping) else None
    if not isinstance(summary, Mapping):
        return 0
    wrong = 0
    for name, (low, high) in _BANDS.items():
        for item in _list(summary.get(name)):
            score = _int(item.get("score")) if isinstance(item, Mapping) else None
            if score is not None and not low <= score <= high:
                wrong += 1
    return wrong
