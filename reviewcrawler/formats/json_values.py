"""Reading scalar values out of JSON a site serves (APIs, page data), shared by the formats.

A value of the wrong JSON type is no value here; where the review fields are concerned,
metacritic_api passes it on as it is instead, so that normalization counts why it
was dropped (normalize/items.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def text(value: Any) -> str | None:
    """A string or number as stripped text; None for anything else or an empty text."""
    if value is None or isinstance(value, Mapping | list | bool):
        return None
    return str(value).strip() or None


def integer(value: Any) -> int | None:
    """A whole number, from an int, a whole float or a string of digits; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def joined_names(values: Any) -> str | None:
    """A JSON list of names (``[{"name": "Action"}, "Drama"]``) as ``Action, Drama``;
    None for anything else or a list with no name in it."""
    names = [
        name
        for name in (
            text(value.get("name")) if isinstance(value, Mapping) else text(value)
            for value in (values if isinstance(values, list) else [])
        )
        if name
    ]
    return ", ".join(names) or None
