"""Metacritic's listings (the API's finder): every title of a product, 50 a page.

``GET /finder/metacritic/web?sortBy=-releaseDate&mcoTypeId=13&offset=0&limit=50``
answers ``data.totalResults`` and ``data.items[]``; ``mcoTypeId`` names the product
(13 games, 2 movies, 1 TV shows). ``limit`` is honoured up to 50 (more answers HTTP
400). Within one release date the order is not stable, so two pages can overlap or
skip a title: the catalogue dedupes by slug and the next pass finds what one missed.

An item states the title, slug, release date, genres, rating, the critics' summary
(``criticScoreSummary``: score, ``reviewCount`` as the listed count, the buckets,
sentiment) and ``userScore``. A bad item costs that item (a ``Problem``), a bad page
that page; nothing here raises on what a server answers.

Pure: the catalogue spider (spiders/catalogue.py) asks for the pages and routes the
answers here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from reviewcrawler.formats.json_values import integer as _int
from reviewcrawler.formats.json_values import joined_names
from reviewcrawler.formats.json_values import text as _text
from reviewcrawler.formats.problems import Problem
from reviewcrawler.items import ListedTitle
from reviewcrawler.limits import FIELD_LENGTHS, TRUNCATION_MARK
from reviewcrawler.normalize.text import truncate

NAME = "metacritic_finder"
SITE = "metacritic"
PATH = "/finder/metacritic/web"
#: The largest page the finder answers; more is refused with HTTP 400.
PAGE_LIMIT = 50
#: ``mcoTypeId`` by media.
PRODUCT_TYPES = {"game": 13, "movie": 2, "tv": 1}


@dataclass(frozen=True)
class ListingQuery:
    """Which titles a listing asks for."""

    media: str
    #: Release years, inclusive (``years=2024-2026``); None: every year.
    year_min: int | None = None
    year_max: int | None = None
    #: Only titles with a Metascore, newest first (the site's "new releases" row).
    new_releases: bool = False


def listing_url(base: str, query: ListingQuery, offset: int, limit: int = PAGE_LIMIT) -> str:
    """The finder URL of one page of a listing, on the API's base URL."""
    params: dict[str, Any] = {
        "sortBy": "-releaseDate",
        "mcoTypeId": PRODUCT_TYPES[query.media],
        "offset": offset,
        "limit": limit,
    }
    if query.year_min is not None:
        params["releaseYearMin"] = query.year_min
    if query.year_max is not None:
        params["releaseYearMax"] = query.year_max
    if query.new_releases:
        params["metaScoreMin"] = 1
    return f"{base.rstrip('/')}{PATH}?{urlencode(params)}"


@dataclass
class ListingPage:
    """What one finder answer says."""

    #: ``data.totalResults`` when it is a number; None when absent or not a number.
    total: int | None = None
    titles: list[ListedTitle] = field(default_factory=list)
    #: Items of the page the finder answered, readable or not (paging goes by them).
    answered: int = 0
    problems: list[Problem] = field(default_factory=list)


def parse_listing(body: str | bytes, url: str, media: str) -> ListingPage:
    """A finder answer read: its titles of ``media``, its total, what it could not use."""
    page = ListingPage()
    try:
        document = json.loads(body)
    except ValueError:
        page.problems.append(Problem("catalogue/problems/malformed", f"Unreadable listing {url}"))
        return page
    data = document.get("data") if isinstance(document, Mapping) else None
    if not isinstance(data, Mapping):
        page.problems.append(Problem("catalogue/problems/no_data", f"Listing without data {url}"))
        return page
    total = data.get("totalResults")
    page.total = _int(total)
    if total is not None and page.total is None:
        page.problems.append(
            Problem("catalogue/problems/total_not_a_number", f"totalResults {total!r} on {url}")
        )
    items = data.get("items")
    if not isinstance(items, list):
        if items is not None:
            page.problems.append(Problem("catalogue/problems/wrong_type", f"items on {url}"))
        return page
    page.answered = len(items)
    for item in items:
        title = listed_title(item, url, media)
        if title is None:
            page.problems.append(
                Problem(
                    "catalogue/problems/no_slug",
                    f"A listing item without a usable slug on {url}",
                )
            )
            continue
        page.titles.append(title)
    return page


def listed_title(item: Any, url: str, media: str) -> ListedTitle | None:
    """One listing item, read for everything it states; None without a slug."""
    if not isinstance(item, Mapping):
        return None
    slug = _text(item.get("slug"))
    if not slug or "/" in slug or len(slug) > FIELD_LENGTHS["film_key"] - len("metacritic:game:"):
        return None
    critics = item.get("criticScoreSummary")
    critics = critics if isinstance(critics, Mapping) else {}
    user = item.get("userScore")
    # ``userScore {score}``; a bare number is read too, should the object flatten.
    user_score = user.get("score") if isinstance(user, Mapping) else user
    return ListedTitle(
        site=SITE,
        media=media,
        slug=slug.lower(),
        source_url=url,
        # Cut to its column, as normalization cuts a page's: a listing is no page.
        title=truncate(_text(item.get("title")), FIELD_LENGTHS["title"], TRUNCATION_MARK)[0],
        release_date=_text(item.get("releaseDate")),
        genres=joined_names(item.get("genres")),
        age_rating=_text(item.get("rating")),
        score=_int(critics.get("score")),
        listed_count=_int(critics.get("reviewCount")),
        positive=_int(critics.get("positiveCount")),
        mixed=_int(critics.get("neutralCount")),
        negative=_int(critics.get("negativeCount")),
        sentiment=_text(critics.get("sentiment")),
        user_score=_number(user_score),
        network=_text(item.get("network")),
        seasons=_int(item.get("numberOfSeasons")),
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
