"""What reading and normalizing a page found: stats to count and lines to log.

Plain data, so that it comes back from a parse worker (parse_workers.py) with the
page's items, and the crawl's process only records it (``record``).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Findings:
    """Stats to increment and messages to log."""

    stats: Counter[str] = field(default_factory=Counter)
    #: ``(logging level, message)``, in the order found.
    messages: list[tuple[int, str]] = field(default_factory=list)

    def note(self, stat: str, level: int, message: str) -> None:
        self.stats[stat] += 1
        self.messages.append((level, message))

    def count(self, stat: str, value: int = 1) -> None:
        """A stat without a log line."""
        if value:
            self.stats[stat] += value

    def merge(self, other: Findings) -> None:
        self.stats.update(other.stats)
        self.messages.extend(other.messages)

    def record(self, stats: object, logger: logging.Logger) -> None:
        """Into a Scrapy stats collector (``inc_value``) and the log."""
        for stat, value in self.stats.items():
            stats.inc_value(stat, value)  # type: ignore[attr-defined]
        for level, message in self.messages:
            logger.log(level, "%s", message)
