"""The audience beside the critics, and the facts that identify a title.

* ``films``: ``release_date``, ``genres``, ``age_rating``, ``developers``,
  ``publishers``, ``director``, ``network``, ``seasons``, ``runtime`` (NULL for the
  rows stored before: the next crawl of each fills them);
* ``audience_summaries``: one row per film, the audience's score on the site's scale
  and on 0-100, its count and distribution, the path it came from;
* ``audience_reviews``: audience reviews, read only with ``AUDIENCE_REVIEWS``.

Every existing row is kept as it was; nothing moves between tables.

Revision ID: 0006_audience_and_title_facts
Revises: 0005_fact_ranks_platform_aliases
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_audience_and_title_facts"
down_revision = "0005_fact_ranks_platform_aliases"
branch_labels = None
depends_on = None

_FACT_COLUMNS = (
    ("release_date", sa.Date()),
    ("genres", sa.String(length=500)),
    ("age_rating", sa.String(length=32)),
    ("developers", sa.String(length=500)),
    ("publishers", sa.String(length=500)),
    ("director", sa.String(length=500)),
    ("network", sa.String(length=200)),
    ("seasons", sa.Integer()),
    ("runtime", sa.Integer()),
)


def upgrade() -> None:
    with op.batch_alter_table("films") as batch:
        for name, type_ in _FACT_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
    op.create_table(
        "audience_summaries",
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("scale", sa.Integer(), nullable=True),
        sa.Column("score_100", sa.Float(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("positive", sa.Integer(), nullable=True),
        sa.Column("mixed", sa.Integer(), nullable=True),
        sa.Column("negative", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=16), nullable=True),
        sa.Column("rank", sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["film_id"], ["films.id"], name=op.f("fk_audience_summaries_film_id_films")
        ),
        sa.PrimaryKeyConstraint("film_id", name=op.f("pk_audience_summaries")),
    )
    op.create_table(
        "audience_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("author", sa.String(length=300), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("spoiler", sa.Boolean(), nullable=True),
        sa.Column("first_seen_run", sa.Integer(), nullable=True),
        sa.Column("last_seen_run", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["film_id"], ["films.id"], name=op.f("fk_audience_reviews_film_id_films")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audience_reviews")),
        sa.UniqueConstraint("review_id", name=op.f("uq_audience_reviews_review_id")),
    )
    op.create_index(
        op.f("ix_audience_reviews_film_id"), "audience_reviews", ["film_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_audience_reviews_film_id"), table_name="audience_reviews")
    op.drop_table("audience_reviews")
    op.drop_table("audience_summaries")
    with op.batch_alter_table("films") as batch:
        for name, _ in reversed(_FACT_COLUMNS):
            batch.drop_column(name)
