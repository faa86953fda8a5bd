"""How long each stored text may be: the one place the store's columns and the cleaning rules read.

The store's ``String(n)`` columns are declared with these lengths (store/models.py);
normalization cuts a longer value to its length and counts it
(``normalize/truncated/<field>``, normalize/items.py); the item schemas
(monitors/schemas.py) check the same numbers. A value is never cut silently, nor
rejected by one layer after another let it through.
"""

from __future__ import annotations

#: Characters per field. ``quote`` is a Text column: its length is the cleaning rule's,
#: a quote longer than any real one being a selector that swallowed the page.
FIELD_LENGTHS: dict[str, int] = {
    "film_key": 300,
    "title": 500,
    "platform": 100,
    "imdb_id": 16,
    "critic": 300,
    "critic_slug": 200,
    "publication": 300,
    "season": 100,
    "original_score": 100,
    "stated_label": 64,
    "quote": 20_000,
    "review_url": 4_096,
    "url": 4_096,
    "genres": 500,
    "age_rating": 32,
    "developers": 500,
    "publishers": 500,
    "director": 500,
    "network": 200,
    "audience_author": 300,
    "audience_review_id": 64,
}

#: Runtimes (minutes) and season counts beyond any title's are misread numbers.
MAX_RUNTIME, MAX_SEASONS = 10_000, 1_000

#: What a cut value ends with, so that a reader sees it was cut.
TRUNCATION_MARK = "…"

#: A stated count beyond any film's (and beyond a database integer) is a misread number.
MAX_STATED_COUNT = 1_000_000
#: Years a film can have been released in.
EARLIEST_YEAR, LATEST_YEAR = 1870, 2200
