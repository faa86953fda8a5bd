"""The watch list (``watched_films``): films whose new reviews are alerts.

Blocking: commands and a run's close only.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, delete, select

from reviewcrawler.store.engine import write_transaction
from reviewcrawler.store.models import Film, WatchedFilm

WATCHED, FILMS = WatchedFilm.__table__, Film.__table__


def watch(engine: Engine, film_id: int) -> bool:
    """Add the film; False when it was watched already."""
    with write_transaction(engine) as connection:
        if connection.execute(
            select(WATCHED.c.film_id).where(WATCHED.c.film_id == film_id)
        ).first():
            return False
        connection.execute(
            WATCHED.insert().values(film_id=film_id, added_at=dt.datetime.now(dt.UTC))
        )
    return True


def unwatch(engine: Engine, film_id: int) -> bool:
    """Remove the film; False when it was not watched."""
    with write_transaction(engine) as connection:
        result = connection.execute(delete(WATCHED).where(WATCHED.c.film_id == film_id))
    return bool(result.rowcount)


def watched_ids(engine: Engine) -> set[int]:
    with engine.connect() as connection:
        return set(connection.scalars(select(WATCHED.c.film_id)))


def watched_films(engine: Engine) -> list[dict]:
    """The watched films (key, title, year, since when), by key."""
    query = (
        select(FILMS.c.id, FILMS.c.key, FILMS.c.title, FILMS.c.year, WATCHED.c.added_at)
        .join(FILMS, FILMS.c.id == WATCHED.c.film_id)
        .order_by(FILMS.c.key)
    )
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]
