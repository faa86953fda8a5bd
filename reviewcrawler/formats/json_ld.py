"""schema.org JSON-LD on film title pages: the stated score, review count, title, year
and the title's facts.

Metacritic's title pages state ``Movie.aggregateRating`` named ``Metascore``,
Rotten Tomatoes' named ``Tomatometer`` (a percentage of positive reviews; it is
stored as the stated score, there being no metascore on that site). Neither
lists reviews here: the format hands Metacritic films to the backend API.

The film's IMDb id is any ``imdb.com/title/tt<digits>`` its JSON-LD names: in
``sameAs`` (a string or a list), ``@id`` or ``url``. Summaries of this format carry
``path="json_ld"``.

The title's facts: ``genre`` (a string or a list) as ``genres``, ``contentRating`` as
``age_rating``, ``director`` (a Person, a name, or a list of either), the release from
``datePublished`` (else ``dateCreated``, except on Rotten Tomatoes, whose
``dateCreated`` is the record's date, not the film's), ``duration`` (ISO 8601,
``PT2H15M``) as minutes of runtime, and a ``TVSeries``' ``numberOfSeasons``. A duration
with seconds but no hours is not read: Metacritic writes a film's 1 h 56 min as
``PT1M56S`` (seen on a real page), which read as written would give 2 minutes.

``aggregateRating`` is the critics' (Metascore, Tomatometer), never the audience's.

The reader tolerates several ``application/ld+json`` blocks, arrays, ``@graph``,
``@type`` lists and invalid JSON (a block that cannot be read is skipped).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from reviewcrawler.formats import metacritic_api
from reviewcrawler.formats.html import runtime_minutes
from reviewcrawler.formats.page import Page
from reviewcrawler.identity import film_identity, site_of
from reviewcrawler.items import FilmSummaryItem, FollowUp, ReviewItem

NAME = "json_ld"
#: The site a page on an unknown host (a test server) belongs to.
SITE = "metacritic"

#: A show's JSON-LD is a ``TVSeries``: it names the film the same way a movie's does.
_FILM_TYPES = {"Movie", "Film", "TVSeries"}
_YEAR = re.compile(r"\b(1[89]\d{2}|2\d{3})\b")
_TITLE_YEAR = re.compile(r"^(?P<title>.*\S)\s*\((?P<year>\d{4})\)\s*$")
# Raw control characters inside strings are the commonest reason a block fails to load.
_CONTROL = re.compile(r"[\x00-\x1f]")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_IMDB_TITLE = re.compile(r"imdb\.com/title/(tt\d{7,10})(?![0-9])", re.IGNORECASE)
#: The fields of a film node that may link to other records of the same film.
_LINK_FIELDS = ("sameAs", "@id", "url")
_DURATION = re.compile(
    r"^P(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FilmFacts:
    title: str | None
    year: int | None
    url: str | None
    rating_name: str | None
    rating_value: int | None
    review_count: int | None
    #: An IMDb title id the film's JSON-LD links to (``tt2543164``).
    imdb_id: str | None = None
    # The title's facts as ``FilmSummaryItem`` fields (``fact_fields``), as stated.
    release_date: str | None = None
    genres: str | None = None
    age_rating: str | None = None
    director: str | None = None
    runtime: int | None = None
    #: As the JSON holds it: normalization counts a value of the wrong type.
    seasons: Any = None


#: The ``FilmFacts`` fields that are ``FilmSummaryItem`` title facts of the same name.
FACT_FIELDS = ("release_date", "genres", "age_rating", "director", "runtime", "seasons")


def fact_fields(found: FilmFacts | None) -> dict[str, Any]:
    """The title facts a page's JSON-LD states, as ``FilmSummaryItem`` keyword arguments."""
    return {name: getattr(found, name) for name in FACT_FIELDS} if found else {}


def minutes(value: Any) -> int | None:
    """Minutes of runtime from an ISO 8601 duration (``PT2H15M``) or a text naming its
    units (``126 min``); None for anything else, a bare number included (no unit)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _DURATION.match(text)
    if match is None:
        return runtime_minutes(text)
    parts = {name: float(number) for name, number in match.groupdict().items() if number}
    if not parts:
        return None
    if parts.get("seconds") and "hours" not in parts and "days" not in parts:
        return None  # PT1M56S: Metacritic's 1 h 56 min, or 116 seconds; no way to tell
    total = parts.get("days", 0) * 1440 + parts.get("hours", 0) * 60 + parts.get("minutes", 0)
    return round(total + parts.get("seconds", 0) / 60)


def _names(value: Any) -> str | None:
    """Names in a string, a ``{name}`` object or a list of either, joined by ``, ``."""
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for entry in values:
        name = entry.get("name") if isinstance(entry, Mapping) else entry
        if isinstance(name, str) and (name := " ".join(name.split())) and name not in names:
            names.append(name)
    return ", ".join(names) or None


def _release_date(node: Mapping[str, Any], on_rotten_tomatoes: bool) -> str | None:
    fields = ("datePublished",) if on_rotten_tomatoes else ("datePublished", "dateCreated")
    for name in fields:
        if isinstance(node.get(name), str) and node[name].strip():
            return str(node[name]).strip()
    return None


def _load(block: str) -> Any:
    text = block.strip().removeprefix("<!--").removesuffix("-->").strip()
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text))):
        try:
            return json.loads(attempt)
        except ValueError:
            continue
    return None


def _nodes(value: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(value, list):
        for entry in value:
            yield from _nodes(entry)
    elif isinstance(value, Mapping):
        yield value
        if "@graph" in value:
            yield from _nodes(value["@graph"])


def _types(node: Mapping[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def film_nodes(page: Page) -> list[Mapping[str, Any]]:
    """Every JSON-LD node on the page that describes a film."""
    if "ld+json" not in page.text:
        return []
    nodes = []
    for block in page.selector.css('script[type="application/ld+json"]::text').getall():
        nodes.extend(n for n in _nodes(_load(block)) if _types(n) & _FILM_TYPES)
    return nodes


def _number(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return round(float(str(value).strip().rstrip("%")))
    except ValueError:
        return None


def _links(value: Any) -> Iterator[str]:
    """The URLs a ``sameAs``-like value holds: a string, a list, or ``{"@id"|"url": ...}``."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for entry in value:
            if isinstance(entry, (str, Mapping)):
                yield from _links(entry)
    elif isinstance(value, Mapping):
        for name in ("@id", "url"):
            if isinstance(value.get(name), str):
                yield value[name]


def imdb_id(nodes: list[Mapping[str, Any]]) -> str | None:
    """The first IMDb title id any film node links to, the rated node's first."""
    for node in nodes:
        for name in _LINK_FIELDS:
            for link in _links(node.get(name)):
                if match := _IMDB_TITLE.search(link):
                    return match.group(1).lower()
    return None


def facts(page: Page) -> FilmFacts | None:
    """What the page's JSON-LD states about its film; the first film node with a rating wins."""
    nodes = film_nodes(page)
    if not nodes:
        return None
    node = next((n for n in nodes if isinstance(n.get("aggregateRating"), Mapping)), nodes[0])
    rating = node.get("aggregateRating")
    rating = rating if isinstance(rating, Mapping) else {}
    title = node.get("name") if isinstance(node.get("name"), str) else None
    year = None
    if title and (match := _TITLE_YEAR.match(title)):
        title, year = match.group("title"), int(match.group("year"))
    for field in ("datePublished", "dateCreated", "releasedEvent"):
        if (
            year is None
            and isinstance(node.get(field), str)
            and (match := _YEAR.search(node[field]))
        ):
            year = int(match.group(1))
    url = node.get("url") if isinstance(node.get("url"), str) else None
    rating_name = rating.get("name") if isinstance(rating.get("name"), str) else None
    on_rotten_tomatoes = (rating_name or "").lower() == "tomatometer" or any(
        "rottentomatoes." in (link or "") for link in (page.url, url)
    )
    return FilmFacts(
        title=title.strip() if title else None,
        year=year,
        url=url,
        rating_name=rating_name,
        rating_value=_number(rating.get("ratingValue")),
        review_count=_number(rating.get("reviewCount") or rating.get("ratingCount")),
        imdb_id=imdb_id([node, *(n for n in nodes if n is not node)]),
        release_date=_release_date(node, on_rotten_tomatoes),
        genres=_names(node.get("genre")),
        age_rating=_names(node.get("contentRating")),
        director=_names(node.get("director")),
        runtime=minutes(node.get("duration")),
        seasons=node.get("numberOfSeasons"),
    )


def matches(page: Page) -> bool:
    return bool(film_nodes(page))


def parse(page: Page) -> Iterator[ReviewItem | FilmSummaryItem | FollowUp]:
    found = facts(page)
    if found is None:
        return
    identity = film_identity(page.url, _site(page, found), page.film_argument, found.url)
    yield FilmSummaryItem(
        film_key=identity.key,
        source_url=page.url,
        title=found.title or identity.title,
        year=found.year or identity.year,
        url=found.url,
        imdb_id=found.imdb_id,
        stated_critic_count=found.review_count,
        stated_metascore=found.rating_value,
        path="json_ld",
        **fact_fields(found),
    )
    if identity.key.startswith(f"{metacritic_api.SITE}:") and (
        follow_up := metacritic_api.first_page(page.url, identity.key)
    ):
        yield follow_up


def _site(page: Page, found: FilmFacts) -> str:
    """Which site the page is from: its host, else its JSON-LD's URL, else its rating's name."""
    default = "rottentomatoes" if (found.rating_name or "").lower() == "tomatometer" else SITE
    return site_of(page.url, site_of(found.url or "", default))
