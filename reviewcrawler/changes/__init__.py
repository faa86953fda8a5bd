"""Changes: one definition of what moved, read from the history the store keeps.

A change is a film's stated score moving (the critics' or the audience's), crossing
one of Metacritic's bands or being stated for the first time, or one of its reviews
added, changed or gone; model.py defines each kind. ``list_changes`` reads them (the
``reviewcrawler changes`` command, alerts, a feed), ``snapshot_audience`` records the
audience's score at a run's close so that its moves are changes too::

    from reviewcrawler.changes import Scope, list_changes
    for change in list_changes(engine, Scope(since=yesterday, limit=50)):
        print(change.kind, change.film.key, change.old, change.new)

Blocking: call from a worker thread or a command, never the reactor.
"""

from reviewcrawler.changes.listing import list_changes
from reviewcrawler.changes.model import (
    AUDIENCE,
    BAND_CROSSED,
    FIRST_SCORE,
    KINDS,
    METASCORE,
    REVIEW_ADDED,
    REVIEW_CHANGED,
    REVIEW_GONE,
    SCORE_MOVED,
    Change,
    FilmInfo,
    ReviewInfo,
    RunInfo,
)
from reviewcrawler.changes.scope import Scope, UnknownKind
from reviewcrawler.changes.since import BadSince, parse_since
from reviewcrawler.changes.snapshots import snapshot_audience

__all__ = [
    "AUDIENCE",
    "BAND_CROSSED",
    "FIRST_SCORE",
    "KINDS",
    "METASCORE",
    "REVIEW_ADDED",
    "REVIEW_CHANGED",
    "REVIEW_GONE",
    "SCORE_MOVED",
    "BadSince",
    "Change",
    "FilmInfo",
    "ReviewInfo",
    "RunInfo",
    "Scope",
    "UnknownKind",
    "list_changes",
    "parse_since",
    "snapshot_audience",
]
