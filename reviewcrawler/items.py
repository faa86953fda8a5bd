"""The typed items a crawl produces.

Formats fill these with text as the page states it; the normalize pipeline turns
that text into typed values in place (see ``reviewcrawler/normalize``). Both are
plain dataclasses so that itemadapter, feed exports and tests handle them alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

#: The ways a page carries its data, in order of precedence when two disagree
#: (pipelines/dedupe.py): the site's API, the page data (``__NUXT_DATA__``,
#: ``window.__NUXT__``), schema.org JSON-LD, the rendered HTML (or plain text).
PATHS: tuple[str, ...] = ("api", "page_data", "json_ld", "html")

#: Where a film's facts (title, year, URL, platform, IMDb id) can come from, strongest
#: first: the data paths, then a page's ``<title>`` element, the weakest of all (it
#: wraps the name in ``Reviews``, a year and the site's name). One precedence for every
#: fact and every write (store/writer.py): a stored fact is replaced only by one from
#: a source at least as strong, and any source fills a fact nothing stated yet.
FACT_PATHS: tuple[str, ...] = (*PATHS, "title_tag")


def facts_rank(path: str | None) -> int:
    """How strong a source of film facts is: higher wins; 0 for an unknown one."""
    try:
        return len(FACT_PATHS) - FACT_PATHS.index(path or "")
    except ValueError:
        return 0


@dataclass
class ReviewItem:
    """One critic review of one film."""

    film_key: str
    source_url: str
    critic: str | None = None
    #: The site's slug for the critic (``/critic/<slug>/``, RT's ``vanity``), when given.
    critic_slug: str | None = None
    publication: str | None = None
    #: TV shows: the season reviewed (``Season 6``); part of the review's identity.
    season: str | None = None
    #: The score as the page writes it (``80``, ``3/4``, ``B+``); kept verbatim.
    original_score: str | None = None
    #: 0-100, set by the normalize pipeline from ``original_score``.
    score: int | None = None
    #: positive / mixed / negative: from the score by Metacritic's bands, or as
    #: the page states it (fresh/rotten) when there is no score.
    sentiment: str | None = None
    #: As written by the page before normalization, ISO 8601 (YYYY-MM-DD) after.
    published_on: str | None = None
    quote: str | None = None
    review_url: str | None = None
    #: Which of the page's ways of carrying data this came from (``PATHS``).
    path: str = "html"
    #: Identity of the review within the store; set by normalization.
    fingerprint: str | None = None


@dataclass
class FilmSummaryItem:
    """What one page states about a film: its identity and its critic summary.

    Several pages may state the same film (a title page and its critic-reviews
    pages); the store merges them, a later non-empty value winning.
    """

    film_key: str
    source_url: str
    title: str | None = None
    year: int | None = None
    url: str | None = None
    #: ``movie``, ``tv`` or ``game``; None: as the film key says (identity.media_of_key).
    media: str | None = None
    #: Games: the platform as the page names it (``PlayStation 5``).
    platform: str | None = None
    #: An IMDb title id the page states (``tt2543164``).
    imdb_id: str | None = None
    stated_label: str | None = None
    #: The critics the stated score is based on (positive + mixed + negative).
    stated_critic_count: int | None = None
    #: Reviews the page lists (``Showing 93 Critic Reviews``, ``totalResults``).
    stated_listed_count: int | None = None
    stated_metascore: int | None = None
    stated_positive: int | None = None
    stated_mixed: int | None = None
    stated_negative: int | None = None
    # The title's facts, as the page states them (FILM_FACT_FIELDS; the store keeps them
    # on the film, under the same precedence as the title: store/writer.py).
    #: The release (a film's, a show's premiere, a game platform's), ISO after normalizing.
    release_date: str | None = None
    #: Genres as the page lists them, joined by ``, `` (``Action, Adventure``).
    genres: str | None = None
    #: The age rating (``M``, ``PG-13``, ``TV-MA``).
    age_rating: str | None = None
    #: Games: developers and publishers, each list joined by ``, ``.
    developers: str | None = None
    publishers: str | None = None
    #: Films: the director(s), joined by ``, ``.
    director: str | None = None
    #: Shows: the network and the number of seasons.
    network: str | None = None
    seasons: int | None = None
    #: Runtime in minutes.
    runtime: int | None = None
    # The audience's summary (AUDIENCE_FIELDS): kept apart from the critics' in the store
    # (``audience_summaries``), never counted with them.
    #: The audience score on the site's own scale (Metacritic's user score 0-10, Rotten
    #: Tomatoes' audience score a percentage).
    audience_score: float | None = None
    #: The top of that scale: 10 or 100.
    audience_scale: int | None = None
    #: The ratings the audience score is based on.
    audience_count: int | None = None
    audience_positive: int | None = None
    audience_mixed: int | None = None
    audience_negative: int | None = None
    #: Which of the page's ways of carrying data this came from (``PATHS``).
    path: str = "html"
    #: Where the title and year came from when that is not ``path`` (``FACT_PATHS``):
    #: ``title_tag`` for a page's ``<title>``, ``json_ld`` for an HTML page's JSON-LD.
    facts_path: str | None = None

    @property
    def facts_rank(self) -> int:
        return facts_rank(self.facts_path or self.path)


#: What a page states about a film's critics: the FilmSummaryItem fields the store keeps
#: beside its computed figures, and which two paths of one page are compared on.
STATED_FIELDS: tuple[str, ...] = (
    "stated_label",
    "stated_critic_count",
    "stated_listed_count",
    "stated_metascore",
    "stated_positive",
    "stated_mixed",
    "stated_negative",
)


#: A title's facts beyond its name and year, stored on the film (``films``).
FILM_FACT_FIELDS: tuple[str, ...] = (
    "release_date",
    "genres",
    "age_rating",
    "developers",
    "publishers",
    "director",
    "network",
    "seasons",
    "runtime",
)

#: The audience's figures a page states: stored apart (``audience_summaries``).
AUDIENCE_FIELDS: tuple[str, ...] = (
    "audience_score",
    "audience_scale",
    "audience_count",
    "audience_positive",
    "audience_mixed",
    "audience_negative",
)


@dataclass
class AudienceReviewItem:
    """One audience (user) review: never a critic review, never in ``reviews``.

    Read only when ``AUDIENCE_REVIEWS`` is on; stored in ``audience_reviews``."""

    film_key: str
    source_url: str
    #: The site's id of the review (Metacritic's UUID); the review's identity.
    review_id: str | None = None
    #: 0-10 as the site states it.
    score: float | None = None
    author: str | None = None
    #: As written, ISO 8601 (YYYY-MM-DD) after normalization.
    published_on: str | None = None
    quote: str | None = None
    spoiler: bool | None = None
    path: str = "api"


@dataclass
class ListedTitle:
    """A title as a site's listing states it (the catalogue's input, catalogue/).

    A listing's figures never become a film's stated summary: they only decide whether
    the title is due for a fetch (catalogue/due.py)."""

    site: str
    #: ``movie``, ``tv`` or ``game``.
    media: str
    slug: str
    source_url: str
    title: str | None = None
    release_date: str | None = None
    genres: str | None = None
    age_rating: str | None = None
    #: The critics' summary as listed: score, listed count (the listing's
    #: ``reviewCount`` counts every listed review), and the buckets.
    score: int | None = None
    listed_count: int | None = None
    positive: int | None = None
    mixed: int | None = None
    negative: int | None = None
    sentiment: str | None = None
    #: The audience score (0-10) as listed, for the lead platform of a game.
    user_score: float | None = None
    #: Shows: the network and the number of seasons.
    network: str | None = None
    seasons: int | None = None
    #: A sitemap's ``<lastmod>``, when that is where the title was found.
    lastmod: str | None = None
    #: Found in a listing, whose figures it carries; False for a sitemap's URL, which
    #: states no figures (and so must not erase a listing's).
    listed: bool = True


@dataclass(frozen=True)
class FollowUp:
    """A page a format wants crawled next (pagination, the full critic-reviews page).

    Formats return these rather than ``scrapy.Request`` objects so that they stay
    pure; the spider decides whether and how to schedule them.
    """

    url: str
    film_key: str
    #: The API this request goes to (``"metacritic"``, ``"rottentomatoes"``: a key of
    #: ``reviewcrawler.formats.APIS``), or None for a page on the linking page's own
    #: site. API requests are rebased onto the configured API base URL and are the
    #: only follow-ups allowed to leave the linking page's host.
    api: str | None = None


@dataclass
class PageItems:
    """Everything one page yielded, carried through the item pipelines as one item.

    Scrapy spends a fixed cost on every item it passes through spider
    middlewares, pipelines and signals; a critic-reviews page yields dozens of
    reviews, so the spider sends each page whole and pipelines work on lists.
    Feed exports still write one record per review and summary (exporters.py).
    """

    url: str
    #: The format that parsed the page (formats/<name>.py), for per-format stats.
    format_name: str
    summaries: list[FilmSummaryItem]
    reviews: list[ReviewItem]
    #: Audience reviews (only with ``AUDIENCE_REVIEWS``): apart from the critics' reviews.
    audience_reviews: list[AudienceReviewItem] = field(default_factory=list)

    def __iter__(self) -> Iterator[FilmSummaryItem | ReviewItem]:
        yield from self.summaries
        yield from self.reviews
