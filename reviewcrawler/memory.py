"""Keeps a long crawl's memory flat on glibc: a fixed malloc mmap threshold.

glibc serves blocks from 128 KB with mmap, but raises that threshold each time
such a block is freed, up to 32 MB; from then on those blocks come from the heap,
and freeing them leaves holes the heap rarely gives back. A crawl frees large
blocks all the time (pages, pickled pages for the parse worker, store batches),
and its RSS crept up by about 1 KB a page on top of what it keeps per film:
over 20,000 pages the peak was 177 MB, against 159 MB with the threshold fixed.
Setting it (mallopt(3) ``M_MMAP_THRESHOLD``, with ``M_TRIM_THRESHOLD`` beside
it) turns the adjustment off. Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# mallopt(3) parameter numbers, from glibc's malloc.h.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def fix_malloc_thresholds(threshold: int) -> bool:
    """Fix glibc's mmap and trim thresholds at ``threshold`` bytes; whether it applied."""
    if threshold <= 0 or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return False
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is None:  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, threshold)) and bool(
        mallopt(_M_TRIM_THRESHOLD, threshold)
    )


class FixedMallocThresholds:
    """Extension: applies ``MALLOC_MMAP_THRESHOLD`` when the crawl is set up."""

    def __init__(self, applied: bool) -> None:
        self.applied = applied

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FixedMallocThresholds:
        threshold = crawler.settings.getint("MALLOC_MMAP_THRESHOLD")
        applied = fix_malloc_thresholds(threshold)
        if applied:
            logger.debug("malloc mmap threshold fixed at %d bytes", threshold)
        return cls(applied)
