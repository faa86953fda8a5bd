"""Alembic owns the schema: upgrades reach exactly the models, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from reviewcrawler.store.engine import StoreUnavailable, dispose_engine, get_engine
from reviewcrawler.store.models import Base
from reviewcrawler.store.open import open_store
from reviewcrawler.store.schema import BACKBONE_REVISION, head_revision, schema_state, upgrade
from tests.conftest import SAMPLE
from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer

#: Issue 2's schema contract: these columns, named so.
CONTRACT = {
    "films": {
        "id",
        "key",
        "title",
        "year",
        "url",
        "media",
        "platform",
        "imdb_id",
        "facts_rank",
        "release_date",
        "genres",
        "age_rating",
        "developers",
        "publishers",
        "director",
        "network",
        "seasons",
        "runtime",
    },
    "audience_summaries": {
        "film_id",
        "score",
        "scale",
        "score_100",
        "count",
        "positive",
        "mixed",
        "negative",
        "path",
        "rank",
    },
    "catalogue_titles": {
        "id",
        "site",
        "media",
        "slug",
        "film_keys",
        "title",
        "release_date",
        "listed_score",
        "listed_count",
        "listed_positive",
        "listed_mixed",
        "listed_negative",
        "listed_user_score",
        "lastmod",
        "first_listed",
        "last_listed",
        "last_fetched",
        "last_changed",
        "next_due",
        "consecutive_failures",
        "due_reason",
    },
    "audience_reviews": {
        "id",
        "film_id",
        "review_id",
        "score",
        "author",
        "published_on",
        "quote",
        "spoiler",
        "first_seen_run",
        "last_seen_run",
    },
    "reviews": {
        "id",
        "film_id",
        "fingerprint",
        "critic",
        "critic_slug",
        "publication",
        "season",
        "score",
        "original_score",
        "sentiment",
        "published_on",
        "quote",
        "review_url",
        "first_seen_run",
        "last_seen_run",
        "gone_run",
    },
    "film_summaries": {
        "film_id",
        "review_count",
        "scored_count",
        "mean_score",
        "median_score",
        "min_score",
        "max_score",
        "positive_count",
        "mixed_count",
        "negative_count",
        "positive_share",
        "computed_label",
        "stated_label",
        "stated_critic_count",
        "stated_listed_count",
        "stated_metascore",
        "stated_positive",
        "stated_mixed",
        "stated_negative",
        "consistent",
    },
    "crawl_runs": {
        "id",
        "spider",
        "arguments",
        "started_at",
        "finished_at",
        "finish_reason",
        "pages",
        "films",
        "reviews_new",
        "reviews_changed",
        "reviews_unchanged",
        "reviews_gone",
        "items_dropped",
        "dropped_reasons",
        "errors",
        "error_details",
        "failure",
    },
    "review_changes": {"id", "review_id", "run_id", "field", "old_value", "new_value"},
    "audience_snapshots": {"run_id", "film_id", "score", "scale", "score_100", "count"},
    "watched_films": {"film_id", "added_at"},
    "alert_outbox": {
        "id",
        "idempotency_key",
        "run_id",
        "body",
        "created_at",
        "attempts",
        "last_error",
        "delivered_at",
    },
}


def test_upgrading_an_empty_database_reaches_the_models_exactly(store_url: str) -> None:
    engine = get_engine(store_url)
    assert schema_state(engine).current is None
    state = upgrade(engine)
    assert state.current == head_revision() and state.is_current
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        inspector = inspect(connection)
        for table, columns in CONTRACT.items():
            assert {c["name"] for c in inspector.get_columns(table)} == columns, table
        assert {c["name"] for c in inspector.get_columns("summary_snapshots")} == (
            CONTRACT["film_summaries"] | {"run_id"}
        )
        unique = inspector.get_unique_constraints("reviews")
        assert [u["column_names"] for u in unique] == [["fingerprint"]]
    # Upgrading a current database does nothing.
    assert upgrade(engine).current == head_revision()


def test_database_from_before_migrations_is_stamped_and_upgraded_keeping_rows(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_engine(url)
    with old.begin() as connection:
        # The first release's create_all, verbatim in shape.
        connection.execute(
            text(
                "CREATE TABLE films (id INTEGER NOT NULL PRIMARY KEY, key VARCHAR(300) NOT NULL"
                " UNIQUE, title VARCHAR(500), year INTEGER, url TEXT)"
            )
        )
        connection.execute(
            text(
                "CREATE TABLE reviews (id INTEGER NOT NULL PRIMARY KEY, film_id INTEGER NOT NULL"
                " REFERENCES films (id), fingerprint VARCHAR(64) NOT NULL UNIQUE, critic"
                " VARCHAR(300), publication VARCHAR(300), score INTEGER, original_score"
                " VARCHAR(100), sentiment VARCHAR(16), published_on DATE, quote TEXT,"
                " review_url TEXT)"
            )
        )
        connection.execute(text("CREATE INDEX ix_reviews_film_id ON reviews (film_id)"))
        connection.execute(
            text(
                "CREATE TABLE film_summaries (film_id INTEGER NOT NULL PRIMARY KEY REFERENCES"
                " films (id), review_count INTEGER NOT NULL, scored_count INTEGER NOT NULL,"
                " mean_score FLOAT, median_score FLOAT, min_score INTEGER, max_score INTEGER,"
                " positive_count INTEGER NOT NULL, mixed_count INTEGER NOT NULL, negative_count"
                " INTEGER NOT NULL, computed_label VARCHAR(64), stated_label VARCHAR(64),"
                " stated_critic_count INTEGER, stated_metascore INTEGER, stated_positive"
                " INTEGER, stated_mixed INTEGER, stated_negative INTEGER, consistent BOOLEAN)"
            )
        )
        connection.execute(text("INSERT INTO films (key, title) VALUES ('film:old', 'Old')"))
        connection.execute(
            text("INSERT INTO reviews (film_id, fingerprint, score) VALUES (1, 'f1', 70)")
        )
    old.dispose()
    try:
        engine = open_store(url)  # a crawl's preflight: SQLite upgrades itself
        assert schema_state(engine).is_current
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT fingerprint, score, first_seen_run, gone_run FROM reviews")
            ).all()
            assert rows == [("f1", 70, None, None)]
            revisions = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert revisions.scalar_one() == head_revision()
    finally:
        dispose_engine(url)


def test_sqlite_store_upgrades_itself_when_opened(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    try:
        assert schema_state(open_store(url)).is_current
    finally:
        dispose_engine(url)


def test_postgresql_behind_refuses_naming_the_command(postgres_url: str) -> None:
    upgrade(get_engine(postgres_url), BACKBONE_REVISION)
    with pytest.raises(StoreUnavailable) as raised:
        open_store(postgres_url)
    message = str(raised.value)
    assert "reviewcrawler db upgrade" in message and "\n" not in message
    assert BACKBONE_REVISION in message


def test_crawl_against_a_database_behind_stops_before_its_first_request(
    postgres_url: str,
) -> None:
    upgrade(get_engine(postgres_url), BACKBONE_REVISION)
    with FixtureServer(SAMPLE) as server:
        result = run_crawl(
            "-a", f"url={server.url('/movie/the-quiet-harbour')}", database_url=postgres_url
        )
        assert not server.requests
    assert result.returncode != 0
    assert "reviewcrawler db upgrade" in result.stderr
    assert "Traceback" not in result.stderr
    with get_engine(postgres_url).connect() as connection:
        assert not inspect(connection).has_table("crawl_runs")


def test_schema_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'future.db'}"
    try:
        engine = get_engine(url)
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
        with pytest.raises(StoreUnavailable, match="newer than this reviewcrawler"):
            open_store(url)
    finally:
        dispose_engine(url)
