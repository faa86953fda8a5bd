"""Moments read back from the store: always timezone-aware, in UTC.

The models' ``DateTime(timezone=True)`` columns are written in UTC; PostgreSQL hands
them back aware, SQLite without their zone. Readers that compare or print them call
``as_utc`` rather than each repairing the SQLite case.
"""

from __future__ import annotations

import datetime as dt


def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """``moment`` aware and in UTC; None stays None."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
