"""crawl_run_films: the films each crawl run touched, for its close.

Runs closed before this revision have no rows: their close had already used
what the crawl kept in memory.

Revision ID: 0003_crawl_run_films
Revises: 0002_crawl_history
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_crawl_run_films"
down_revision = "0002_crawl_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crawl_run_films",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["film_id"], ["films.id"], name=op.f("fk_crawl_run_films_film_id_films")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"], name=op.f("fk_crawl_run_films_run_id_crawl_runs")
        ),
        sa.PrimaryKeyConstraint("run_id", "film_id", name=op.f("pk_crawl_run_films")),
    )
    op.create_index(
        op.f("ix_crawl_run_films_film_id"), "crawl_run_films", ["film_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_crawl_run_films_film_id"), table_name="crawl_run_films")
    op.drop_table("crawl_run_films")
