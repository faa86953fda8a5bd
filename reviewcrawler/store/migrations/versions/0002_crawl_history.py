"""Crawl history: crawl_runs, review_changes, summary_snapshots, and when each review was seen.

Revision ID: 0002_crawl_history
Revises: 0001_backbone
Create Date: 2025-01-02
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0002_crawl_history"
down_revision = "0001_backbone"
branch_labels = None
depends_on = None

#: The backbone revision's summary columns, shared by the snapshots (module name
#: starts with a digit, hence importlib).
_backbone = importlib.import_module("reviewcrawler.store.migrations.versions.0001_backbone")


def upgrade() -> None:
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spider", sa.String(length=100), nullable=False),
        sa.Column("arguments", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finish_reason", sa.String(length=100), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("films", sa.Integer(), nullable=False),
        sa.Column("reviews_new", sa.Integer(), nullable=False),
        sa.Column("reviews_changed", sa.Integer(), nullable=False),
        sa.Column("reviews_unchanged", sa.Integer(), nullable=False),
        sa.Column("reviews_gone", sa.Integer(), nullable=False),
        sa.Column("items_dropped", sa.Integer(), nullable=False),
        sa.Column("dropped_reasons", sa.JSON(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("error_details", sa.JSON(), nullable=False),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_runs")),
    )
    # Run ids without foreign keys: see models.Review.
    with op.batch_alter_table("reviews") as batch:
        for name in ("first_seen_run", "last_seen_run", "gone_run"):
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
    op.create_table(
        "review_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_review_changes_review_id_reviews")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"], name=op.f("fk_review_changes_run_id_crawl_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_changes")),
    )
    op.create_index(
        op.f("ix_review_changes_review_id"), "review_changes", ["review_id"], unique=False
    )
    op.create_index(op.f("ix_review_changes_run_id"), "review_changes", ["run_id"], unique=False)
    op.create_table(
        "summary_snapshots",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        *_backbone.summary_columns(),
        sa.ForeignKeyConstraint(
            ["film_id"], ["films.id"], name=op.f("fk_summary_snapshots_film_id_films")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"], name=op.f("fk_summary_snapshots_run_id_crawl_runs")
        ),
        sa.PrimaryKeyConstraint("run_id", "film_id", name=op.f("pk_summary_snapshots")),
    )
    op.create_index(
        op.f("ix_summary_snapshots_film_id"), "summary_snapshots", ["film_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_summary_snapshots_film_id"), table_name="summary_snapshots")
    op.drop_table("summary_snapshots")
    op.drop_index(op.f("ix_review_changes_run_id"), table_name="review_changes")
    op.drop_index(op.f("ix_review_changes_review_id"), table_name="review_changes")
    op.drop_table("review_changes")
    with op.batch_alter_table("reviews") as batch:
        for name in ("gone_run", "last_seen_run", "first_seen_run"):
            batch.drop_column(name)
    op.drop_table("crawl_runs")
