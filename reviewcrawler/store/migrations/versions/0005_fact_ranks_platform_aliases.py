"""Film facts' strength, one key per game platform, canonical stated labels.

* ``films.facts_rank``: how strong the source of a film's stored facts was (items.py
  ``FACT_PATHS``); NULL for the rows stored before, which any source may replace.
* Games stored under a legacy platform slug (``metacritic:game:<slug>:switch``) move
  to today's (``…:nintendo-switch``, identity.py ``PLATFORM_ALIASES``). Where both
  keys were stored, the legacy film is merged into the canonical one: each of its
  reviews moves there (its fingerprint recomputed for the new key) unless the
  canonical film already holds the same review, whose history then takes the
  duplicate's changes; run records, snapshots, stated figures and facts the canonical
  film lacks move with it; links involving it are dropped (the next close recomputes
  them). The merged films' computed summaries are recomputed. Every review is kept.
* Stated labels written before labels were canonical (``Generally favorable
  reviews``, ``Universal Acclaim``) are rewritten as today's crawls write them.

Revision ID: 0005_fact_ranks_platform_aliases
Revises: 0004_media_links_listed
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from reviewcrawler.identity import canonical_film_key
from reviewcrawler.normalize.fingerprint import review_fingerprint
from reviewcrawler.normalize.scores import canonical_label
from reviewcrawler.store.summaries import compute

revision = "0005_fact_ranks_platform_aliases"
down_revision = "0004_media_links_listed"
branch_labels = None
depends_on = None

_FACTS = ("title", "year", "url", "platform", "imdb_id")
_STATED = (
    "stated_label",
    "stated_critic_count",
    "stated_listed_count",
    "stated_metascore",
    "stated_positive",
    "stated_mixed",
    "stated_negative",
)
_COMPUTED = (
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
    "consistent",
)

films = sa.table(
    "films",
    sa.column("id", sa.Integer),
    sa.column("key", sa.String),
    *(sa.column(name) for name in _FACTS),
)
reviews = sa.table(
    "reviews",
    sa.column("id", sa.Integer),
    sa.column("film_id", sa.Integer),
    sa.column("fingerprint", sa.String),
    sa.column("publication", sa.String),
    sa.column("critic", sa.String),
    sa.column("quote", sa.Text),
    sa.column("review_url", sa.Text),
    sa.column("season", sa.String),
    sa.column("score", sa.Integer),
    sa.column("sentiment", sa.String),
    sa.column("gone_run", sa.Integer),
)
review_changes = sa.table(
    "review_changes", sa.column("review_id", sa.Integer), sa.column("run_id", sa.Integer)
)
run_films = sa.table(
    "crawl_run_films",
    sa.column("run_id", sa.Integer),
    sa.column("film_id", sa.Integer),
    sa.column("reviewed", sa.Boolean),
    sa.column("reviews_new", sa.Integer),
    sa.column("reviews_changed", sa.Integer),
)
summaries = sa.table(
    "film_summaries",
    sa.column("film_id", sa.Integer),
    *(sa.column(name) for name in (*_STATED, *_COMPUTED)),
)
snapshots = sa.table(
    "summary_snapshots",
    sa.column("run_id", sa.Integer),
    sa.column("film_id", sa.Integer),
    sa.column("stated_label", sa.String),
)
links = sa.table(
    "film_links", sa.column("film_a_id", sa.Integer), sa.column("film_b_id", sa.Integer)
)


def upgrade() -> None:
    with op.batch_alter_table("films") as batch:
        batch.add_column(sa.Column("facts_rank", sa.SmallInteger(), nullable=True))
    connection = op.get_bind()
    _canonical_platforms(connection)
    for table in (summaries, snapshots):
        _canonical_labels(connection, table)


def downgrade() -> None:
    # Merged films and rewritten labels stay as they are: the older code reads both.
    with op.batch_alter_table("films") as batch:
        batch.drop_column("facts_rank")


def _canonical_labels(connection: sa.Connection, table: Any) -> None:
    for (label,) in connection.execute(sa.select(table.c.stated_label).distinct()).all():
        canonical = canonical_label(label)
        if label is not None and canonical is not None and canonical != label:
            connection.execute(
                table.update().where(table.c.stated_label == label).values(stated_label=canonical)
            )


def _canonical_platforms(connection: sa.Connection) -> None:
    merged: set[int] = set()
    for film_id, key in connection.execute(
        sa.select(films.c.id, films.c.key).where(films.c.key.like("%:game:%:%"))
    ).all():
        canonical = canonical_film_key(key)
        if canonical == key:
            continue
        target = connection.execute(
            sa.select(films.c.id).where(films.c.key == canonical)
        ).scalar_one_or_none()
        if target is None:
            connection.execute(films.update().where(films.c.id == film_id).values(key=canonical))
            _refingerprint(connection, film_id, canonical, film_id)
            continue
        _merge(connection, film_id, target, canonical)
        merged.add(target)
    _recompute(connection, sorted(merged))


def _refingerprint(connection: sa.Connection, source: int, key: str, target: int) -> None:
    """Move the reviews of film ``source`` to ``target`` (film key ``key``), each under
    the fingerprint a crawl now computes; a review ``target`` holds already stays once."""
    held = dict(
        connection.execute(
            sa.select(reviews.c.fingerprint, reviews.c.id).where(reviews.c.film_id == target)
        ).all()
    )
    for row in connection.execute(sa.select(reviews).where(reviews.c.film_id == source)).all():
        fingerprint = review_fingerprint(
            key, row.publication, row.critic, row.quote, row.review_url, row.season
        )
        kept = held.get(fingerprint)
        if kept is not None and kept != row.id:
            connection.execute(
                review_changes.update()
                .where(review_changes.c.review_id == row.id)
                .values(review_id=kept)
            )
            connection.execute(reviews.delete().where(reviews.c.id == row.id))
            continue
        connection.execute(
            reviews.update()
            .where(reviews.c.id == row.id)
            .values(film_id=target, fingerprint=fingerprint)
        )
        held[fingerprint] = row.id


def _merge(connection: sa.Connection, source: int, target: int, key: str) -> None:
    _refingerprint(connection, source, key, target)
    facts = connection.execute(sa.select(films).where(films.c.id.in_((source, target)))).all()
    by_id = {row.id: row for row in facts}
    filled = {
        name: getattr(by_id[source], name)
        for name in _FACTS
        if getattr(by_id[target], name) is None and getattr(by_id[source], name) is not None
    }
    if filled:
        connection.execute(films.update().where(films.c.id == target).values(**filled))
    _move_keyed(connection, run_films, source, target, add=("reviews_new", "reviews_changed"))
    _move_keyed(connection, snapshots, source, target)
    stated = connection.execute(
        sa.select(summaries).where(summaries.c.film_id.in_((source, target)))
    ).all()
    rows = {row.film_id: row for row in stated}
    if source in rows and target not in rows:
        connection.execute(
            summaries.update().where(summaries.c.film_id == source).values(film_id=target)
        )
    elif source in rows:
        fill = {
            name: getattr(rows[source], name)
            for name in _STATED
            if getattr(rows[target], name) is None and getattr(rows[source], name) is not None
        }
        if fill:
            connection.execute(
                summaries.update().where(summaries.c.film_id == target).values(**fill)
            )
        connection.execute(summaries.delete().where(summaries.c.film_id == source))
    connection.execute(
        links.delete().where(sa.or_(links.c.film_a_id == source, links.c.film_b_id == source))
    )
    connection.execute(films.delete().where(films.c.id == source))


def _move_keyed(
    connection: sa.Connection, table: Any, source: int, target: int, add: tuple[str, ...] = ()
) -> None:
    """Rows keyed by (run, film) moved from ``source`` to ``target``; where the target
    has the run's row already, ``add``'s counts are added to it and the source's goes."""
    target_runs = set(
        connection.execute(sa.select(table.c.run_id).where(table.c.film_id == target)).scalars()
    )
    for row in connection.execute(sa.select(table).where(table.c.film_id == source)).all():
        if row.run_id not in target_runs:
            connection.execute(
                table.update()
                .where(table.c.film_id == source, table.c.run_id == row.run_id)
                .values(film_id=target)
            )
            continue
        if add:
            connection.execute(
                table.update()
                .where(table.c.film_id == target, table.c.run_id == row.run_id)
                .values(**{name: table.c[name] + getattr(row, name) for name in add})
            )
        connection.execute(
            table.delete().where(table.c.film_id == source, table.c.run_id == row.run_id)
        )


def _recompute(connection: sa.Connection, film_ids: list[int]) -> None:
    for film_id in film_ids:
        stored = connection.execute(
            sa.select(reviews.c.score, reviews.c.sentiment).where(
                reviews.c.film_id == film_id, reviews.c.gone_run.is_(None)
            )
        ).all()
        summary = connection.execute(
            sa.select(summaries.c.stated_listed_count, summaries.c.stated_critic_count).where(
                summaries.c.film_id == film_id
            )
        ).first()
        stated = None
        if summary is not None:
            stated = (
                summary.stated_listed_count
                if summary.stated_listed_count is not None
                else summary.stated_critic_count
            )
        figures = compute(
            [row.score for row in stored if row.score is not None],
            [row.sentiment for row in stored],
            stated,
        )
        if summary is None:
            connection.execute(summaries.insert().values(film_id=film_id, **figures))
        else:
            connection.execute(
                summaries.update().where(summaries.c.film_id == film_id).values(**figures)
            )
