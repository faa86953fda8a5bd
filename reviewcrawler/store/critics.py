"""Critics across films and sites: who they are, how many works they reviewed, how lenient.

Identity. Within a site a critic is the site's critic slug (``reviews.critic_slug``)
where the page gives one, else the normalized name (case, accents, punctuation and
spacing dropped); a review without a slug joins the one slug critic of its site with
the same normalized name, when there is exactly one. Across sites, critics are the
same person when their normalized names are equal, unless one site has several
critics of that name (two slugs): then no one of that name is joined across sites,
rather than guessing which.

Figures count the reviews the source still lists (``gone_run`` NULL), like the
summaries. ``films`` counts works: films a link joins (store/links.py, automatic
or confirmed) count once. ``leniency`` is the mean, over the critic's scored
reviews, of the review's score minus its film's mean score computed without that
review; a film with no other scored review is left out.

Blocking, read-only.
"""

from __future__ import annotations

import functools
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select

from reviewcrawler.identity import slugify
from reviewcrawler.store.links import joining_pairs, site_of_key, works
from reviewcrawler.store.models import Film, Review
from reviewcrawler.store.queries import LookupFailed

_REVIEWS = Review.__table__
_FILMS = Film.__table__

#: What ``critics --sort`` orders by: name ascending, the figures descending.
SORTS = ("reviews", "films", "mean", "leniency", "name")


_NOT_WORD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=65536)
def normalize_name(name: str | None) -> str:
    """A critic's name as identity compares it (``Zoë  O'Marsh`` -> ``zoe o marsh``).

    Cached: a store names each critic in many reviews."""
    if not name:
        return ""
    text = name
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in text if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", text.casefold()).strip()


@dataclass(frozen=True)
class CriticReview:
    """One stored review as the critic figures read it."""

    review_id: int
    film_id: int
    film_key: str
    film_title: str | None
    film_year: int | None
    critic: str
    critic_slug: str | None
    publication: str | None
    score: int | None
    original_score: str | None
    sentiment: str | None
    published_on: Any
    quote: str | None

    # Computed once per review (a frozen dataclass keeps cached_property's value in
    # its __dict__): grouping and figures ask for them several times each.
    @functools.cached_property
    def site(self) -> str | None:
        return _site(self.film_key)

    @functools.cached_property
    def identity(self) -> str:
        """``<site>:<slug>``, or ``<site>:name:<normalized name>`` without a slug."""
        return _identity(self.site or "saved", self.critic_slug, self.critic)


@functools.lru_cache(maxsize=65536)
def _site(film_key: str) -> str | None:
    return site_of_key(film_key)


@dataclass
class Critic:
    """A critic with its reviews and figures."""

    #: What ``reviewcrawler critic`` accepts to name this critic unambiguously.
    id: str
    name: str
    publications: list[str]
    sites: list[str]
    #: The site identities joined: ``<site>:<slug>`` or ``<site>:name:<normalized>``.
    identities: list[str]
    reviews: int
    films: int
    scored: int
    mean_score: float | None
    leniency: float | None
    #: Reviews the leniency is computed over (scored, with another scored review of the film).
    leniency_reviews: int
    #: The critic's reviews and the film scores they are compared with (``review_rows``).
    reviews_read: list[CriticReview] = field(default_factory=list, repr=False)
    film_scores: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)

    def figures(self) -> dict[str, Any]:
        """The critic without its reviews, as ``critics --json`` prints it."""
        hidden = ("reviews_read", "film_scores")
        return {name: value for name, value in self.__dict__.items() if name not in hidden}

    @property
    def review_rows(self) -> list[dict[str, Any]]:
        """Each review with its film's mean score without it and the difference."""
        return [_review_row(review, self.film_scores) for review in self.reviews_read]


def _site_identity(review: CriticReview) -> str:
    return review.identity


@functools.lru_cache(maxsize=65536)
def _identity(site: str, slug: str | None, critic: str) -> str:
    if slug:
        return f"{site}:{slug.strip().lower()}"
    return f"{site}:name:{normalize_name(critic)}"


def group_critics(reviews: Iterable[CriticReview]) -> list[list[CriticReview]]:
    """Reviews grouped by critic, by the identity rules of the module docstring."""
    by_identity: dict[str, list[CriticReview]] = defaultdict(list)
    for review in reviews:
        by_identity[_site_identity(review)].append(review)
    # Slugless reviews join their site's one slug critic of the same name.
    slugged: dict[tuple[str, str], list[str]] = defaultdict(list)
    for identity, rows in by_identity.items():
        if ":name:" not in identity:
            for name in {normalize_name(row.critic) for row in rows}:
                slugged[(identity.split(":", 1)[0], name)].append(identity)
    for identity in [i for i in by_identity if ":name:" in i]:
        site, name = identity.split(":name:", 1)
        targets = slugged.get((site, name), [])
        if len(targets) == 1:
            by_identity[targets[0]] += by_identity.pop(identity)
    # Across sites, by the normalized name, unless one site has several of that name.
    by_name: dict[str, list[str]] = defaultdict(list)
    for identity, rows in by_identity.items():
        by_name[normalize_name(_display_name(rows))].append(identity)
    groups: list[list[CriticReview]] = []
    for identities in by_name.values():
        sites = [identity.split(":", 1)[0] for identity in identities]
        if len(sites) == len(set(sites)):
            groups.append([row for identity in identities for row in by_identity[identity]])
        else:
            groups += [by_identity[identity] for identity in identities]
    return groups


def _display_name(rows: Iterable[CriticReview]) -> str:
    """The name the critic's reviews give most often (ties: the first alphabetically)."""
    counts = Counter(row.critic for row in rows)
    return min(counts, key=lambda name: (-counts[name], name))


def leniency_terms(
    reviews: Iterable[CriticReview], film_scores: dict[int, tuple[int, int]]
) -> list[float]:
    """Each scored review's score minus its film's mean without it; ``film_scores`` is
    film id -> (sum, count) of the film's scored reviews, this one included."""
    terms = []
    for review in reviews:
        if review.score is None:
            continue
        total, count = film_scores.get(review.film_id, (0, 0))
        if count < 2:
            continue
        terms.append(review.score - (total - review.score) / (count - 1))
    return terms


def critic_figures(
    rows: list[CriticReview],
    film_scores: dict[int, tuple[int, int]],
    work_of: dict[int, int],
) -> Critic:
    """One critic's figures from its reviews (see the module docstring)."""
    scores = [row.score for row in rows if row.score is not None]
    terms = leniency_terms(rows, film_scores)
    identities = sorted({_site_identity(row) for row in rows})
    name = _display_name(rows)
    return Critic(
        id=slugify(name) or identities[0],
        name=name,
        publications=sorted({row.publication for row in rows if row.publication}),
        sites=sorted({row.site for row in rows if row.site}),
        identities=identities,
        reviews=len(rows),
        films=len({work_of.get(row.film_id, row.film_id) for row in rows}),
        scored=len(scores),
        mean_score=round(statistics.fmean(scores), 2) if scores else None,
        leniency=round(statistics.fmean(terms), 2) if terms else None,
        leniency_reviews=len(terms),
        reviews_read=rows,
        film_scores=film_scores,
    )


def _review_row(review: CriticReview, film_scores: dict[int, tuple[int, int]]) -> dict[str, Any]:
    total, count = film_scores.get(review.film_id, (0, 0))
    others = None
    if review.score is not None and count >= 2:
        others = round((total - review.score) / (count - 1), 2)
    return {
        "film": review.film_key,
        "title": review.film_title,
        "year": review.film_year,
        "site": review.site,
        "critic": review.critic,
        "critic_slug": review.critic_slug,
        "publication": review.publication,
        "score": review.score,
        "original_score": review.original_score,
        "sentiment": review.sentiment,
        "published_on": review.published_on,
        "quote": review.quote,
        "film_mean_without": others,
        "difference": None if others is None else round(review.score - others, 2),
    }


def _load_reviews(engine: Engine, detail: bool = False) -> list[CriticReview]:
    """The listed reviews that name a critic, in film key order. Without ``detail``
    only what the figures need is read (no quotes, dates, original scores): a store
    of a million reviews is read in seconds."""
    review_columns = [
        _REVIEWS.c.id,
        _REVIEWS.c.film_id,
        _REVIEWS.c.critic,
        _REVIEWS.c.critic_slug,
        _REVIEWS.c.publication,
        _REVIEWS.c.score,
    ]
    if detail:
        review_columns += [
            _REVIEWS.c.original_score,
            _REVIEWS.c.sentiment,
            _REVIEWS.c.published_on,
            _REVIEWS.c.quote,
        ]
    query = select(*review_columns).where(
        _REVIEWS.c.gone_run.is_(None), _REVIEWS.c.critic.is_not(None)
    )
    with engine.connect() as connection:
        films = {
            film_id: (key, title, year)
            for film_id, key, title, year in connection.execute(
                select(_FILMS.c.id, _FILMS.c.key, _FILMS.c.title, _FILMS.c.year)
            )
        }
        rows = connection.execute(query).all()
    reviews = []
    for row in rows:
        key, title, year = films[row[1]]
        extra = tuple(row[6:]) if detail else (None, None, None, None)
        reviews.append(CriticReview(row[0], row[1], key, title, year, *row[2:6], *extra))
    reviews.sort(key=lambda review: (review.film_key, review.review_id))
    return reviews


def _film_scores(engine: Engine) -> dict[int, tuple[int, int]]:
    """film id -> (sum, count) of its listed scored reviews, critic named or not."""
    query = (
        select(_REVIEWS.c.film_id, func.sum(_REVIEWS.c.score), func.count(_REVIEWS.c.score))
        .where(_REVIEWS.c.gone_run.is_(None), _REVIEWS.c.score.is_not(None))
        .group_by(_REVIEWS.c.film_id)
    )
    with engine.connect() as connection:
        return {film: (int(total), int(count)) for film, total, count in connection.execute(query)}


def all_critics(engine: Engine, detail: bool = False) -> list[Critic]:
    """Every critic with its figures and reviews, ordered by name (``detail``: with
    each review's quote, date, original score and sentiment too)."""
    film_scores = _film_scores(engine)
    work_of = works(joining_pairs(engine))
    critics = [
        critic_figures(rows, film_scores, work_of)
        for rows in group_critics(_load_reviews(engine, detail))
    ]
    _unique_ids(critics)
    return sorted(critics, key=lambda critic: (critic.name.casefold(), critic.id))


def _unique_ids(critics: list[Critic]) -> None:
    """Critics who share a name are named by their first site identity instead."""
    counts = Counter(critic.id for critic in critics)
    for critic in critics:
        if counts[critic.id] > 1:
            critic.id = critic.identities[0]


def sort_critics(critics: list[Critic], by: str) -> list[Critic]:
    """Name ascending; reviews, films, mean and leniency descending (none last), then name."""
    if by == "name":
        return sorted(critics, key=lambda critic: (critic.name.casefold(), critic.id))
    attribute = {"mean": "mean_score"}.get(by, by)

    def key(critic: Critic) -> tuple[bool, float, str]:
        value = getattr(critic, attribute)
        return (value is None, -(value or 0), critic.name.casefold())

    return sorted(critics, key=key)


def find_critic(critics: list[Critic], name: str) -> Critic:
    """The critic ``name`` names: its id, a site identity or slug, or a name it goes by.
    LookupFailed when none or several match."""
    wanted = normalize_name(name)
    lowered = name.strip().lower()
    exact = [c for c in critics if lowered in (c.id, *c.identities)]
    if len(exact) == 1:
        return exact[0]
    found = exact or [
        critic
        for critic in critics
        if wanted
        and (
            wanted in {normalize_name(row.critic) for row in critic.reviews_read}
            or any(identity.split(":", 1)[1] == lowered for identity in critic.identities)
        )
    ]
    if not found:
        raise LookupFailed(f"no critic named {name!r}")
    if len(found) > 1:
        candidates = ", ".join(
            f"{c.name} ({', '.join(c.publications) or 'no publication'}) [{c.id}]" for c in found
        )
        raise LookupFailed(f"several critics match {name!r}: {candidates}; give one's id")
    return found[0]
