"""Links between films of different sites that are the same work.

A pure core decides which films match (``propose_links``) from what the pages
state: the normalized title, the year, a shared IMDb id; a database layer
(``recompute_links``) stores the result in ``film_links`` without touching a
person's decisions (``confirmed`` / ``rejected``), and ``work_of`` /
``works_of`` gather the films a link joins.

Candidate pairs are found by grouping films on their normalized title (and on
the title before a subtitle) and on their IMDb id, never by comparing every
film with every other: 100,000 films take seconds (benchmarks/links_throughput.py).

Blocking: call from a worker thread or the command line, never the reactor.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, Select, delete, or_, select, update

from reviewcrawler.store.engine import write_transaction
from reviewcrawler.store.models import Film, FilmLink
from reviewcrawler.store.upsert import any_of, chunked, insert_for

if TYPE_CHECKING:
    from reviewcrawler.store.summaries import SummaryRow

AUTOMATIC = "automatic"
SUGGESTED = "suggested"
CONFIRMED = "confirmed"
REJECTED = "rejected"
STATES = (AUTOMATIC, SUGGESTED, CONFIRMED, REJECTED)
#: States a person set: recomputation keeps them as they are.
DECIDED = (CONFIRMED, REJECTED)
#: States that make two films one work (summaries side by side, critics' films).
JOINING = (AUTOMATIC, CONFIRMED)

#: How sure each rule is. A shared id or an exact title and year is as sure as the
#: pages can make it; a subtitle is likelier the same work than a year off by one
#: (festival year vs release year), which is likelier than nothing.
CONFIDENCE = {
    "imdb id": 1.0,
    "title and year": 1.0,
    "subtitle": 0.8,
    "year off by one": 0.7,
}

#: Key prefixes that name no site: saved pages (``film:`` from ``-a film=``, ``file:``
#: from a file name). Such films are never linked: nothing says where they come from.
SITELESS_PREFIXES = frozenset({"film", "file"})

_LEADING_ARTICLE = re.compile(r"^(?:the|a|an) (?=\S)")
#: Punctuation and spacing; letters of any script are kept (a title in kana is a title).
_NOT_WORD = re.compile(r"[\W_]+")
_SLUG_YEAR = re.compile(r"_((?:18|19|20)\d{2})$")
_TABLE = FilmLink.__table__
_FILMS = Film.__table__


class LinkRefused(Exception):
    """A link a person asked for that the rules forbid (same site, same film, no site)."""


def normalize_title(title: str | None) -> str:
    """A title as matching compares it: accents, case, punctuation and a leading
    article dropped, ``&`` read as ``and`` (``The Salt & Iron!`` -> ``salt and iron``)."""
    if not title:
        return ""
    text = title
    if not text.isascii():  # most titles are: skip the decomposition (a third of the cost)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in text if not unicodedata.combining(char))
    text = _NOT_WORD.sub(" ", text.casefold().replace("&", " and ")).strip()
    return _LEADING_ARTICLE.sub("", text)


def title_before_subtitle(title: str | None) -> str | None:
    """The normalized title before ``: Subtitle``, or None when there is no subtitle."""
    if not title or ":" not in title:
        return None
    head = normalize_title(title.split(":", 1)[0])
    return head or None


def site_of_key(key: str) -> str | None:
    """The site a film key names (its prefix: ``metacritic``, ``rottentomatoes``), or
    None for saved pages' keys."""
    prefix, separator, _ = key.partition(":")
    if not separator or prefix in SITELESS_PREFIXES:
        return None
    return prefix


def year_of(key: str, year: int | None) -> int | None:
    """The film's year; for a Rotten Tomatoes film whose pages stated none, the year its
    slug ends with (``rottentomatoes:moonlight_2016``), unless that is a year to come
    (``blade_runner_2049`` names its title, not its year)."""
    if year is not None:
        return year
    if site_of_key(key) == "rottentomatoes" and (match := _SLUG_YEAR.search(key)):
        slug_year = int(match.group(1))
        return slug_year if slug_year <= dt.date.today().year + 1 else None
    return None


@dataclass(frozen=True)
class FilmFacts:
    """What matching reads of one film."""

    id: int
    site: str
    media: str
    title: str
    #: The normalized title before a subtitle, when the title has one.
    base_title: str | None
    year: int | None
    imdb_id: str | None
    release_date: dt.date | None = None
    #: The director(s), each name normalized as titles are; empty when unstated.
    directors: frozenset[str] = frozenset()


def film_facts(
    film_id: int,
    key: str,
    title: str | None,
    year: int | None,
    media: str | None,
    imdb_id: str | None,
    release_date: dt.date | str | None = None,
    director: str | None = None,
) -> FilmFacts | None:
    """A stored film as matching reads it; None for films that are never linked."""
    site = site_of_key(key)
    normalized = normalize_title(title)
    if site is None or not (normalized or imdb_id):
        return None
    if isinstance(release_date, str):  # SQLite rows read without the column's type
        release_date = dt.date.fromisoformat(release_date[:10])
    directors = frozenset(
        name for name in (normalize_title(part) for part in (director or "").split(",")) if name
    )
    return FilmFacts(
        id=film_id,
        site=site,
        media=media or "movie",
        title=normalized,
        base_title=title_before_subtitle(title),
        year=year_of(key, year) or (release_date.year if release_date else None),
        imdb_id=(imdb_id or "").strip().lower() or None,
        release_date=release_date,
        directors=directors,
    )


#: Release dates further apart than this are two works, whatever their titles say
#: (a festival premiere and the release stay within it).
RELEASES_APART = dt.timedelta(days=400)


def _facts_disagree(a: FilmFacts, b: FilmFacts) -> bool:
    """Both sites state a director, or a release date, and they cannot be one work's."""
    if a.directors and b.directors and not a.directors & b.directors:
        return True
    return bool(
        a.release_date and b.release_date and abs(a.release_date - b.release_date) > RELEASES_APART
    )


@dataclass(frozen=True)
class Proposal:
    """A link the rules propose: ``film_a_id`` < ``film_b_id``."""

    film_a_id: int
    film_b_id: int
    state: str
    confidence: float
    reason: str


def match(a: FilmFacts, b: FilmFacts) -> tuple[str, str] | None:
    """(state, reason) when two films are the same work by the rules, else None.

    Never two films of one site or of two media; an IMDb id both state decides
    alone (equal: the same work; different: never); otherwise the titles must
    agree and both years be known: equal titles and years are automatic, a year
    off by one or a subtitle (``Title: Subtitle`` beside ``Title``, same year) is
    suggested. A title alone, with the years unknown or further apart, is nothing.
    Where both sites state a director (or a release date), two films with no director
    in common (or released more than ``RELEASES_APART`` apart) are never linked.
    """
    if a.id == b.id or a.site == b.site or a.media != b.media:
        return None
    if a.imdb_id and b.imdb_id:
        return (AUTOMATIC, "imdb id") if a.imdb_id == b.imdb_id else None
    if a.year is None or b.year is None or not a.title or not b.title:
        return None
    if _facts_disagree(a, b):
        return None
    if a.title == b.title:
        if a.year == b.year:
            return AUTOMATIC, "title and year"
        if abs(a.year - b.year) == 1:
            return SUGGESTED, "year off by one"
        return None
    if a.year == b.year and (a.base_title == b.title or b.base_title == a.title):
        return SUGGESTED, "subtitle"
    return None


def _group_keys(film: FilmFacts) -> Iterator[tuple[str, str, str]]:
    """The groups a film belongs to: every matching pair shares one. By media and
    title (a subtitle's film also under its title before the subtitle), and by media
    and IMDb id."""
    if film.title:
        yield ("title", film.media, film.title)
        if film.base_title and film.base_title != film.title:
            yield ("title", film.media, film.base_title)
    if film.imdb_id:
        yield ("imdb", film.media, film.imdb_id)


def propose_links(films: Iterable[FilmFacts], only: set[int] | None = None) -> list[Proposal]:
    """Every link the rules propose among ``films`` (only pairs with a film in ``only``,
    when given), each pair once, ordered by ids. Films are compared only within a
    group (``_group_keys``), never all with all."""
    films = list(films)
    wanted = None
    if only is not None:
        wanted = {key for film in films if film.id in only for key in _group_keys(film)}
    groups: dict[tuple[str, str, str], list[FilmFacts]] = defaultdict(list)
    for film in films:
        for key in _group_keys(film):
            if wanted is None or key in wanted:
                groups[key].append(film)
    found: dict[tuple[int, int], Proposal] = {}
    for group in groups.values():
        for index, a in enumerate(group):
            for b in group[index + 1 :]:
                low, high = (a, b) if a.id < b.id else (b, a)
                pair = (low.id, high.id)
                if pair in found or (only is not None and not ({low.id, high.id} & only)):
                    continue
                if result := match(low, high):
                    state, reason = result
                    found[pair] = Proposal(low.id, high.id, state, CONFIDENCE[reason], reason)
    return [found[pair] for pair in sorted(found)]


@dataclass(frozen=True)
class RecomputeResult:
    """What ``recompute_links`` did."""

    films: int
    added: int
    updated: int
    removed: int
    #: Links of these films a person decided (confirmed or rejected), kept as they were.
    kept: int


def _film_ids(engine: Engine, film_ids: Iterable[int] | Select | None) -> set[int] | None:
    if film_ids is None:
        return None
    if isinstance(film_ids, Select):
        with engine.connect() as connection:
            return set(connection.scalars(film_ids))
    return set(film_ids)


def _all_facts(connection: Connection) -> Iterator[FilmFacts]:
    query = select(
        _FILMS.c.id,
        _FILMS.c.key,
        _FILMS.c.title,
        _FILMS.c.year,
        _FILMS.c.media,
        _FILMS.c.imdb_id,
        _FILMS.c.release_date,
        _FILMS.c.director,
    )
    for row in connection.execute(query.execution_options(yield_per=10_000)):
        if facts := film_facts(*row):
            yield facts


def _stored_links(connection: Connection, ids: set[int] | None) -> dict[tuple[int, int], dict]:
    columns = (
        _TABLE.c.id,
        _TABLE.c.film_a_id,
        _TABLE.c.film_b_id,
        _TABLE.c.state,
        _TABLE.c.confidence,
        _TABLE.c.reason,
    )
    if ids is None:
        rows = connection.execute(select(*columns)).all()
    else:
        rows = []
        for chunk in chunked(sorted(ids)):
            rows += connection.execute(
                select(*columns).where(
                    or_(
                        any_of(connection, _TABLE.c.film_a_id, chunk),
                        any_of(connection, _TABLE.c.film_b_id, chunk),
                    )
                )
            ).all()
    return {(row.film_a_id, row.film_b_id): dict(row._mapping) for row in rows}


def recompute_links(
    engine: Engine, film_ids: Iterable[int] | Select | None = None
) -> RecomputeResult:
    """Recompute the links of these films against all films (None: of every film).

    ``film_ids`` may be ids or a query of them (``run_films.films_of(run_id)``).
    New matches are added, automatic and suggested links are brought up to date
    or removed when the films no longer match; confirmed and rejected links are
    kept exactly as a person left them. Runs in one write transaction.
    """
    ids = _film_ids(engine, film_ids)
    with engine.connect() as connection:
        facts = list(_all_facts(connection))
    proposals = propose_links(facts, only=ids)
    now = dt.datetime.now(dt.UTC)
    added = updated = removed = kept = 0
    with write_transaction(engine) as connection:
        stored = _stored_links(connection, ids)
        new_rows = []
        changes = []
        for proposal in proposals:
            pair = (proposal.film_a_id, proposal.film_b_id)
            existing = stored.pop(pair, None)
            if existing is None:
                new_rows.append({**proposal.__dict__, "updated_at": now})
            elif existing["state"] in DECIDED:
                kept += 1
            elif (existing["state"], existing["confidence"], existing["reason"]) != (
                proposal.state,
                proposal.confidence,
                proposal.reason,
            ):
                changes.append((existing["id"], proposal))
        stale = [link["id"] for link in stored.values() if link["state"] not in DECIDED]
        kept += sum(1 for link in stored.values() if link["state"] in DECIDED)
        for chunk in chunked(new_rows):
            connection.execute(insert_for(connection, _TABLE), list(chunk))
        for link_id, proposal in changes:
            connection.execute(
                update(_TABLE)
                .where(_TABLE.c.id == link_id)
                .values(
                    state=proposal.state,
                    confidence=proposal.confidence,
                    reason=proposal.reason,
                    updated_at=now,
                )
            )
        for chunk in chunked(stale):
            connection.execute(delete(_TABLE).where(any_of(connection, _TABLE.c.id, chunk)))
        added, updated, removed = len(new_rows), len(changes), len(stale)
    return RecomputeResult(
        films=len(ids) if ids is not None else len(facts),
        added=added,
        updated=updated,
        removed=removed,
        kept=kept,
    )


def recompute_run_links(engine: Engine, run_id: int) -> RecomputeResult:
    """``recompute_links`` for the films a crawl run touched (crawl_run_films)."""
    from reviewcrawler.store.run_films import films_of

    return recompute_links(engine, films_of(run_id))


def decide(engine: Engine, film_a_id: int, film_b_id: int, state: str) -> str:
    """Store a person's decision on two films (``confirmed`` or ``rejected``); returns
    the state the pair had before (``none`` when it had no link). LinkRefused for a
    pair the rules never link (one film, one site, a saved page)."""
    if state not in DECIDED:
        raise ValueError(f"not a decision: {state}")
    if film_a_id == film_b_id:
        raise LinkRefused("a film cannot be linked to itself")
    low, high = sorted((film_a_id, film_b_id))
    now = dt.datetime.now(dt.UTC)
    with write_transaction(engine) as connection:
        keys = dict(
            connection.execute(
                select(_FILMS.c.id, _FILMS.c.key).where(_FILMS.c.id.in_((low, high)))
            ).all()
        )
        sites = {film_id: site_of_key(key) for film_id, key in keys.items()}
        if any(site is None for site in sites.values()):
            raise LinkRefused("films of saved pages (film:, file: keys) name no site: not linked")
        if sites[low] == sites[high]:
            raise LinkRefused(f"both films are on {sites[low]}: two films of one site never link")
        existing = connection.execute(
            select(_TABLE.c.id, _TABLE.c.state, _TABLE.c.reason).where(
                _TABLE.c.film_a_id == low, _TABLE.c.film_b_id == high
            )
        ).first()
        confidence = 1.0 if state == CONFIRMED else 0.0
        if existing is None:
            connection.execute(
                insert_for(connection, _TABLE),
                [
                    {
                        "film_a_id": low,
                        "film_b_id": high,
                        "state": state,
                        "confidence": confidence,
                        "reason": "by hand",
                        "updated_at": now,
                    }
                ],
            )
            return "none"
        connection.execute(
            update(_TABLE)
            .where(_TABLE.c.id == existing.id)
            .values(state=state, confidence=confidence, updated_at=now)
        )
        return existing.state


def list_links(
    engine: Engine, states: Sequence[str] = (), film_ids: Sequence[int] | None = None
) -> list[dict]:
    """Stored links with both films, optionally of some states only or of some films
    only, ordered by the first film's title and the pair's keys."""
    film_a = _FILMS.alias("film_a")
    film_b = _FILMS.alias("film_b")
    query = (
        select(
            _TABLE.c.state,
            _TABLE.c.confidence,
            _TABLE.c.reason,
            _TABLE.c.updated_at,
            *(film_a.c[name].label(f"a_{name}") for name in ("id", "key", "title", "year")),
            *(film_b.c[name].label(f"b_{name}") for name in ("id", "key", "title", "year")),
        )
        .join(film_a, film_a.c.id == _TABLE.c.film_a_id)
        .join(film_b, film_b.c.id == _TABLE.c.film_b_id)
        .order_by(film_a.c.title, film_a.c.key, film_b.c.key)
    )
    if states:
        query = query.where(_TABLE.c.state.in_(list(states)))
    if film_ids is not None:
        ids = list(film_ids)
        query = query.where(or_(_TABLE.c.film_a_id.in_(ids), _TABLE.c.film_b_id.in_(ids)))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        {
            "state": row.state,
            "confidence": row.confidence,
            "reason": row.reason,
            "updated_at": row.updated_at,
            "film_a": _film_dict(row, "a"),
            "film_b": _film_dict(row, "b"),
        }
        for row in rows
    ]


def describe(film: dict) -> str:
    """A film of ``list_links`` as ``Title (Year) [key]``, the way candidates are listed."""
    name = film["title"] or film["key"]
    return f"{name} ({film['year']}) [{film['key']}]" if film["year"] else f"{name} [{film['key']}]"


def _film_dict(row: object, side: str) -> dict:
    key = getattr(row, f"{side}_key")
    return {
        "id": getattr(row, f"{side}_id"),
        "key": key,
        "site": site_of_key(key),
        "title": getattr(row, f"{side}_title"),
        "year": getattr(row, f"{side}_year"),
    }


def joining_pairs(engine: Engine) -> list[tuple[int, int]]:
    """Every pair of films a link makes one work (automatic or confirmed)."""
    with engine.connect() as connection:
        return [
            (a, b)
            for a, b in connection.execute(
                select(_TABLE.c.film_a_id, _TABLE.c.film_b_id).where(_TABLE.c.state.in_(JOINING))
            )
        ]


def works(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """film id -> its work's id (the smallest film id of the films the pairs join),
    for every film in a pair; a film in no pair is its own work."""
    parent: dict[int, int] = {}

    def root(film: int) -> int:
        parent.setdefault(film, film)
        while parent[film] != film:
            parent[film] = parent[parent[film]]
            film = parent[film]
        return film

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {film: root(film) for film in list(parent)}


def work_members(engine: Engine, film_ids: Iterable[int]) -> dict[int, list[int]]:
    """For each of these films, the films of its work (itself included), ordered by id."""
    of_work = works(joining_pairs(engine))
    members: dict[int, list[int]] = defaultdict(list)
    for film, work in of_work.items():
        members[work].append(film)
    return {
        film: sorted(members[of_work[film]]) if film in of_work else [film] for film in film_ids
    }


#: Per site: the name of the score it states, and the computed figure that stands
#: beside it (Rotten Tomatoes: the share of fresh reviews, the computed Tomatometer).
SITE_SCORES = {
    "metacritic": ("Metascore", "mean score", "mean_score"),
    "rottentomatoes": ("Tomatometer", "positive share", "positive_share"),
}
_OTHER_SITE_SCORES = ("stated score", "mean score", "mean_score")
_SIDE_FIGURES = (
    "stated_label",
    "computed_label",
    "stated_critic_count",
    "stated_listed_count",
    "review_count",
    "scored_count",
    "mean_score",
    "positive_share",
    "stated_positive",
    "stated_mixed",
    "stated_negative",
    "positive_count",
    "mixed_count",
    "negative_count",
    "consistent",
)


def site_column(row: SummaryRow) -> dict:
    """One film of a work as the side-by-side view shows it: its site's stated score
    beside the computed figure that matches it, then every figure."""
    key = row.key
    site = site_of_key(key)
    stated_name, computed_name, computed_field = SITE_SCORES.get(site or "", _OTHER_SITE_SCORES)
    return {
        "site": site,
        "key": key,
        "title": row.title,
        "year": row.year,
        "stated_score_name": stated_name,
        "stated_score": row.stated_metascore,
        "computed_score_name": computed_name,
        "computed_score": getattr(row, computed_field),
        **{name: getattr(row, name) for name in _SIDE_FIGURES},
    }


def work_views(engine: Engine, film_ids: Sequence[int]) -> dict[int, dict | None]:
    """For each film: its work's sites side by side, the links joining them and the
    suggested links still to decide; None for a film no link (but a rejected one) names.
    """
    from reviewcrawler.store.summaries import load_summaries

    members = work_members(engine, film_ids)
    everyone = sorted({film for group in members.values() for film in group})
    links = list_links(engine, film_ids=everyone)
    rows = {row.key: row for row in load_summaries(engine, film_ids=everyone)}
    with engine.connect() as connection:
        keys = dict(
            row
            for chunk in chunked(everyone)
            for row in connection.execute(
                select(_FILMS.c.id, _FILMS.c.key).where(_FILMS.c.id.in_(list(chunk)))
            )
        )
    views: dict[int, dict | None] = {}
    for film_id in film_ids:
        group = set(members[film_id])
        joining = [
            link for link in links if link["state"] in JOINING and link["film_a"]["id"] in group
        ]
        suggested = [
            {
                **(link["film_b"] if link["film_a"]["id"] in group else link["film_a"]),
                "confidence": link["confidence"],
                "reason": link["reason"],
            }
            for link in links
            if link["state"] == SUGGESTED and ({link["film_a"]["id"], link["film_b"]["id"]} & group)
        ]
        if len(group) < 2 and not suggested:
            views[film_id] = None
            continue
        columns = [
            site_column(rows[keys[member]])
            for member in sorted(group, key=lambda m: (site_of_key(keys[m]) or "", keys[m]))
            if keys.get(member) in rows
        ]
        views[film_id] = {"sites": columns, "links": joining, "suggested": suggested}
    return views
