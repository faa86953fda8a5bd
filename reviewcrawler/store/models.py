"""Tables users query directly; the README documents each column.

Every change here ships an Alembic migration (store/migrations/versions); a test
checks that upgrading an empty database to head yields exactly these tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from reviewcrawler.limits import FIELD_LENGTHS

#: Deterministic constraint names, so that migrations can name what they alter.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Film(Base):
    __tablename__ = "films"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ``<site>:<slug>``, ``film:<slug>`` or ``file:<name>``: see reviewcrawler/identity.py.
    key: Mapped[str] = mapped_column(String(FIELD_LENGTHS["film_key"]), unique=True)
    title: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["title"]))
    year: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str | None] = mapped_column(Text)
    #: ``movie``, ``tv`` or ``game`` (identity.py ``media_of_key``).
    media: Mapped[str] = mapped_column(String(8), default="movie", server_default="movie")
    #: Games: the platform as the page names it (``PlayStation 5``); NULL otherwise.
    platform: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["platform"]))
    #: An IMDb title id the page states (``tt2543164``), for links across sites.
    imdb_id: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["imdb_id"]))
    #: How strong the source of the stored facts was (items.py ``facts_rank``: 5 the API
    #: ... 1 a ``<title>`` element); a weaker source never replaces them. NULL: unknown
    #: (rows stored before migration 0005), replaced by any source.
    facts_rank: Mapped[int | None] = mapped_column(SmallInteger)
    # The title's facts (items.py FILM_FACT_FIELDS), under the same precedence.
    release_date: Mapped[dt.date | None] = mapped_column(Date)
    genres: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["genres"]))
    age_rating: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["age_rating"]))
    developers: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["developers"]))
    publishers: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["publishers"]))
    director: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["director"]))
    network: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["network"]))
    seasons: Mapped[int | None] = mapped_column(Integer)
    runtime: Mapped[int | None] = mapped_column(Integer)


class CrawlRun(Base):
    """One row per crawl: opened when the crawl starts, finished when it closes."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spider: Mapped[str] = mapped_column(String(100))
    #: Spider arguments and command-line settings, passwords masked.
    arguments: Mapped[dict[str, Any]] = mapped_column(JSON)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: NULL while the crawl runs (or when it died without closing).
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finish_reason: Mapped[str | None] = mapped_column(String(100))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    films: Mapped[int] = mapped_column(Integer, default=0)
    reviews_new: Mapped[int] = mapped_column(Integer, default=0)
    reviews_changed: Mapped[int] = mapped_column(Integer, default=0)
    reviews_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    reviews_gone: Mapped[int] = mapped_column(Integer, default=0)
    items_dropped: Mapped[int] = mapped_column(Integer, default=0)
    #: ``{reason: count}``
    dropped_reasons: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    #: ERROR log lines during the crawl.
    errors: Mapped[int] = mapped_column(Integer, default=0)
    #: ``{kind: count}``: failed pages, parse errors, unrecognised pages, spider exceptions.
    error_details: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    #: Why the crawl counts as failed (bad arguments, ...), NULL when it did not.
    failure: Mapped[str | None] = mapped_column(Text)


class CrawlRunFilm(Base):
    """A film a run wrote anything about, recorded with the batch that wrote it.

    What the run's close works from (reviews gone, summaries recomputed and
    snapshotted), kept here rather than in the crawl's memory, so that a crawl
    of any number of films closes in flat memory.
    """

    __tablename__ = "crawl_run_films"

    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id"), primary_key=True, index=True)
    #: The run saw at least one review of the film (not only what its page states).
    reviewed: Mapped[bool] = mapped_column(Boolean)
    #: Reviews of the film the run stored for the first time, and those it changed.
    reviews_new: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reviews_changed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    critic: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["critic"]))
    #: The site's own slug for the critic (``/critic/<slug>/``, RT's vanity), when given.
    critic_slug: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["critic_slug"]))
    publication: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["publication"]))
    #: TV shows: the season reviewed (``Season 6``), part of the review's identity.
    season: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["season"]))
    score: Mapped[int | None] = mapped_column(Integer)
    original_score: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["original_score"]))
    sentiment: Mapped[str | None] = mapped_column(String(16))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Text without a database limit; normalization cuts it at FIELD_LENGTHS["quote"].
    quote: Mapped[str | None] = mapped_column(Text)
    review_url: Mapped[str | None] = mapped_column(Text)
    # The three run columns hold crawl_runs ids without a foreign key: PostgreSQL
    # checks a foreign key row by row, which cost the writer a third of its speed.
    #: NULL only for reviews stored before crawl history existed.
    first_seen_run: Mapped[int | None] = mapped_column(Integer)
    last_seen_run: Mapped[int | None] = mapped_column(Integer)
    #: The run that found the review missing from its film's completely crawled pages;
    #: NULL while the source lists it. Gone reviews are kept, never deleted.
    gone_run: Mapped[int | None] = mapped_column(Integer)


class ReviewChange(Base):
    """One field of one review that a crawl found changed at the source."""

    __tablename__ = "review_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    #: A column of ``reviews`` (``quote``, ``score``, ...), or ``gone_run`` when a
    #: review listed as gone came back.
    field: Mapped[str] = mapped_column(String(64))
    #: Values as text (dates ISO 8601), NULL for NULL.
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class FilmLink(Base):
    """Two films of different sites that are the same work (store/links.py).

    ``film_a_id`` is the smaller id. ``state``: ``automatic`` (exact title and year,
    or a shared id), ``suggested`` (close: a year off by one, a subtitle),
    ``confirmed`` or ``rejected`` (a person's decision, kept when links are
    recomputed).
    """

    __tablename__ = "film_links"
    __table_args__ = (UniqueConstraint("film_a_id", "film_b_id", name="uq_film_links_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    film_a_id: Mapped[int] = mapped_column(ForeignKey("films.id"), index=True)
    film_b_id: Mapped[int] = mapped_column(ForeignKey("films.id"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    #: 0-1: how sure the match is (1 for a shared id or exact title and year).
    confidence: Mapped[float] = mapped_column(Float)
    #: What matched, in words (``title and year``, ``imdb id``, ``year off by one``).
    reason: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class _SummaryColumns:
    """The figures shared by the current summary and its per-run snapshots."""

    review_count: Mapped[int] = mapped_column(Integer, default=0)
    scored_count: Mapped[int] = mapped_column(Integer, default=0)
    mean_score: Mapped[float | None] = mapped_column(Float)
    median_score: Mapped[float | None] = mapped_column(Float)
    min_score: Mapped[int | None] = mapped_column(Integer)
    max_score: Mapped[int | None] = mapped_column(Integer)
    positive_count: Mapped[int] = mapped_column(Integer, default=0)
    mixed_count: Mapped[int] = mapped_column(Integer, default=0)
    negative_count: Mapped[int] = mapped_column(Integer, default=0)
    #: Share of positive (for Rotten Tomatoes: fresh) among stored reviews with a
    #: sentiment, in percent: the computed Tomatometer.
    positive_share: Mapped[float | None] = mapped_column(Float)
    computed_label: Mapped[str | None] = mapped_column(String(64))
    stated_label: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["stated_label"]))
    #: The critics the stated score is based on (positive + mixed + negative).
    stated_critic_count: Mapped[int | None] = mapped_column(Integer)
    #: Reviews the page lists (``Showing 93 Critic Reviews``), scored or not.
    stated_listed_count: Mapped[int | None] = mapped_column(Integer)
    stated_metascore: Mapped[int | None] = mapped_column(Integer)
    stated_positive: Mapped[int | None] = mapped_column(Integer)
    stated_mixed: Mapped[int | None] = mapped_column(Integer)
    stated_negative: Mapped[int | None] = mapped_column(Integer)
    #: Stored reviews agree with the listed count (else the stated critic count); None
    #: when the pages state neither.
    consistent: Mapped[bool | None] = mapped_column(Boolean)


class FilmSummary(_SummaryColumns, Base):
    """One row per film: figures computed from stored reviews beside those the page states."""

    __tablename__ = "film_summaries"

    film_id: Mapped[int] = mapped_column(ForeignKey("films.id"), primary_key=True)


class SummarySnapshot(_SummaryColumns, Base):
    """A film's summary as it stood when a run that touched the film closed."""

    __tablename__ = "summary_snapshots"

    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id"), primary_key=True, index=True)


#: Names of the summary figures, in column order.
SUMMARY_FIELDS: tuple[str, ...] = tuple(
    column.name for column in FilmSummary.__table__.columns if column.name != "film_id"
)


class AudienceSummary(Base):
    """The audience's summary of a film (per platform for a game), apart from the critics'.

    One row per film; the strongest path that stated it wins (``rank``, as
    ``films.facts_rank``): a listing's or an HTML page's figure never replaces the API's.
    """

    __tablename__ = "audience_summaries"

    film_id: Mapped[int] = mapped_column(ForeignKey("films.id"), primary_key=True)
    #: On the site's own scale (``scale``): Metacritic 0-10, Rotten Tomatoes 0-100.
    score: Mapped[float | None] = mapped_column(Float)
    scale: Mapped[int | None] = mapped_column(Integer)
    #: The score on 0-100, for comparing with the critics'.
    score_100: Mapped[float | None] = mapped_column(Float)
    #: The ratings the score is based on.
    count: Mapped[int | None] = mapped_column(Integer)
    positive: Mapped[int | None] = mapped_column(Integer)
    mixed: Mapped[int | None] = mapped_column(Integer)
    negative: Mapped[int | None] = mapped_column(Integer)
    #: The way of the page it came from (items.py ``PATHS``).
    path: Mapped[str | None] = mapped_column(String(16))
    rank: Mapped[int | None] = mapped_column(SmallInteger)


#: An audience summary's figures and their path: every column but the key and the rank.
AUDIENCE_COLUMNS: tuple[str, ...] = tuple(
    column.name
    for column in AudienceSummary.__table__.columns
    if column.name not in ("film_id", "rank")
)


class AudienceReview(Base):
    """One audience review (``AUDIENCE_REVIEWS``): never in ``reviews``, never counted
    in a critic summary, a critic's figures or a link."""

    __tablename__ = "audience_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id"), index=True)
    #: The site's id (Metacritic's UUID), else a hash of film, author, date and quote.
    review_id: Mapped[str] = mapped_column(String(FIELD_LENGTHS["audience_review_id"]), unique=True)
    #: 0-10 as the site states it.
    score: Mapped[float | None] = mapped_column(Float)
    author: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["audience_author"]))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    quote: Mapped[str | None] = mapped_column(Text)
    spoiler: Mapped[bool | None] = mapped_column(Boolean)
    first_seen_run: Mapped[int | None] = mapped_column(Integer)
    last_seen_run: Mapped[int | None] = mapped_column(Integer)


class CatalogueTitle(Base):
    """Every title the crawler knows of a site, however found (a listing, a sitemap, a
    crawl of its URL), and what decides when it is fetched next (catalogue/due.py)."""

    __tablename__ = "catalogue_titles"
    __table_args__ = (
        UniqueConstraint("site", "media", "slug", name="uq_catalogue_titles_site_media_slug"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str] = mapped_column(String(32))
    #: ``movie``, ``tv`` or ``game``.
    media: Mapped[str] = mapped_column(String(8))
    slug: Mapped[str] = mapped_column(String(FIELD_LENGTHS["film_key"]))
    #: The film keys it maps to, space-separated (a game has one per platform).
    film_keys: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(FIELD_LENGTHS["title"]))
    release_date: Mapped[dt.date | None] = mapped_column(Date)
    # What the last listing said of it: these only decide whether it is due, never
    # the film's stated summary.
    listed_score: Mapped[int | None] = mapped_column(Integer)
    listed_count: Mapped[int | None] = mapped_column(Integer)
    listed_positive: Mapped[int | None] = mapped_column(Integer)
    listed_mixed: Mapped[int | None] = mapped_column(Integer)
    listed_negative: Mapped[int | None] = mapped_column(Integer)
    listed_user_score: Mapped[float | None] = mapped_column(Float)
    #: A sitemap's ``<lastmod>`` for its URL, as written.
    lastmod: Mapped[str | None] = mapped_column(String(64))
    first_listed: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_listed: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_fetched: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: The last fetch that stored a new or changed review.
    last_changed: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: When the title turns stale (catalogue/due.py ``max_age``).
    next_due: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Why it is due (``new``, ``changed``, ``failed``); NULL once fetched (``stale`` is
    #: read off ``next_due``).
    due_reason: Mapped[str | None] = mapped_column(String(16))


class AudienceSnapshot(Base):
    """A film's audience score as it stood when a run that touched the film closed
    (reviewcrawler/changes: the audience's moves are changes too)."""

    __tablename__ = "audience_snapshots"

    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id"), primary_key=True, index=True)
    #: As ``audience_summaries``: on the site's scale, that scale, on 0-100, the ratings.
    score: Mapped[float | None] = mapped_column(Float)
    scale: Mapped[int | None] = mapped_column(Integer)
    score_100: Mapped[float | None] = mapped_column(Float)
    count: Mapped[int | None] = mapped_column(Integer)


class WatchedFilm(Base):
    """A film someone asked to hear about (``reviewcrawler watch add``): its new reviews
    are alerts (reviewcrawler/alerts)."""

    __tablename__ = "watched_films"

    film_id: Mapped[int] = mapped_column(ForeignKey("films.id"), primary_key=True)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AlertOutboxMessage(Base):
    """One alert message (a run's changes that match the alert rules), kept until the
    receiver accepts it: sent at the run's close, else by a later close or
    ``reviewcrawler alerts send`` (reviewcrawler/alerts)."""

    __tablename__ = "alert_outbox"

    #: Also the order messages are sent in: oldest first.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Sent as the ``Idempotency-Key`` header and in the body: the same on every attempt.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    #: One message per run at most.
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), unique=True)
    #: The message as sent (alerts/message.py documents its schema).
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Why the last attempt failed, NULL when none did.
    last_error: Mapped[str | None] = mapped_column(Text)
    #: When the receiver accepted it (2xx); NULL while it is pending.
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
