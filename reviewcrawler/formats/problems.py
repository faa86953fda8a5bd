"""What a format met on a page and could not use, as data a format yields beside its items.

Formats are pure, so they cannot touch stats or the log: a ``Problem`` names the stat
to count and the one line to log, and the spider records it (spiders/reviews.py). A
problem costs the value it names, never the page: the format yields every other
path's items as usual.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    #: The stat to count, e.g. ``page_data/problems/truncated``.
    stat: str
    #: One line for the log, naming the page.
    message: str
