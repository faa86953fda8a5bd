"""An alert message: one run's changes that match the rules, as the receiver gets them.

Schema, version 1 (docs/alerts.md shows an example)::

    {
      "version": 1,                      # raised when a field changes meaning or goes
      "idempotency_key": "<uuid4 hex>",  # also the Idempotency-Key header
      "sender": "reviewcrawler",
      "created_at": "<ISO 8601, UTC>",
      "run": {"id": 2, "started_at": "<ISO 8601>"},
      "changes": [<change>, ...],        # newest first, as `reviewcrawler changes`
      "text": "<the changes in words, one line each>"
    }

Each change is ``Change.as_json()`` (reviewcrawler/changes/model.py) plus ``text``, the
change in words. Fields may be added within a version; none is removed or changes
meaning without the version going up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from reviewcrawler.changes import (
    AUDIENCE,
    BAND_CROSSED,
    FIRST_SCORE,
    REVIEW_ADDED,
    REVIEW_CHANGED,
    REVIEW_GONE,
    SCORE_MOVED,
    Change,
    RunInfo,
)

SCHEMA_VERSION = 1
SENDER = "reviewcrawler"


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def describe(change: Change) -> str:
    """``The Lantern Keeper (2019): Metascore 74 -> 81``: one change in words."""
    film = change.film
    name = film.title or film.key
    name = f"{name} ({film.year})" if film.year else name
    what = "audience score" if change.field == AUDIENCE else "Metascore"
    review = change.review
    by = ""
    if review is not None:
        by = " by " + " / ".join(part for part in (review.critic, review.publication) if part)
        by = by if by != " by " else ""
    if change.kind == FIRST_SCORE:
        return f"{name}: first {what} {_number(change.new)}"
    if change.kind == SCORE_MOVED:
        return f"{name}: {what} {_number(change.old)} -> {_number(change.new)}"
    if change.kind == BAND_CROSSED:
        return f"{name}: now {change.new} (was {change.old})"
    if change.kind == REVIEW_ADDED:
        score = f", {change.new}" if change.new is not None else ""
        return f"{name}: new review{by}{score}"
    if change.kind == REVIEW_CHANGED:
        return f"{name}: review{by} changed its {change.field}"
    if change.kind == REVIEW_GONE:
        return f"{name}: review{by} gone"
    return f"{name}: {change.kind}"


def build_message(
    run: RunInfo, changes: Sequence[Change], idempotency_key: str, created_at: dt.datetime
) -> dict[str, Any]:
    entries = [{**change.as_json(), "text": describe(change)} for change in changes]
    return {
        "version": SCHEMA_VERSION,
        "idempotency_key": idempotency_key,
        "sender": SENDER,
        "created_at": created_at.isoformat(),
        "run": {"id": run.id, "started_at": run.started_at.isoformat() if run.started_at else None},
        "changes": entries,
        "text": "\n".join(entry["text"] for entry in entries),
    }
