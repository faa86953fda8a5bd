"""Which changes are worth a message (the ALERT_* rules)."""

from __future__ import annotations

from collections.abc import Iterable, Set

from reviewcrawler.alerts.config import AlertConfig
from reviewcrawler.changes import (
    BAND_CROSSED,
    FIRST_SCORE,
    REVIEW_ADDED,
    SCORE_MOVED,
    Change,
)


def score_delta(change: Change) -> float:
    """How far a moved score went, in points (both scores are on 0-100)."""
    if not isinstance(change.old, int | float) or not isinstance(change.new, int | float):
        return 0.0
    return abs(float(change.new) - float(change.old))


#: The kinds a rule can alert on; a run's close reads no others.
ALERTED_KINDS = frozenset({REVIEW_ADDED, SCORE_MOVED, BAND_CROSSED, FIRST_SCORE})


def matches(change: Change, config: AlertConfig, watched: Set[int]) -> bool:
    # The run that first stored a film starts its history: its first score and its
    # reviews are what the store learnt, not what changed (a first crawl of a thousand
    # films would otherwise be a thousand alerts).
    if change.film_new:
        return False
    if change.kind == REVIEW_ADDED:
        return config.on_watched_reviews and change.film.id in watched
    if config.watched_only and change.film.id not in watched:
        return False
    if change.kind == SCORE_MOVED:
        return config.on_score_moved and score_delta(change) >= config.min_score_delta
    if change.kind == BAND_CROSSED:
        return config.on_band_crossed
    if change.kind == FIRST_SCORE:
        return config.on_first_score
    # Reviews changed or gone: listed by ``reviewcrawler changes``, not alerted.
    return False


def matching(changes: Iterable[Change], config: AlertConfig, watched: Set[int]) -> list[Change]:
    return [change for change in changes if matches(change, config, watched)]
