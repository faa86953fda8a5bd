"""The identity of a review, stable across crawls.

Rule: film key + publication + critic (+ the season, for a TV show's review),
compared case-folded with whitespace collapsed. A critic writes one review of a
film for a publication, so these name the review even when the site later edits
its quote or score: a re-crawl then updates the stored review instead of adding a
second one. When a review
names neither publication nor critic (score-only and uncredited entries), its
quote (or, lacking one, its full-review URL) is added so that two anonymous
reviews of one film stay apart.
"""

from __future__ import annotations

import hashlib

from reviewcrawler.normalize.text import comparable


def review_fingerprint(
    film_key: str,
    publication: str | None,
    critic: str | None,
    quote: str | None,
    review_url: str | None = None,
    season: str | None = None,
) -> str:
    parts = [film_key, comparable(publication), comparable(critic)]
    if not parts[1] and not parts[2]:
        parts.append(comparable(quote) or comparable(review_url))
    if season:
        # Only when there is one: movies' and games' fingerprints stay as they were.
        parts.append("season=" + comparable(season))
    # surrogatepass: cleaning drops lone surrogates first, but identity must never raise.
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
