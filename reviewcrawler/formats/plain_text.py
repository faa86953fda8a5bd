"""The plain-text rendering of a Metacritic critic-review page (the project's seed).

Shape::

    [Title (Year)]                                   optional header
    <Label> [reviews] - based on <N> Critics         "1 Critic" for one
    Critic score distribution:
      1. Positive: 9 out of 11                       a bucket may be missing
                                                     (normalization derives it)
    Critic Reviews
      1. Reviewed by: <name>                         or a bare score: "80"
        Jul 15, 2013                                 date (named entries)
        <quote>
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from reviewcrawler.formats.page import Page
from reviewcrawler.identity import film_identity, parse_film_argument
from reviewcrawler.items import FilmSummaryItem, FollowUp, ReviewItem

NAME = "plain_text"
SITE = "metacritic"

# The label comes with or without the word "reviews" (``Generally favorable reviews``,
# ``Universal acclaim``), and the count is singular for one critic (``based on 1 Critic``).
_SUMMARY = re.compile(
    r"^\s*(?P<label>\S.*?)(?:\s+reviews)?\s+[-\u2013\u2014]\s+based\s+on\s+"
    r"(?P<count>\d[\d,]*)\s+Critics?(?:\s+Reviews?)?\s*$",
    re.IGNORECASE,
)
_DISTRIBUTION_HEADER = re.compile(r"^\s*Critic score distribution:?\s*$", re.IGNORECASE)
_BUCKET = re.compile(
    r"^\s*(?:\d+\.\s*)?(?P<bucket>Positive|Mixed|Negative):\s*(?P<count>\d[\d,]*)"
    r"(?:\s+out\s+of\s+[\d,]+)?\s*$",
    re.IGNORECASE,
)
_REVIEWS_HEADER = re.compile(r"^\s*Critic Reviews\s*$", re.IGNORECASE)
_ENTRY = re.compile(r"^\s{0,3}(?P<number>\d+)\.\s+(?P<rest>\S.*)$")
_REVIEWED_BY = re.compile(r"^Reviewed by:\s*(?P<name>.*)$", re.IGNORECASE)
_DATE_LINE = re.compile(r"^[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}$")
_TITLE_LINE = re.compile(r"^\s*\S.*\(\d{4}\)\s*$")
_HEAD_LINES = 5


def _lines(page: Page) -> list[str]:
    return page.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _summary_line(lines: list[str]) -> int | None:
    """Index of the ``... reviews - based on N Critics`` line among the first lines."""
    seen = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if _SUMMARY.match(line):
            return index
        seen += 1
        if seen >= _HEAD_LINES:
            return None
    return None


def matches(page: Page) -> bool:
    if page.looks_like_html:
        return False
    return _summary_line(_lines(page)) is not None


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def parse(page: Page) -> Iterator[ReviewItem | FilmSummaryItem | FollowUp]:
    lines = _lines(page)
    start = _summary_line(lines)
    if start is None:
        return
    header = next((line.strip() for line in lines[:start] if line.strip()), None)
    named_film = header if header and _TITLE_LINE.match(header) else None
    identity = film_identity(page.url, SITE, page.film_argument or named_film)
    if identity.title is None and named_film:
        named = parse_film_argument(named_film)
        identity = replace(identity, title=named.title, year=named.year)

    summary_match = _SUMMARY.match(lines[start])
    assert summary_match is not None
    critic_count = _int(summary_match.group("count"))
    buckets: dict[str, int] = {}
    reviews_at = len(lines)
    in_distribution = False
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if _REVIEWS_HEADER.match(line):
            reviews_at = index + 1
            break
        if _DISTRIBUTION_HEADER.match(line):
            in_distribution = True
        elif in_distribution and (bucket := _BUCKET.match(line)):
            buckets[bucket.group("bucket").lower()] = _int(bucket.group("count"))

    yield FilmSummaryItem(
        film_key=identity.key,
        source_url=page.url,
        title=identity.title,
        year=identity.year,
        url=page.url if page.url.startswith(("http://", "https://")) else None,
        stated_label=summary_match.group("label"),
        stated_critic_count=critic_count,
        # A bucket the page leaves out stays None here: normalization derives what the
        # stated figures allow, the same way for every format.
        stated_positive=buckets.get("positive"),
        stated_mixed=buckets.get("mixed"),
        stated_negative=buckets.get("negative"),
    )
    for entry in _entries(lines[reviews_at:]):
        yield _review(entry, identity.key, page.url)


def _entries(lines: list[str]) -> Iterator[list[str]]:
    """Numbered entries as lists of their non-empty lines, numbering checked in sequence.

    A line that looks like ``12. ...`` but is not the next number belongs to the
    quote it sits in.
    """
    current: list[str] | None = None
    expected = 1
    for line in lines:
        match = _ENTRY.match(line)
        if match and int(match.group("number")) == expected:
            if current is not None:
                yield current
            current = [match.group("rest").strip()]
            expected += 1
        elif current is not None and line.strip():
            current.append(line.strip())
    if current is not None:
        yield current


def _review(entry: list[str], film_key: str, url: str) -> ReviewItem:
    first, rest = entry[0], entry[1:]
    critic: str | None = None
    original_score: str | None = None
    date: str | None = None
    if by := _REVIEWED_BY.match(first):
        critic = by.group("name")
    else:
        original_score = first
    if rest and _DATE_LINE.match(" ".join(rest[0].split())):
        date, rest = rest[0], rest[1:]
    return ReviewItem(
        film_key=film_key,
        source_url=url,
        critic=critic,
        original_score=original_score,
        published_on=date,
        quote=" ".join(rest) or None,
    )
