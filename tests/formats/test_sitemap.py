"""Sitemaps (issue 27): titles by URL with their lastmod, indexes, robots.txt lines."""

from __future__ import annotations

import gzip

from reviewcrawler.formats.sitemap import parse_robots, parse_sitemap

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://www.metacritic.com/game/ember-tide/</loc><lastmod>2026-12-01</lastmod></url>
  <url><loc>https://www.metacritic.com/movie/harbor-lights/</loc></url>
  <url><loc>https://www.metacritic.com/tv/night-ferry/season-2/</loc></url>
  <url><loc>https://www.metacritic.com/news/a-story/</loc></url>
  <url><loc>https://www.rottentomatoes.com/m/harbor_lights</loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://www.metacritic.com/sitemap/Movie-movie/1/sitemap.xml</loc></sitemap>
  <sitemap><loc>https://www.metacritic.com/sitemap/Game-game/1/sitemap.xml.gz</loc></sitemap>
</sitemapindex>"""


def test_a_sitemap_names_titles_with_their_lastmod() -> None:
    for body in (URLSET, gzip.compress(URLSET)):
        page = parse_sitemap(body, "http://127.0.0.1/sitemap.xml")
        assert [(t.site, t.media, t.slug, t.lastmod) for t in page.titles] == [
            ("metacritic", "game", "ember-tide", "2026-12-01"),
            ("metacritic", "movie", "harbor-lights", None),
            ("metacritic", "tv", "night-ferry", None),
            ("rottentomatoes", "movie", "harbor_lights", None),
        ]
        assert (page.other_urls, page.problem) == (1, None)


def test_an_index_names_sitemaps_and_robots_names_them_too() -> None:
    page = parse_sitemap(INDEX, "http://127.0.0.1/sitemap.xml")
    assert page.sitemaps[1].endswith("/Game-game/1/sitemap.xml.gz") and page.titles == []
    robots = b"User-agent: *\nDisallow: /search\nSitemap: https://www.metacritic.com/sitemap.xml\n"
    assert parse_robots(robots, "https://www.metacritic.com/robots.txt").sitemaps == [
        "https://www.metacritic.com/sitemap.xml"
    ]


def test_a_broken_sitemap_costs_only_itself() -> None:
    assert parse_sitemap(b"\x1f\x8b not gzip", "u").problem == "malformed"
    assert parse_sitemap(b"<html><body>no</body></html>", "u").problem == "not_a_sitemap"
