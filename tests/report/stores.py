"""Stores for the report tests, written through the crawl's own StoreWriter.

Two invented films over two crawl runs:

- *Glass Orchard* (Metacritic): run 1 stores three reviews; run 2 changes one score,
  loses one review (gone) and adds one whose quote, critic and URL carry an injected
  ``<script>``, an ``<img onerror>`` and a ``javascript:`` link. The title carries a
  script too.
- *Salt Meridian* (Rotten Tomatoes), run 1 only: a 2.5/5 the site calls fresh, a
  rotten review without a score, and two more.

Every injected payload would set ``window.__pwned`` if it ever ran.
"""

from __future__ import annotations

from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.normalize.fingerprint import review_fingerprint
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.history import mark_gone, snapshot_summaries
from reviewcrawler.store.runs import RunOutcome, finish_run, start_run
from reviewcrawler.store.schema import upgrade
from reviewcrawler.store.summaries import refresh_summaries
from reviewcrawler.store.writer import StoreWriter

ORCHARD = "metacritic:glass-orchard"
MERIDIAN = "rottentomatoes:salt-meridian"
ORCHARD_TITLE = "Glass Orchard <script>window.__pwned = 'title'</script>"
INJECTED_QUOTE = (
    "Bold.<script>window.__pwned = 'script'</script>"
    "<img src=x onerror=\"window.__pwned = 'onerror'\"> Really."
)
INJECTED_URL = "javascript:window.__pwned='link'"
INJECTED_CRITIC = "Nell <b onmouseover=\"window.__pwned='critic'\">Vane</b>"


def _band(score: int | None) -> str | None:
    if score is None:
        return None
    return "positive" if score > 60 else "mixed" if score >= 40 else "negative"


def review(
    film: str,
    critic: str,
    publication: str,
    original: str | None,
    score: int | None,
    quote: str,
    *,
    sentiment: str | None = None,
    url: str | None = "https://reviews.example/{critic}",
) -> ReviewItem:
    return ReviewItem(
        film_key=film,
        source_url="http://127.0.0.1/page",
        critic=critic,
        publication=publication,
        original_score=original,
        score=score,
        sentiment=sentiment or _band(score),
        published_on="2026-03-04",
        quote=quote,
        review_url=url.format(critic=critic.split()[0].lower()) if url else None,
        fingerprint=review_fingerprint(film, publication, critic, quote),
    )


def _run(url: str, summaries: list[FilmSummaryItem], reviews: list[ReviewItem]) -> int:
    engine = get_engine(url)
    run_id = start_run(engine, "reviews", {"spider": {"url": "http://127.0.0.1/page"}})
    result = StoreWriter(engine, run_id).write_batch(summaries, reviews)
    gone = mark_gone(engine, run_id, result.reviewed_film_ids)
    refresh_summaries(engine, result.film_ids)
    snapshot_summaries(engine, run_id, result.film_ids)
    finish_run(
        engine,
        run_id,
        RunOutcome(
            finish_reason="finished",
            reviews_new=result.new,
            reviews_changed=result.changed,
            reviews_unchanged=result.unchanged,
            reviews_gone=gone,
        ),
    )
    return run_id


def orchard_summary(metascore: int, critics: int) -> FilmSummaryItem:
    return FilmSummaryItem(
        film_key=ORCHARD,
        source_url="http://127.0.0.1/page",
        title=ORCHARD_TITLE,
        year=2024,
        url="javascript:window.__pwned='film-url'",
        stated_label="Generally favorable",
        stated_critic_count=critics,
        stated_metascore=metascore,
        stated_positive=2,
        stated_mixed=1,
        stated_negative=0,
    )


def fill(url: str) -> None:
    """Write both films' two runs into the database at ``url`` (upgraded first)."""
    upgrade(get_engine(url))
    kept = review(ORCHARD, "Ivo Brandt", "The Lamp", "88", 88, "Luminous and odd.")
    moved = review(ORCHARD, "Ruth Calder", "Weekly Reel", "55", 55, "Pretty, slight.")
    lost = review(ORCHARD, "Tam Ochoa", "Night Edition", "70", 70, "A slow bloom.")
    meridian = FilmSummaryItem(
        film_key=MERIDIAN,
        source_url="http://127.0.0.1/page",
        title="Salt Meridian",
        year=2023,
        url="https://www.rottentomatoes.com/m/salt_meridian",
        stated_label="Fresh",
        stated_critic_count=4,
        stated_metascore=75,
        stated_positive=3,
        stated_negative=1,
    )
    _run(
        url,
        [orchard_summary(72, 3), meridian],
        [
            kept,
            moved,
            lost,
            review(
                MERIDIAN,
                "Oona Pike",
                "Harbor Times",
                "2.5/5",
                50,
                "Soft but fresh.",
                sentiment="positive",
            ),
            review(
                MERIDIAN, "Lev Marr", "City Screen", None, None, "Drifts.", sentiment="negative"
            ),
            review(MERIDIAN, "Ada Fox", "Reel North", "4/5", 80, "Salty charm."),
            review(MERIDIAN, "Bea Lund", "Frame Rate", "3.5/4", 88, "Lovely tides."),
        ],
    )
    _run(
        url,
        [orchard_summary(74, 3)],
        [
            kept,
            review(ORCHARD, "Ruth Calder", "Weekly Reel", "65", 65, "Pretty, slight."),
            review(
                ORCHARD, INJECTED_CRITIC, "Pulp & Ink", "91", 91, INJECTED_QUOTE, url=INJECTED_URL
            ),
        ],
    )
