"""Small readers shared by the HTML formats."""

from __future__ import annotations

import re

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
    return (
        sel.css('link[rel="canonical"]::attr(href)').get()
        or sel.css('meta[property="og:url"]::attr(content)').get()
    )
