"""The backbone's tables: films, reviews, film_summaries.

Databases created before Alembic owned the schema (``create_all`` in the first
release) hold exactly these tables; store/schema.py stamps them at this revision.

Revision ID: 0001_backbone
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_backbone"
down_revision = None
branch_labels = None
depends_on = None


def summary_columns() -> list[sa.Column]:
    return [
        sa.Column("review_count", sa.Integer(), nullable=False),
        sa.Column("scored_count", sa.Integer(), nullable=False),
        sa.Column("mean_score", sa.Float(), nullable=True),
        sa.Column("median_score", sa.Float(), nullable=True),
        sa.Column("min_score", sa.Integer(), nullable=True),
        sa.Column("max_score", sa.Integer(), nullable=True),
        sa.Column("positive_count", sa.Integer(), nullable=False),
        sa.Column("mixed_count", sa.Integer(), nullable=False),
        sa.Column("negative_count", sa.Integer(), nullable=False),
        sa.Column("computed_label", sa.String(length=64), nullable=True),
        sa.Column("stated_label", sa.String(length=64), nullable=True),
        sa.Column("stated_critic_count", sa.Integer(), nullable=True),
        sa.Column("stated_metascore", sa.Integer(), nullable=True),
        sa.Column("stated_positive", sa.Integer(), nullable=True),
        sa.Column("stated_mixed", sa.Integer(), nullable=True),
        sa.Column("stated_negative", sa.Integer(), nullable=True),
        sa.Column("consistent", sa.Boolean(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "films",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_films")),
        sa.UniqueConstraint("key", name=op.f("uq_films_key")),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("critic", sa.String(length=300), nullable=True),
        sa.Column("publication", sa.String(length=300), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("original_score", sa.String(length=100), nullable=True),
        sa.Column("sentiment", sa.String(length=16), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("review_url", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["film_id"], ["films.id"], name=op.f("fk_reviews_film_id_films")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_reviews_fingerprint")),
    )
    op.create_index(op.f("ix_reviews_film_id"), "reviews", ["film_id"], unique=False)
    op.create_table(
        "film_summaries",
        sa.Column("film_id", sa.Integer(), nullable=False),
        *summary_columns(),
        sa.ForeignKeyConstraint(
            ["film_id"], ["films.id"], name=op.f("fk_film_summaries_film_id_films")
        ),
        sa.PrimaryKeyConstraint("film_id", name=op.f("pk_film_summaries")),
    )


def downgrade() -> None:
    op.drop_table("film_summaries")
    op.drop_index(op.f("ix_reviews_film_id"), table_name="reviews")
    op.drop_table("reviews")
    op.drop_table("films")
