"""Invented Metacritic pages of 2025-2026, written the way the site writes them.

* ``devalue``: a Python value as a ``__NUXT_DATA__`` payload (devalue's flat array:
  entry 0 the root, objects and arrays holding indexes, equal strings written once);
* ``nuxt_page_data``: a page's data, components named by ``meta.componentName``;
* ``page``: a whole page: cards, score card, JSON-LD, page data; ``drifted=True``
  renames the cards and drops the score card (markup drift, page data intact).

The fixture files under fixtures/formats/ and fixtures/sample/ are written from
these by ``python -m tests.support.write_metacritic_fixtures`` and committed as
static files; tests read the files, not this module.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Mapping, Sequence
from typing import Any


def devalue(value: Any) -> str:
    """``value`` (dicts, lists, str, int, float, bool, None) as a devalue payload."""
    entries: list[Any] = [None]
    strings: dict[str, int] = {}

    def add(item: Any) -> int:
        if item is None:
            return -1  # devalue writes undefined/null holes as negative indexes
        if isinstance(item, str) and item in strings:
            return strings[item]
        index = len(entries)
        entries.append(None)
        if isinstance(item, Mapping):
            entries[index] = {str(k): add(v) for k, v in item.items()}
        elif isinstance(item, (list, tuple)):
            entries[index] = [add(v) for v in item]
        else:
            entries[index] = item
            if isinstance(item, str):
                strings[item] = index
        return index

    root = add(value)
    entries[0] = ["ShallowReactive", root]
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":"))


def component(name: str, kind: str, data: Any) -> dict[str, Any]:
    return {"meta": {"componentName": name, "componentType": kind}, "data": data}


def nuxt_page_data(page_key: str, components: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The page data's root: the page's entry holds its components."""
    return {
        "data": {page_key: {"components": list(components), "meta": {"pageType": "product"}}},
        "state": {"locale": "en-us", "flags": ["nuxt3"]},
        "once": [],
        "_errors": {},
    }


def _month_day_year(iso: str | None) -> str:
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso)
    return f"{day:%b} {day.day}, {day.year}"


def card(review: Mapping[str, Any], *, game: bool = False, drifted: bool = False) -> str:
    """One review card as the site renders it (``drifted``: renamed test ids)."""
    e = html.escape
    testid = "critic-review-tile" if drifted else "review-card"
    score = review.get("score")
    badge = (
        '<div class="c-siteReviewScore_background"><div class="c-siteReviewScore" '
        f'title="Metascore {score} out of 100"><span>{score}</span></div></div>'
        if score is not None
        else '<div class="c-siteReviewScore_background"><div class="c-siteReviewScore">'
        "<span>tbd</span></div></div>"
    )
    if game:
        platform = e(str(review.get("platform") or ""))
        footer = (
            '<div class="review-footer review-footer--critic game-review-footer" '
            'data-testid="review-card-footer">'
            f'<span class="game-review-footer__platform" data-testid="review-platform">'
            f"{platform}</span>"
        )
    else:
        footer = '<div class="review-footer review-footer--critic movie-review-footer">'
        if review.get("author"):
            footer += (
                f'<a class="movie-review-footer__author" href="/critic/{e(review["authorSlug"])}/">'
                f"By {e(review['author'])}</a>"
            )
    if review.get("url"):
        footer += (
            f'<a data-testid="review-full-review-link" href="{e(review["url"])}" '
            'target="_blank"><span> FULL REVIEW </span></a>'
        )
    footer += "</div>"
    return (
        f'<div class="flex flex-col" data-testid="{testid}">'
        f'<div data-testid="{testid}-content">'
        f'<div class="text-xs" data-testid="{testid}-date">{e(_month_day_year(review.get("date")))}'
        "</div>"
        f'<a data-testid="{"tile-header" if drifted else "review-card-header"}" '
        f'href="/publication/{e(review["publicationSlug"])}/">{badge} '
        f"{e(review['publicationName'])}</a>"
        f'<div data-testid="{"tile-quote" if drifted else "review-quote-text"}">'
        f"{e(review['quote'])}</div></div>{footer}</div>\n"
    )


def score_card(summary: Mapping[str, Any], listed: int) -> str:
    """The score card: label, Metascore, positive/mixed/negative rows, ``Showing N``."""
    e = html.escape
    rows = "".join(
        f"<div><div>{label}</div><div><span>{summary[key]}</span><span>(x%)</span></div></div>"
        for label, key in (
            ("Positive", "positiveCount"),
            ("Mixed", "neutralCount"),
            ("Negative", "negativeCount"),
        )
    )
    return (
        '<div data-testid="score-card-overview">'
        f'<div class="score-sentiment__texts"><div>{e(summary["sentiment"])}</div>'
        f"<div>Based on {summary['reviewCount']} Critic Reviews</div></div>"
        f'<div class="c-siteReviewScore" title="Metascore {summary["score"]} out of 100">'
        f"<span>{summary['score']}</span></div>"
        f'<div class="score-distribution">{rows}</div></div>'
        f'<div class="product-reviews-list__controls"><div class="count">Showing {listed} '
        "Critic Reviews</div></div>"
    )


def json_ld(title: str, year: int, url: str, score: int, count: int, kind: str = "Movie") -> str:
    block = {
        "@context": "https://schema.org",
        "@type": kind,
        "name": title,
        "url": url,
        "datePublished": f"{year}-03-14",
        "aggregateRating": {
            "@type": "AggregateRating",
            "name": "Metascore",
            "ratingValue": score,
            "reviewCount": count,
            "bestRating": 100,
            "worstRating": 0,
        },
    }
    return f'<script type="application/ld+json">{json.dumps(block, ensure_ascii=False)}</script>'


def page(
    *,
    title: str,
    canonical: str,
    data: Mapping[str, Any] | None,
    cards: Sequence[Mapping[str, Any]] = (),
    summary: Mapping[str, Any] | None = None,
    listed: int | None = None,
    game_platform: str | None = None,
    ld: str = "",
    drifted: bool = False,
    raw_data: str | None = None,
) -> str:
    """A whole 2026 page. ``raw_data`` replaces the page data's script text (bad input)."""
    e = html.escape
    game = game_platform is not None
    rendered = "".join(card(r, game=game, drifted=drifted) for r in cards)
    container = "critic-review-grid" if drifted else "product-reviews"
    filters = ""
    if game and not drifted:
        filters = (
            '<div class="product-reviews-filters" data-testid="reviews-filters">'
            '<div data-testid="reviews-platform-filter"><button data-testid="dropdown-v2-trigger">'
            f"<span>{e(game_platform or '')}</span></button></div></div>"
        )
    scores = "" if drifted or summary is None else score_card(summary, listed or 0)
    script = raw_data if raw_data is not None else devalue(data)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(title)} - Metacritic</title>"
        f'<link rel="canonical" href="{e(canonical)}">{ld}</head><body>\n'
        '<main><section class="page-product-reviews">'
        f"{filters}{scores}"
        f'<div class="c-reviews-container" data-testid="{container}">\n{rendered}</div>'
        '<div class="load-trigger"></div></section></main>\n'
        '<script type="application/json" data-nuxt-data="nuxt-app" data-ssr="true" '
        f'id="__NUXT_DATA__">{script}</script>\n</body></html>\n'
    )
