"""Migration 0005 on both dialects: legacy platform keys merged into today's, every
review kept once; old ``… reviews`` labels rewritten; facts_rank added."""

from __future__ import annotations

from sqlalchemy import Engine, text

from reviewcrawler.normalize.fingerprint import review_fingerprint
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.schema import head_revision, upgrade

LEGACY = "metacritic:game:ember-tide:switch"
CANONICAL = "metacritic:game:ember-tide:nintendo-switch"
LEGACY_ONLY = "metacritic:game:quiet-moss:switch"
LEGACY_ONLY_CANONICAL = "metacritic:game:quiet-moss:nintendo-switch"


def _seed(engine: Engine) -> None:
    insert = text(
        "INSERT INTO films (id, key, title, year, media, platform) "
        "VALUES (:id, :key, :title, :year, 'game', :platform)"
    )
    review = text(
        "INSERT INTO reviews (id, film_id, fingerprint, critic, publication, score, "
        "sentiment, quote, first_seen_run, last_seen_run) VALUES "
        "(:id, :film, :fingerprint, :critic, :publication, :score, :sentiment, :quote, 1, 1)"
    )
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO crawl_runs (id, spider, arguments, started_at, pages, films,"
                " reviews_new, reviews_changed, reviews_unchanged, reviews_gone,"
                " items_dropped, dropped_reasons, errors, error_details) VALUES (1, 'reviews',"
                " '{}', '2026-11-01 00:00:00', 1, 2, 3, 0, 0, 0, 0, '{}', 0, '{}')"
            )
        )
        connection.execute(
            insert,
            [
                {"id": 1, "key": LEGACY, "title": "Ember Tide", "year": 2019, "platform": None},
                {"id": 2, "key": CANONICAL, "title": None, "year": None, "platform": "Switch"},
                {
                    "id": 3,
                    "key": LEGACY_ONLY,
                    "title": "Quiet Moss",
                    "year": 2018,
                    "platform": None,
                },
            ],
        )
        rows = [
            # The same review under both keys: kept once, on the canonical film.
            (10, 1, LEGACY, "Ada Quill", "Pixel Weekly", 80, "positive", "Bright."),
            (11, 2, CANONICAL, "Ada Quill", "Pixel Weekly", 80, "positive", "Bright."),
            # Only under the legacy key: moves.
            (12, 1, LEGACY, "Bo Marsh", "Save Point", 40, "mixed", "Uneven."),
            (13, 3, LEGACY_ONLY, "Cy Rowe", "Save Point", 90, "positive", "Lovely."),
        ]
        connection.execute(
            review,
            [
                {
                    "id": id_,
                    "film": film,
                    "fingerprint": review_fingerprint(key, publication, critic, quote),
                    "critic": critic,
                    "publication": publication,
                    "score": score,
                    "sentiment": sentiment,
                    "quote": quote,
                }
                for id_, film, key, critic, publication, score, sentiment, quote in rows
            ],
        )
        connection.execute(
            text(
                "INSERT INTO review_changes (review_id, run_id, field, old_value, new_value)"
                " VALUES (10, 1, 'score', '70', '80')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO crawl_run_films (run_id, film_id, reviewed, reviews_new,"
                " reviews_changed) VALUES (1, 1, true, 2, 0), (1, 2, true, 1, 0)"
            )
        )
        summary = text(
            "INSERT INTO film_summaries (film_id, review_count, scored_count, positive_count,"
            " mixed_count, negative_count, stated_label, stated_metascore) VALUES"
            " (:film, 2, 2, 1, 1, 0, :label, :score)"
        )
        connection.execute(
            summary,
            [
                {"film": 1, "label": "Generally favorable reviews", "score": 71},
                {"film": 2, "label": None, "score": None},
                {"film": 3, "label": "Universal Acclaim", "score": 90},
            ],
        )
        connection.execute(
            text(
                "INSERT INTO summary_snapshots (run_id, film_id, review_count, scored_count,"
                " positive_count, mixed_count, negative_count, stated_label) VALUES"
                " (1, 1, 2, 2, 1, 1, 0, 'Mixed or average reviews')"
            )
        )


def test_0005_merges_legacy_platform_keys_and_canonicalizes_labels(store_url: str) -> None:
    engine = get_engine(store_url)
    upgrade(engine, "0004_media_links_listed")
    _seed(engine)
    assert upgrade(engine).current == head_revision()
    with engine.connect() as connection:
        films = {
            key: (film_id, title, year, platform, rank)
            for film_id, key, title, year, platform, rank in connection.execute(
                text("SELECT id, key, title, year, platform, facts_rank FROM films")
            )
        }
        assert films == {
            CANONICAL: (2, "Ember Tide", 2019, "Switch", None),
            LEGACY_ONLY_CANONICAL: (3, "Quiet Moss", 2018, None, None),
        }
        reviews = connection.execute(
            text("SELECT id, film_id, critic, fingerprint FROM reviews ORDER BY id")
        ).all()
        assert [(r.id, r.film_id, r.critic) for r in reviews] == [
            (11, 2, "Ada Quill"),
            (12, 2, "Bo Marsh"),
            (13, 3, "Cy Rowe"),
        ]
        # Each fingerprint is the one a crawl of today's key computes: no duplicate later.
        assert reviews[1].fingerprint == review_fingerprint(
            CANONICAL, "Save Point", "Bo Marsh", "Uneven."
        )
        assert reviews[2].fingerprint == review_fingerprint(
            LEGACY_ONLY_CANONICAL, "Save Point", "Cy Rowe", "Lovely."
        )
        # The duplicate's history moved to the review kept.
        assert connection.execute(text("SELECT review_id FROM review_changes")).all() == [(11,)]
        assert connection.execute(
            text("SELECT film_id, reviews_new FROM crawl_run_films ORDER BY film_id")
        ).all() == [(2, 3)]
        summaries = {
            film_id: (label, score, count, mean)
            for film_id, label, score, count, mean in connection.execute(
                text(
                    "SELECT film_id, stated_label, stated_metascore, review_count, mean_score"
                    " FROM film_summaries"
                )
            )
        }
        assert summaries == {
            2: ("Generally favorable", 71, 2, 60.0),
            3: ("Universal acclaim", 90, 2, None),
        }
        assert connection.execute(
            text("SELECT film_id, stated_label FROM summary_snapshots")
        ).all() == [(2, "Mixed or average")]
