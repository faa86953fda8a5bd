"""How the report shows values: figures, dates, safe links, file names.

Pure functions, used by the templates (as filters) and by ``rows.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from reviewcrawler.report.data import ReviewRow

_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f]")
_HTTP_URL = re.compile(r"https?://[^/?#]", re.IGNORECASE)


def http_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) URL, else None (no link is drawn).

    Anything with whitespace or control characters is refused too: browsers drop
    those from URLs, which is how ``java\\tscript:`` slips past naive checks.
    """
    if not url or _URL_UNSAFE.search(url):
        return None
    return url if _HTTP_URL.match(url) else None


def page_name(key: str) -> str:
    """The file name of a film's page: the key made file-safe (``metacritic_her.html``),
    with a short hash of the key when that lost anything, so names never collide."""
    if re.fullmatch(r"[a-z0-9.:-]+", key) and not key.startswith("."):
        return key.replace(":", "_") + ".html"
    safe = re.sub(r"[^a-z0-9.-]+", "-", key.lower()).strip("-.")[:80] or "film"
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    return f"{safe}-{digest}.html"


def raw(value: object) -> str:
    """A value for a ``data-v`` attribute (what sorting and tests read): '' for None."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def figure(value: object, percent: bool = False) -> str:
    """A figure as the page shows it: an em dash for None, ``%`` for shares."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text + "%" if percent else text


def when(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%d %H:%M UTC")


def shorten(text: str | None, width: int = 140) -> str:
    if text is None:
        return "—"
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def who(review: ReviewRow) -> str:
    """A review named for a list: critic and publication, whichever the page gave."""
    names = [n for n in (review.critic, review.publication) if n]
    if review.season:
        names.append(review.season)
    return ", ".join(names) or f"review {review.id}"


def agreement(consistent: bool | None) -> tuple[str, str]:
    if consistent is None:
        return "unknown", "no count"
    return ("yes", "agree") if consistent else ("no", "differ")
