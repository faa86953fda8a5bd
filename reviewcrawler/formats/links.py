"""Links as pages write them, made absolute; a malformed one is no link, never a crash."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit


def absolute(base: str, href: str | None) -> str | None:
    """``href`` resolved against ``base``; None when empty or unparseable (``//[broken``)."""
    href = href.strip() if href else ""
    if not href:
        return None
    try:
        if href.startswith(("http://", "https://")):
            # urlsplit only refuses brackets it cannot pair and non-ASCII hosts, so the
            # common link (ASCII, no brackets) needs no check: this runs for every review.
            if not href.isascii() or "[" in href or "]" in href:
                urlsplit(href)
            return href
        return urljoin(base, href)
    except ValueError:
        return None
