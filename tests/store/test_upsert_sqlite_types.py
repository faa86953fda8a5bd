"""The SQLite multi-row path converts values as SQLAlchemy's own SQLite types do.

The generic ``Date``/``DateTime`` types have no bind processor; left to them, dates and
datetimes would reach sqlite3's default adapters (deprecated since Python 3.12), and a
timezone-aware datetime would be written as ``... +00:00`` beside the ORM's
``... .000000`` in the same column.
"""

from __future__ import annotations

import datetime as dt
import warnings

from sqlalchemy import Column, Date, DateTime, Integer, MetaData, Table, create_engine, select, text

from reviewcrawler.store.upsert import insert_rows


def _table() -> Table:
    return Table(
        "dated",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("day", Date),
        Column("at", DateTime(timezone=True)),
    )


def test_dates_and_datetimes_are_written_as_sqlalchemy_writes_them() -> None:
    table = _table()
    engine = create_engine("sqlite://")
    table.metadata.create_all(engine)
    at = dt.datetime(2021, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    with warnings.catch_warnings():
        # Python 3.12+ warns when sqlite3's default date adapters are used.
        warnings.simplefilter("error", DeprecationWarning)
        with engine.begin() as connection:
            insert_rows(
                connection,
                table,
                [
                    {"id": 1, "day": dt.date(2021, 3, 4), "at": at},
                    {"id": 2, "day": None, "at": None},
                ],
                conflict=table.c.id,
            )
            connection.execute(table.insert().values(id=3, day=dt.date(2021, 3, 4), at=at))
    with engine.connect() as connection:
        raw = connection.execute(text("SELECT id, day, at FROM dated ORDER BY id")).all()
        typed = connection.execute(select(table.c.day, table.c.at).where(table.c.id == 1)).one()
    assert raw[0][1:] == raw[2][1:] == ("2021-03-04", "2021-03-04 05:06:07.000000")
    assert raw[1][1:] == (None, None)
    assert typed == (dt.date(2021, 3, 4), dt.datetime(2021, 3, 4, 5, 6, 7))
