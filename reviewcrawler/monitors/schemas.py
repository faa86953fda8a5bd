"""JSON schemas every item must meet once normalized (checked by Spidermon's validation pipeline).

They state the store's contract: a score is an integer 0-100 or null, a date is
ISO 8601, a sentiment one of three words, and no text is unreasonably long (a
"quote" of tens of kilobytes is a selector that swallowed the page, not a review).
"""

from __future__ import annotations

from typing import Any

#: Longest quote or name accepted; longer ones are rejected, counted and reported.
MAX_QUOTE_LENGTH = 20_000
MAX_NAME_LENGTH = 500


def _text(max_length: int) -> dict[str, Any]:
    return {"type": ["string", "null"], "minLength": 1, "maxLength": max_length}


REVIEW_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "ReviewItem",
    "type": "object",
    "required": ["film_key", "source_url", "fingerprint"],
    "properties": {
        "film_key": {"type": "string", "minLength": 3, "maxLength": MAX_NAME_LENGTH},
        "source_url": {"type": "string", "minLength": 1},
        "critic": _text(MAX_NAME_LENGTH),
        "publication": _text(MAX_NAME_LENGTH),
        "original_score": _text(64),
        "score": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
        "sentiment": {"enum": ["positive", "mixed", "negative", None]},
        "published_on": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "quote": _text(MAX_QUOTE_LENGTH),
        "review_url": _text(4096),
        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{40}$"},
    },
}

#: A stated count beyond any film's (and beyond a database integer) is a misread number.
MAX_STATED_COUNT = 1_000_000
_COUNT: dict[str, Any] = {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_STATED_COUNT}

FILM_SUMMARY_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "FilmSummaryItem",
    "type": "object",
    "required": ["film_key", "source_url"],
    "properties": {
        "film_key": {"type": "string", "minLength": 3, "maxLength": MAX_NAME_LENGTH},
        "source_url": {"type": "string", "minLength": 1},
        "title": _text(MAX_NAME_LENGTH),
        "year": {"type": ["integer", "null"], "minimum": 1870, "maximum": 2200},
        "url": {"type": ["string", "null"]},
        "stated_label": _text(MAX_NAME_LENGTH),
        "stated_critic_count": _COUNT,
        "stated_metascore": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
        "stated_positive": _COUNT,
        "stated_mixed": _COUNT,
        "stated_negative": _COUNT,
    },
}
