"""Sitemaps and robots.txt ``Sitemap:`` lines: titles found by their URLs.

Read with Scrapy's own sitemap utilities (``scrapy.utils.sitemap``). A sitemap index
names further sitemaps; a sitemap names page URLs, each with an optional
``<lastmod>``, which is a change hint (kept on the catalogued title). Only URLs a
format recognises as a title's page are kept (identity.py ``film_from_url``): a
sitemap of a whole site names far more than titles.

Pure: the catalogue spider fetches the documents and routes them here.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from reviewcrawler.identity import film_from_url, site_of
from reviewcrawler.items import ListedTitle

NAME = "sitemap"
#: A decompressed sitemap larger than this is refused: the protocol's own limit is 50 MB.
MAX_SITEMAP_BYTES = 64 * 1024 * 1024
#: Longer slugs fit no film key (limits.py): not a title's URL.
MAX_SLUG = 250


@dataclass
class SitemapPage:
    """What one sitemap, index or robots.txt names."""

    sitemaps: list[str] = field(default_factory=list)
    titles: list[ListedTitle] = field(default_factory=list)
    #: Page URLs that name no title (another kind of page).
    other_urls: int = 0
    problem: str | None = None


def parse_robots(body: bytes, url: str) -> SitemapPage:
    return SitemapPage(sitemaps=list(sitemap_urls_from_robots(body, url)))


def parse_sitemap(body: bytes, url: str) -> SitemapPage:
    """A sitemap or sitemap index (gzipped or not)."""
    if body[:2] == b"\x1f\x8b":
        # Inflated at most one byte past the limit: a small file can unpack to gigabytes.
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = inflate.decompress(body, MAX_SITEMAP_BYTES + 1)
        except zlib.error:
            return SitemapPage(problem="malformed")
        if len(body) > MAX_SITEMAP_BYTES:
            return SitemapPage(problem="too_large")
    try:
        document = Sitemap(body)
    except Exception:  # noqa: BLE001  (lxml refuses some bodies outright: not a sitemap)
        return SitemapPage(problem="malformed")
    page = SitemapPage()
    for entry in document:
        location = (entry.get("loc") or "").strip()
        if not location:
            continue
        if document.type == "sitemapindex":
            page.sitemaps.append(location)
            continue
        film = film_from_url(location)
        site = site_of(location, "")
        if film is None or not site or len(film.slug) > MAX_SLUG:
            page.other_urls += 1
            continue
        page.titles.append(
            ListedTitle(
                site=site,
                media=film.media,
                slug=film.slug,
                source_url=url,
                lastmod=(entry.get("lastmod") or "").strip()[:64] or None,
                listed=False,
            )
        )
    if document.type not in ("urlset", "sitemapindex"):
        page.problem = "not_a_sitemap"
    return page
