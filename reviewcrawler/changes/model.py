"""What a change is: one thing the store's history says moved, in one run, for one film.

The kinds, in the order a run's changes of one film are listed:

* ``first_score``: the film's first stated score (``field``: ``metascore``, the
  critics' score the page states, a Metascore or a Tomatometer; or ``audience``, on
  0-100). ``old`` is None;
* ``score_moved``: a stated score differs from the last one stated before it;
* ``band_crossed``: the Metascore moved into another of Metacritic's bands
  (normalize/scores.py ``LABEL_BANDS``); ``old`` and ``new`` are the bands' names
  (never for Rotten Tomatoes, whose Tomatometer has no such bands);
* ``review_added``: a review first seen by the run (``reviews.first_seen_run``);
* ``review_changed``: a field of a review the run found changed (``review_changes``;
  ``field`` names it, ``gone_run`` when a review listed as gone came back);
* ``review_gone``: a review the run found gone (``reviews.gone_run``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

FIRST_SCORE = "first_score"
SCORE_MOVED = "score_moved"
BAND_CROSSED = "band_crossed"
REVIEW_ADDED = "review_added"
REVIEW_CHANGED = "review_changed"
REVIEW_GONE = "review_gone"
#: Every kind, in listing order within a run and film.
KINDS: tuple[str, ...] = (
    FIRST_SCORE,
    SCORE_MOVED,
    BAND_CROSSED,
    REVIEW_ADDED,
    REVIEW_CHANGED,
    REVIEW_GONE,
)
#: The kinds about a film's stated scores, and those about one of its reviews.
SCORE_KINDS = frozenset({FIRST_SCORE, SCORE_MOVED, BAND_CROSSED})

#: ``field`` of the score kinds: the critics' stated score, the audience's score.
METASCORE = "metascore"
AUDIENCE = "audience"

Value = int | float | str | None


@dataclass(frozen=True)
class FilmInfo:
    id: int
    key: str
    title: str | None
    year: int | None


@dataclass(frozen=True)
class RunInfo:
    id: int
    #: Aware, in UTC (SQLite hands the stored UTC time back without its zone).
    started_at: dt.datetime | None

    def __post_init__(self) -> None:
        if self.started_at is not None and self.started_at.tzinfo is None:
            object.__setattr__(self, "started_at", self.started_at.replace(tzinfo=dt.UTC))


@dataclass(frozen=True)
class ReviewInfo:
    id: int
    critic: str | None
    publication: str | None
    score: int | None
    quote: str | None
    url: str | None


@dataclass(frozen=True)
class Change:
    kind: str
    film: FilmInfo
    run: RunInfo
    old: Value
    new: Value
    #: Score kinds: ``metascore`` or ``audience``; ``review_changed``: the review's
    #: column; None otherwise.
    field: str | None = None
    #: The review of a review kind, None for the score kinds.
    review: ReviewInfo | None = None
    #: The run is the first that stored the film: its first score and its reviews are
    #: where its history starts rather than news (alert rules skip them).
    film_new: bool = False

    def sort_key(self) -> tuple[Any, ...]:
        """Newest run first; within a run by film key, kind, field and review."""
        return (
            -self.run.id,
            self.film.key,
            KINDS.index(self.kind),
            self.field or "",
            self.review.id if self.review else 0,
        )

    def as_json(self) -> dict[str, Any]:
        """The change as the ``--json`` listing and the alert messages carry it
        (datetimes ISO 8601)."""
        data = asdict(self)
        started = self.run.started_at
        data["run"]["started_at"] = started.isoformat() if started else None
        return data


def kind_of_text(text: str) -> str:
    """A kind as typed on the command line (``score-moved`` or ``score_moved``)."""
    return text.strip().lower().replace("-", "_")
