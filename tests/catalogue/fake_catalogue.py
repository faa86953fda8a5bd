"""An invented Metacritic catalogue served the way the API serves it (FORMATS.md,
"Listings, the product endpoint and audience figures"), for catalogue crawl tests.

* the finder (``/finder/metacritic/web``): titles newest first, ``limit`` honoured up
  to 50 (more: HTTP 400), ``totalResults``, a listed count and buckets per title;
* the product endpoint (``/<games|movies>/metacritic/<slug>/web``): every platform's
  summary in one answer;
* per platform (a path segment) the critic stats and review list, the list answering
  at most 10 items whatever ``limit`` says; a ``platform=`` query on the route without
  the segment answers the lead platform;
* the user stats (nobody rated).

The catalogue is a plain object the test edits between jobs (a review added, a title
new); ``server.requests`` counts what the crawl asked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.support.server import FixtureServer, Reply

JSON = {"Content-Type": "application/json"}
TYPES = {13: "game", 2: "movie", 1: "tv"}
PRODUCTS = {"game": "games", "movie": "movies", "tv": "shows"}


@dataclass
class Platform:
    name: str
    slug: str
    scores: list[int]


@dataclass
class Title:
    media: str
    slug: str
    title: str
    release: str
    #: Movies: one entry with slug "" (no platform).
    platforms: list[Platform]

    def summary(self, platform: Platform) -> dict[str, Any]:
        scores = platform.scores
        if not scores:
            return {
                "score": None,
                "reviewCount": 0,
                "positiveCount": 0,
                "neutralCount": 0,
                "negativeCount": 0,
                "sentiment": "tbd",
            }
        return {
            "max": 100,
            "score": round(sum(scores) / len(scores)),
            "reviewCount": len(scores),
            "positiveCount": sum(s >= 61 for s in scores),
            "neutralCount": sum(40 <= s <= 60 for s in scores),
            "negativeCount": sum(s < 40 for s in scores),
            "sentiment": "Generally favorable",
        }

    def reviews(self, platform: Platform) -> list[dict[str, Any]]:
        return [
            {
                "quote": f"{self.title} on {platform.name or 'screen'}: take {n}.",
                "score": score,
                "url": "",
                "date": None,  # as the API answers most game reviews
                "author": "",
                "authorSlug": None,
                "publicationName": f"Outlet {n}",
                "publicationSlug": f"outlet-{n}",
                "platform": platform.name or None,
                "reviewedProduct": {"title": self.title, "url": f"/{self.media}/{self.slug}/"},
            }
            for n, score in enumerate(platform.scores)
        ]


@dataclass
class FakeCatalogue:
    titles: list[Title]
    #: Listing pages answered as a broken body, by (media, offset).
    broken_pages: dict[tuple[str, int], bytes] = field(default_factory=dict)
    #: Extra raw items appended to the first listing page of a media (bad input).
    odd_items: dict[str, list[Any]] = field(default_factory=dict)
    #: ``totalResults`` as served, by media, when it should not be the true count.
    total_as: dict[str, Any] = field(default_factory=dict)
    #: The largest ``limit`` the finder takes; more answers HTTP 400.
    limit_cap: int = 50

    def install(self, server: FixtureServer) -> None:
        server.route("/finder/metacritic/web", self.finder)
        for title in self.titles:
            self.install_title(server, title)

    def install_title(self, server: FixtureServer, title: Title) -> None:
        product = PRODUCTS[title.media]
        server.route(f"/{product}/metacritic/{title.slug}/web", self._product(title))
        base = f"/reviews/metacritic/critic/{product}/{title.slug}"
        user = f"/reviews/metacritic/user/{product}/{title.slug}"
        for platform in title.platforms:
            segment = f"/platform/{platform.slug}" if platform.slug else ""
            server.route(f"{base}{segment}/web", self._list(title, platform))
            server.route(f"{base}{segment}/stats/web", self._stats(title, platform))
            server.route(f"{user}{segment}/stats/web", _no_votes)
            server.route(f"{user}{segment}/web", _no_user_reviews)
        if title.media == "game":
            # Without the segment, whatever platform= says: the lead platform.
            server.route(f"{base}/web", self._list(title, title.platforms[0]))
            server.route(f"{base}/stats/web", self._stats(title, title.platforms[0]))

    def finder(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
        media = TYPES[int(query["mcoTypeId"][0])]
        offset = int(query.get("offset", ["0"])[0])
        limit = int(query.get("limit", ["24"])[0])
        if limit > self.limit_cap:
            return Reply(400, b'{"errors": ["limit"]}', JSON)
        if (media, offset) in self.broken_pages:
            return Reply(200, self.broken_pages[media, offset], JSON)
        listed = sorted(
            (t for t in self.titles if t.media == media), key=lambda t: t.release, reverse=True
        )
        items: list[Any] = [self._item(t) for t in listed[offset : offset + limit]]
        if offset == 0:
            items += self.odd_items.get(media, [])
        total = self.total_as.get(media, len(listed))
        body = {"data": {"totalResults": total, "items": items}, "links": {}}
        return Reply(200, json.dumps(body).encode(), JSON)

    def _item(self, title: Title) -> dict[str, Any]:
        return {
            "id": hash(title.slug) % 100000,
            "type": f"{title.media}-title",
            "title": title.title,
            "slug": title.slug,
            "premiereYear": int(title.release[:4]),
            "releaseDate": title.release,
            "rating": "T",
            "genres": [{"name": "Adventure"}],
            # The lead platform's figures, as the real listing gives them.
            "criticScoreSummary": title.summary(title.platforms[0]),
            "userScore": {"score": None},
        }

    def _product(self, title: Title) -> Any:
        def reply(path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
            item: dict[str, Any] = {
                "title": title.title,
                "slug": title.slug,
                "releaseDate": title.release,
                "premiereYear": int(title.release[:4]),
                "rating": "T",
                "genres": [{"name": "Adventure"}],
                "criticScoreSummary": title.summary(title.platforms[0]),
            }
            if title.media == "game":
                item["platforms"] = [
                    {
                        "name": p.name,
                        "slug": p.slug,
                        "isLeadPlatform": n == 0,
                        "releaseDate": title.release,
                        "criticScoreSummary": title.summary(p),
                    }
                    for n, p in enumerate(title.platforms)
                ]
            return Reply(200, json.dumps({"data": {"item": item}}).encode(), JSON)

        return reply

    def _list(self, title: Title, platform: Platform) -> Any:
        def reply(path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
            reviews = title.reviews(platform)
            offset = int(query.get("offset", ["0"])[0])
            items = reviews[offset : offset + 10]  # 10 at most, whatever limit says
            body = {"data": {"totalResults": len(reviews), "items": items}, "links": {}}
            return Reply(200, json.dumps(body).encode(), JSON)

        return reply

    def _stats(self, title: Title, platform: Platform) -> Any:
        def reply(path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
            body = {"data": {"item": title.summary(platform)}}
            return Reply(200, json.dumps(body).encode(), JSON)

        return reply


def _no_votes(path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
    item = {
        "max": 10,
        "score": 0,
        "reviewCount": 0,
        "positiveCount": 0,
        "neutralCount": 0,
        "negativeCount": 0,
    }
    return Reply(200, json.dumps({"data": {"item": item}}).encode(), JSON)


def _no_user_reviews(path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
    body = {"data": {"totalResults": 0, "items": []}, "links": {"next": None}}
    return Reply(200, json.dumps(body).encode(), JSON)
