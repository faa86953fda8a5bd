"""The catalogue: every title the crawler knows of a site, and when it is due.

Revision ID: 0007_catalogue
Revises: 0006_audience_and_title_facts
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_catalogue"
down_revision = "0006_audience_and_title_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    moment = sa.DateTime(timezone=True)
    op.create_table(
        "catalogue_titles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=32), nullable=False),
        sa.Column("media", sa.String(length=8), nullable=False),
        sa.Column("slug", sa.String(length=300), nullable=False),
        sa.Column("film_keys", sa.Text(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("release_date", sa.Date(), nullable=True),
        sa.Column("listed_score", sa.Integer(), nullable=True),
        sa.Column("listed_count", sa.Integer(), nullable=True),
        sa.Column("listed_positive", sa.Integer(), nullable=True),
        sa.Column("listed_mixed", sa.Integer(), nullable=True),
        sa.Column("listed_negative", sa.Integer(), nullable=True),
        sa.Column("listed_user_score", sa.Float(), nullable=True),
        sa.Column("lastmod", sa.String(length=64), nullable=True),
        sa.Column("first_listed", moment, nullable=True),
        sa.Column("last_listed", moment, nullable=True),
        sa.Column("last_fetched", moment, nullable=True),
        sa.Column("last_changed", moment, nullable=True),
        sa.Column("next_due", moment, nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("due_reason", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_titles")),
        sa.UniqueConstraint("site", "media", "slug", name="uq_catalogue_titles_site_media_slug"),
    )
    op.create_index(
        op.f("ix_catalogue_titles_next_due"), "catalogue_titles", ["next_due"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_catalogue_titles_next_due"), table_name="catalogue_titles")
    op.drop_table("catalogue_titles")
