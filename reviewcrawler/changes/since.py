"""``--since``: a span back from now (``12h``, ``1d``, ``2w``) or a moment (``2026-12-01``)."""

from __future__ import annotations

import datetime as dt
import re

_SPAN = re.compile(r"^(?P<count>\d+)\s*(?P<unit>[mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class BadSince(ValueError):
    """A ``--since`` value that is neither a span nor a date."""


def parse_since(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """The moment ``text`` names, in UTC.

    ``30m``, ``12h``, ``1d``, ``2w``: that long before ``now``; ``2026-12-01`` or
    ``2026-12-01T08:00``: that moment, in UTC unless it states its offset (the store
    keeps UTC times).
    """
    value = text.strip().lower()
    if match := _SPAN.match(value):
        now = now or dt.datetime.now(dt.UTC)
        return now - dt.timedelta(**{_UNITS[match["unit"]]: int(match["count"])})
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadSince(
            f"--since {text!r}: give a span (30m, 12h, 1d, 2w) or a date (2026-12-01)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
