"""Rotten Tomatoes' ``napi`` JSON: a movie's critic reviews, page by page, by cursor.

``<base>/napi/rtcf/v1/movies/<emsId>/reviews?after=<cursor>&pageCount=20&type=critic``
gives ``reviews[] {reviewId, scoreSentiment, originalScore, isTopReview,
publicationReviewUrl, createDate, reviewQuote, critic {displayName, vanity},
publication {name}}`` and ``pageInfo {hasNextPage, endCursor}``. The next page is
this URL with ``after=<endCursor>``; paging stops when ``hasNextPage`` is false,
a page is empty, or the cursor does not move. The critic's ``vanity`` is their slug
(``/critics/<vanity>``), kept as ``critic_slug``; the reviews carry ``path="api"``.

The URL names the film by RT's internal id, not its ``/m/<slug>``: the film key
comes with the request (``Page.film_key``, set from the page that linked here),
falling back to ``rottentomatoes:<emsId>`` for a crawl started at the API.
``<base>`` is the ``ROTTENTOMATOES_API_URL`` setting (see ``rebase``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from reviewcrawler.formats.json_values import text as _text
from reviewcrawler.formats.page import Page
from reviewcrawler.formats.problems import Problem
from reviewcrawler.identity import film_identity
from reviewcrawler.items import FilmSummaryItem, FollowUp, ReviewItem

NAME = "rottentomatoes_api"
SITE = "rottentomatoes"
#: The key of this API in ``reviewcrawler.formats.APIS`` and in ``FollowUp.api``.
API = "rottentomatoes"
DEFAULT_BASE = "https://www.rottentomatoes.com"
PAGE_SIZE = 20

_API_PATH = re.compile(r"/napi/rtcf/v1/movies/(?P<ems_id>[^/?#]+)/reviews/?$")
_EMS_ID = re.compile(r'"emsId"\s*:\s*"(?P<ems_id>[0-9A-Za-z-]{8,64})"')


def reviews_url(ems_id: str, after: str = "", base: str = DEFAULT_BASE) -> str:
    query = urlencode({"after": after, "pageCount": PAGE_SIZE, "type": "critic"})
    return f"{base.rstrip('/')}/napi/rtcf/v1/movies/{ems_id}/reviews?{query}"


def rebase(url: str, base: str) -> str | None:
    """``url``'s API path and query under ``base``; None when it is no path of this API."""
    parts = urlsplit(url)
    match = _API_PATH.search(parts.path)
    if match is None:
        return None
    base_parts = urlsplit(base.rstrip("/"))
    path = base_parts.path + match.group(0)
    return urlunsplit((base_parts.scheme, base_parts.netloc, path, parts.query, ""))


def first_page(page_text: str, film_key: str) -> FollowUp | None:
    """The API's first page for the film whose internal id the page's data states."""
    if match := _EMS_ID.search(page_text):
        return FollowUp(url=reviews_url(match.group("ems_id")), film_key=film_key, api=API)
    return None


def _reviews(page: Page) -> list[Any] | None:
    body = page.json
    if isinstance(body, Mapping) and isinstance(body.get("reviews"), list):
        return body["reviews"]
    return None


def matches(page: Page) -> bool:
    body = page.json
    if _reviews(page) is None:
        return False
    return isinstance(body.get("pageInfo"), Mapping) or bool(
        _API_PATH.search(urlsplit(page.url).path)
    )


def review_from_item(item: Mapping[str, Any], film_key: str, source_url: str) -> ReviewItem:
    critic = item.get("critic") if isinstance(item.get("critic"), Mapping) else {}
    publication = item.get("publication") if isinstance(item.get("publication"), Mapping) else {}
    return ReviewItem(
        film_key=film_key,
        source_url=source_url,
        critic=_text(critic.get("displayName")),
        critic_slug=_slug(critic.get("vanity")),
        publication=_text(publication.get("name")),
        original_score=_text(item.get("originalScore")),
        sentiment=_text(item.get("scoreSentiment")),
        published_on=_text(item.get("createDate")),
        quote=_text(item.get("reviewQuote")),
        review_url=_text(item.get("publicationReviewUrl")),
        path="api",
    )


def _dropped_vanity(item: Mapping[str, Any]) -> str | None:
    """The critic's ``vanity`` when it is given but is no slug (then it was dropped)."""
    critic = item.get("critic")
    vanity = _text(critic.get("vanity")) if isinstance(critic, Mapping) else None
    return vanity if vanity is not None and _slug(vanity) is None else None


def _slug(value: Any) -> str | None:
    """A critic's ``vanity`` as a slug: one path segment, lower case; else none."""
    text = _text(value)
    if text is None or "/" in text or any(c.isspace() for c in text):
        return None
    return text.lower()


def parse(page: Page) -> Iterator[ReviewItem | FilmSummaryItem | FollowUp | Problem]:
    reviews = [r for r in _reviews(page) or [] if isinstance(r, Mapping)]
    film_key = page.film_key or film_identity(page.url, SITE, page.film_argument).key
    for item in reviews:
        review = review_from_item(item, film_key, page.url)
        yield review
        if review.critic_slug is None and (vanity := _dropped_vanity(item)) is not None:
            yield Problem(
                "rottentomatoes_api/unreadable/critic_slug",
                f"Dropped the critic vanity {vanity!r} on {page.url}: not a slug",
            )
    if next_url := _next_page(page, bool(reviews)):
        yield FollowUp(url=next_url, film_key=film_key, api=API)


def _next_page(page: Page, any_reviews: bool) -> str | None:
    info = page.json.get("pageInfo")
    if not any_reviews or not isinstance(info, Mapping) or info.get("hasNextPage") is not True:
        return None
    cursor = _text(info.get("endCursor"))
    parts = urlsplit(page.url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if (
        cursor is None
        or dict(query).get("after") == cursor
        or parts.scheme not in ("http", "https")
    ):
        return None
    query = [(n, v) for n, v in query if n != "after"]
    query.insert(0, ("after", cursor))
    return urljoin(page.url, urlunsplit(parts._replace(query=urlencode(query))))
