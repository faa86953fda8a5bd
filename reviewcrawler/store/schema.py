"""Bringing a database's schema up to what the models describe."""

from __future__ import annotations

from sqlalchemy import Engine

from reviewcrawler.store.models import Base


def ensure_schema(engine: Engine) -> None:
    """Create any missing table; existing tables and rows are left alone."""
    Base.metadata.create_all(engine)
