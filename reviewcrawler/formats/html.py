"""Small readers shared by the HTML formats."""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector, SelectorList

_NUMBER = re.compile(r"\d[\d,]*")


def node_text(sel: Selector | SelectorList[Selector] | None) -> str | None:
    """All the text under a node, its pieces stripped and joined by single spaces."""
    if sel is None:
        return None
    text = " ".join(part.strip() for part in sel.xpath(".//text()").getall() if part.strip())
    return text or None


def first_int(text: str | None) -> int | None:
    """The first whole number in a text (``based on 1,376 Critics`` gives 1376)."""
    if not text or not (match := _NUMBER.search(text)):
        return None
    return int(match.group(0).replace(",", ""))


def canonical_url(sel: Selector) -> str | None:
    """The URL the page states for itself (``link rel=canonical``, else ``og:url``)."""
    # lxml's tag-filtered iteration: a walk in C, cheaper than a CSS query per page.
    root = sel.root
    canonical = next(
        (
            link.get("href")
            for link in root.iter("link")
            if link.get("rel") == "canonical" and link.get("href") is not None
        ),
        None,
    )
    return canonical or next(
        (
            meta.get("content")
            for meta in root.iter("meta")
            if meta.get("property") == "og:url" and meta.get("content") is not None
        ),
        None,
    )


def class_index(root: Any) -> dict[str, list[Any]]:
    """Every element under ``root`` by each of its classes, in document order.

    One walk over the tree answers all of a format's class lookups; each ``//``
    XPath or CSS query over a whole page would walk it again.
    """
    index: dict[str, list[Any]] = {}
    for element in root.iter():
        classes = element.get("class")
        if classes:
            for name in classes.split():
                index.setdefault(name, []).append(element)
    return index


def classes_of(element: Any) -> list[str]:
    return (element.get("class") or "").split()


def own_text(element: Any) -> str | None:
    """The element's first text node of its own (CSS ``::text``, first match)."""
    if element.text is not None:
        return str(element.text)
    for child in element:
        if child.tail is not None:
            return str(child.tail)
    return None


def element_text(element: Any, *, skip_machinery: bool = False) -> str | None:
    """All the text under an lxml element, like ``node_text`` for a selector.

    ``skip_machinery`` leaves out text inside script and style elements (page
    machinery, not what anyone wrote); without it lxml's fast itertext is used.
    """
    if element is None:
        return None
    if skip_machinery:
        parts = element.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")
    else:
        parts = element.itertext()
    # map and filter rather than a generator: this runs for every field of every review.
    text = " ".join(filter(None, map(str.strip, parts)))
    return text or None


_RUNTIME = re.compile(
    r"^(?:(?P<hours>\d+)\s*(?:h|hrs?|hours?)\.?)?\s*(?:(?P<minutes>\d+)\s*(?:m|mins?|minutes?)\.?)?$",
    re.IGNORECASE,
)


def runtime_minutes(text: str | None) -> int | None:
    """Minutes from a runtime that names its units (``126 min``, ``1 h 56 min``, ``2h``).

    A bare number is not read: whether it counts minutes or seconds, only its unit says.
    """
    if not text or not (match := _RUNTIME.match(" ".join(text.split()))):
        return None
    hours, minutes = match.group("hours"), match.group("minutes")
    if hours is None and minutes is None:
        return None
    return int(hours or 0) * 60 + int(minutes or 0)
