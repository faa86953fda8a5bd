"""The alert rules: which changes make a message."""

from __future__ import annotations

import dataclasses
import datetime as dt

from reviewcrawler.alerts.config import AlertConfig, project_settings
from reviewcrawler.alerts.message import build_message, describe
from reviewcrawler.alerts.rules import matching
from reviewcrawler.changes import (
    AUDIENCE,
    BAND_CROSSED,
    FIRST_SCORE,
    METASCORE,
    REVIEW_ADDED,
    REVIEW_GONE,
    SCORE_MOVED,
    Change,
    FilmInfo,
    ReviewInfo,
    RunInfo,
)

FILM = FilmInfo(1, "metacritic:the-lantern-keeper", "The Lantern Keeper", 2019)
OTHER = FilmInfo(2, "metacritic:the-quiet-harbour", "The Quiet Harbour", 2020)
RUN = RunInfo(5, dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.UTC))
REVIEW = ReviewInfo(9, "Ada Quist", "Night Desk", 90, "Worth the wait.", None)
DEFAULTS = AlertConfig.from_settings(project_settings())


def change(kind: str, old: object = None, new: object = None, **values: object) -> Change:
    fields = {"film": FILM, "run": RUN, "field": METASCORE, **values}
    return Change(kind, old=old, new=new, **fields)  # type: ignore[arg-type]


def test_the_defaults_are_the_documented_ones() -> None:
    assert DEFAULTS.webhook_url == "" and not DEFAULTS.enabled
    assert DEFAULTS.min_score_delta == 3
    assert DEFAULTS.on_score_moved and DEFAULTS.on_band_crossed and DEFAULTS.on_first_score
    assert DEFAULTS.on_watched_reviews and not DEFAULTS.watched_only
    assert DEFAULTS.user_agent.startswith("reviewcrawler/") and DEFAULTS.user_agent.endswith(
        " alerts"
    )


def test_scores_that_moved_enough_crossed_a_band_or_came_first() -> None:
    small = change(SCORE_MOVED, 74, 76)
    enough = change(SCORE_MOVED, 74, 77)
    audience = change(SCORE_MOVED, 70.0, 66.5, field=AUDIENCE)
    band = change(BAND_CROSSED, "Generally favorable", "Universal acclaim")
    first = change(FIRST_SCORE, None, 64)
    baseline = change(FIRST_SCORE, None, 64, film_new=True)
    changes = [small, enough, audience, band, first, baseline]
    assert matching(changes, DEFAULTS, set()) == [enough, audience, band, first]
    quiet = dataclasses.replace(DEFAULTS, on_band_crossed=False, on_first_score=False)
    assert matching(changes, quiet, set()) == [enough, audience]
    assert matching(changes, dataclasses.replace(DEFAULTS, watched_only=True), set()) == []


def test_new_reviews_of_watched_films_only() -> None:
    watched = change(REVIEW_ADDED, new=90, review=REVIEW, field=None)
    unwatched = change(REVIEW_ADDED, new=90, review=REVIEW, field=None, film=OTHER)
    gone = change(REVIEW_GONE, old=90, review=REVIEW, field=None)
    assert matching([watched, unwatched, gone], DEFAULTS, {FILM.id}) == [watched]
    off = dataclasses.replace(DEFAULTS, on_watched_reviews=False)
    assert matching([watched], off, {FILM.id}) == []


def test_the_message_lists_the_changes_in_words_too() -> None:
    moved = change(SCORE_MOVED, 74, 81)
    added = change(REVIEW_ADDED, new=90, review=REVIEW, field=None)
    created = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)
    message = build_message(RUN, [moved, added], "abc", created)
    assert message["version"] == 1 and message["idempotency_key"] == "abc"
    assert message["run"] == {"id": 5, "started_at": "2026-12-06T08:00:00+00:00"}
    assert message["changes"][0]["film"]["key"] == FILM.key
    assert message["text"] == (
        "The Lantern Keeper (2019): Metascore 74 -> 81\n"
        "The Lantern Keeper (2019): new review by Ada Quist / Night Desk, 90"
    )
    assert describe(change(SCORE_MOVED, 70.0, 66.5, field=AUDIENCE)) == (
        "The Lantern Keeper (2019): audience score 70 -> 66.5"
    )
