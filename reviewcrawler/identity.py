"""Film identity: a stable key for the film a page is about.

Order of precedence:
1. the site and slug of the page's URL (``metacritic:her`` from ``/movie/her/...``);
2. the film named by the crawl's ``-a film=`` argument (``film:pusher-1996``);
3. the page's own canonical URL, when it states one;
4. the page's file name (``file:pusher-1996`` from ``pusher-1996-critic-reviews.txt``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

_SLUG_IN_PATH = (
    # Metacritic pages and its backend API
    re.compile(r"/movies?/([A-Za-z0-9][A-Za-z0-9_.-]*)"),
    # Metacritic's other products share the markup (its game pages are reference pages)
    re.compile(r"^/(?:game|tv)/([A-Za-z0-9][A-Za-z0-9_.-]*)"),
    # Rotten Tomatoes
    re.compile(r"^/m/([A-Za-z0-9][A-Za-z0-9_.-]*)"),
)
_KNOWN_HOSTS = {"metacritic.com": "metacritic", "rottentomatoes.com": "rottentomatoes"}
_TITLE_AND_YEAR = re.compile(r"^(?P<title>.*?)\s*\((?P<year>\d{4})\)\s*$")
_FILE_SUFFIXES = re.compile(r"(?:[-_](?:critic[-_]reviews|reviews|movie[-_]page|page))+$")


@dataclass(frozen=True)
class FilmIdentity:
    key: str
    title: str | None = None
    year: int | None = None


MEDIA = ("movie", "tv", "game")


def media_of_key(key: str) -> str:
    """What a film key names: ``metacritic:tv:<slug>`` a TV show,
    ``metacritic:game:<slug>[:<platform>]`` a game, any other key a movie."""
    parts = key.split(":")
    if len(parts) >= 3 and parts[1] in ("tv", "game"):
        return parts[1]
    return "movie"


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def site_of(url: str, default: str) -> str:
    """The site a URL belongs to; ``default`` (the format's site) for other hosts."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # a page's own malformed URL ("http://[bad/"): not a known site
        return default
    for domain, site in _KNOWN_HOSTS.items():
        if host == domain or host.endswith("." + domain):
            return site
    return default


def slug_from_url(url: str) -> str | None:
    """The film slug an http(s) URL carries, if any (file paths carry none)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # a page's own malformed URL ("http://[bad/") carries no slug
        return None
    if parts.scheme not in ("http", "https"):
        return None
    path = unquote(parts.path)
    for pattern in _SLUG_IN_PATH:
        if match := pattern.search(path):
            return match.group(1).lower()
    return None


def parse_film_argument(film: str) -> FilmIdentity:
    """``Pusher (1996)`` as given to ``-a film=``: key, title and year."""
    text = " ".join(film.split())
    title, year = text, None
    if match := _TITLE_AND_YEAR.match(text):
        title, year = match.group("title"), int(match.group("year"))
    return FilmIdentity(key=f"film:{slugify(text)}", title=title or None, year=year)


def film_identity(
    url: str,
    site: str,
    film_argument: str | None = None,
    canonical_url: str | None = None,
) -> FilmIdentity:
    """The identity of the film a page at ``url`` (of a format of ``site``) is about."""
    if slug := slug_from_url(url):
        return FilmIdentity(key=f"{site_of(url, site)}:{slug}")
    if film_argument and film_argument.strip():
        return parse_film_argument(film_argument)
    if canonical_url and (slug := slug_from_url(canonical_url)):
        return FilmIdentity(key=f"{site_of(canonical_url, site)}:{slug}")
    stem = PurePosixPath(unquote(urlsplit(url).path)).stem
    name = _FILE_SUFFIXES.sub("", stem) or stem
    return FilmIdentity(key=f"file:{slugify(name) or 'unnamed'}")
