"""Page formats: one module per shape a critic-review page comes in.

Each module is pure (no Scrapy engine, no I/O) and exposes:

* ``NAME``: how stats and logs call it;
* ``matches(page) -> bool``: whether the page's content is in this format;
* ``parse(page) -> Iterator[ReviewItem | FilmSummaryItem | FollowUp]``.

Optionally, ``lists_reviews(page) -> bool``: the page is meant to list reviews, so
an empty list beside a stated critic count is suspected markup drift.

``detect`` tries them in order; put the most specific formats first: JSON bodies
(the APIs), then each site's markup newest first, then JSON-LD title pages (any
review page may carry JSON-LD too), then the plain-text rendering.

``APIS`` names the JSON APIs a follow-up may go to (``FollowUp.api``): the setting
holding each one's base URL and how to move an API URL onto that base.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Protocol

from reviewcrawler.findings import Findings
from reviewcrawler.formats import (
    json_ld,
    metacritic_2023,
    metacritic_2026,
    metacritic_api,
    metacritic_legacy,
    metacritic_product,
    plain_text,
    rottentomatoes,
    rottentomatoes_api,
)
from reviewcrawler.formats.page import Page
from reviewcrawler.formats.problems import Problem
from reviewcrawler.items import AudienceReviewItem, FilmSummaryItem, FollowUp, ReviewItem

#: What a format's ``parse`` yields; a ``Problem`` (formats/problems.py) is something it
#: met and could not use: ``parse_page`` moves problems into the page's findings.
#: ``AudienceReviewItem``: Metacritic's user reviews (metacritic_api), never a ReviewItem.
Output = ReviewItem | FilmSummaryItem | AudienceReviewItem | FollowUp | Problem


class Format(Protocol):
    NAME: str

    def matches(self, page: Page) -> bool: ...

    def parse(self, page: Page) -> Iterator[Output]: ...


FORMATS: tuple[ModuleType, ...] = (
    # A product answer first: the critic API's shape check could take it for stats.
    metacritic_product,
    metacritic_api,
    rottentomatoes_api,
    metacritic_2026,
    rottentomatoes,
    metacritic_2023,
    metacritic_legacy,
    json_ld,
    plain_text,
)


@dataclass(frozen=True)
class Api:
    #: The setting that holds the API's base URL (scheme, host, optional path prefix).
    setting: str
    #: ``(url, base) -> url on base``, or None when ``url`` is no path of this API.
    rebase: Callable[[str, str], str | None]


APIS: dict[str, Api] = {
    metacritic_api.API: Api("METACRITIC_API_URL", metacritic_api.rebase),
    rottentomatoes_api.API: Api("ROTTENTOMATOES_API_URL", rottentomatoes_api.rebase),
}


def detect(page: Page) -> ModuleType | None:
    """The format of a page, judged from its content; None when no format knows it."""
    for fmt in FORMATS:
        if fmt.matches(page):
            return fmt
    return None


def lists_reviews(fmt: ModuleType, page: Page) -> bool:
    """Whether a page of this format is meant to list reviews (see the module docstring)."""
    check = getattr(fmt, "lists_reviews", None)
    return bool(check(page)) if check is not None else False


@dataclass
class ParsedPage:
    """What the formats made of one page; plain data, so it can come back from a worker
    process (parse_workers.py)."""

    #: The format that read the page; None when no format knows it.
    format_name: str | None
    outputs: list[Output] = field(default_factory=list)
    #: The page is meant to list reviews (see ``lists_reviews``).
    lists_reviews: bool = False
    #: The format's traceback when it failed on the page (then no outputs).
    error: str | None = None
    #: Reviews the format found, before normalization drops any.
    reviews_found: int = 0
    #: What reading the page found (reading.py): stats to count, lines to log.
    findings: Findings = field(default_factory=Findings)


def parse_page(page: Page) -> ParsedPage:
    """Detect a page's format and read the page: all the spider needs of the formats."""
    fmt = detect(page)
    if fmt is None:
        return ParsedPage(None)
    try:
        outputs = list(fmt.parse(page))
    except Exception:
        return ParsedPage(fmt.NAME, error=traceback.format_exc())
    findings = Findings()
    for problem in (output for output in outputs if isinstance(output, Problem)):
        findings.note(problem.stat, logging.WARNING, problem.message)
    outputs = [output for output in outputs if not isinstance(output, Problem)]
    found = sum(1 for output in outputs if isinstance(output, ReviewItem))
    return ParsedPage(
        fmt.NAME, outputs, lists_reviews(fmt, page), reviews_found=found, findings=findings
    )


__all__ = [
    "APIS",
    "FORMATS",
    "Api",
    "Format",
    "Output",
    "Page",
    "ParsedPage",
    "Problem",
    "detect",
    "lists_reviews",
    "parse_page",
]
