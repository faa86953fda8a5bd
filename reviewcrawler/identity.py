"""Film identity: a stable key for the film a page is about.

Order of precedence:
1. the site, product and slug of the page's URL (see below);
2. the film named by the crawl's ``-a film=`` argument (``film:pusher-1996``);
3. the page's own canonical URL, when it states one;
4. the page's file name (``file:pusher-1996`` from ``pusher-1996-critic-reviews.txt``).

Metacritic's three products share slugs, so their keys name the product (a movie, a
show and a game called ``alba`` are three films):

* movies ``metacritic:<slug>`` (the form every existing key has; it never changes);
* TV shows ``metacritic:tv:<slug>``; a season page ``/tv/<slug>/season-<n>/`` is the show;
* games ``metacritic:game:<slug>:<platform-slug>`` (``?platform=playstation-5``): each
  platform has its own Metascore and reviews; ``metacritic:game:<slug>`` only while no
  platform is known (a format that reads the page's own platform adds it: ``with_platform``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, unquote, urlsplit

_SLUG = r"([A-Za-z0-9][A-Za-z0-9_.-]*)"
#: (pattern, product) for Metacritic's pages and its backend API, whose paths call the
#: products ``movies``, ``shows`` and ``games``.
_METACRITIC_PATHS = (
    (re.compile(r"^/movie/" + _SLUG), "movie"),
    (re.compile(r"^/tv/" + _SLUG), "tv"),
    (re.compile(r"^/game/" + _SLUG), "game"),
    (re.compile(r"/critic/movies/" + _SLUG), "movie"),
    (re.compile(r"/critic/shows/" + _SLUG), "tv"),
    (re.compile(r"/critic/games/" + _SLUG), "game"),
    (re.compile(r"/movies?/" + _SLUG), "movie"),
)
_LEGACY_GAME_PATH = re.compile(
    r"^/game/([a-z0-9][a-z0-9-]*)/(?!critic-reviews|user-reviews|details)" + _SLUG, re.I
)
_SLUG_IN_PATH = (
    # Rotten Tomatoes
    re.compile(r"^/m/" + _SLUG),
)
_PLATFORM = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: Platform slugs of Metacritic's legacy URLs (``/game/switch/<slug>``) whose platform
#: today's URLs and API name otherwise (``?platform=nintendo-switch``): one game on one
#: platform must have one key, whichever generation of page named it. Migration 0005
#: merged the films stored under a legacy slug into the canonical key.
PLATFORM_ALIASES: dict[str, str] = {
    "switch": "nintendo-switch",
    "ios": "ios-iphoneipad",
}
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


@dataclass(frozen=True)
class UrlFilm:
    """What an http(s) URL says about its film: the product, slug and (games) platform."""

    media: str
    slug: str
    #: Games: the platform slug of ``?platform=`` (``playstation-5``), when given.
    platform: str | None = None

    @property
    def key_part(self) -> str:
        """The key after ``<site>:`` (see the module docstring)."""
        if self.media == "movie":
            return self.slug
        if self.media == "game" and self.platform:
            return f"game:{self.slug}:{self.platform}"
        return f"{self.media}:{self.slug}"


def canonical_platform(slug: str) -> str:
    """Today's slug of a platform a legacy URL names (``switch``: ``nintendo-switch``)."""
    return PLATFORM_ALIASES.get(slug, slug)


def platform_slug(text: str | None) -> str | None:
    """A platform as its URL slug: ``PlayStation 5`` gives ``playstation-5``."""
    if not text or not isinstance(text, str):
        return None
    return canonical_platform(slugify(text)) or None


def canonical_film_key(key: str) -> str:
    """A game's key with today's platform slug (``metacritic:game:x:switch`` gives
    ``metacritic:game:x:nintendo-switch``); any other key unchanged."""
    parts = key.split(":")
    if len(parts) == 4 and parts[1] == "game" and parts[3] in PLATFORM_ALIASES:
        return ":".join((*parts[:3], PLATFORM_ALIASES[parts[3]]))
    return key


def film_from_url(url: str) -> UrlFilm | None:
    """The product, slug and platform an http(s) URL names, if any (file paths name none)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # a page's own malformed URL ("http://[bad/") carries no slug
        return None
    if parts.scheme not in ("http", "https"):
        return None
    path = unquote(parts.path)
    if legacy := _LEGACY_GAME_PATH.match(path):
        # Legacy game pages name the platform first: /game/playstation-5/<slug>.
        return UrlFilm("game", legacy.group(2).lower(), canonical_platform(legacy.group(1).lower()))
    for pattern, media in _METACRITIC_PATHS:
        if match := pattern.search(path):
            platform = None
            if media == "game":
                platform = _query_platform(parts.query)
            return UrlFilm(media, match.group(1).lower(), platform)
    for pattern in _SLUG_IN_PATH:
        if match := pattern.search(path):
            return UrlFilm("movie", match.group(1).lower())
    return None


def _query_platform(query: str) -> str | None:
    for name, value in parse_qsl(query):
        if name == "platform" and _PLATFORM.match(value.strip().lower()):
            return canonical_platform(value.strip().lower())
    return None


def slug_from_url(url: str) -> str | None:
    """The film slug an http(s) URL carries, if any (file paths carry none)."""
    film = film_from_url(url)
    return film.slug if film else None


def with_platform(key: str, platform: str | None) -> str:
    """A game's key completed with the platform a page states (``PlayStation 5`` or its
    slug); any other key, or a key that already names its platform, unchanged."""
    parts = key.split(":")
    slug = platform_slug(platform)
    if slug and len(parts) == 3 and parts[1] == "game":
        return f"{key}:{slug}"
    return key


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
    if film := film_from_url(url):
        return FilmIdentity(key=f"{site_of(url, site)}:{film.key_part}")
    if film_argument and film_argument.strip():
        return parse_film_argument(film_argument)
    if canonical_url and (film := film_from_url(canonical_url)):
        return FilmIdentity(key=f"{site_of(canonical_url, site)}:{film.key_part}")
    stem = PurePosixPath(unquote(urlsplit(url).path)).stem
    name = _FILE_SUFFIXES.sub("", stem) or stem
    return FilmIdentity(key=f"file:{slugify(name) or 'unnamed'}")
