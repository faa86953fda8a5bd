"""Poisoned pages, API JSON and HTML, crawled into SQLite and PostgreSQL (issue 12).

Each page has good reviews before and after the poisoned ones: lone surrogates,
NUL, 400-character names, a 200 KB quote, scores of 3000000000, -5, "NaN", 1e400
and an object, impossible and far-future dates, and wrong JSON types in every
field. On each dialect every good review is stored, every poisoned one is stored
cleaned or dropped with a counted reason, nothing is spooled, reviews stored plus
reviews dropped equal reviews served, and ``items_dropped`` is the sum of its reasons.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from reviewcrawler.limits import FIELD_LENGTHS
from reviewcrawler.store.engine import dispose_engine, get_engine
from tests.support.crawl import run_crawl
from tests.support.postgres import temporary_database
from tests.support.server import FixtureServer, Reply
from tests.support.stats import crawl_stats
from tests.support.tables import table_rows

SLUG = "poisoned-harbour"
API_PATH = f"/reviews/metacritic/critic/movies/{SLUG}/web"
HTML_PATH = "/movie/salted-lanterns/critic-reviews"


def good(n: int) -> dict[str, Any]:
    return {
        "quote": f"Good review {n} holds up.",
        "score": 70 + n,
        "url": f"https://good{n}.example/r",
        "date": "2024-03-0" + str(n),
        "author": f"Good Critic {n}",
        "authorSlug": f"good-critic-{n}",
        "publicationName": f"Good Paper {n}",
        "reviewedProduct": {"title": "Poisoned \ud83d Harbour", "url": f"/movie/{SLUG}/"},
    }


def poisoned() -> list[dict[str, Any]]:
    base = {"url": "https://p.example/r", "date": "2024-01-01", "score": 50}
    return [
        {**base, "author": "Ann Halfemoji", "publicationName": "P1", "quote": "Cut \ud83d here"},
        {**base, "author": "Lone \udc00 Critic", "publicationName": "P2", "quote": "Fine."},
        {**base, "author": "Cleo", "publicationName": "Pub \ud83d Two", "quote": "Fine."},
        {**base, "author": "Nul Critic", "publicationName": "P3", "quote": "Null\u0000byte"},
        {**base, "author": "L" * 400, "publicationName": "P4", "quote": "Long name."},
        {**base, "author": "Big Quote", "publicationName": "P5", "quote": "word " * 40_000},
        {**base, "author": "S1", "publicationName": "P6", "quote": "q", "score": 3000000000},
        {**base, "author": "S2", "publicationName": "P7", "quote": "q", "score": -5},
        {**base, "author": "S3", "publicationName": "P8", "quote": "q", "score": "NaN"},
        {**base, "author": "S4", "publicationName": "P9", "quote": "q", "score": "INF"},
        {**base, "author": "S5", "publicationName": "P10", "quote": "q", "score": {"v": 1}},
        {**base, "author": "D1", "publicationName": "P11", "quote": "q", "date": "2019-02-30"},
        {**base, "author": "D2", "publicationName": "P12", "quote": "q", "date": "2999-01-01"},
        {
            "quote": {"text": "x"},
            "score": [1],
            "url": True,
            "date": 20240101,
            "author": ["a"],
            "authorSlug": {"s": 1},
            "publicationName": None,
        },
        {**base, "author": 1234, "publicationName": 5678.0, "quote": False},
    ]


def api_body() -> bytes:
    items = [good(1), good(2), *poisoned(), good(3)]
    text = json.dumps({"data": {"items": items, "totalResults": len(items)}, "links": {}})
    # 1e400 is valid JSON that Python reads as infinity; json.dumps cannot write it.
    return text.replace('"score": "INF"', '"score": 1e400').encode()


API_SERVED = len(poisoned()) + 3


def legacy_review(score: str, publication: str, critic: str, date: str, quote: str) -> str:
    return (
        '<div class="review pad_top1"><div class="left fl">'
        f'<div class="metascore_w larger movie mixed indiv">{score}</div></div>'
        '<div class="right fl"><div class="title">'
        f'<span class="source"><a href="/publication/x">{publication}</a></span>'
        f'<span class="author"><a href="/critic/x">{critic}</a></span>'
        f'<span class="date">{date}</span></div>'
        f'<div class="summary"><a class="no_hover" href="https://h.example/r">{quote}</a>'
        "</div></div></div>"
    )


HTML_REVIEWS = [
    ("80", "Harbor Post", "Good Html One", "Jan 10, 2024", "A good start."),
    ("55", "Nul\x00 Weekly", "Nina\x00 Null", "Jan 11, 2024", "Null\x00inside"),
    ("60", "Entity Gazette", "Ent &#xD83D; Critic", "Jan 12, 2024", "Entity &#0; quote"),
    ("50", "M" * 400, "Mona Long", "Jan 13, 2024", "Long publication."),
    ("3000000000", "Score Times", "Huge Score", "Jan 14, 2024", "Too high."),
    ("-5", "Minus Daily", "Minus Score", "Jan 15, 2024", "Negative."),
    ("NaN", "Nan Herald", "Nan Score", "Feb 30, 2019", "Impossible date."),
    ("70", "Future Post", "Future Date", "Jan 1, 2999", "From the future."),
    ("90", "Harbor Post", "Good Html Two", "Jan 16, 2024", "A good end." + " more" * 50_000),
    ("85", "Closing Review", "Good Html Three", "Jan 17, 2024", "The last good one."),
]


def html_body() -> bytes:
    reviews = "".join(legacy_review(*review) for review in HTML_REVIEWS)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Salted Lanterns</title></head>"
        '<body><div class="product_page"><div class="product_page_title"><h1>Salted '
        'Lanterns</h1><span class="release_year">2024</span></div>'
        '<div class="score_details"><span class="score_description">'
        '<a href="/movie/salted-lanterns/critic-reviews"><span>Mixed or average reviews</span>'
        ' <span class="based_on">based on 3000000000 Critics</span></a></span></div>'
        f'<div class="critic_reviews">{reviews}</div></div></body></html>'
    ).encode()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'poisoned.db'}"
        yield url
        dispose_engine(url)
    else:
        with temporary_database() as url:
            from reviewcrawler.store.schema import upgrade

            upgrade(get_engine(url))
            yield url


def test_poisoned_pages_cost_only_their_bad_values(database_url: str, tmp_path: Path) -> None:
    with FixtureServer() as server:
        server.route(API_PATH, Reply(200, api_body(), {"Content-Type": "application/json"}))
        server.route(HTML_PATH, Reply(200, html_body(), {"Content-Type": "text/html"}))
        targets = tmp_path / "targets.txt"
        targets.write_text(f"{server.url(API_PATH)}?offset=0\n{server.url(HTML_PATH)}\n")
        result = run_crawl(
            "-a",
            f"urls_file={targets}",
            database_url=database_url,
            settings={
                "METACRITIC_API_URL": server.base_url,
                "STORE_DEAD_LETTER_DIR": str(tmp_path / "dead-letter"),
                "HTTPCACHE_ENABLED": "False",
            },
        )
    stats = crawl_stats(result)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "dead-letter").exists(), "nothing may be spooled"
    assert not [k for k in stats if k.startswith("store/rejected/")]

    engine = get_engine(database_url)
    reviews = table_rows(engine, "reviews")
    critics = {review["critic"] for review in reviews}
    for n in (1, 2, 3):
        assert f"Good Critic {n}" in critics
    assert {"Good Html One", "Good Html Two", "Good Html Three"} <= critics

    served = API_SERVED + len(HTML_REVIEWS)
    (run,) = table_rows(engine, "crawl_runs")
    dropped_reviews = sum(
        count
        for reason, count in run["dropped_reasons"].items()
        if reason.startswith(("normalize/rejected/", "dedupe/", "spidermon/", "store/rejected/"))
    )
    assert len(reviews) + dropped_reviews == served
    assert run["items_dropped"] == sum(run["dropped_reasons"].values())
    assert run["dropped_reasons"] == {"normalize/rejected/empty_review": 1}

    by_critic = {review["critic"]: review for review in reviews}
    _assert_cleaned(by_critic, stats)
    _assert_film(engine)


def _assert_cleaned(by_critic: dict[str | None, dict[str, Any]], stats: dict[str, Any]) -> None:
    assert by_critic["Ann Halfemoji"]["quote"] == "Cut here"
    assert "Lone Critic" in by_critic
    assert by_critic["Cleo"]["publication"] == "Pub Two"
    assert by_critic["Nul Critic"]["quote"] == "Nullbyte"
    long_name = next(c for c in by_critic if c and c.startswith("LLL"))
    assert len(long_name) == FIELD_LENGTHS["critic"] and long_name.endswith("…")
    big = by_critic["Big Quote"]["quote"]
    assert len(big) == FIELD_LENGTHS["quote"] and big.endswith("…")
    for critic in ("S1", "S2", "S3", "S4", "S5", "Huge Score", "Minus Score", "Nan Score"):
        assert by_critic[critic]["score"] is None, critic
    for critic in ("D1", "D2", "Nan Score", "Future Date"):
        assert by_critic[critic]["published_on"] is None, critic
    assert by_critic["1234"]["publication"] == "5678"
    assert by_critic["1234"]["quote"] is None
    assert stats["normalize/dropped_characters/quote"] >= 2
    assert stats["normalize/dropped_characters/critic"] >= 1
    assert stats["normalize/truncated/critic"] == 1
    assert stats["normalize/truncated/publication"] == 1
    assert stats["normalize/truncated/quote"] == 2
    assert stats["normalize/wrong_type/quote"] >= 2
    assert stats["normalize/unreadable/score"] >= 4
    assert stats["normalize/unreadable/date"] >= 3
    assert stats["normalize/out_of_range/stated_critic_count"] == 1


def _assert_film(engine: Engine) -> None:
    titles = {film["key"]: film["title"] for film in table_rows(engine, "films")}
    assert titles[f"metacritic:{SLUG}"] == "Poisoned Harbour"
    assert titles["metacritic:salted-lanterns"] == "Salted Lanterns"
    summaries = table_rows(engine, "film_summaries", "film_id")
    assert all(summary["stated_critic_count"] is None for summary in summaries)
