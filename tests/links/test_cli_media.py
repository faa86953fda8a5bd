"""Issue 11's CLI part: media, platform and season shown where they apply; ``--media``."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from reviewcrawler.cli import main
from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.normalize.fingerprint import review_fingerprint
from reviewcrawler.store.engine import dispose_engine, get_engine
from reviewcrawler.store.runs import start_run
from reviewcrawler.store.schema import upgrade
from reviewcrawler.store.summaries import refresh_summaries
from reviewcrawler.store.writer import StoreWriter

MOVIE = "metacritic:night-desk"
SHOW = "metacritic:tv:night-desk"
GAME = "metacritic:game:night-desk:playstation-5"


def review(film: str, critic: str, score: int, season: str | None = None) -> ReviewItem:
    quote = f"{critic} on {film}"
    return ReviewItem(
        film_key=film,
        source_url="http://127.0.0.1/x",
        critic=critic,
        publication="Weekly Reel",
        season=season,
        original_score=str(score),
        score=score,
        sentiment="positive" if score > 60 else "mixed" if score >= 40 else "negative",
        quote=quote,
        fingerprint=review_fingerprint(film, "Weekly Reel", critic, quote, season=season),
    )


def film(key: str, media: str, platform: str | None = None) -> FilmSummaryItem:
    return FilmSummaryItem(
        film_key=key,
        source_url="http://127.0.0.1/x",
        title="Night Desk",
        year=2024,
        media=media,
        platform=platform,
        stated_metascore=70,
    )


@pytest.fixture
def store(tmp_path: object) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/media.db"
    engine = get_engine(url)
    upgrade(engine)
    run_id = start_run(engine, "reviews", {})
    result = StoreWriter(engine, run_id).write_batch(
        [film(MOVIE, "movie"), film(SHOW, "tv"), film(GAME, "game", "PlayStation 5")],
        [
            review(MOVIE, "Ada Quill", 80),
            review(SHOW, "Ada Quill", 70, "Season 1"),
            review(SHOW, "Ada Quill", 50, "Season 2"),
            review(GAME, "Bo Marsh", 90),
        ],
    )
    refresh_summaries(engine, result.film_ids)
    yield url
    dispose_engine(url)


def run(url: str, *arguments: str) -> str:
    result = CliRunner().invoke(main, [*arguments, "--database-url", url])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_summary_media_filter_and_columns(store: str) -> None:
    games = json.loads(run(store, "summary", "--media", "game", "--json"))
    assert [(r["key"], r["media"], r["platform"]) for r in games] == [
        (GAME, "game", "PlayStation 5")
    ]
    shows = json.loads(run(store, "summary", "--media", "tv", "--json"))
    assert [r["key"] for r in shows] == [SHOW]
    text = run(store, "summary")
    header = text.splitlines()[0].split()
    assert header[3:5] == ["media", "platform"]
    game_line = next(line for line in text.splitlines() if GAME in line)
    assert "game" in game_line and "PlayStation 5" in game_line
    assert "No tv films stored." not in run(store, "summary", "--media", "tv")


def test_reviews_show_season_and_heading_shows_media(store: str) -> None:
    text = run(store, "reviews", SHOW)
    lines = text.splitlines()
    assert lines[0] == f"Night Desk (2024) [{SHOW}], tv: 2 reviews"
    assert lines[1].split()[0] == "season"
    assert any(line.startswith("Season 1") for line in lines)
    data = json.loads(run(store, "reviews", "tv:night-desk", "--json"))  # a slug of a show
    assert sorted(r["season"] for r in data["reviews"]) == ["Season 1", "Season 2"]
    assert data["film"]["media"] == "tv"
    game = run(store, "reviews", GAME)
    assert game.splitlines()[0] == f"Night Desk (2024) [{GAME}], game on PlayStation 5: 1 reviews"
    assert "season" not in game.splitlines()[1]
