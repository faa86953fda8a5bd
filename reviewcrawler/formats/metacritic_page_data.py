"""Metacritic's page data (``__NUXT_DATA__``), read into what a format needs.

Every 2025-2026 Metacritic page (title pages and critic-reviews pages, movies, TV
shows and games) carries its data as Nuxt components, each with
``meta.componentName`` and ``data``:

* ``product``: ``title``, ``slug``, ``premiereYear``, ``releaseDate``, ``type``;
  games ``platform`` (the page's) and ``platforms[] {name, slug}``; the title's facts
  (``product_facts``): ``genres[] {name}``, ``rating``, shows ``seasonCount`` (the
  listings' ``numberOfSeasons``) and ``network``, ``production.companies[]
  {typeName, name}`` and ``production.crew[] {name, roles[]}``;
* ``critic-score-summary``: ``score``, ``reviewCount`` (what the score is based on),
  ``positiveCount``, ``neutralCount``, ``negativeCount``, ``sentiment``;
* ``critic-reviews``: a ReviewList (``items[]``, ``totalResults``) on critic-reviews
  pages; a ProductReviewsSummary (``item`` holding lists ``default``, ``positive``,
  ``neutral``, ``negative`` that overlap) on title pages: the distinct reviews across
  the lists are the page's;
* ``user-score-summary`` (``score``, ``max`` 10, ``reviewCount``, ``positiveCount``,
  ``neutralCount``, ``negativeCount``): the audience's summary, read apart
  (``audience_fields``) and never as the critics'; ``user-reviews`` likewise never.

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

from reviewcrawler.formats import json_ld, metacritic_api, nuxt_data
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
    #: The product's facts as ``FilmSummaryItem`` fields (``product_facts``).
    facts: dict[str, Any] = field(default_factory=dict)
    #: The ``user-score-summary`` item: the audience's, kept apart from ``score_summary``.
    user_summary: Mapping[str, Any] | None = None
    #: Whether any Metacritic component was found at all.
    has_components: bool = False
    #: Reasons the data could not be wholly used (``page_data/problems/<reason>``).
    problems: list[str] = field(default_factory=list)


def read(text: str | None) -> PageData:
    """The page data in a ``__NUXT_DATA__`` script's text."""
    data, problem = nuxt_data.read(text)
    found = read_data(data)
    if problem:
        found.problems.insert(0, problem)
    return found


def read_data(data: Any) -> PageData:
    """The page data in already resolved Nuxt data (``__NUXT_DATA__``, or Nuxt 2's
    ``window.__NUXT__``, whose components have the same names)."""
    found = PageData()
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
    elif name == "user-score-summary":
        item = _item(body)
        if not any(key in item for key in ("score", "reviewCount", "positiveCount")):
            raise TypeError("no score summary")
        found.user_summary = found.user_summary or item
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
    for fact, value in product_facts(item).items():
        found.facts.setdefault(fact, value)


#: Where the product states its number of seasons: the page's product component, and
#: the listings' (and the product endpoint's) items.
_SEASON_KEYS = ("seasonCount", "numberOfSeasons")


def product_facts(item: Mapping[str, Any]) -> dict[str, Any]:
    """A Metacritic product item's title facts, as ``FilmSummaryItem`` fields, as stated.

    Texts are read as text; numbers (seasons) are passed on as the JSON holds them, so
    that normalization counts one of the wrong type rather than the format hiding it.
    A product stating nothing gives an empty dict.
    """
    facts: dict[str, Any] = {}
    if released := _text(item.get("releaseDate")):
        facts["release_date"] = released
    if genres := _names(item.get("genres")):
        facts["genres"] = genres
    rating = item.get("rating")
    if age := _text(rating) or _text(rating.get("name") if isinstance(rating, Mapping) else None):
        facts["age_rating"] = age
    seasons = next((item[key] for key in _SEASON_KEYS if item.get(key) is not None), None)
    if seasons is not None:
        facts["seasons"] = seasons
    network = item.get("network")
    if named := _text(network) or _names([network] if isinstance(network, Mapping) else None):
        facts["network"] = named
    production = item.get("production")
    production = production if isinstance(production, Mapping) else {}
    companies = _list(production.get("companies"))
    for fact, kind in (("developers", "developer"), ("publishers", "publisher")):
        if names := _names(c for c in companies if _kind(c) == kind):
            facts[fact] = names
    directors = [
        person
        for person in _list(production.get("crew"))
        if isinstance(person, Mapping)
        and any(_directs(role) for role in _list(person.get("roles")))
    ]
    if names := _names(directors):
        facts["director"] = names
    if (runtime := json_ld.minutes(item.get("duration"))) is not None:
        facts["runtime"] = runtime
    return facts


def _names(values: Any) -> str | None:
    """Names of a list of ``{name}`` objects or strings, distinct, joined by ``, ``."""
    if values is None or isinstance(values, str | Mapping):
        return _text(values) if isinstance(values, str) else None
    names = []
    for value in values:
        name = _text(value.get("name")) if isinstance(value, Mapping) else _text(value)
        if name and name not in names:
            names.append(name)
    return ", ".join(names) or None


def _kind(company: Any) -> str | None:
    kind = _text(company.get("typeName")) if isinstance(company, Mapping) else None
    return kind.lower() if kind else None


def _directs(role: Any) -> bool:
    # Roles are written as credits ("Directed By"); "Directed By" is the director's alone.
    return isinstance(role, str) and "directed by" in role.lower()


def audience_fields(summary: Mapping[str, Any] | None) -> dict[str, Any]:
    """A ``user-score-summary`` item as ``FilmSummaryItem`` audience fields.

    Every value is passed on as the JSON holds it (a string score included): the
    normalize pipeline checks the type and the range and counts what it drops, and
    knows that a count of 0 means no score (the site answers ``score: 0`` then). The
    scale is the summary's ``max``, 10 when unstated (a user score's scale).
    """
    if not summary:
        return {}
    scale = summary.get("max")
    return {
        "audience_score": summary.get("score"),
        "audience_scale": 10 if scale is None else scale,
        "audience_count": summary.get("reviewCount"),
        "audience_positive": summary.get("positiveCount"),
        "audience_mixed": summary.get("neutralCount"),
        "audience_negative": summary.get("negativeCount"),
    }


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
