"""Streaming reads for exports: rows arrive in chunks, so memory stays flat at any size.

PostgreSQL gets a server-side cursor (``stream_results``); SQLite's cursor already
fetches lazily. Either way ``yield_per`` bounds how many rows are held at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, Select, select

from reviewcrawler.items import FILM_FACT_FIELDS
from reviewcrawler.store.models import (
    AUDIENCE_COLUMNS,
    SUMMARY_FIELDS,
    AudienceSummary,
    Film,
    FilmSummary,
    Review,
)

CHUNK_ROWS = 2000
WHAT = ("reviews", "summaries")


#: The audience summary's columns a summaries export adds, each named ``audience_<column>``
#: so that no audience figure can be read as a critics' one.
def export_query(what: str) -> Select[Any]:
    films = Film.__table__
    if what == "reviews":
        reviews = Review.__table__
        return (
            select(
                films.c.key.label("film_key"),
                films.c.title.label("film_title"),
                films.c.year.label("film_year"),
                *(reviews.c[c.name] for c in reviews.columns if c.name != "film_id"),
            )
            .join(films, films.c.id == reviews.c.film_id)
            .order_by(reviews.c.id)
        )
    if what == "summaries":
        summaries, audience = FilmSummary.__table__, AudienceSummary.__table__
        # New columns go after the old ones, so that a reader of the earlier columns
        # by position keeps working.
        return (
            select(
                films.c.key.label("film_key"),
                films.c.title.label("film_title"),
                films.c.year.label("film_year"),
                films.c.url.label("film_url"),
                *(summaries.c[n] for n in SUMMARY_FIELDS),
                *(films.c[n] for n in FILM_FACT_FIELDS),
                *(audience.c[n].label(f"audience_{n}") for n in AUDIENCE_COLUMNS),
            )
            .select_from(
                summaries.join(films, films.c.id == summaries.c.film_id).outerjoin(
                    audience, audience.c.film_id == films.c.id
                )
            )
            .order_by(films.c.key)
        )
    raise ValueError(f"cannot export {what!r}: choose one of {', '.join(WHAT)}")


def stream(engine: Engine, what: str) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """Column names, and the rows as tuples, fetched ``CHUNK_ROWS`` at a time."""
    query = export_query(what)
    columns = [column.name for column in query.selected_columns]

    def rows() -> Iterator[tuple[Any, ...]]:
        with engine.connect() as connection:
            result = connection.execution_options(
                stream_results=True, yield_per=CHUNK_ROWS
            ).execute(query)
            for row in result:
                yield tuple(row)

    return columns, rows()
