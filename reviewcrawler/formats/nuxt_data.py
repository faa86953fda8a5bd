"""Nuxt 3's page data (``<script id="__NUXT_DATA__">``) resolved into plain values.

The payload is one flat JSON array (devalue's format). Entry 0 is the root;
inside objects and arrays every value is an integer index of another entry, so
shared and repeated values are written once. Some arrays are typed wrappers:
``["Reactive", i]``, ``["ShallowReactive", i]``, ``["Ref", i]``, ``["Date", iso]``,
``["Set", i...]``, ``["Map", k, v, ...]``, ``["null"]`` (an object without
prototype, then key/value index pairs). Negative indexes stand for values JSON
cannot write (-1 undefined, -2 a hole, -3 NaN, -4/-5 infinities, -6 negative zero).

Resolution is generic: nothing here knows where Metacritic keeps its reviews;
callers walk the resolved tree (``walk``) for the shapes they know.

Bad payloads never raise out of ``read``: each comes back with a reason
(``PROBLEMS``) the caller counts, and whatever could be resolved. Cycles resolve to
shared (cyclic) values, which ``walk`` visits once; nesting deeper than
``MAX_DEPTH`` is cut there (the deeper values become None), so a hostile payload
costs neither the stack nor the rest of the page.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from parsel import Selector

_SPECIAL = {-1: None, -2: None, -3: math.nan, -4: math.inf, -5: -math.inf, -6: -0.0}
_WRAPPERS = {"Reactive", "ShallowReactive", "Ref", "ShallowRef", "EmptyRef", "EmptyShallowRef"}


#: Deeper than any real page's data (Metacritic's nests about 15 levels); beyond it a
#: payload is cut rather than resolved, well inside Python's recursion limit.
MAX_DEPTH = 120

#: Why a payload could not be (wholly) read: a ``page_data/problems/<reason>`` stat.
PROBLEMS = ("malformed", "truncated", "not_devalue", "too_deep")


class NuxtDataError(ValueError):
    """The payload is not a devalue array."""


class _TooDeep(Exception):
    pass


def payload_text(selector: Selector) -> str | None:
    return selector.css("script#__NUXT_DATA__::text").get()


def resolve(payload: list[Any], cut: list[bool] | None = None) -> Any:
    """The value entry 0 of a devalue payload stands for; shared entries stay shared.

    Nesting beyond ``MAX_DEPTH`` resolves to None; ``cut`` (when given) then gets True.
    """
    if not isinstance(payload, list) or not payload:
        raise NuxtDataError("a Nuxt data payload is a non-empty JSON array")
    resolved: dict[int, Any] = {}
    depth = 0

    def value(index: Any) -> Any:
        nonlocal depth
        depth += 1
        try:
            if depth > MAX_DEPTH:
                if cut is not None:
                    cut.append(True)
                return None
            return _value(index)
        finally:
            depth -= 1

    def _value(index: Any) -> Any:
        if isinstance(index, bool) or not isinstance(index, int):
            return index  # not a reference: a payload written by hand, keep it
        if index < 0:
            return _SPECIAL.get(index)
        if index >= len(payload):
            return None
        if index in resolved:
            return resolved[index]
        entry = payload[index]
        if isinstance(entry, dict):
            mapping: dict[str, Any] = {}
            resolved[index] = mapping  # before the children: cycles point back here
            for key, child in entry.items():
                mapping[key] = value(child)
            return mapping
        if isinstance(entry, list):
            return _array(index, entry)
        resolved[index] = entry
        return entry

    def _array(index: int, entry: list[Any]) -> Any:
        tag = entry[0] if entry and isinstance(entry[0], str) else None
        if tag in _WRAPPERS:
            result = value(entry[1]) if len(entry) > 1 else None
            resolved[index] = result
            return result
        if tag == "Date":
            resolved[index] = entry[1] if len(entry) > 1 else None
            return resolved[index]
        if tag == "Set":
            items: list[Any] = []
            resolved[index] = items
            items.extend(value(child) for child in entry[1:])
            return items
        if tag in ("Map", "null"):
            mapping: dict[Any, Any] = {}
            resolved[index] = mapping
            pairs = entry[1:]
            for key_index, child in zip(pairs[::2], pairs[1::2], strict=False):
                key = value(key_index) if tag == "Map" else key_index
                mapping[key if isinstance(key, (str, int, float)) else str(key)] = value(child)
            return mapping
        array: list[Any] = []
        resolved[index] = array
        array.extend(value(child) for child in entry)
        return array

    return value(0)


def read(text: str | None) -> tuple[Any, str | None]:
    """The resolved page data from the script's text, and why it could not be read
    wholly (one of ``PROBLEMS``), or None. Absent data is no problem: ``(None, None)``."""
    if not text or not text.strip():
        return None, None
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        # An error at the very end: the script was cut off (a page saved half-way).
        truncated = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated")
        return None, "truncated" if truncated else "malformed"
    except (ValueError, RecursionError):
        return None, "too_deep"
    cut: list[bool] = []
    try:
        data = resolve(payload, cut)
    except NuxtDataError:
        return None, "not_devalue"
    except RecursionError:
        return None, "too_deep"
    return data, "too_deep" if cut else None


def load(text: str | None) -> Any:
    """The resolved page data from the script's text; None when absent or unreadable."""
    return read(text)[0]


def walk(value: Any) -> Iterator[Any]:
    """Every dict and list in a resolved tree, each once, parents before children."""
    seen: set[int] = set()
    stack = [value]
    while stack:
        current = stack.pop()
        if not isinstance(current, (dict, list)) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        children = list(current.values()) if isinstance(current, dict) else list(current)
        stack.extend(reversed(children))
