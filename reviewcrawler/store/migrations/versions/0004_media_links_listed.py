"""Media, platforms, seasons and critic slugs; listed counts; film links; run-film counts.

* ``films.media`` (movie/tv/game; existing rows are movies, except those whose URL
  is a Metacritic game or TV page), ``films.platform``, ``films.imdb_id``;
* ``reviews.season``, ``reviews.critic_slug``;
* ``film_summaries`` and ``summary_snapshots``: ``stated_listed_count``,
  ``positive_share``;
* ``crawl_run_films.reviews_new``, ``reviews_changed``;
* ``film_links``: films of different sites that are the same work.

Every existing key, review and summary is kept as it was.

Revision ID: 0004_media_links_listed
Revises: 0003_crawl_run_films
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_media_links_listed"
down_revision = "0003_crawl_run_films"
branch_labels = None
depends_on = None

_SUMMARY_TABLES = ("film_summaries", "summary_snapshots")


def upgrade() -> None:
    with op.batch_alter_table("films") as batch:
        batch.add_column(
            sa.Column("media", sa.String(length=8), nullable=False, server_default="movie")
        )
        batch.add_column(sa.Column("platform", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("imdb_id", sa.String(length=16), nullable=True))
    films = sa.table("films", sa.column("media", sa.String), sa.column("url", sa.Text))
    for media, fragment in (("game", "%metacritic.com/game/%"), ("tv", "%metacritic.com/tv/%")):
        op.execute(films.update().where(films.c.url.like(fragment)).values(media=media))
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("season", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("critic_slug", sa.String(length=200), nullable=True))
    for table in _SUMMARY_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("positive_share", sa.Float(), nullable=True))
            batch.add_column(sa.Column("stated_listed_count", sa.Integer(), nullable=True))
    with op.batch_alter_table("crawl_run_films") as batch:
        batch.add_column(sa.Column("reviews_new", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("reviews_changed", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "film_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("film_a_id", sa.Integer(), nullable=False),
        sa.Column("film_b_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["film_a_id"], ["films.id"], name=op.f("fk_film_links_film_a_id_films")
        ),
        sa.ForeignKeyConstraint(
            ["film_b_id"], ["films.id"], name=op.f("fk_film_links_film_b_id_films")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_film_links")),
        sa.UniqueConstraint("film_a_id", "film_b_id", name="uq_film_links_pair"),
    )
    op.create_index(op.f("ix_film_links_film_a_id"), "film_links", ["film_a_id"], unique=False)
    op.create_index(op.f("ix_film_links_film_b_id"), "film_links", ["film_b_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_film_links_film_b_id"), table_name="film_links")
    op.drop_index(op.f("ix_film_links_film_a_id"), table_name="film_links")
    op.drop_table("film_links")
    with op.batch_alter_table("crawl_run_films") as batch:
        batch.drop_column("reviews_changed")
        batch.drop_column("reviews_new")
    for table in _SUMMARY_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("stated_listed_count")
            batch.drop_column("positive_share")
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("critic_slug")
        batch.drop_column("season")
    with op.batch_alter_table("films") as batch:
        batch.drop_column("imdb_id")
        batch.drop_column("platform")
        batch.drop_column("media")
