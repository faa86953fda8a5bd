"""Dates as pages write them (``Jan  9, 2014``, ``07/13/2023``, ``2022-02-23``) to ISO 8601."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

# The shapes review pages use, tried before the (much slower) general parser.
_KNOWN_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%Y-%m-%d", "%m/%d/%Y", "%d %b %Y", "%d %B %Y")
_ISO_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]")
#: Reviews older than cinema, or dated after tomorrow, are typing errors.
EARLIEST = dt.date(1870, 1, 1)

_dateparser: Any = None


def _general_parse(text: str) -> dt.date | None:
    global _dateparser
    if _dateparser is None:
        import dateparser  # imported on first need: it costs about a second

        _dateparser = dateparser
    parsed = _dateparser.parse(
        text,
        languages=["en"],
        settings={
            "STRICT_PARSING": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
            # Only dates the page states: "tomorrow" or "3 days ago" would be read
            # relative to the crawl, and a bare number as a Unix timestamp.
            "PARSERS": ["custom-formats", "absolute-time"],
        },
    )
    return parsed.date() if parsed else None


@lru_cache(maxsize=4096)
def _parse_day(cleaned: str) -> dt.date | None:
    """The day a cleaned date text names; cached, since a page repeats its dates."""
    if match := _ISO_PREFIX.match(cleaned):
        cleaned = match.group(1)
    for fmt in _KNOWN_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    try:
        return _general_parse(cleaned)
    except Exception:  # dateparser raises assorted errors on odd input
        return None


def iso_date(text: str | None, *, today: dt.date | None = None, future_days: int = 1) -> str | None:
    """The ISO date a page's date text stands for, or None when it names no real day.

    ``future_days``: how far ahead of today a day may be (a review is never dated
    later than tomorrow; a release date may be announced years ahead)."""
    if text is None:
        return None
    cleaned = " ".join(str(text).split())
    if not cleaned or len(cleaned) > 64:
        return None
    day = _parse_day(cleaned)
    if day is None:
        return None
    latest = (today or dt.date.today()) + dt.timedelta(days=future_days)
    if not EARLIEST <= day <= latest:
        return None
    return day.isoformat()
