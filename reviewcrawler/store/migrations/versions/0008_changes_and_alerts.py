"""Changes and alerts (issue 30).

Numbered after 0007_catalogue, written at the same time, so that the two stay one
line of revisions.

* ``audience_snapshots``: a film's audience score as each run that touched it left
  it, so that the audience's moves are changes like the critics' (which
  ``summary_snapshots`` already keeps). Empty after the upgrade: the history starts
  with the next crawl;
* ``watched_films``: the watch list (``reviewcrawler watch``);
* ``alert_outbox``: alert messages, kept until the receiver accepts them.

Nothing existing changes.

Revision ID: 0008_changes_and_alerts
Revises: 0007_catalogue
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_changes_and_alerts"
down_revision = "0007_catalogue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audience_snapshots",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("scale", sa.Integer(), nullable=True),
        sa.Column("score_100", sa.Float(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["film_id"], ["films.id"], name=op.f("fk_audience_snapshots_film_id_films")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"], name=op.f("fk_audience_snapshots_run_id_crawl_runs")
        ),
        sa.PrimaryKeyConstraint("run_id", "film_id", name=op.f("pk_audience_snapshots")),
    )
    op.create_index(
        op.f("ix_audience_snapshots_film_id"), "audience_snapshots", ["film_id"], unique=False
    )
    op.create_table(
        "watched_films",
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["film_id"], ["films.id"], name=op.f("fk_watched_films_film_id_films")
        ),
        sa.PrimaryKeyConstraint("film_id", name=op.f("pk_watched_films")),
    )
    op.create_table(
        "alert_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"], name=op.f("fk_alert_outbox_run_id_crawl_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_outbox")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_alert_outbox_idempotency_key")),
        sa.UniqueConstraint("run_id", name=op.f("uq_alert_outbox_run_id")),
    )
    op.create_index(
        op.f("ix_alert_outbox_delivered_at"), "alert_outbox", ["delivered_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_alert_outbox_delivered_at"), table_name="alert_outbox")
    op.drop_table("alert_outbox")
    op.drop_table("watched_films")
    op.drop_index(op.f("ix_audience_snapshots_film_id"), table_name="audience_snapshots")
    op.drop_table("audience_snapshots")
