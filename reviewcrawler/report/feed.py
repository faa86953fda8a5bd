"""The report's changes: ``changes.atom`` (Atom 1.0, RFC 4287) and the index's list.

Both read ``reviewcrawler.changes.list_changes``, the one list the ``changes`` command
and the alerts read, newest first. The feed is built with ElementTree, never by
pasting strings, so a title or quote holding ``<script>``, ``]]>`` or ``&`` is
character data the serializer escapes; titles and summaries are ``type="text"``, which
a reader shows as text and never parses as markup.

Ids are ``urn:uuid:`` names (UUID 5) of the store's origin (``data.store_origin``)
and the change's identity (run, film key, kind, field, review), so writing the report
again gives every change the id it had, and a reader never sees one twice.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from reviewcrawler.changes import (
    AUDIENCE,
    BAND_CROSSED,
    FIRST_SCORE,
    REVIEW_ADDED,
    REVIEW_CHANGED,
    REVIEW_GONE,
    SCORE_MOVED,
    Change,
    ReviewInfo,
    Scope,
    list_changes,
)
from reviewcrawler.report.data import ROTTEN_TOMATOES, site_of_key, store_origin
from reviewcrawler.report.values import figure, http_url, page_name, shorten, when

#: The feed's file, beside ``index.html``.
FEED_FILE = "changes.atom"
#: How much further back than the changes wanted the feed reads, to fill them after
#: leaving out first sightings (a film's first crawl).
FIRST_SIGHTINGS_FACTOR = 20
#: Changes the feed carries, the newest: enough for a reader polling daily to miss
#: nothing of an ordinary run, few enough that the file stays small.
FEED_CHANGES = 100
#: Changes the index lists above its films.
INDEX_CHANGES = 10

ATOM = "http://www.w3.org/2005/Atom"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
#: The UUID 5 namespace of every id the feed makes. Fixed: changing it changes every
#: id, and readers would show every change again.
_ID_NAMESPACE = uuid.UUID("0e2cdb8c-e40a-4745-b949-e9f8e49766d6")

KIND_LABELS = {
    FIRST_SCORE: "First score",
    SCORE_MOVED: "Score moved",
    BAND_CROSSED: "Band crossed",
    REVIEW_ADDED: "Review added",
    REVIEW_CHANGED: "Review changed",
    REVIEW_GONE: "Review gone",
}

#: Characters XML 1.0 cannot carry at all, not even escaped (C0 controls but tab, LF
#: and CR; lone surrogates; U+FFFE and U+FFFF). ElementTree writes them as they are,
#: which makes the whole feed unreadable, so a crawled page's stray control character
#: becomes U+FFFD instead.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


@dataclass(frozen=True)
class ChangeLine:
    """One change as the index lists it and the feed carries it (plain text: the
    template and ElementTree escape it)."""

    id: str
    kind: str
    kind_label: str
    film_key: str
    film_name: str
    #: The film's page, relative to the report's folder (``films/<name>.html``).
    href: str
    #: What moved: ``Metascore``, ``audience score``, ``review by Ada Quist / Night Desk``.
    what: str
    old: str
    new: str
    started_at: dt.datetime | None
    #: One line: ``The Lantern Keeper (2019): Metascore 74 → 81``.
    title: str
    #: Several lines: the change, the film, the run, the review.
    summary: str


def _film_name(change: Change) -> str:
    name = change.film.title or change.film.key
    return f"{name} ({change.film.year})" if change.film.year else name


def _who(review: ReviewInfo | None) -> str:
    if review is None:
        return "a review"
    names = " / ".join(part for part in (review.critic, review.publication) if part)
    return names or f"review {review.id}"


def _score_name(change: Change) -> str:
    if change.field == AUDIENCE:
        return "audience score"
    rotten_tomatoes = site_of_key(change.film.key) == ROTTEN_TOMATOES
    return "Tomatometer" if rotten_tomatoes else "Metascore"


def _value(change: Change, value: object) -> str:
    """A change's old or new value as text: a score as the report shows it (a
    Tomatometer in percent), a changed review field shortened."""
    if change.kind == REVIEW_CHANGED:
        return shorten(None if value is None else str(value), 80)
    percent = change.kind in (FIRST_SCORE, SCORE_MOVED) and _score_name(change) == "Tomatometer"
    return figure(value, percent)


def _what(change: Change) -> str:
    if change.kind == BAND_CROSSED:
        return "Metacritic band"
    if change.kind in (FIRST_SCORE, SCORE_MOVED):
        return _score_name(change)
    what = f"review by {_who(change.review)}"
    return f"{what}: {change.field}" if change.kind == REVIEW_CHANGED else what


def _title(change: Change, film: str, old: str, new: str) -> str:
    who = _who(change.review)
    if change.kind == FIRST_SCORE:
        return f"{film}: first {_score_name(change)} {new}"
    if change.kind == SCORE_MOVED:
        return f"{film}: {_score_name(change)} {old} → {new}"
    if change.kind == BAND_CROSSED:
        return f"{film}: now {new} (was {old})"
    if change.kind == REVIEW_ADDED:
        return f"{film}: new review by {who}" + (f", {new}" if change.new is not None else "")
    if change.kind == REVIEW_CHANGED:
        return f"{film}: review by {who} changed its {change.field}"
    if change.kind == REVIEW_GONE:
        return f"{film}: review by {who} gone"
    return f"{film}: {change.kind}"


def _summary(change: Change, what: str, old: str, new: str) -> str:
    lines = [
        f"{KIND_LABELS.get(change.kind, change.kind)}: {what}, {old} → {new}",
        f"Film: {_film_name(change)}, {change.film.key}",
        f"Run {change.run.id}, started {when(change.run.started_at)}",
    ]
    review = change.review
    if review is not None:
        lines.append(f"Review: {_who(review)}, score {figure(review.score)}")
        if review.quote:
            lines.append(f"Quote: {review.quote}")
        if url := http_url(review.url):
            lines.append(f"Full review: {url}")
    return "\n".join(lines)


def entry_id(origin: str, change: Change) -> str:
    """A change's id: the same each time the report is written from this store."""
    review = change.review.id if change.review else ""
    name = (
        f"change|{origin}|run {change.run.id}|{change.film.key}|{change.kind}"
        f"|{change.field or ''}|{review}"
    )
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, name)}"


def feed_id(origin: str, film_ids: Sequence[int] | None) -> str:
    """The feed's id: a report of some films only is a feed of its own."""
    films = "all" if film_ids is None else ",".join(str(i) for i in sorted(set(film_ids)))
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, f'feed|{origin}|films {films}')}"


def change_line(change: Change, origin: str) -> ChangeLine:
    old, new = _value(change, change.old), _value(change, change.new)
    what = _what(change)
    film = _film_name(change)
    return ChangeLine(
        id=entry_id(origin, change),
        kind=change.kind,
        kind_label=KIND_LABELS.get(change.kind, change.kind),
        film_key=change.film.key,
        film_name=film,
        href="films/" + page_name(change.film.key),
        what=what,
        old=old,
        new=new,
        started_at=change.run.started_at,
        title=_title(change, film, old, new),
        summary=_summary(change, what, old, new),
    )


@dataclass(frozen=True)
class Changes:
    """The newest changes of the films a report draws, and the feed's id."""

    lines: list[ChangeLine]
    feed_id: str


def read_changes(
    engine: Engine, film_ids: Sequence[int] | None, limit: int | None = None
) -> Changes:
    """The newest ``limit`` (default FEED_CHANGES) changes of these films (all films
    when None): only films the report has a page for, so that every link leads somewhere."""
    films = None if film_ids is None else frozenset(film_ids)
    origin = store_origin(engine)
    wanted = FEED_CHANGES if limit is None else limit
    # A film's first crawl is its first sighting, not a change: every review "added" at
    # once would bury the changes people follow (alerts leave them out the same way).
    # Read further back so that leaving them out still fills the list when it can.
    read = list_changes(engine, Scope(film_ids=films, limit=wanted * FIRST_SIGHTINGS_FACTOR))
    changes = [change for change in read if not change.film_new][:wanted]
    return Changes([change_line(change, origin) for change in changes], feed_id(origin, film_ids))


def base(url: str) -> str:
    """``url`` as the feed's ``xml:base``: an absolute http(s) URL, ending in ``/`` so
    that ``films/x.html`` resolves inside it rather than beside it.

    Raises ValueError for anything else (``javascript:``, a relative path, spaces, a
    query or fragment, which no folder has).
    """
    if http_url(url) is None or "?" in url or "#" in url:
        raise ValueError(f"not the absolute http(s) URL of a folder: {url!r}")
    return url if url.endswith("/") else url + "/"


def _rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = xml_text(text)
    return element


def _link(parent: ET.Element, href: str, rel: str, kind: str) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "type": kind, "href": href})


def build_feed(
    changes: Changes, generated: dt.datetime, base_url: str | None = None
) -> ET.ElementTree:
    """The feed's document.

    Links are relative to the feed (``films/<name>.html``, the feed beside the index),
    which RFC 4287 allows and a reader resolves against where it fetched the feed; with
    ``base_url`` (where the report is published, ending in ``/``) the feed also says so
    in ``xml:base``, so the links stay right when an entry is read apart from the file.
    ``updated`` is the newest change's run start (so an unchanged store writes the same
    feed), or ``generated`` when there is none.
    """
    # The Atom namespace as the default one, declared by hand: ElementTree's
    # default_namespace refuses the unqualified attributes (href, rel) Atom uses.
    feed = ET.Element("feed", {"xmlns": ATOM})
    if base_url is not None:
        feed.set(_XML_BASE, base_url)
    _text(feed, "id", changes.feed_id)
    _text(feed, "title", "Critic reviews: latest changes", type="text")
    _text(
        feed,
        "subtitle",
        f"The newest {FEED_CHANGES} changes of the films in the report: scores moved, bands "
        "crossed, reviews added, changed or gone.",
        type="text",
    )
    times = [line.started_at for line in changes.lines if line.started_at is not None]
    _text(feed, "updated", _rfc3339(max(times, default=generated)))
    author = ET.SubElement(feed, "author")
    _text(author, "name", "reviewcrawler")
    _text(feed, "generator", "reviewcrawler report")
    _link(feed, FEED_FILE, "self", "application/atom+xml")
    _link(feed, "index.html", "alternate", "text/html")
    for line in changes.lines:
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", line.id)
        _text(entry, "title", line.title, type="text")
        # A run without a start time (none in practice) still needs an updated.
        _text(entry, "updated", _rfc3339(line.started_at or generated))
        _link(entry, line.href, "alternate", "text/html")
        ET.SubElement(entry, "category", {"term": line.kind, "label": line.kind_label})
        _text(entry, "summary", line.summary, type="text")
    ET.indent(feed)
    return ET.ElementTree(feed)


def write_feed(
    path: Path, changes: Changes, generated: dt.datetime, base_url: str | None = None
) -> None:
    # Serialized whole before the file is opened: a failure leaves no half a feed.
    document = ET.tostring(
        build_feed(changes, generated, base_url).getroot(),
        encoding="utf-8",
        xml_declaration=True,
    )
    path.write_bytes(document)
