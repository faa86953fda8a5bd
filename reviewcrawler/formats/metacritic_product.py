"""Metacritic's product endpoint: one title, every platform's summary in one answer.

``GET <api>/games/metacritic/<slug>/web`` (``/movies/…``, ``/shows/…`` likewise)
answers ``data.item``: ``title``, ``slug``, ``releaseDate``, ``rating``,
``genres[] {name}``, ``production.companies[] {typeName, name}``, ``production.crew[]
{name, roles[]}``, ``criticScoreSummary`` (a game's lead platform's) and, for games,
``platforms[]``, each ``{name, slug, isLeadPlatform, releaseDate, criticScoreSummary}``.

Each platform of a game is its own film (identity.py), so the answer becomes one
summary per platform, with the title's facts, and the follow-ups that fetch each
platform's reviews and stats through the API (metacritic_api.py, the platform as a
path segment). The catalogue spider asks only the follow-ups of platforms whose figures
moved (spiders/catalogue.py); the figures themselves are the site's own statement
about the film, so they are stored as its stated summary (path ``api``).

A title with nothing yet answers every summary field null: no figures, not zeros.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from reviewcrawler.formats import metacritic_api
from reviewcrawler.formats.json_values import integer as _int
from reviewcrawler.formats.json_values import joined_names
from reviewcrawler.formats.json_values import text as _text
from reviewcrawler.formats.page import Page
from reviewcrawler.formats.problems import Problem
from reviewcrawler.identity import canonical_platform
from reviewcrawler.items import FilmSummaryItem, FollowUp

NAME = "metacritic_product"
SITE = "metacritic"
_PRODUCT_PATH = re.compile(r"/(?P<product>games|movies|shows)/metacritic/(?P<slug>[^/?#]+)/web/?$")
_MEDIA = {"games": "game", "movies": "movie", "shows": "tv"}


def product_url(media: str, slug: str, base: str = metacritic_api.DEFAULT_BASE) -> str:
    """The product endpoint of a title, on the API's base URL."""
    return f"{base.rstrip('/')}/{metacritic_api.API_PRODUCTS[media]}/metacritic/{slug}/web"


def _path_match(url: str) -> re.Match[str] | None:
    try:
        return _PRODUCT_PATH.search(unquote(urlsplit(url).path))
    except ValueError:
        return None


def _item(page: Page) -> Mapping[str, Any] | None:
    # The page's own parse, cached: every API answer passes here first.
    document = page.json
    data = document.get("data") if isinstance(document, Mapping) else None
    item = data.get("item") if isinstance(data, Mapping) else None
    return item if isinstance(item, Mapping) else None


def _looks_like_product(item: Mapping[str, Any]) -> bool:
    """A saved answer (no product URL) is known by its shape: a title with a slug and a
    critics' summary; the stats answer's item has neither title nor slug."""
    return bool(_text(item.get("slug")) and _text(item.get("title"))) and (
        "criticScoreSummary" in item or "platforms" in item
    )


def _media_of(item: Mapping[str, Any]) -> str:
    kind = (_text(item.get("type")) or "").lower()
    if "game" in kind or isinstance(item.get("platforms"), list):
        return "game"
    if "show" in kind or "tv" in kind or "seasonCount" in item or "numberOfSeasons" in item:
        return "tv"
    return "movie"


def matches(page: Page) -> bool:
    item = _item(page)
    if item is None:
        return False
    return _path_match(page.url) is not None or _looks_like_product(item)


def parse(page: Page) -> Iterator[FilmSummaryItem | FollowUp | Problem]:
    match = _path_match(page.url)
    item = _item(page)
    if item is None or (match is None and not _looks_like_product(item)):
        return
    media = _MEDIA[match.group("product")] if match else _media_of(item)
    # A saved answer is read offline, as every saved page: it asks no API.
    online = page.url.startswith(("http:", "https:"))
    slug = (_text(item.get("slug")) or (match.group("slug") if match else "")).lower()
    if not slug:
        return
    facts = _facts(item, media)
    public = f"{metacritic_api.PUBLIC_SITE}/{'tv' if media == 'tv' else media}/{slug}/"
    if media != "game":
        key = f"{SITE}:{slug}" if media == "movie" else f"{SITE}:tv:{slug}"
        yield FilmSummaryItem(
            film_key=key,
            source_url=page.url,
            url=public,
            media=media,
            path=metacritic_api.PATH,
            release_date=_text(item.get("releaseDate")),
            **facts,
            **_figures(item.get("criticScoreSummary")),
        )
        if online:
            yield from metacritic_api.follow_ups_for_key(key, public)
        return
    platforms = item.get("platforms")
    if not isinstance(platforms, list) or not platforms:
        yield Problem("product/problems/no_platforms", f"A game without platforms on {page.url}")
        return
    # The lead platform first: it is the one a listing's figures are of.
    ordered = sorted(
        (p for p in platforms if isinstance(p, Mapping)),
        key=lambda p: p.get("isLeadPlatform") is not True,
    )
    for platform in ordered:
        name = _text(platform.get("name"))
        platform_slug = _text(platform.get("slug"))
        if not platform_slug:
            continue
        platform_slug = canonical_platform(platform_slug.lower())
        key = f"{SITE}:game:{slug}:{platform_slug}"
        url = f"{public}?platform={platform_slug}"
        yield FilmSummaryItem(
            film_key=key,
            source_url=page.url,
            url=url,
            media=media,
            platform=name,
            path=metacritic_api.PATH,
            release_date=_text(platform.get("releaseDate")) or _text(item.get("releaseDate")),
            **facts,
            **_figures(platform.get("criticScoreSummary")),
        )
        if online:
            yield from metacritic_api.follow_ups_for_key(key, url)


def _figures(summary: Any) -> dict[str, Any]:
    """A ``criticScoreSummary`` as stated fields. Its ``reviewCount`` counts the listed
    reviews (93 listed beside 83 + 7 + 0 counted); the buckets make the counted one."""
    if not isinstance(summary, Mapping):
        return {}
    positive, mixed, negative = (
        _int(summary.get(name)) for name in ("positiveCount", "neutralCount", "negativeCount")
    )
    counted = (
        positive + mixed + negative
        if positive is not None and mixed is not None and negative is not None
        else None
    )
    score = _int(summary.get("score"))
    return {
        "stated_metascore": score,
        "stated_listed_count": _int(summary.get("reviewCount")),
        # A title with nothing yet answers zeros beside a null score: no figures.
        "stated_critic_count": counted if score is not None else None,
        "stated_positive": positive if score is not None else None,
        "stated_mixed": mixed if score is not None else None,
        "stated_negative": negative if score is not None else None,
    }


def _names(entries: Any, role: str, key: str) -> str | None:
    """Names of ``production`` entries whose ``key`` (``typeName`` or ``roles``) says
    ``role``, joined by ``, ``."""
    found: list[str] = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue
        kinds = entry.get(key)
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(kind, str) and role in kind.casefold() for kind in kinds):
            name = _text(entry.get("name"))
            if name and name not in found:
                found.append(name)
    return ", ".join(found) or None


def _facts(item: Mapping[str, Any], media: str) -> dict[str, Any]:
    production = item.get("production")
    production = production if isinstance(production, Mapping) else {}
    facts: dict[str, Any] = {
        "title": _text(item.get("title")),
        "year": _int(item.get("premiereYear")),
        "genres": joined_names(item.get("genres")),
        "age_rating": _text(item.get("rating")),
    }
    if media == "game":
        facts["developers"] = _names(production.get("companies"), "developer", "typeName")
        facts["publishers"] = _names(production.get("companies"), "publisher", "typeName")
    else:
        facts["director"] = _names(production.get("crew"), "directed by", "roles")
    if media == "tv":
        facts["seasons"] = _int(item.get("seasonCount")) or _int(item.get("numberOfSeasons"))
        facts["network"] = _text(item.get("network"))
    return facts
