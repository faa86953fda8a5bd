"""How a crawl tells ``scrapy crawl`` it failed, so that the exit status is non-zero.

Scrapy exits 0 whenever the engine ran; unattended jobs need to see a crawl that
could not do its work (bad arguments, database lost, a failed monitor) as failed.
"""

from __future__ import annotations

from scrapy.statscollectors import StatsCollector

FAILED_STAT = "reviewcrawler/failed"


def mark_failed(stats: StatsCollector | None, reason: str) -> None:
    """Record why the crawl failed; the first reason is kept."""
    if stats is not None and not stats.get_value(FAILED_STAT):
        stats.set_value(FAILED_STAT, reason)


def failure_reason(stats: StatsCollector | None) -> str | None:
    return stats.get_value(FAILED_STAT) if stats is not None else None
