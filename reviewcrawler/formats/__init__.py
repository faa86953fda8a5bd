"""Page formats: one module per shape a critic-review page comes in.

Each module is pure (no Scrapy engine, no I/O) and exposes:

* ``NAME``: how stats and logs call it;
* ``matches(page) -> bool``: whether the page's content is in this format;
* ``parse(page) -> Iterator[ReviewItem | FilmSummaryItem | FollowUp]``.

``detect`` tries them in order; put the most specific formats first.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Protocol

from reviewcrawler.formats import metacritic_legacy, plain_text
from reviewcrawler.formats.page import Page
from reviewcrawler.items import FilmSummaryItem, FollowUp, ReviewItem

Output = ReviewItem | FilmSummaryItem | FollowUp


class Format(Protocol):
    NAME: str

    def matches(self, page: Page) -> bool: ...

    def parse(self, page: Page) -> Iterator[Output]: ...


FORMATS: tuple[ModuleType, ...] = (metacritic_legacy, plain_text)


def detect(page: Page) -> ModuleType | None:
    """The format of a page, judged from its content; None when no format knows it."""
    for fmt in FORMATS:
        if fmt.matches(page):
            return fmt
    return None


__all__ = ["FORMATS", "Format", "Output", "Page", "detect"]
