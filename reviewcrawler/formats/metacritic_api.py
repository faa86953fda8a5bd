"""Metacritic's backend JSON API: a product's critic reviews, page by page, and its stats.

Metacritic's pages render about ten reviews; the rest come from here. Every
Metacritic URL (a movie, TV show or game; title page, critic-reviews page, season
page) names its product and slug, and for games its platform, and so its API: the
spider asks it from the URL alone (``start_follow_ups``), whatever the page's HTML
turns out to be.

* Reviews: ``<base>/reviews/metacritic/critic/<movies|shows|games>/<slug>/web``
  ``?offset=..&limit=..`` (games add the platform as a path segment,
  ``.../games/<slug>/platform/<platform-slug>/web``: a ``platform=`` query is
  silently ignored and answers the lead platform under the asked name) gives
  ``data.totalResults``, ``data.items[]`` and, sometimes, ``links.next.href``.
  Paging: follow ``links.next`` when present, else advance ``offset`` by the number
  of items returned (``limit`` is not always honoured); stop at an empty page or
  once this page's ``totalResults`` is reached (it may change between pages). The
  state lives in the URL, so any worker can fetch any page.
* Stats: ``<base>/reviews/metacritic/critic/<...>/<slug>/stats/web`` gives
  ``data.item {score, reviewCount, positiveCount, neutralCount, negativeCount,
  sentiment}``.
* TV: the API lists the whole show; each item's ``reviewedProduct`` names its
  season (``tvTaxonomy.season.name``, else a title ``<Show>: Season 6``).
* Games: every critic item names its platform; one naming another platform than
  the one asked for is not the asked platform's review (``paths/platform_mismatch``).
* The audience (never critic reviews): ``<base>/reviews/metacritic/user/<...>/<slug>/
  [platform/<p>/]stats/web`` gives ``data.item {max: 10, score, reviewCount,
  positiveCount, neutralCount, negativeCount}`` (a summary with audience fields only;
  ``score: 0`` with ``reviewCount: 0`` is no score, normalization drops it), and
  ``.../user/.../web?offset=..&limit=..`` the user reviews (``AudienceReviewItem``),
  paged like the critics' but also stopping at an explicit ``links.next: null``.
  The spider asks them beside each title's critic stats (``audience_follow_ups``),
  the review list only with ``AUDIENCE_REVIEWS``.

``<base>`` is the ``METACRITIC_API_URL`` setting: URLs built here use the real
host and the spider rebases them (``rebase``), so tests and mirrors can serve them.
Everything read here is tagged ``path="api"``, the first in precedence (items.PATHS).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from reviewcrawler.formats.json_values import integer as _int
from reviewcrawler.formats.json_values import text as _text
from reviewcrawler.formats.links import absolute
from reviewcrawler.formats.page import Page
from reviewcrawler.formats.problems import Problem
from reviewcrawler.identity import (
    UrlFilm,
    canonical_platform,
    film_from_url,
    film_identity,
    media_of_key,
    platform_slug,
)
from reviewcrawler.items import AudienceReviewItem, FilmSummaryItem, FollowUp, ReviewItem

NAME = "metacritic_api"
SITE = "metacritic"
#: The key of this API in ``reviewcrawler.formats.APIS`` and in ``FollowUp.api``.
API = "metacritic"
DEFAULT_BASE = "https://backend.metacritic.com"
#: Reviews asked for per request. The site's own pages ask for 10; public scrapers of
#: this API ask for 20 by default and 50 when told to (metacritic-harvester's
#: ``--page-size=50``), and no larger page is known to be honoured. Paging goes by
#: what comes back, so a server that serves fewer still gives every review.
PAGE_SIZE = 50
#: User reviews asked for per request: the user list honours ``limit`` up to 200; 50
#: keeps each answer small while a title's thousands of user reviews still take few pages.
AUDIENCE_PAGE_SIZE = 50
#: The top of Metacritic's user score (the user stats' ``max``, when an answer omits it).
AUDIENCE_SCALE = 10
PUBLIC_SITE = "https://www.metacritic.com"
PATH = "api"

#: The API's name for each product (identity.MEDIA).
API_PRODUCTS = {"movie": "movies", "tv": "shows", "game": "games"}
_MEDIA_OF_PRODUCT = {product: media for media, product in API_PRODUCTS.items()}
#: ``who``: ``critic`` or ``user`` (the audience); a game's platform is a path segment.
_API_PATH = re.compile(
    r"/reviews/metacritic/(?P<who>critic|user)/(?P<product>movies|shows|games)"
    r"/(?P<slug>[^/?#]+)(?:/platform/(?P<platform>[^/?#]+))?/(?P<kind>stats/web|web)/?$"
)
_PLATFORM_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_SEASON_PATH = re.compile(r"^/tv/[^/?#]+/season-(?P<number>\d+)(?:/|$)", re.IGNORECASE)
_SEASON_TITLE = re.compile(r":\s*(?P<season>Season\s+\d+)\s*$", re.IGNORECASE)
_REVIEW_QUERY = {
    "filterBySentiment": "all",
    "sort": "score",
    "componentName": "critic-reviews",
    "componentDisplayName": "critic Reviews",
    "componentType": "ReviewList",
}
_STATS_QUERY = {"componentName": "critic-score-summary", "componentType": "MetaScoreSummary"}


# --- Products and URLs ----------------------------------------------------------------


@dataclass(frozen=True)
class Product:
    """What a Metacritic URL names: enough to ask the API for its reviews."""

    #: ``movie``, ``tv`` or ``game`` (identity.MEDIA).
    media: str
    slug: str
    #: Games: the platform slug (``playstation-5``); None when the URL names none.
    platform: str | None = None
    #: TV season pages (``/tv/<slug>/season-6/``): ``Season 6``.
    season: str | None = None

    @property
    def asks_api(self) -> bool:
        """A game's reviews and Metascore are per platform: without one, nothing to ask."""
        return self.media != "game" or self.platform is not None


def _api_match(url: str | None) -> re.Match[str] | None:
    """The API path ``url`` is (critic or user, reviews or stats), on any host."""
    if not url or not url.startswith(("http:", "https:")):
        return None
    return _API_PATH.search(unquote(urlsplit(url).path))


def _api_product(match: re.Match[str], query: str) -> Product:
    """The product an API path names. A game's platform is its path segment; the
    ``platform=`` query of older URLs is still read, so that they keep their key."""
    media = _MEDIA_OF_PRODUCT[match.group("product")]
    platform = None
    if media == "game":
        segment = match.group("platform")
        asked = (segment or next((v for n, v in parse_qsl(query) if n == "platform"), "")).strip()
        # Only a slug: the platform goes back into URLs this module builds.
        if _PLATFORM_SLUG.fullmatch(asked.lower()):
            platform = canonical_platform(asked.lower())
    return Product(media, match.group("slug").lower(), platform)


def product_of_url(url: str | None) -> Product | None:
    """The product a Metacritic page or API URL names (any host: tests serve the paths)."""
    if not url:
        return None
    if match := _api_match(url):
        return _api_product(match, urlsplit(url).query)
    film = film_from_url(url)
    if film is None:
        return None
    season = None
    path = urlsplit(url).path
    if film.media == "tv" and (match := _SEASON_PATH.match(path)):
        season = f"Season {int(match.group('number'))}"
    if film.media == "movie" and not (path.startswith("/movie/") or _API_PATH.search(path)):
        return None  # a movie slug elsewhere (``/movies/``, Rotten Tomatoes' ``/m/``)
    return Product(film.media, film.slug, film.platform, season)


def product_of_key(film_key: str) -> Product | None:
    """The product a Metacritic film key names (identity.py's key forms)."""
    parts = film_key.split(":")
    if parts[0] != SITE or len(parts) < 2:
        return None
    if len(parts) == 2:
        return Product("movie", parts[1])
    if parts[1] == "tv" and len(parts) == 3:
        return Product("tv", parts[2])
    if parts[1] == "game" and len(parts) in (3, 4):
        return Product("game", parts[2], parts[3] if len(parts) == 4 else None)
    return None


def follow_ups_for_key(film_key: str, page_url: str) -> list[FollowUp]:
    """The API's first reviews page and stats for a film read off a page at ``page_url``
    (the key may add what the URL lacks: a game's platform). A page not fetched over
    http(s) (a saved file) asks nothing: it is read offline."""
    product = product_of_key(film_key)
    if product is None or not product.asks_api or not page_url.startswith(("http:", "https:")):
        return []
    return [
        FollowUp(url=reviews_url(product), film_key=film_key, api=API),
        FollowUp(url=stats_url(product), film_key=film_key, api=API),
    ]


def season_of_url(url: str | None) -> str | None:
    product = product_of_url(url)
    return product.season if product else None


def _api_path(product: Product, who: str = "critic") -> str:
    """The product's API path. A game's platform is a path segment: the ``platform=``
    query is silently ignored (the lead platform answers, under the asked name)."""
    path = f"/reviews/metacritic/{who}/{API_PRODUCTS[product.media]}/{product.slug}"
    if product.media == "game" and product.platform:
        path += f"/platform/{product.platform}"
    return path


def reviews_url(product: Product, offset: int = 0, base: str = DEFAULT_BASE) -> str:
    query = urlencode({"offset": offset, "limit": PAGE_SIZE, **_REVIEW_QUERY})
    return f"{base.rstrip('/')}{_api_path(product)}/web?{query}"


def stats_url(product: Product, base: str = DEFAULT_BASE) -> str:
    return f"{base.rstrip('/')}{_api_path(product)}/stats/web?{urlencode(_STATS_QUERY)}"


def audience_stats_url(product: Product, base: str = DEFAULT_BASE) -> str:
    return f"{base.rstrip('/')}{_api_path(product, 'user')}/stats/web"


def audience_reviews_url(product: Product, offset: int = 0, base: str = DEFAULT_BASE) -> str:
    query = urlencode({"offset": offset, "limit": AUDIENCE_PAGE_SIZE})
    return f"{base.rstrip('/')}{_api_path(product, 'user')}/web?{query}"


def audience_follow_ups(url: str, film_key: str, reviews: bool) -> list[FollowUp]:
    """The audience's requests beside a title's critic stats request ``url``: its user
    stats and, when ``reviews`` (``AUDIENCE_REVIEWS``), the first page of its user
    reviews. Keyed on the critic stats, which every crawl of a title asks once (its
    reviews list asks one per page), and on their URL: the same product and platform."""
    match = _api_match(url)
    if match is None or match.group("who") != "critic" or match.group("kind") != "stats/web":
        return []
    product = _api_product(match, urlsplit(url).query)
    if not product.asks_api:
        return []
    follow_ups = [FollowUp(url=audience_stats_url(product), film_key=film_key, api=API)]
    if reviews:
        follow_ups.append(FollowUp(url=audience_reviews_url(product), film_key=film_key, api=API))
    return follow_ups


def is_audience_url(url: str) -> bool:
    """Whether ``url`` asks the audience's figures or reviews (never a critic path)."""
    match = _api_match(url)
    return match is not None and match.group("who") == "user"


def is_audience_review_list(url: str) -> bool:
    """Whether ``url`` asks a page of user reviews (made only with ``AUDIENCE_REVIEWS``)."""
    match = _api_match(url)
    return match is not None and match.group("who") == "user" and match.group("kind") == "web"


def rebase(url: str, base: str) -> str | None:
    """``url``'s API path and query under ``base``; None when it is no path of this API."""
    parts = urlsplit(url)
    match = _API_PATH.search(unquote(parts.path))
    if match is None:
        return None
    base_parts = urlsplit(base.rstrip("/"))
    path = base_parts.path + match.group(0)
    return urlunsplit((base_parts.scheme, base_parts.netloc, path, parts.query, ""))


def film_page_url(url: str) -> str | None:
    """The product's own page (``https://host/movie/<slug>/``) for a page under it."""
    match = re.match(r"^(https?://[^/?#]+/(?:movie|game|tv)/[^/?#]+)", url)
    return match.group(1) + "/" if match else None


def start_follow_ups(url: str | None, film_key: str) -> list[FollowUp]:
    """The API's first reviews page and the stats, for the product ``url`` names."""
    product = product_of_url(url)
    if product is None or not product.asks_api or _API_PATH.search(urlsplit(url or "").path):
        return []
    return [
        FollowUp(url=reviews_url(product), film_key=film_key, api=API),
        FollowUp(url=stats_url(product), film_key=film_key, api=API),
    ]


def first_page(film_url: str, film_key: str) -> FollowUp | None:
    """The API's first reviews page for the product at ``film_url``, if it names one."""
    follow_ups = start_follow_ups(film_url, film_key)
    return follow_ups[0] if follow_ups else None


# --- Items ----------------------------------------------------------------------------


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def season_of_item(item: Mapping[str, Any]) -> str | None:
    """The season a TV review is of: ``reviewedProduct.tvTaxonomy.season.name``, else the
    reviewed product's title (``<Show>: Season 6``), else its URL (``/season-6/``)."""
    reviewed = _mapping(item.get("reviewedProduct"))
    season = _mapping(_mapping(reviewed.get("tvTaxonomy")).get("season"))
    if name := _text(season.get("name")):
        return name
    if (title := _text(reviewed.get("title"))) and (match := _SEASON_TITLE.search(title)):
        return " ".join(match.group("season").split()).capitalize()
    url = _text(reviewed.get("url"))
    return season_of_url(absolute(PUBLIC_SITE, url)) if url else None


def show_title(title: str | None) -> str | None:
    """A TV product's title without its season (``Show: Season 6`` gives ``Show``)."""
    return _SEASON_TITLE.sub("", title).strip() or None if title else None


def review_from_item(
    item: Mapping[str, Any],
    film_key: str,
    source_url: str,
    path: str = PATH,
    season: str | None = None,
) -> ReviewItem:
    """A review from one item of the API (Metacritic's page data uses the same shape).

    ``season``: the season the page is about (a season page), for items naming none.
    ``author`` ``""`` (uncredited, common for games) is no critic.
    """
    score = item.get("score")
    is_tv = media_of_key(film_key) == "tv"
    return ReviewItem(
        film_key=film_key,
        source_url=source_url,
        critic=_field(item.get("author")),
        critic_slug=_field(item.get("authorSlug")),
        publication=_field(item.get("publicationName")),
        season=(season_of_item(item) or season) if is_tv else None,
        original_score=_text(score) if _int(score) is not None else _field(score),
        published_on=_field(item.get("date")),
        quote=_field(item.get("quote")),
        review_url=_field(item.get("url")),
        path=path,
    )


def _field(value: Any) -> Any:
    """A review field as the JSON gives it: text stripped, anything else passed on as it
    is, so that normalization nulls a wrong type (an object, a list, true) or an
    unreadable number and counts why (normalize/items.py) rather than losing it unsaid."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def looks_like_review_item(value: Any) -> bool:
    """A critic review item: user reviews name an author but never a publication."""
    return (
        isinstance(value, Mapping)
        and "quote" in value
        and isinstance(value.get("publicationName"), str)
        and bool(value.get("publicationName", "").strip())
    )


# --- The format -----------------------------------------------------------------------


def _data(page: Page) -> Mapping[str, Any] | None:
    body = page.json
    if isinstance(body, Mapping) and isinstance(body.get("data"), Mapping):
        return body["data"]
    return None


def _is_stats(data: Mapping[str, Any]) -> bool:
    item = data.get("item")
    return isinstance(item, Mapping) and "reviewCount" in item and "positiveCount" in item


def _is_audience_stats(data: Mapping[str, Any]) -> bool:
    """Stats on the audience's 0-10 scale (a saved answer, whose URL tells nothing)."""
    item = data.get("item")
    return isinstance(item, Mapping) and _int(item.get("max")) == AUDIENCE_SCALE


def _is_audience_list(data: Mapping[str, Any]) -> bool:
    """User review items (a saved answer): an ``id`` each, no publication anywhere."""
    items = [i for i in data.get("items") or [] if isinstance(i, Mapping)]
    return bool(items) and all("id" in i and "publicationName" not in i for i in items)


def _is_reviews(data: Mapping[str, Any]) -> bool:
    items = data.get("items")
    return isinstance(items, list) and (
        "totalResults" in data or any(looks_like_review_item(i) for i in items)
    )


def matches(page: Page) -> bool:
    data = _data(page)
    if data is None:
        return False
    if _API_PATH.search(urlsplit(page.url).path):
        return True
    return _is_stats(data) or _is_reviews(data)


Output = ReviewItem | FilmSummaryItem | AudienceReviewItem | FollowUp | Problem


def parse(page: Page) -> Iterator[Output]:
    data = _data(page)
    if data is None:
        return
    match = _api_match(page.url)
    # The URL says whose figures these are; a saved answer (no API URL) its shape.
    who = match.group("who") if match else None
    if _is_stats(data) or (match is not None and match.group("kind") != "web"):
        if who == "user" or (who is None and _is_audience_stats(data)):
            yield from _parse_audience_stats(page, data)
        else:
            yield from _parse_stats(page, data)
    elif who == "user" or (who is None and _is_audience_list(data)):
        yield from _parse_audience_reviews(page, data)
    else:
        yield from _parse_reviews(page, data)


def _film_key(page: Page, product_url: str | None) -> str:
    """The film an answer is about: its API URL names the product (and a game's platform,
    as a path segment, which identity.py's page URLs never carry); else as identity.py
    reads the URL, the crawl's argument or the product's canonical URL."""
    if match := _api_match(page.url):
        product = _api_product(match, urlsplit(page.url).query)
        return f"{SITE}:{UrlFilm(product.media, product.slug, product.platform).key_part}"
    canonical = absolute(PUBLIC_SITE, product_url)
    return film_identity(page.url, SITE, page.film_argument, canonical).key


def _item_platform(item: Mapping[str, Any]) -> str | None:
    """The platform a critic item names: ``platform`` (a name or ``{name}``), else
    ``reviewedProduct.platform.name``."""
    platform = item.get("platform")
    named = _text(platform) or _text(_mapping(platform).get("name"))
    if named:
        return named
    reviewed = _mapping(item.get("reviewedProduct"))
    return _text(_mapping(reviewed.get("platform")).get("name"))


def _same_platform(name: str, slug: str) -> bool:
    """A platform's name against a slug, letters and digits only: slugifying
    ``iOS (iPhone/iPad)`` gives ``ios-iphone-ipad`` where Metacritic says ``ios-iphoneipad``."""
    named = platform_slug(name) or ""
    return re.sub(r"[^a-z0-9]", "", named) == re.sub(r"[^a-z0-9]", "", canonical_platform(slug))


def _platform_name(film_key: str, items: list[Mapping[str, Any]]) -> str | None:
    """A game's platform as the items name it (``platform``: a name, or ``{name}``)."""
    if media_of_key(film_key) != "game":
        return None
    return next((name for item in items if (name := _item_platform(item))), None)


def _parse_stats(page: Page, data: Mapping[str, Any]) -> Iterator[FilmSummaryItem]:
    item = data.get("item")
    if not isinstance(item, Mapping):
        return
    film_key = _film_key(page, None)
    yield FilmSummaryItem(
        film_key=film_key,
        source_url=page.url,
        media=media_of_key(film_key),
        stated_label=_text(item.get("sentiment")),
        # reviewCount is what the Metascore is based on (positive + mixed + negative).
        stated_critic_count=_int(item.get("reviewCount")),
        stated_metascore=_int(item.get("score")),
        stated_positive=_int(item.get("positiveCount")),
        stated_mixed=_int(item.get("neutralCount")),
        stated_negative=_int(item.get("negativeCount")),
        path=PATH,
    )


def _offset(url: str) -> int:
    for name, value in parse_qsl(urlsplit(url).query):
        if name == "offset" and value.isdigit():
            return int(value)
    return 0


def _with_offset(url: str, offset: int) -> str:
    parts = urlsplit(url)
    query = [(n, v) for n, v in parse_qsl(parts.query, keep_blank_values=True) if n != "offset"]
    if not any(name == "limit" for name, _ in query):
        query.append(("limit", str(PAGE_SIZE)))
    query.insert(0, ("offset", str(offset)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _parse_reviews(page: Page, data: Mapping[str, Any]) -> Iterator[Output]:
    items = [item for item in data.get("items") or [] if isinstance(item, Mapping)]
    product = next(
        (i["reviewedProduct"] for i in items if isinstance(i.get("reviewedProduct"), Mapping)),
        None,
    )
    product_url = _text(product.get("url")) if product else None
    film_key = _film_key(page, product_url)
    offset = _offset(page.url)
    asked = product_of_url(page.url)
    asked_platform = asked.platform if asked is not None and asked.media == "game" else None
    kept = []
    for item in items:
        named = _item_platform(item)
        if asked_platform and named and not _same_platform(named, asked_platform):
            # Trust the item, not the request: a server that ignored the platform
            # answered another platform's reviews under the name asked for.
            yield Problem(
                "paths/platform_mismatch",
                f"A review of {named} answered for platform {asked_platform} on {page.url}: "
                "not stored under it",
            )
            continue
        kept.append(item)
    if offset == 0 and (product is not None or "totalResults" in data):
        summary = _first_page_summary(page, data, film_key, product or {}, kept)
        if len(kept) < len(items):
            # The answer is (at least partly) another platform's: so are its total and
            # the product's score. Only the title's facts are the asked platform's too.
            summary.stated_listed_count = summary.stated_metascore = None
        yield summary
    for item in kept:
        yield review_from_item(item, film_key, page.url)
    if offset == 0 and asked is not None and asked.asks_api:
        # The stats, in case the crawl started here (the spider asks for them at the
        # start otherwise, and its duplicate filter drops this second request).
        yield FollowUp(url=stats_url(asked), film_key=film_key, api=API)
    # Paged by what came back, whatever platform it named.
    if next_url := _next_page(page, data, offset, len(items)):
        yield FollowUp(url=next_url, film_key=film_key, api=API)


def _parse_audience_stats(page: Page, data: Mapping[str, Any]) -> Iterator[FilmSummaryItem]:
    """The audience's summary: audience fields only, never a stated (critic) figure.

    Values go on as the JSON gives them, for normalization to check and count (a score
    sent as a string is the wrong type); ``score: 0`` with ``reviewCount: 0`` is no
    score, which normalization drops (normalize/items.py ``_normalize_audience``)."""
    item = data.get("item")
    if not isinstance(item, Mapping):
        return
    film_key = _film_key(page, None)
    yield FilmSummaryItem(
        film_key=film_key,
        source_url=page.url,
        media=media_of_key(film_key),
        audience_score=item.get("score"),
        audience_scale=item.get("max", AUDIENCE_SCALE),
        audience_count=item.get("reviewCount"),
        audience_positive=item.get("positiveCount"),
        audience_mixed=item.get("neutralCount"),
        audience_negative=item.get("negativeCount"),
        path=PATH,
    )


def audience_review_from_item(
    item: Mapping[str, Any], film_key: str, source_url: str
) -> AudienceReviewItem:
    """A user review as the API gives it (normalize/audience_reviews.py checks it)."""
    return AudienceReviewItem(
        film_key=film_key,
        source_url=source_url,
        review_id=_field(item.get("id")),
        score=item.get("score"),
        author=_field(item.get("author")),
        published_on=_field(item.get("date")),
        quote=_field(item.get("quote")),
        spoiler=item.get("spoiler"),
        path=PATH,
    )


def _parse_audience_reviews(
    page: Page, data: Mapping[str, Any]
) -> Iterator[AudienceReviewItem | FollowUp]:
    items = [item for item in data.get("items") or [] if isinstance(item, Mapping)]
    film_key = _film_key(page, None)
    for item in items:
        yield audience_review_from_item(item, film_key, page.url)
    offset = _offset(page.url)
    if next_url := _next_page(page, data, offset, len(items), null_next_ends=True):
        yield FollowUp(url=next_url, film_key=film_key, api=API)


def _first_page_summary(
    page: Page,
    data: Mapping[str, Any],
    film_key: str,
    product: Mapping[str, Any],
    items: list[Mapping[str, Any]],
) -> FilmSummaryItem:
    media = media_of_key(film_key)
    product_url = _text(product.get("url"))
    title = _text(product.get("title"))
    # A show's items each name a season, whose score is the season's, not the show's.
    score = _int(_mapping(product.get("criticScoreSummary")).get("score"))
    if media == "tv":
        title, score = show_title(title), None
        product_url = film_page_url(absolute(PUBLIC_SITE, product_url) or "")
    return FilmSummaryItem(
        film_key=film_key,
        source_url=page.url,
        title=title,
        url=absolute(PUBLIC_SITE, product_url),
        media=media,
        platform=_platform_name(film_key, items),
        stated_listed_count=_int(data.get("totalResults")),
        stated_metascore=score,
        path=PATH,
    )


def _next_page(
    page: Page,
    data: Mapping[str, Any],
    offset: int,
    returned: int,
    *,
    null_next_ends: bool = False,
) -> str | None:
    """The next page's URL, or None at the end. ``null_next_ends``: a ``links.next``
    stated null (or with a null ``href``) is the end, as the user list states it; the
    critic list keeps counting by offset then, as it always did."""
    if returned == 0:
        return None
    total = _int(data.get("totalResults"))
    if total is not None and offset + returned >= total:
        return None
    body = page.json
    links = body.get("links") if isinstance(body, Mapping) else None
    following = links.get("next") if isinstance(links, Mapping) else None
    href = following.get("href") if isinstance(following, Mapping) else following
    if isinstance(href, str) and (next_url := absolute(page.url, href)):
        return next_url
    if null_next_ends and isinstance(links, Mapping) and "next" in links and href is None:
        return None
    if urlsplit(page.url).scheme not in ("http", "https"):
        return None
    return _with_offset(page.url, offset + returned)
