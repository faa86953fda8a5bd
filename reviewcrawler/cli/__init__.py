"""The ``reviewcrawler`` command: read the store a crawl filled (see README "Store")."""

from reviewcrawler.cli.main import main

__all__ = ["main"]
