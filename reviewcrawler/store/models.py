"""Tables users query directly; the README documents each column."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Film(Base):
    __tablename__ = "films"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ``<site>:<slug>``, ``film:<slug>`` or ``file:<name>``: see reviewcrawler/identity.py.
    key: Mapped[str] = mapped_column(String(300), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    year: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str | None] = mapped_column(Text)


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    critic: Mapped[str | None] = mapped_column(String(300))
    publication: Mapped[str | None] = mapped_column(String(300))
    score: Mapped[int | None] = mapped_column(Integer)
    original_score: Mapped[str | None] = mapped_column(String(100))
    sentiment: Mapped[str | None] = mapped_column(String(16))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    quote: Mapped[str | None] = mapped_column(Text)
    review_url: Mapped[str | None] = mapped_column(Text)


class FilmSummary(Base):
    """One row per film: figures computed from stored reviews beside those the page states."""

    __tablename__ = "film_summaries"

    film_id: Mapped[int] = mapped_column(ForeignKey("films.id"), primary_key=True)
    review_count: Mapped[int] = mapped_column(Integer, default=0)
    scored_count: Mapped[int] = mapped_column(Integer, default=0)
    mean_score: Mapped[float | None] = mapped_column(Float)
    median_score: Mapped[float | None] = mapped_column(Float)
    min_score: Mapped[int | None] = mapped_column(Integer)
    max_score: Mapped[int | None] = mapped_column(Integer)
    positive_count: Mapped[int] = mapped_column(Integer, default=0)
    mixed_count: Mapped[int] = mapped_column(Integer, default=0)
    negative_count: Mapped[int] = mapped_column(Integer, default=0)
    computed_label: Mapped[str | None] = mapped_column(String(64))
    stated_label: Mapped[str | None] = mapped_column(String(64))
    stated_critic_count: Mapped[int | None] = mapped_column(Integer)
    stated_metascore: Mapped[int | None] = mapped_column(Integer)
    stated_positive: Mapped[int | None] = mapped_column(Integer)
    stated_mixed: Mapped[int | None] = mapped_column(Integer)
    stated_negative: Mapped[int | None] = mapped_column(Integer)
    #: Stored reviews agree with the stated critic count; None when the page states none.
    consistent: Mapped[bool | None] = mapped_column(Boolean)
