"""Where the store is when nobody says: one rule for the crawler and the CLI alike.

Kept free of SQLAlchemy imports so that settings.py can use it cheaply.
"""

from __future__ import annotations

import os

DATABASE_URL_ENV = "REVIEWCRAWLER_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///reviews.db"


def default_database_url() -> str:
    """The environment's ``REVIEWCRAWLER_DATABASE_URL``, else ``sqlite:///reviews.db``."""
    return os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL
