"""Writes the invented 2026 Metacritic fixtures (movies, TV shows, games) as static files.

Run by hand after changing the films below, then regenerate the golden files and
read the diff (tests/formats/golden.py)::

    .venv/bin/python -m tests.support.write_metacritic_fixtures
    REVIEWCRAWLER_UPDATE_GOLDENS=1 .venv/bin/python -m pytest -q tests/formats/test_golden.py

Every film, critic, publication and quote here is invented.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.metacritic_pages import component, json_ld, nuxt_page_data, page

ROOT = Path(__file__).resolve().parents[2] / "fixtures"
FORMATS = ROOT / "formats"
SITE = "https://www.metacritic.com"


def review(
    n: int,
    quote: str,
    score: int | None,
    publication: str,
    author: str,
    date: str | None,
    product: dict[str, Any],
    **extra: Any,
) -> dict[str, Any]:
    slug = "-".join(author.lower().split()) if author else ""
    return {
        "quote": quote,
        "score": score,
        "url": f"https://{publication.lower().replace(' ', '')}.example/review/{n}",
        "date": date,
        "author": author,
        "authorSlug": slug or None,
        "publicationName": publication,
        "publicationSlug": publication.lower().replace(" ", "-"),
        "reviewedProduct": product,
        **extra,
    }


def user_reviews() -> list[dict[str, Any]]:
    """The audience's reviews: an author, no publication. Never critic reviews."""
    return [
        {"quote": "Watched it twice, loved it twice.", "score": 9, "author": "reelfan_77"},
        {"quote": "Too slow for me.", "score": 4, "author": "nightowl"},
    ]


def user_components() -> list[dict[str, Any]]:
    return [
        component(
            "user-score-summary",
            "MetaScoreSummary",
            {"item": {"score": 7.9, "max": 10, "reviewCount": 212, "sentiment": "Generally"}},
        ),
        component("user-reviews", "ReviewList", {"items": user_reviews(), "totalResults": 212}),
    ]


# --- A movie ----------------------------------------------------------------------------

MOVIE = {"title": "The Lamplighter's Daughter", "slug": "the-lamplighters-daughter"}
MOVIE_PRODUCT = {
    "id": 401,
    "type": "movie",
    "title": MOVIE["title"],
    "url": f"/movie/{MOVIE['slug']}/",
    "criticScoreSummary": {"score": 74},
}
MOVIE_REVIEWS = [
    review(
        1,
        "Every frame glows like a wick just lit.",
        90,
        "The Harrow Post",
        "Ada Quill",
        "2025-03-02",
        MOVIE_PRODUCT,
    ),
    review(
        2,
        "A patient, generous film about inherited work.",
        85,
        "Cinder Weekly",
        "Tomas Brand",
        "2025-03-03",
        MOVIE_PRODUCT,
    ),
    review(
        3,
        "Handsome, if a touch too polite.",
        70,
        "North Reel",
        "Mae Okafor",
        "2025-03-05",
        MOVIE_PRODUCT,
    ),
    review(
        4,
        "It finds its light in the last act.",
        65,
        "Film Ledger",
        "Piet Varga",
        "2025-03-06",
        MOVIE_PRODUCT,
    ),
    review(
        5,
        "Lovely to look at, slow to move.",
        50,
        "The Quayside",
        "Ruth Ellery",
        "2025-03-08",
        MOVIE_PRODUCT,
    ),
    review(
        6,
        "A drama that mistakes murk for mood.",
        30,
        "Static Screen",
        "Jon Abel",
        "2025-03-09",
        MOVIE_PRODUCT,
    ),
    # Listed, not scored: counted in totalResults, not in reviewCount.
    review(7, "Quotation forthcoming.", None, "Evening Frame", "Lio Marsh", None, MOVIE_PRODUCT),
]
MOVIE_SUMMARY = {
    "score": 74,
    "max": 100,
    "reviewCount": 6,
    "positiveCount": 4,
    "neutralCount": 1,
    "negativeCount": 1,
    "sentiment": "Generally favorable",
}
MOVIE_PRODUCT_ITEM = {
    "title": MOVIE["title"],
    "slug": MOVIE["slug"],
    "premiereYear": 2025,
    "releaseDate": "2025-02-28",
    "type": "movie",
}


def movie_critic_reviews(drifted: bool = False) -> str:
    key = f'loadPage:movies-critic-reviews:{MOVIE["slug"]}:{{"filter":"all","sort":"score"}}'
    data = nuxt_page_data(
        key,
        [
            component("product", "Product", {"item": MOVIE_PRODUCT_ITEM}),
            component("critic-score-summary", "MetaScoreSummary", {"item": MOVIE_SUMMARY}),
            component(
                "critic-reviews",
                "ReviewList",
                {"items": MOVIE_REVIEWS, "totalResults": len(MOVIE_REVIEWS)},
            ),
            *user_components(),
        ],
    )
    return page(
        title=f"{MOVIE['title']} critic reviews",
        canonical=f"{SITE}/movie/{MOVIE['slug']}/critic-reviews/",
        data=data,
        cards=MOVIE_REVIEWS,
        summary=MOVIE_SUMMARY,
        listed=len(MOVIE_REVIEWS),
        drifted=drifted,
    )


def _summary_lists(reviews: list[dict[str, Any]]) -> dict[str, Any]:
    """A ProductReviewsSummary: four overlapping lists (the top three, and by sentiment)."""

    def band(low: int, high: int) -> list[dict[str, Any]]:
        return [r for r in reviews if r["score"] is not None and low <= r["score"] <= high][:3]

    return {
        "item": {
            "default": reviews[:3],
            "positive": band(61, 100),
            "neutral": band(40, 60),
            "negative": band(0, 39),
        },
        "totalResults": len(reviews),
    }


def movie_title_page(drifted: bool = False) -> str:
    data = nuxt_page_data(
        f"loadPage:movies:{MOVIE['slug']}:",
        [
            component("product", "Product", {"item": MOVIE_PRODUCT_ITEM}),
            component("critic-score-summary", "MetaScoreSummary", {"item": MOVIE_SUMMARY}),
            component("critic-reviews", "ProductReviewsSummary", _summary_lists(MOVIE_REVIEWS[:6])),
            *user_components(),
        ],
    )
    url = f"{SITE}/movie/{MOVIE['slug']}/"
    return page(
        title=MOVIE["title"],
        canonical=url,
        data=data,
        cards=MOVIE_REVIEWS[:3],
        summary=MOVIE_SUMMARY,
        listed=6,
        ld=json_ld(MOVIE["title"], 2025, url, 74, 6),
        drifted=drifted,
    )


# --- A TV show --------------------------------------------------------------------------

SHOW = {"title": "Harbour Watch", "slug": "harbour-watch"}


def season(n: int, score: int) -> dict[str, Any]:
    return {
        "id": 700 + n,
        "type": "tv-season",
        "title": f"{SHOW['title']}: Season {n}",
        "url": f"/tv/{SHOW['slug']}/season-{n}/",
        "criticScoreSummary": {"score": score},
        "tvTaxonomy": {"season": {"id": 800 + n, "name": f"Season {n}"}},
    }


SHOW_REVIEWS = [
    review(
        1,
        "A procedural with salt in its lungs.",
        80,
        "The Harrow Post",
        "Ada Quill",
        "2023-09-01",
        season(1, 72),
    ),
    # The same critic of the same publication, a season later: another review.
    review(
        2,
        "Season two widens the map and keeps the chill.",
        88,
        "The Harrow Post",
        "Ada Quill",
        "2024-09-06",
        season(2, 84),
    ),
    review(
        3,
        "Sturdy, familiar, watchable.",
        60,
        "Cinder Weekly",
        "Tomas Brand",
        "2023-09-02",
        season(1, 72),
    ),
    # Its season only in the product's title (no tvTaxonomy).
    review(
        4,
        "The finale lands every thread.",
        90,
        "North Reel",
        "Mae Okafor",
        "2024-09-10",
        {k: v for k, v in season(2, 84).items() if k != "tvTaxonomy"},
    ),
    review(
        5,
        "Third time out, the tide goes flat.",
        45,
        "Static Screen",
        "Jon Abel",
        "2025-10-01",
        season(3, 58),
    ),
]
SHOW_SUMMARY = {
    "score": 76,
    "max": 100,
    "reviewCount": 5,
    "positiveCount": 3,
    "neutralCount": 2,
    "negativeCount": 0,
    "sentiment": "Generally favorable",
}
SHOW_PRODUCT_ITEM = {
    "title": SHOW["title"],
    "slug": SHOW["slug"],
    "premiereYear": 2023,
    "releaseDate": "2023-08-28",
    "type": "tv-show",
    "seasonCount": 3,
}


def show_title_page(drifted: bool = False) -> str:
    data = nuxt_page_data(
        f"loadPage:shows:{SHOW['slug']}:",
        [
            component("product", "Product", {"item": SHOW_PRODUCT_ITEM}),
            component("critic-score-summary", "MetaScoreSummary", {"item": SHOW_SUMMARY}),
            component("critic-reviews", "ProductReviewsSummary", _summary_lists(SHOW_REVIEWS)),
            *user_components(),
        ],
    )
    return page(
        title=SHOW["title"],
        canonical=f"{SITE}/tv/{SHOW['slug']}/",
        data=data,
        cards=SHOW_REVIEWS[:3],
        summary=SHOW_SUMMARY,
        listed=len(SHOW_REVIEWS),
        drifted=drifted,
    )


# --- A game -----------------------------------------------------------------------------

GAME = {"title": "Ember Circuit", "slug": "ember-circuit"}
GAME_PRODUCT = {
    "id": 990,
    "type": "game-title",
    "title": GAME["title"],
    "url": f"/game/{GAME['slug']}/",
    "criticScoreSummary": {"score": 83},
}
PS5 = "PlayStation 5"
GAME_REVIEWS = [
    review(
        1,
        "A racer that hums like a live wire.",
        95,
        "Pixel Forge",
        "",
        None,
        GAME_PRODUCT,
        platform=PS5,
    ),
    review(
        2,
        "Tight handling, thin career mode.",
        80,
        "Save Point Weekly",
        "Noor Halvorsen",
        "2025-11-04",
        GAME_PRODUCT,
        platform=PS5,
    ),
    review(
        3,
        "Gorgeous tracks, a grind to unlock them.",
        75,
        "Joypad Journal",
        "",
        "2025-11-05",
        GAME_PRODUCT,
        platform=PS5,
    ),
    review(
        4,
        "The best-feeling drift in years.",
        90,
        "Respawn Review",
        "Kit Amsel",
        None,
        GAME_PRODUCT,
        platform=PS5,
    ),
    review(
        5,
        "Fun for a weekend, then it stalls.",
        55,
        "Cartridge Club",
        "",
        "2025-11-08",
        GAME_PRODUCT,
        platform=PS5,
    ),
    # Listed, unscored.
    review(
        6, "Quotation forthcoming.", None, "Boss Fight Daily", "", None, GAME_PRODUCT, platform=PS5
    ),
]
GAME_SUMMARY = {
    "score": 83,
    "max": 100,
    "reviewCount": 5,
    "positiveCount": 4,
    "neutralCount": 1,
    "negativeCount": 0,
    "sentiment": "Generally favorable",
}
GAME_PRODUCT_ITEM = {
    "title": GAME["title"],
    "slug": GAME["slug"],
    "premiereYear": 2025,
    "releaseDate": "2025-10-30",
    "type": "game-title",
    "platform": PS5,
    "platforms": [
        {"name": PS5, "slug": "playstation-5", "releaseDate": "2025-10-30"},
        {"name": "PC", "slug": "pc", "releaseDate": "2026-02-12"},
    ],
}


def game_critic_reviews(drifted: bool = False) -> str:
    key = f'loadPage:games-critic-reviews:{GAME["slug"]}:{{"filter":"all","sort":"score"}}'
    data = nuxt_page_data(
        key,
        [
            component("product", "Product", {"item": GAME_PRODUCT_ITEM}),
            component("critic-score-summary", "MetaScoreSummary", {"item": GAME_SUMMARY}),
            component(
                "critic-reviews",
                "ReviewList",
                {"items": GAME_REVIEWS, "totalResults": len(GAME_REVIEWS)},
            ),
            *user_components(),
        ],
    )
    return page(
        title=f"{GAME['title']} critic reviews",
        canonical=f"{SITE}/game/{GAME['slug']}/critic-reviews/",
        data=data,
        cards=GAME_REVIEWS,
        summary=GAME_SUMMARY,
        listed=len(GAME_REVIEWS),
        game_platform=PS5,
        drifted=drifted,
    )


def games_api_response() -> str:
    body = {
        "data": {"totalResults": len(GAME_REVIEWS), "items": GAME_REVIEWS},
        "links": {"self": {"href": "/reviews/metacritic/critic/games/ember-circuit/web"}},
    }
    return json.dumps(body, indent=1, ensure_ascii=False) + "\n"


def shows_api_response() -> str:
    body = {"data": {"totalResults": len(SHOW_REVIEWS), "items": SHOW_REVIEWS}, "links": {}}
    return json.dumps(body, indent=1, ensure_ascii=False) + "\n"


# --- Writing ----------------------------------------------------------------------------

FILES = {
    FORMATS / "metacritic_2026" / "movie-critic-reviews.html": movie_critic_reviews,
    FORMATS / "metacritic_2026" / "movie-critic-reviews-drifted.html": lambda: movie_critic_reviews(
        drifted=True
    ),
    FORMATS / "metacritic_2026" / "movie-title-page.html": movie_title_page,
    FORMATS / "metacritic_2026" / "movie-title-page-drifted.html": lambda: movie_title_page(True),
    FORMATS / "metacritic_2026" / "tv-title-page-seasons.html": show_title_page,
    FORMATS / "metacritic_2026" / "tv-title-page-seasons-drifted.html": lambda: show_title_page(
        True
    ),
    FORMATS / "metacritic_2026" / "game-critic-reviews-platform.html": game_critic_reviews,
    FORMATS / "metacritic_2026" / "game-critic-reviews-platform-drifted.html": lambda: (
        game_critic_reviews(True)
    ),
    FORMATS / "metacritic_api" / "games-reviews-platform.json": games_api_response,
    FORMATS / "metacritic_api" / "shows-reviews-seasons.json": shows_api_response,
    ROOT / "sample" / "tv" / "harbour-watch-tv-show-title-page.html": show_title_page,
    ROOT / "sample" / "game" / "ember-circuit-playstation-5-game-critic-reviews.html": (
        game_critic_reviews
    ),
}


def main() -> None:
    for path, build in FILES.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(build(), encoding="utf-8")
        print(path.relative_to(ROOT.parent))


if __name__ == "__main__":
    main()
