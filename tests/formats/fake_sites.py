"""Invented films served the way today's sites serve them, for FixtureServer routes.

* ``MetacriticApi``: the backend critic-reviews API and its stats endpoint for
  one movie (or show, or game platform: the platform a path segment), with the
  quirks paging must survive (``links.next`` present or missing, ``limit``
  ignored, an empty last page, ``totalResults`` changing between pages); beside
  them the audience's user stats (no votes unless told) and user review list.
* ``page_2026``: a 2026 critic-reviews page whose cards are the API's first
  reviews, as the real site renders them.
* ``RottenTomatoesApi``: napi pages by cursor.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.support.server import FixtureServer, Reply

JSON = {"Content-Type": "application/json"}
HTML = {"Content-Type": "text/html; charset=utf-8"}


def metacritic_reviews(
    count: int, title: str = "The Copper Ruse", slug: str = "the-copper-ruse"
) -> list[dict[str, Any]]:
    """``count`` distinct invented reviews in the API's item shape, best score first."""
    return [
        {
            "quote": f"Critic {n} found it {('sharp', 'uneven', 'tender', 'loud')[n % 4]}.",
            "score": 100 - n,
            "url": f"https://pub{n}.example/review",
            "date": f"2025-02-{1 + n % 28:02d}",
            "author": f"Critic Number{n}",
            "authorSlug": f"critic-number{n}",
            "publicationName": f"Publication {n}",
            "publicationSlug": f"publication-{n}",
            "reviewedProduct": {"title": title, "url": f"/movie/{slug}/", "criticScoreSummary": {}},
        }
        for n in range(count)
    ]


@dataclass
class MetacriticApi:
    slug: str
    reviews: list[dict[str, Any]]
    #: Items per page, whatever ``limit`` asks for.
    served_per_page: int = 10
    #: Whether a page carries ``links.next`` (given the page's offset).
    next_link: Callable[[int], bool] = lambda offset: True
    #: ``totalResults`` a page states (given its offset); None leaves it out.
    total: Callable[[int], int | None] | None = None
    stats: dict[str, Any] = field(
        default_factory=lambda: {
            "score": 71,
            "reviewCount": 57,
            "positiveCount": 40,
            "neutralCount": 12,
            "negativeCount": 5,
            "sentiment": "Generally favorable",
        }
    )

    #: The API's name for the product: ``movies``, ``shows`` or ``games``.
    product: str = "movies"
    #: Serve as many items as ``limit`` asks for (else ``served_per_page``).
    honours_limit: bool = False
    #: Games: the platform slug, a path segment of every route (``/platform/pc/``).
    platform: str | None = None
    #: The user stats' ``data.item``; by default a title nobody rated (score 0 of 0).
    audience_stats: dict[str, Any] = field(
        default_factory=lambda: {
            "max": 10,
            "score": 0,
            "reviewCount": 0,
            "positiveCount": 0,
            "neutralCount": 0,
            "negativeCount": 0,
        }
    )
    #: User review items (``id``, ``quote``, ``score``, ``author``, ``date``, ``spoiler``).
    audience_reviews: list[dict[str, Any]] = field(default_factory=list)

    def _path(self, who: str, tail: str) -> str:
        platform = f"/platform/{self.platform}" if self.platform else ""
        return f"/reviews/metacritic/{who}/{self.product}/{self.slug}{platform}/{tail}"

    @property
    def reviews_path(self) -> str:
        return self._path("critic", "web")

    @property
    def stats_path(self) -> str:
        return self._path("critic", "stats/web")

    @property
    def audience_stats_path(self) -> str:
        return self._path("user", "stats/web")

    @property
    def audience_reviews_path(self) -> str:
        return self._path("user", "web")

    def install(self, server: FixtureServer) -> None:
        server.route(self.reviews_path, self.reviews_page)
        server.route(
            self.stats_path, Reply(200, json.dumps({"data": {"item": self.stats}}).encode(), JSON)
        )
        audience = {"data": {"item": self.audience_stats}}
        server.route(self.audience_stats_path, Reply(200, json.dumps(audience).encode(), JSON))
        server.route(self.audience_reviews_path, self.audience_reviews_page)

    def audience_reviews_page(
        self, path: str, query: dict[str, list[str]], headers: dict[str, str]
    ) -> Reply:
        """User reviews by offset; ``limit`` honoured up to 200; ``links.next`` null at the end."""
        offset = int(query.get("offset", ["0"])[0])
        limit = min(int(query.get("limit", ["50"])[0]), 200)
        items = self.audience_reviews[offset : offset + limit]
        end = offset + len(items)
        following = None
        if items and end < len(self.audience_reviews):
            following = {
                "href": f"https://backend.metacritic.com{self.audience_reviews_path}"
                f"?offset={end}&limit={limit}"
            }
        body = {
            "data": {"totalResults": len(self.audience_reviews), "items": items},
            "links": {"next": following},
        }
        return Reply(200, json.dumps(body).encode(), JSON)

    def reviews_page(
        self, path: str, query: dict[str, list[str]], headers: dict[str, str]
    ) -> Reply:
        offset = int(query.get("offset", ["0"])[0])
        per_page = self.served_per_page
        if self.honours_limit:
            per_page = int(query.get("limit", [str(per_page)])[0])
        items = self.reviews[offset : offset + per_page]
        total = self.total(offset) if self.total else len(self.reviews)
        data: dict[str, Any] = {"items": items}
        if total is not None:
            data["totalResults"] = total
        body: dict[str, Any] = {"data": data, "links": {}}
        if items and self.next_link(offset) and offset + len(items) < len(self.reviews):
            # Absolute, on the real host: the crawl must bring it back to its API base.
            following = (
                f"https://backend.metacritic.com{self.reviews_path}"
                f"?offset={offset + len(items)}&limit={per_page}"
            )
            body["links"]["next"] = {"href": following}
        return Reply(200, json.dumps(body).encode(), JSON)

    def page_requests(self, server: FixtureServer) -> list[int]:
        """Offsets of the reviews pages the server was asked for, in order of offset."""
        offsets = []
        for raw, count in server.requests.items():
            if raw.split("?")[0] == self.reviews_path:
                query = dict(part.split("=", 1) for part in raw.split("?", 1)[1].split("&"))
                offsets += [int(query.get("offset", "0"))] * count
        return sorted(offsets)


def _card(review: dict[str, Any]) -> str:
    e = html.escape
    date = e(_month_day_year(review["date"]))
    score = review["score"]
    return (
        '<div class="flex flex-col" data-testid="review-card">'
        '<div data-testid="review-card-content">'
        f'<div class="text-xs" data-testid="review-card-date">{date}</div>'
        f'<a data-testid="review-card-header" href="/publication/{e(review["publicationSlug"])}/">'
        '<div class="c-siteReviewScore_background"><div class="c-siteReviewScore" '
        f'title="Metascore {score} out of 100"><span>{score}</span></div></div>'
        f" {e(review['publicationName'])}</a>"
        '<div data-testid="review-card-quote-block"><div data-testid="review-quote-text">'
        f"{e(review['quote'])}</div></div></div>"
        '<div class="review-footer review-footer--critic movie-review-footer">'
        f'<a class="movie-review-footer__author" href="/critic/{e(review["authorSlug"])}/">'
        f"By {e(review['author'])}</a>"
        f'<a href="{e(review["url"])}" target="_blank"><span> FULL REVIEW </span></a></div></div>\n'
    )


def _month_day_year(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day:%b} {day.day}, {day.year}"


def page_2026(title: str, reviews: list[dict[str, Any]], score_card: str = "") -> bytes:
    """A 2026 critic-reviews page rendering ``reviews`` as cards (no score card by default)."""
    cards = "".join(_card(r) for r in reviews)
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>{html.escape(title)} critic reviews - Metacritic</title>"
        f'</head><body><main><section class="page-product-reviews">{score_card}'
        f'<div class="c-reviews-container" data-testid="product-reviews">{cards}</div>'
        '<div class="load-trigger"></div></section></main></body></html>'
    ).encode()


@dataclass
class RottenTomatoesApi:
    ems_id: str
    count: int
    per_page: int = 20

    @property
    def path(self) -> str:
        return f"/napi/rtcf/v1/movies/{self.ems_id}/reviews"

    def install(self, server: FixtureServer) -> None:
        server.route(self.path, self.page)

    def page(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
        after = query.get("after", [""])[0]
        start = int(base64.b64decode(after).decode()) if after else 0
        end = min(start + self.per_page, self.count)
        reviews = [
            {
                "reviewId": str(9000 + n),
                "scoreSentiment": "POSITIVE" if n % 3 else "NEGATIVE",
                "originalScore": ("3/4", "B+", "", "7/10")[n % 4],
                "publicationReviewUrl": f"https://rtpub{n}.example/r",
                "createDate": "2024-05-01T00:00:00.000Z",
                "reviewQuote": f"Review number {n}.",
                "critic": {"displayName": f"RT Critic {n}", "vanity": f"rt-critic-{n}"},
                "publication": {"name": f"RT Publication {n}"},
            }
            for n in range(start, end)
        ]
        cursor = base64.b64encode(str(end).encode()).decode()
        body = {
            "reviews": reviews,
            "pageInfo": {"hasNextPage": end < self.count, "endCursor": cursor},
        }
        return Reply(200, json.dumps(body).encode(), JSON)


def rt_reviews_page(ems_id: str) -> bytes:
    """Rotten Tomatoes' reviews page with one card and the film's internal id in its data."""
    return (
        "<!DOCTYPE html><html><head><title>Harbour Lights | Rotten Tomatoes</title>"
        f'<script id="reviews-json" type="application/json">{{"emsId":"{ems_id}"}}</script>'
        "</head><body><review-card-critic>"
        '<rt-link slot="name" href="/critics/rt-critic-0/movies">RT Critic 0</rt-link>'
        '<rt-link slot="publication" href="/critics/source/1">RT Publication 0</rt-link>'
        '<span slot="timestamp">05/01/2024</span>'
        '<div slot="rating"><score-icon-critics sentiment="NEGATIVE"></score-icon-critics>'
        "<span>3/4</span></div>"
        '<rt-text slot="review">Review number 0.</rt-text>'
        "</review-card-critic></body></html>"
    ).encode()
