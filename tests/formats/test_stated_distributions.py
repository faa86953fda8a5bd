"""Issue 29: the stated positive/mixed/negative counts of legacy product pages and of
distributions that leave buckets out.

Legacy game and TV product pages state the critics' distribution in the critic block's
``div.score_distribution``; the audience's block has one of the same markup, which must
never be read for the critics', whichever comes first. A distribution stating only
``Positive: 1 out of 1`` leaves the other buckets with one possible value, 0, which the
normalization of summaries stores for every format. Pure reads first, then one crawl
(a subprocess into SQLite, pages served from 127.0.0.1) for what the store keeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from reviewcrawler.formats import detect, metacritic_legacy
from reviewcrawler.formats.page import Page
from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.normalize.items import normalize_page
from tests.conftest import FIXTURES
from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer, Reply
from tests.support.tables import table_rows

LEGACY = FIXTURES / "formats" / "metacritic_legacy"
PLAIN = FIXTURES / "formats" / "plain_text"
HTML = {"Content-Type": "text/html; charset=utf-8"}
TEXT = {"Content-Type": "text/plain; charset=utf-8"}

GAME = "/game/xbox-series-x/saltglass-run"
GAME_PAGE = "game-product-page-distributions.html"
GAME_KEY = "metacritic:game:saltglass-run:xbox-series-x"
SHOW = "/tv/quarry-bells"
SHOW_PAGE = "tv-show-page-distributions.html"
SHOW_KEY = "metacritic:tv:quarry-bells"
#: The critics' block of this page states no distribution; the audience's does.
BARE_GAME = "/game/pc/saltglass-run"
BARE_GAME_PAGE = "game-product-page-user-distribution-only.html"
BARE_GAME_KEY = "metacritic:game:saltglass-run:pc"
LANTERN = "/lone-lantern-critic-reviews.txt"
LANTERN_PAGE = PLAIN / "lone-lantern-critic-reviews.txt"


def _read(path: Path, url: str) -> tuple[list[FilmSummaryItem], list[ReviewItem]]:
    page = Page(url=url, text=path.read_text(encoding="utf-8"))
    fmt = detect(page)
    assert fmt is not None
    outputs = list(fmt.parse(page))
    return (
        [o for o in outputs if isinstance(o, FilmSummaryItem)],
        [o for o in outputs if isinstance(o, ReviewItem)],
    )


def _buckets(summary: FilmSummaryItem | dict[str, Any]) -> tuple[int | None, ...]:
    names = ("stated_positive", "stated_mixed", "stated_negative")
    if isinstance(summary, dict):
        return tuple(summary[name] for name in names)
    return tuple(getattr(summary, name) for name in names)


@pytest.mark.parametrize(
    ("page", "path", "critic_count", "buckets"),
    [
        # The audience's 140/70/50 out of 260 comes first on this page.
        (GAME_PAGE, GAME, 19, (12, 5, 2)),
        # The critics' block first, the audience's 30/5/12 out of 47 after it.
        (SHOW_PAGE, SHOW, 7, (4, 2, 1)),
        # Only the audience states a distribution: the critics' stays unknown.
        (BARE_GAME_PAGE, BARE_GAME, 19, (None, None, None)),
    ],
)
def test_legacy_product_page_states_the_critics_distribution_only(
    page: str, path: str, critic_count: int, buckets: tuple[int | None, ...]
) -> None:
    (summary,), _ = _read(LEGACY / page, f"https://www.metacritic.com{path}")
    assert summary.stated_critic_count == critic_count
    assert _buckets(summary) == buckets
    (normalized,), _, _ = normalize_page([summary], [])
    assert _buckets(normalized) == buckets


def test_out_of_n_gives_the_critic_count_a_summary_leaves_out() -> None:
    based_on = (
        '<span class="count"><a href="/game/xbox-series-x/saltglass-run/critic-reviews">'
        "<span>based on</span> <span>19</span> Critic Reviews</a></span>"
    )
    text = (LEGACY / GAME_PAGE).read_text(encoding="utf-8")
    assert based_on in text
    page = Page(url=f"https://www.metacritic.com{GAME}", text=text.replace(based_on, ""))
    summary = next(metacritic_legacy.parse(page))
    assert isinstance(summary, FilmSummaryItem)
    # The critics' rows say "out of 19"; the audience's "out of 260" is not theirs.
    assert (summary.stated_critic_count, _buckets(summary)) == (19, (12, 5, 2))


def test_one_stated_bucket_that_makes_the_count_leaves_the_others_zero() -> None:
    summaries, reviews = _read(LANTERN_PAGE, "file:///srv/pages/lone-lantern-critic-reviews.txt")
    # The format records what the page states; normalization derives the rest.
    assert _buckets(summaries[0]) == (1, None, None)
    (summary,), (review,), findings = normalize_page(summaries, reviews)
    assert (summary.title, summary.year, summary.stated_critic_count) == ("Lone Lantern", 2022, 1)
    assert _buckets(summary) == (1, 0, 0)
    assert findings.stats["normalize/derived/stated_mixed"] == 1
    assert findings.stats["normalize/derived/stated_negative"] == 1
    assert not findings.stats.get("normalize/derived/stated_positive")
    assert review.score == 75


@dataclass
class Stored:
    summaries: dict[str, dict[str, Any]]
    log: str


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stored]:
    folder = tmp_path_factory.mktemp("stated-distributions")
    database_url = f"sqlite:///{folder / 'reviews.db'}"
    with FixtureServer() as server:
        for path, page in ((GAME, GAME_PAGE), (SHOW, SHOW_PAGE), (BARE_GAME, BARE_GAME_PAGE)):
            reply = Reply(200, (LEGACY / page).read_bytes(), HTML)
            server.route(path, reply)
            # The product page links to its critic-reviews page: the same figures again.
            server.route(f"{path}/critic-reviews", reply)
        server.route(LANTERN, Reply(200, LANTERN_PAGE.read_bytes(), TEXT))
        targets = folder / "targets.txt"
        paths = (GAME, SHOW, BARE_GAME, LANTERN)
        targets.write_text("".join(f"{server.url(p)}\n" for p in paths), encoding="utf-8")
        engine = create_engine(database_url)
        try:
            result = run_crawl(
                "-a",
                f"urls_file={targets}",
                database_url=database_url,
                # No API: these pages are read from their HTML and text alone.
                settings={"METACRITIC_API_URL": ""},
            )
            assert result.returncode == 0, result.stderr[-3000:]
            keys = {film["id"]: film["key"] for film in table_rows(engine, "films")}
            rows = table_rows(engine, "film_summaries", "film_id")
            yield Stored({keys[row["film_id"]]: row for row in rows}, result.stderr)
        finally:
            engine.dispose()


def test_crawl_stores_the_critics_distribution_of_legacy_product_pages(stored: Stored) -> None:
    game, show = stored.summaries[GAME_KEY], stored.summaries[SHOW_KEY]
    assert (game["stated_critic_count"], _buckets(game)) == (19, (12, 5, 2))
    assert (show["stated_critic_count"], _buckets(show)) == (7, (4, 2, 1))
    # Never the audience's figures, even when the critics state none.
    bare = stored.summaries[BARE_GAME_KEY]
    assert (bare["stated_critic_count"], _buckets(bare)) == (19, (None, None, None))


def test_crawl_stores_the_buckets_a_one_bucket_distribution_leaves_zero(stored: Stored) -> None:
    (lantern,) = [
        row
        for key, row in stored.summaries.items()
        if key not in (GAME_KEY, SHOW_KEY, BARE_GAME_KEY)
    ]
    assert (lantern["stated_critic_count"], _buckets(lantern)) == (1, (1, 0, 0))
    assert "normalize/derived/stated_mixed" in stored.log
    assert "normalize/derived/stated_negative" in stored.log
