"""Telling a fault of the database (or the way to it) from a fault of the data written.

A connection fault is worth retrying, and when it lasts the database counts as
lost: what cannot be written goes to the dead-letter spool. A data error
(text the database cannot encode, a value too long or out of range, a broken
constraint) is the rows' fault: retrying cannot help, and the database is fine,
so the writer isolates the offending rows and keeps writing (store/resilient.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError

from reviewcrawler.store.engine import is_connection_fault

#: PostgreSQL SQLSTATE codes of data errors, by the reason they are counted under.
_PG_CODES = {
    "22001": "length",  # string_data_right_truncation
    "22003": "numeric_range",  # numeric_value_out_of_range
    "22021": "encoding",  # character_not_in_repertoire
    "22P05": "encoding",  # untranslatable_character
    "22007": "date",  # invalid_datetime_format
    "22008": "date",  # datetime_field_overflow
}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what SQLAlchemy wrapped (``orig``), and its causes."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack += [getattr(current, "orig", None), current.__cause__, current.__context__]


def data_error_reason(exc: BaseException) -> str | None:
    """Why the rows were refused (``encoding``, ``length``, ``numeric_range``, ``date``,
    ``constraint``, ``value``, ``data``); None for a connection fault, which is no data
    error. Anything else a statement raised is the rows' fault too: ``other``."""
    if is_connection_fault(exc):
        return None
    for cause in _chain(exc):
        if isinstance(cause, UnicodeError):
            return "encoding"
        code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if isinstance(code, str) and code in _PG_CODES:
            return _PG_CODES[code]
        if isinstance(cause, OverflowError):  # sqlite3: an integer beyond 64 bits
            return "numeric_range"
    for cause in _chain(exc):
        if isinstance(cause, IntegrityError) or type(cause).__name__ == "IntegrityError":
            return "constraint"
        if isinstance(cause, DataError):
            return "data"
        if isinstance(cause, ValueError | TypeError):
            return "value"
    if isinstance(exc, DBAPIError | StatementError):
        return "data"
    return "other"
