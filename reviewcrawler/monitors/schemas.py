"""JSON schemas every item must meet once normalized (checked by Spidermon's validation pipeline).

They state the store's contract: a score is an integer 0-100 or null, a date is
ISO 8601, a sentiment one of three words, and no text is longer than its column.
Lengths and ranges come from reviewcrawler/limits.py, which the store's columns
and normalization read too: normalization cuts (and counts) what is longer, so
an item fails here only when something upstream broke that contract.
"""

from __future__ import annotations

from typing import Any

from reviewcrawler.items import FACT_PATHS
from reviewcrawler.limits import (
    EARLIEST_YEAR,
    FIELD_LENGTHS,
    LATEST_YEAR,
    MAX_RUNTIME,
    MAX_SEASONS,
    MAX_STATED_COUNT,
)

MAX_QUOTE_LENGTH = FIELD_LENGTHS["quote"]


def _text(max_length: int) -> dict[str, Any]:
    return {"type": ["string", "null"], "minLength": 1, "maxLength": max_length}


REVIEW_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "ReviewItem",
    "type": "object",
    "required": ["film_key", "source_url", "fingerprint"],
    "properties": {
        "film_key": {"type": "string", "minLength": 3, "maxLength": FIELD_LENGTHS["film_key"]},
        "source_url": {"type": "string", "minLength": 1},
        "critic": _text(FIELD_LENGTHS["critic"]),
        "critic_slug": _text(FIELD_LENGTHS["critic_slug"]),
        "publication": _text(FIELD_LENGTHS["publication"]),
        "season": _text(FIELD_LENGTHS["season"]),
        "original_score": _text(FIELD_LENGTHS["original_score"]),
        "score": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
        "sentiment": {"enum": ["positive", "mixed", "negative", None]},
        "published_on": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "quote": _text(MAX_QUOTE_LENGTH),
        "review_url": _text(FIELD_LENGTHS["review_url"]),
        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{40}$"},
    },
}

_COUNT: dict[str, Any] = {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_STATED_COUNT}

FILM_SUMMARY_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "FilmSummaryItem",
    "type": "object",
    "required": ["film_key", "source_url"],
    "properties": {
        "film_key": {"type": "string", "minLength": 3, "maxLength": FIELD_LENGTHS["film_key"]},
        "source_url": {"type": "string", "minLength": 1},
        "title": _text(FIELD_LENGTHS["title"]),
        "year": {"type": ["integer", "null"], "minimum": EARLIEST_YEAR, "maximum": LATEST_YEAR},
        "url": {"type": ["string", "null"]},
        "media": {"enum": ["movie", "tv", "game", None]},
        "platform": _text(FIELD_LENGTHS["platform"]),
        "imdb_id": _text(FIELD_LENGTHS["imdb_id"]),
        "stated_label": _text(FIELD_LENGTHS["stated_label"]),
        "stated_critic_count": _COUNT,
        "stated_listed_count": _COUNT,
        "stated_metascore": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
        "stated_positive": _COUNT,
        "stated_mixed": _COUNT,
        "stated_negative": _COUNT,
        "facts_path": {"enum": [*FACT_PATHS, None]},
        "release_date": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        **{
            name: _text(FIELD_LENGTHS[name])
            for name in ("genres", "age_rating", "developers", "publishers", "director", "network")
        },
        "seasons": {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_SEASONS},
        "runtime": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_RUNTIME},
        "audience_score": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
        "audience_scale": {"enum": [10, 100, None]},
        "audience_count": _COUNT,
        "audience_positive": _COUNT,
        "audience_mixed": _COUNT,
        "audience_negative": _COUNT,
    },
}
