"""Metacritic's backend JSON API: a movie's critic reviews, page by page, and its stats.

Today's critic-reviews page renders about ten reviews; the rest come from here,
so every Metacritic film page hands the crawl to this API (see ``first_page``).

* Reviews: ``<base>/reviews/metacritic/critic/movies/<slug>/web?offset=..&limit=..``
  gives ``data.totalResults``, ``data.items[]`` and, sometimes, ``links.next.href``.
  Paging: follow ``links.next`` when present, else advance ``offset`` by the number
  of items returned (``limit`` is not always honoured); stop at an empty page or
  once this page's ``totalResults`` is reached (it may change between pages). The
  state lives in the URL, so any worker can fetch any page.
* Stats: ``<base>/reviews/metacritic/critic/movies/<slug>/stats/web`` gives
  ``data.item {score, reviewCount, positiveCount, neutralCount, negativeCount,
  sentiment}``; requested once, by the first reviews page.

``<base>`` is the ``METACRITIC_API_URL`` setting: URLs built here use the real
host and the spider rebases them (``rebase``), so tests and mirrors can serve them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from reviewcrawler.formats.links import absolute
from reviewcrawler.formats.page import Page
from reviewcrawler.identity import film_identity
from reviewcrawler.items import FilmSummaryItem, FollowUp, ReviewItem

NAME = "metacritic_api"
SITE = "metacritic"
#: The key of this API in ``reviewcrawler.formats.APIS`` and in ``FollowUp.api``.
API = "metacritic"
DEFAULT_BASE = "https://backend.metacritic.com"
#: The page size the site's own pages ask for; larger limits are not known to be honoured.
PAGE_SIZE = 10
PUBLIC_SITE = "https://www.metacritic.com"

_API_PATH = re.compile(
    r"/reviews/metacritic/critic/movies/(?P<slug>[^/?#]+)/(?P<kind>stats/web|web)/?$"
)
_FILM_PATH = re.compile(r"^/movies?/(?P<slug>[A-Za-z0-9][A-Za-z0-9_.-]*)")
_REVIEW_QUERY = {
    "filterBySentiment": "all",
    "sort": "score",
    "componentName": "critic-reviews",
    "componentDisplayName": "critic Reviews",
    "componentType": "ReviewList",
}
_STATS_QUERY = {"componentName": "critic-score-summary", "componentType": "MetaScoreSummary"}


# --- URLs ---------------------------------------------------------------------------


def reviews_url(slug: str, offset: int = 0, base: str = DEFAULT_BASE) -> str:
    query = urlencode({"offset": offset, "limit": PAGE_SIZE, **_REVIEW_QUERY})
    return f"{base.rstrip('/')}/reviews/metacritic/critic/movies/{slug}/web?{query}"


def stats_url(slug: str, base: str = DEFAULT_BASE) -> str:
    return f"{base.rstrip('/')}/reviews/metacritic/critic/movies/{slug}/stats/web?" + urlencode(
        _STATS_QUERY
    )


def rebase(url: str, base: str) -> str | None:
    """``url``'s API path and query under ``base``; None when it is no path of this API."""
    parts = urlsplit(url)
    match = re.search(r"/reviews/metacritic/critic/movies/[^/?#]+/(?:stats/web|web)/?$", parts.path)
    if match is None:
        return None
    base_parts = urlsplit(base.rstrip("/"))
    path = base_parts.path + match.group(0)
    return urlunsplit((base_parts.scheme, base_parts.netloc, path, parts.query, ""))


def film_slug(url: str) -> str | None:
    """The movie slug of any Metacritic film URL: title page, critic-reviews page or API."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    if match := _API_PATH.search(parts.path):
        return match.group("slug").lower()
    if match := _FILM_PATH.match(parts.path):
        return match.group("slug").lower()
    return None


def film_page_url(url: str) -> str | None:
    """The film's own page (``https://host/movie/<slug>/``) for a page under it."""
    match = re.match(r"^(https?://[^/?#]+/(?:movie|game|tv)/[^/?#]+)", url)
    return match.group(1) + "/" if match else None


def first_page(film_url: str, film_key: str) -> FollowUp | None:
    """The API's first reviews page for the movie at ``film_url``, if it names one."""
    slug = film_slug(film_url)
    if slug is None:
        return None
    return FollowUp(url=reviews_url(slug), film_key=film_key, api=API)


# --- Items ----------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def review_from_item(item: Mapping[str, Any], film_key: str, source_url: str) -> ReviewItem:
    """A review from one item of the API (Metacritic's page data uses the same shape)."""
    score = item.get("score")
    return ReviewItem(
        film_key=film_key,
        source_url=source_url,
        critic=_text(item.get("author")),
        publication=_text(item.get("publicationName")),
        original_score=_text(score) if _int(score) is not None else None,
        published_on=_text(item.get("date")),
        quote=_text(item.get("quote")),
        review_url=_text(item.get("url")),
    )


def looks_like_review_item(value: Any) -> bool:
    return isinstance(value, Mapping) and "quote" in value and "publicationName" in value


# --- The format -----------------------------------------------------------------------


def _data(page: Page) -> Mapping[str, Any] | None:
    body = page.json
    if isinstance(body, Mapping) and isinstance(body.get("data"), Mapping):
        return body["data"]
    return None


def _is_stats(data: Mapping[str, Any]) -> bool:
    item = data.get("item")
    return isinstance(item, Mapping) and "reviewCount" in item and "positiveCount" in item


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


def parse(page: Page) -> Iterator[ReviewItem | FilmSummaryItem | FollowUp]:
    data = _data(page)
    if data is None:
        return
    if _is_stats(data) or (
        (match := _API_PATH.search(urlsplit(page.url).path)) and match.group("kind") != "web"
    ):
        yield from _parse_stats(page, data)
    else:
        yield from _parse_reviews(page, data)


def _film_key(page: Page, product_url: str | None) -> str:
    canonical = absolute(PUBLIC_SITE, product_url)
    return film_identity(page.url, SITE, page.film_argument, canonical).key


def _parse_stats(page: Page, data: Mapping[str, Any]) -> Iterator[FilmSummaryItem]:
    item = data.get("item")
    if not isinstance(item, Mapping):
        return
    yield FilmSummaryItem(
        film_key=_film_key(page, None),
        source_url=page.url,
        stated_label=_text(item.get("sentiment")),
        stated_critic_count=_int(item.get("reviewCount")),
        stated_metascore=_int(item.get("score")),
        stated_positive=_int(item.get("positiveCount")),
        stated_mixed=_int(item.get("neutralCount")),
        stated_negative=_int(item.get("negativeCount")),
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


def _parse_reviews(
    page: Page, data: Mapping[str, Any]
) -> Iterator[ReviewItem | FilmSummaryItem | FollowUp]:
    items = [item for item in data.get("items") or [] if isinstance(item, Mapping)]
    product = next(
        (i["reviewedProduct"] for i in items if isinstance(i.get("reviewedProduct"), Mapping)),
        None,
    )
    product_url = _text(product.get("url")) if product else None
    film_key = _film_key(page, product_url)
    offset = _offset(page.url)
    if offset == 0 and product is not None:
        summary = product.get("criticScoreSummary")
        yield FilmSummaryItem(
            film_key=film_key,
            source_url=page.url,
            title=_text(product.get("title")),
            url=absolute(PUBLIC_SITE, product_url),
            stated_metascore=_int(summary.get("score")) if isinstance(summary, Mapping) else None,
        )
    for item in items:
        yield review_from_item(item, film_key, page.url)
    if offset == 0 and (slug := film_slug(page.url)):
        yield FollowUp(url=stats_url(slug), film_key=film_key, api=API)
    if next_url := _next_page(page, data, offset, len(items)):
        yield FollowUp(url=next_url, film_key=film_key, api=API)


def _next_page(page: Page, data: Mapping[str, Any], offset: int, returned: int) -> str | None:
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
    if urlsplit(page.url).scheme not in ("http", "https"):
        return None
    return _with_offset(page.url, offset + returned)
