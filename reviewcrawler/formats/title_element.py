"""A film's name read from a page's ``<title>`` element: the last resort.

Sites wrap the name for browsers and search engines: ``Moonlight (2016) Reviews |
Rotten Tomatoes``, ``Critic Reviews for Moonlight - Rotten Tomatoes``, ``Moonlight -
Movie Reviews``, ``Moonlight critic reviews - Metacritic``. Each wrapper is taken off
until none is left; a year in brackets at the end is the film's. What remains is only
as good as the element, so formats mark it ``facts_path="title_tag"`` and the store
never lets it replace a name stated anywhere else (items.py ``FACT_PATHS``).
"""

from __future__ import annotations

import re

_SEPARATOR = r"\s*[|\-\u2013\u2014:\u00b7]\s*"
_SITE = re.compile(
    _SEPARATOR + r"(?:rotten\s*tomatoes|metacritic|imdb)(?:\.com)?\s*$", re.IGNORECASE
)
_LEADING_WRAPPER = re.compile(
    r"^\s*(?:(?:all|top)\s+)?(?:critics?'?\s+)?reviews?\s+(?:for|of)\s*:?\s+", re.IGNORECASE
)
_TRAILING_WRAPPER = re.compile(
    r"(?:" + _SEPARATOR + r"|\s+)"
    r"(?:(?:all|top)\s+)?(?:critics?'?\s+)?(?:(?:movie|film|tv|show|game)\s+)?"
    r"(?:reviews?|ratings?|scores?)(?:\s+(?:and|&)\s+(?:reviews?|ratings?|scores?))?\s*$",
    re.IGNORECASE,
)
_TRAILING_YEAR = re.compile(r"\s*\((?P<year>(?:18|19|20)\d{2})\)\s*$")
_SITE_PREFIX = re.compile(r"^\s*(?:rotten\s*tomatoes|metacritic)" + _SEPARATOR, re.IGNORECASE)


def name_from_title_element(text: str | None) -> tuple[str | None, int | None]:
    """The film's title and year a ``<title>`` element names, wrappers taken off."""
    if not text:
        return None, None
    name = " ".join(text.split())
    year: int | None = None
    while True:
        before = name
        name = _SITE.sub("", name)
        name = _SITE_PREFIX.sub("", name)
        name = _LEADING_WRAPPER.sub("", name)
        name = _TRAILING_WRAPPER.sub("", name) or name
        if match := _TRAILING_YEAR.search(name):
            year = year or int(match.group("year"))
            name = name[: match.start()]
        name = name.strip(" |-\u2013\u2014:")
        if name == before:
            break
    return name or None, year
