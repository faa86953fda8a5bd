"""A TV review seen both with its season and without one is one review.

A legacy show page (``/tv/<slug>``) lists a show's reviews without their season, a
season page or the API with it; a season is part of a TV review's fingerprint
(normalize/fingerprint.py), so the two sightings have different fingerprints. Before
the writer stores one as new, it looks for the other among the film's stored reviews
(and the batch) by critic, publication and quote, compared case-folded:

* a review without a season that matches one stored review with a season is a
  sighting of that review, not a new one;
* a review with a season that matches one stored review without a season takes that
  row over: the row gets the season and the new fingerprint, so its history stays;
* within a batch, a review without a season that matches one with a season is left out.

Several candidates (one critic's same quote for two seasons) match none: storing a
review twice is better than filing it under the wrong season.

Blocking: runs inside the writer's transaction (store/writer.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, select, update

from reviewcrawler.normalize.text import comparable
from reviewcrawler.store.models import Review
from reviewcrawler.store.upsert import any_of, chunked

Match = tuple[int, str, str, str]


def _match_key(film_id: int, row: Any) -> Match:
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return (
        film_id,
        comparable(get("critic")),
        comparable(get("publication")),
        comparable(get("quote")),
    )


def match_seasons(
    connection: Connection,
    rows: dict[str, dict[str, Any]],
    stored: dict[str, Any],
    tv_film_ids: Iterable[int],
) -> dict[str, int]:
    """Reconcile the batch's TV ``rows`` (by fingerprint) with stored reviews, in place.

    Rows that are sightings of a stored review with a season are removed from
    ``rows`` and returned (fingerprint: the stored review's id); stored rows without a
    season that a row with one takes over are updated and put in ``stored`` under the
    new fingerprint; rows without a season that the batch has with one are removed."""
    tv = set(tv_film_ids)
    unmatched = {fp: row for fp, row in rows.items() if fp not in stored and row["film_id"] in tv}
    if not unmatched:
        return {}
    seasoned_in_batch: dict[Match, list[str]] = defaultdict(list)
    for fingerprint, row in unmatched.items():
        if row["season"]:
            seasoned_in_batch[_match_key(row["film_id"], row)].append(fingerprint)
    for fingerprint, row in list(unmatched.items()):
        if (
            not row["season"]
            and len(seasoned_in_batch.get(_match_key(row["film_id"], row), ())) == 1
        ):
            del rows[fingerprint], unmatched[fingerprint]
    table = Review.__table__
    with_season: dict[Match, list[Any]] = defaultdict(list)
    without_season: dict[Match, list[Any]] = defaultdict(list)
    films = sorted({row["film_id"] for row in unmatched.values()})
    for chunk in chunked(films):
        query = select(*table.c).where(any_of(connection, table.c.film_id, chunk))
        for review in connection.execute(query):
            found = with_season if review.season else without_season
            found[_match_key(review.film_id, review)].append(review)
    sightings: dict[str, int] = {}
    for fingerprint, row in unmatched.items():
        key = _match_key(row["film_id"], row)
        if not row["season"]:
            if len(candidates := with_season.get(key, ())) == 1:
                sightings[fingerprint] = candidates[0].id
                del rows[fingerprint]
            continue
        if len(candidates := without_season.get(key, ())) != 1:
            continue
        (before,) = candidates
        connection.execute(
            update(table)
            .where(table.c.id == before.id)
            .values(fingerprint=fingerprint, season=row["season"])
        )
        stored[fingerprint] = SimpleNamespace(
            **{**before._asdict(), "fingerprint": fingerprint, "season": row["season"]}
        )
        without_season.pop(key)
    return sightings
