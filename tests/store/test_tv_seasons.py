"""Issue 29: a legacy show page's review (no season) and the season page's review of the
same critic, publication and quote are one stored review, in either order, on both
dialects; a match that names two seasons stores the review apart rather than guess."""

from __future__ import annotations

from sqlalchemy import Engine, text

from reviewcrawler.items import ReviewItem
from reviewcrawler.normalize.fingerprint import review_fingerprint
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.runs import start_run
from reviewcrawler.store.schema import upgrade
from reviewcrawler.store.writer import StoreWriter

SHOW = "metacritic:tv:harbour-watch"


def review(
    season: str | None, critic: str = "Ada Quill", quote: str = "The tide turns, slowly."
) -> ReviewItem:
    return ReviewItem(
        film_key=SHOW,
        source_url="http://127.0.0.1/tv/harbour-watch",
        critic=critic,
        publication="Weekly Reel",
        season=season,
        original_score="80",
        score=80,
        sentiment="positive",
        quote=quote,
        fingerprint=review_fingerprint(SHOW, "Weekly Reel", critic, quote, season=season),
    )


def stored(engine: Engine) -> list[tuple[int, str | None, str]]:
    with engine.connect() as connection:
        return [
            (row.id, row.season, row.fingerprint)
            for row in connection.execute(
                text("SELECT id, season, fingerprint FROM reviews ORDER BY id")
            )
        ]


def writer(store_url: str) -> tuple[Engine, StoreWriter]:
    engine = get_engine(store_url)
    upgrade(engine)
    return engine, StoreWriter(engine, start_run(engine, "reviews", {}))


def test_a_show_page_review_is_the_season_page_s_review_seen_again(store_url: str) -> None:
    engine, write = writer(store_url)
    assert write.write_batch([], [review("Season 1")]).new == 1
    result = write.write_batch([], [review(None)])
    assert (result.new, result.unchanged) == (0, 1)
    assert stored(engine) == [(1, "Season 1", review("Season 1").fingerprint)]


def test_a_season_page_review_takes_over_the_show_page_s_row(store_url: str) -> None:
    engine, write = writer(store_url)
    assert write.write_batch([], [review(None)]).new == 1
    (before,) = stored(engine)
    result = write.write_batch([], [review("Season 1")])
    assert result.new == 0
    # The same row, so its history stays: now filed under its season's fingerprint.
    assert stored(engine) == [(before[0], "Season 1", review("Season 1").fingerprint)]
    # Seen again on the show page: still one review.
    assert write.write_batch([], [review(None)]).new == 0
    assert len(stored(engine)) == 1


def test_both_in_one_batch_store_one_review(store_url: str) -> None:
    engine, write = writer(store_url)
    assert write.write_batch([], [review(None), review("Season 1")]).new == 1
    assert [season for _, season, _ in stored(engine)] == ["Season 1"]


def test_a_quote_of_two_seasons_is_not_guessed(store_url: str) -> None:
    engine, write = writer(store_url)
    write.write_batch([], [review("Season 1"), review("Season 2")])
    assert write.write_batch([], [review(None)]).new == 1
    seasons = [season for _, season, _ in stored(engine)]
    assert sorted(seasons[:2]) == ["Season 1", "Season 2"] and seasons[2] is None
    # Another critic's review without a season is a review of its own.
    assert write.write_batch([], [review(None, critic="Bo Marsh")]).new == 1
