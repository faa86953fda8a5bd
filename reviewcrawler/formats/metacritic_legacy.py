"""Metacritic's legacy (pre-2023) HTML: a film's main page and its critic-reviews pages,
and the product pages of games and TV shows.

Reviews are the critics' only: user reviews share the ``div.review`` markup but sit
in ``div.user_reviews`` and carry ``metascore_w user`` badges; other films'
scores on the page ("featured movies") sit outside the summary and review blocks.
The audience's summary is read apart, into the ``audience_*`` fields (scale 10),
never into the critics' ``stated_*`` ones: its badge (``metascore_w user``, in the
``a.metascore_anchor`` linking to user-reviews, or in the ``userscore_wrap`` block),
its count (``based on 1,376 Ratings``, else the ``out of N`` of its distribution) and
its own distribution (a product page's ``div.score_distribution`` in the user block; a
movie page's ``div.distribution`` whose anchor links to user-reviews).

The title's facts are read by their labels (``span.label`` followed by the value, as
movie pages' ``.details_section`` and product pages' ``li.summary_detail`` both write
them): ``Release Date:``/``Premiere Date:`` (else ``.release_data .data``),
``Genre(s):``, ``Rating:``, ``Developer:``, ``Publisher:``, ``Director:``,
``Network:`` and ``Runtime:`` (``126 min``). A season page's scores, counts and
premiere are the season's, so none of them is given as the show's.

Games and TV shows (``/game/<platform-slug>/<slug>``, ``/tv/<slug>[/season-<n>]``) list
critic reviews as ``li.review.critic_review`` (``.review_critic .source``, ``.author``
when credited, ``.date``, ``.review_grade .metascore_w``, ``.review_body``, a
``.full_review`` link) beside ``li.review.user_review`` blocks, which are the
audience's and never read. Their summary is ``.metascore_summary`` (``.metascore_w``,
``.desc`` label, ``based on N Critic Reviews``) and the critics' own
``div.score_distribution`` (``li.score_count``: ``.label``, ``.count``, ``out of N``;
the audience's block has one too); title ``.product_title h1``, platform
``.product_title .platform``, release ``.release_data .data``. Keys: a show
``metacritic:tv:<slug>``, a game ``metacritic:game:<slug>:<platform-slug>`` (each
platform is its own film), movies as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from reviewcrawler.formats.html import (
    canonical_url,
    classes_of,
    element_text,
    first_int,
    own_text,
    runtime_minutes,
)
from reviewcrawler.formats.links import absolute
from reviewcrawler.formats.page import Page
from reviewcrawler.identity import (
    canonical_platform,
    film_identity,
    platform_slug,
    site_of,
)
from reviewcrawler.items import FilmSummaryItem, FollowUp, ReviewItem

NAME = "metacritic_legacy"
SITE = "metacritic"

#: A film's own path: a movie, a game on one platform (``/game/<platform-slug>/<slug>``),
#: a TV show or one of its seasons.
_FILM_PATH = re.compile(r"^/(?:movie/[^/?#]+|game/[^/?#]+/[^/?#]+|tv/[^/?#]+(?:/season-\d+)?)")
#: The page of the film itself: a TV season page's film is the show.
_FILM_URL_PATH = re.compile(
    r"^/(?:movie/[^/?#]+|game/[^/?#]+(?:/(?!(?:critic|user)-reviews(?:/|$))[^/?#]+)?|tv/[^/?#]+)"
)
_CRITIC_REVIEWS_PATH = re.compile(
    r"^(/(?:movie/[^/?#]+|game/[^/?#]+/[^/?#]+|tv/[^/?#]+(?:/season-\d+)?)/critic-reviews)/?$"
)
_GAME_ON_PLATFORM = re.compile(
    r"^/game/(?P<platform>[A-Za-z0-9][\w.-]*)/(?P<slug>[A-Za-z0-9][\w.-]*)"
)
_GAME = re.compile(r"^/game/(?P<slug>[A-Za-z0-9][\w.-]*)")
_TV = re.compile(r"^/tv/(?P<slug>[A-Za-z0-9][\w.-]*)(?:/season-(?P<season>\d+))?")
#: What follows a product's path; never a game's slug (``/game/<slug>/critic-reviews`` is
#: today's URL of a game, without its platform).
_SUB_PAGES = frozenset({"critic-reviews", "user-reviews", "details", "credits", "trivia"})
_BASED_ON = re.compile(r"based\s+on\s+(\d[\d,]*)\s+Critic", re.IGNORECASE)
_OUT_OF = re.compile(r"out\s+of\s+(\d[\d,]*)", re.IGNORECASE)
_BUCKETS = ("positive", "mixed", "negative")
_YEAR = re.compile(r"\b(1[89]\d{2}|2\d{3})\b")
#: A season page's heading may name the season after the show (``Ashfall: Season 2``).
_SEASON_IN_TITLE = re.compile(r"^(?P<title>.*\S)\s*[:\u2013-]\s*(?P<season>Season\s+\d+)$")
_CRITIC_HREF = re.compile(r"/critic/(?P<slug>[^/?#]+)")
_RATINGS = re.compile(r"based\s+on\s+(\d[\d,]*)\s+(?:user\s+)?Ratings?\b", re.IGNORECASE)
_USER_SCORE = re.compile(r"^\d+(?:\.\d+)?$")
#: A title fact's label (``Genre(s):``, lower case, without its colon) and its field.
_FACT_LABELS = {
    "release date": "release_date",
    "premiere date": "release_date",
    "genre(s)": "genres",
    "genre": "genres",
    "genres": "genres",
    "rating": "age_rating",
    "developer": "developers",
    "developers": "developers",
    "publisher": "publishers",
    "publishers": "publishers",
    "director": "director",
    "directors": "director",
    "directed by": "director",
    "network": "network",
    "runtime": "runtime",
}
#: Containers of a viewer's own rating (the "Your Score" popup): never the audience's.
_VIEWER_OWN = ("popup", "my_score")


def matches(page: Page) -> bool:
    if "metascore_w" not in page.text:
        return False
    index = page.class_index
    if _elements(index, "div", "product_page_title") or _elements(index, "div", "critic_reviews"):
        return True
    if index.get("product_title") or _product_review_blocks(index):
        return True
    return any(
        "metascore_w" in classes_of(badge) and _inside(badge, "review")
        for badge in _elements(index, "div", "indiv")
    )


def lists_reviews(page: Page) -> bool:
    """Every legacy film page shows its critic reviews (a main page some, a critic-reviews page
    all): none found beside a stated critic count means the markup drifted."""
    return True


# The page is read through its class index (Page.class_index, one walk over the tree)
# rather than through XPath or CSS queries, each of which would walk the whole page
# again: on a 40-review page those queries had cost as much as reading the reviews.


def _elements(index: dict[str, list[Any]], tag: str, name: str) -> list[Any]:
    """The ``tag`` elements with class ``name``, in document order."""
    return [element for element in index.get(name, ()) if element.tag == tag]


def _inside(element: Any, name: str) -> bool:
    """Whether an ancestor div has class ``name``."""
    return any(name in classes_of(parent) for parent in element.iterancestors("div"))


def _links_to_critic_reviews(anchor: Any) -> bool:
    return "/critic-reviews" in (anchor.get("href") or "")


def _critic_anchors(index: dict[str, list[Any]], within: Any = None) -> list[Any]:
    """The ``a.metascore_anchor`` links to the critic reviews (the user score's link
    to user-reviews has the same markup)."""
    anchors = [
        anchor
        for anchor in _elements(index, "a", "metascore_anchor")
        if _links_to_critic_reviews(anchor)
    ]
    if within is None:
        return anchors
    return [anchor for anchor in anchors if any(p is within for p in anchor.iterancestors())]


def _first_text(elements: Iterable[Any]) -> str | None:
    """The first own text node among the elements (CSS ``::text`` with ``.get()``)."""
    return next((text for element in elements if (text := own_text(element)) is not None), None)


@dataclass(frozen=True)
class Product:
    """A game or TV show as a Metacritic URL names it."""

    #: ``game`` or ``tv``.
    media: str
    slug: str
    #: Games: the platform's slug (``playstation-5``), when the URL names it.
    platform_slug: str | None = None
    #: TV season pages (``/tv/<slug>/season-2``): ``Season 2``.
    season: str | None = None


def product_of_url(url: str | None) -> Product | None:
    """The game or TV show an http(s) URL names; None for a movie, a file or another path.

    Legacy game URLs put the platform first (``/game/playstation-5/<slug>``); today's
    name the game alone, the platform in ``?platform=``.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed canonical URL ("http://[bad"): no product
        return None
    if parts.scheme not in ("http", "https"):
        return None
    path = unquote(parts.path)
    game = _GAME_ON_PLATFORM.match(path)
    if game and game.group("slug").lower() not in _SUB_PAGES:
        platform = canonical_platform(game.group("platform").lower())
        return Product("game", game.group("slug").lower(), platform)
    if game := _GAME.match(path):
        platforms = parse_qs(parts.query).get("platform")
        platform = platforms[0].strip().lower() if platforms and platforms[0].strip() else None
        platform = canonical_platform(platform) if platform else None
        return Product("game", game.group("slug").lower(), platform)
    if show := _TV.match(path):
        season = f"Season {int(show.group('season'))}" if show.group("season") else None
        return Product("tv", show.group("slug").lower(), season=season)
    return None


def product_key(site: str, product: Product, platform_slug: str | None = None) -> str:
    """``<site>:tv:<slug>``, or ``<site>:game:<slug>:<platform-slug>`` (each platform of a
    game is its own film; ``platform_slug`` is the page's, used when the URL names none).

    Local to this format until identity.py has one function for every product's key;
    the forms are the same.
    """
    if product.media == "tv":
        return f"{site}:tv:{product.slug}"
    platform = product.platform_slug or platform_slug
    return f"{site}:game:{product.slug}:{platform}" if platform else f"{site}:game:{product.slug}"


@dataclass(frozen=True)
class ProductFacts:
    """What a legacy game or TV page states about its product in its header."""

    title: str | None = None
    platform: str | None = None
    year: int | None = None
    season: str | None = None
    #: ``.release_data .data`` as written (``Oct  5, 2022``).
    release: str | None = None


@dataclass(frozen=True)
class Film:
    """Who the page is about: the key, and what its URL tells beside the key."""

    key: str
    title: str | None = None
    year: int | None = None
    media: str | None = None
    season: str | None = None


def parse(page: Page) -> Iterator[ReviewItem | FilmSummaryItem | FollowUp]:
    canonical = canonical_url(page.selector)
    index = page.class_index
    facts = _product_facts(index)
    film = _film(page, canonical, facts)
    yield _summary(page, canonical, film, facts)
    for block in _review_blocks(index):
        if review := _review(block, page.url, film.key):
            yield review
    for block in _product_review_blocks(index):
        if review := _review(block, page.url, film.key, product=True, season=film.season):
            yield review
    yield from _follow_ups(page, film.key)


def _film(page: Page, canonical: str | None, facts: ProductFacts) -> Film:
    """The film key by identity.py's order (URL, ``-a film=``, canonical URL, file name),
    with games and TV shows keyed by product; media comes from whichever URL names one."""
    from_url = product_of_url(page.url)
    product = from_url or product_of_url(canonical)
    named_by_argument = bool(page.film_argument and page.film_argument.strip())
    season = (product.season if product else None) or facts.season
    if product is not None and (from_url is not None or not named_by_argument):
        site = site_of(page.url if from_url else canonical or "", SITE)
        key = product_key(site, product, platform_slug(facts.platform))
        return Film(key=key, media=product.media, season=season)
    identity = film_identity(page.url, SITE, page.film_argument, canonical)
    media = product.media if product is not None else None
    return Film(identity.key, identity.title, identity.year, media, season)


def _product_facts(index: dict[str, list[Any]]) -> ProductFacts:
    """Title, platform and release year from ``.product_title`` and ``.release_data``."""
    header = next(iter(index.get("product_title", ())), None)
    if header is None:
        return ProductFacts()
    title = element_text(next(header.iterdescendants("h1"), None))
    platform = element_text(
        next((e for e in header.iterdescendants() if "platform" in classes_of(e)), None)
    )
    release = next(
        (
            data
            for box in index.get("release_data", ())
            for data in box.iterdescendants()
            if "data" in classes_of(data)
        ),
        None,
    )
    year_match = _YEAR.search(element_text(release) or "")
    season = None
    if title and (named := _SEASON_IN_TITLE.match(title)):
        title, season = named.group("title"), " ".join(named.group("season").split())
    return ProductFacts(
        title=title,
        platform=platform,
        year=int(year_match.group(1)) if year_match else None,
        season=season,
        release=element_text(release),
    )


def _summary(page: Page, canonical: str | None, film: Film, facts: ProductFacts) -> FilmSummaryItem:
    index = page.class_index
    # The critic summary is the score_description whose link leads to critic reviews
    # (the user score has the same markup and links to user-reviews).
    description = next(
        (
            span
            for span in _elements(index, "span", "score_description")
            if span.get("class") == "score_description"
            and any(_links_to_critic_reviews(anchor) for anchor in span.iter("a"))
        ),
        None,
    )
    label = based_on = None
    if description is not None:
        label = element_text(
            next(
                (
                    span
                    for anchor in description.iter("a")
                    for span in anchor.iterchildren("span")
                    if span.get("class") != "based_on"
                ),
                None,
            )
        )
        based_on = first_int(
            _first_text(span for span in description.iter("span") if "based_on" in classes_of(span))
        )
    metascore = first_int(
        _first_text(
            badge
            for anchor in _critic_anchors(index)
            for badge in anchor.iterchildren("*")
            if "metascore_w" in (classes := badge.get("class") or "") and "user" not in classes
        )
    )
    distribution = next(
        (div for div in _elements(index, "div", "distribution") if _critic_anchors(index, div)),
        None,
    )
    charted = _chart_counts(distribution) if distribution is not None else {}
    counts: dict[str, int | None] = {f"stated_{b}": charted.get(b) for b in _BUCKETS}
    page_title = element_text(
        next(
            (
                heading
                for div in _elements(index, "div", "product_page_title")
                for heading in div.iterdescendants("h1")
            ),
            None,
        )
    )
    page_year = first_int(_first_text(_elements(index, "span", "release_year")))
    if label is None and based_on is None and metascore is None:
        label, based_on, metascore = _product_summary(index)
    if all(count is None for count in counts.values()):
        product_counts, out_of = _product_distribution(index)
        counts = {f"stated_{bucket}": count for bucket, count in product_counts.items()}
        # "out of N" is the count the distribution (and so the score) is based on.
        based_on = based_on if based_on is not None else out_of
    title_facts = _title_facts(index)
    if facts.release:
        title_facts["release_date"] = facts.release
    audience = _audience(index)
    if film.media == "tv" and film.season is not None:
        # A season page's figures are the season's: the show's summary is the show's own.
        label = based_on = metascore = None
        counts = dict.fromkeys(counts)
        audience = {}
        title_facts.pop("release_date", None)
    return FilmSummaryItem(
        film_key=film.key,
        source_url=page.url,
        title=page_title or facts.title or film.title,
        year=page_year or facts.year or film.year,
        url=_film_url(canonical or page.url),
        media=film.media,
        platform=facts.platform if film.media == "game" else None,
        stated_label=label,
        stated_critic_count=based_on,
        stated_metascore=metascore,
        **counts,
        **title_facts,
        **audience,
    )


def _title_facts(index: dict[str, list[Any]]) -> dict[str, Any]:
    """The title's facts, each by its label: the first stated of each field wins."""
    facts: dict[str, Any] = {}
    for label in index.get("label", ()):
        name = (element_text(label) or "").strip().rstrip(":").strip().lower()
        field = _FACT_LABELS.get(name)
        if field is None or field in facts or _inside_any(label, ("review",)):
            continue
        value = _labelled_value(label)
        if field == "runtime":
            value = runtime_minutes(value)
        elif field != "release_date" and value:
            # Lists are written as elements and commas: one ", " between names.
            value = ", ".join(part.strip() for part in value.split(",") if part.strip())
        if value:
            facts[field] = value
    return facts


def _labelled_value(label: Any) -> str | None:
    """The text beside a label: its parent's text after the label's own."""
    parent = label.getparent()
    if parent is None:
        return None
    pieces = [label.tail or ""]
    for sibling in label.itersiblings():
        pieces.append(element_text(sibling) or "")
        pieces.append(sibling.tail or "")
    return " ".join(" ".join(pieces).split()) or None


def _inside_any(element: Any, names: tuple[str, ...]) -> bool:
    """Whether an ancestor has one of the classes (or one starting with them)."""
    return any(
        any(name.startswith(prefix) for prefix in names for name in classes_of(ancestor))
        for ancestor in element.iterancestors()
    )


def _audience(index: dict[str, list[Any]]) -> dict[str, Any]:
    """The audience's summary, as ``FilmSummaryItem`` audience fields (none stated: {})."""
    score = _user_score(index)
    counts, out_of = _user_distribution(index)
    stated = next(
        (
            int(match.group(1).replace(",", ""))
            for name in ("based_on", "count")
            for element in index.get(name, ())
            if (match := _RATINGS.search(element_text(element) or ""))
        ),
        None,
    )
    figures: dict[str, Any] = {
        "audience_score": score,
        "audience_count": stated if stated is not None else out_of,
        "audience_positive": counts.get("positive"),
        "audience_mixed": counts.get("mixed"),
        "audience_negative": counts.get("negative"),
    }
    if score is not None:
        figures["audience_scale"] = 10
    return {name: value for name, value in figures.items() if value is not None}


def _user_score(index: dict[str, list[Any]]) -> float | None:
    """The user score (0-10) as a number: its badge in the anchor linking to user-reviews,
    else in the user block; never a user review's (``indiv``) or a viewer's own."""
    badges = [
        badge
        for badge in index.get("user", ())
        if "metascore_w" in (names := classes_of(badge))
        and "indiv" not in names
        and not _inside_any(badge, ("review", *_VIEWER_OWN))
    ]
    linked = [
        badge
        for badge in badges
        if any("/user-reviews" in (anchor.get("href") or "") for anchor in badge.iterancestors("a"))
    ]
    in_block = [badge for badge in badges if _inside_any(badge, ("userscore", "user_score"))]
    for badge in (*linked, *in_block):
        text = (element_text(badge) or "").strip()
        if _USER_SCORE.match(text):
            return float(text)
    return None


def _user_distribution(
    index: dict[str, list[Any]],
) -> tuple[dict[str, int | None], int | None]:
    """The audience's distribution: a product page's ``div.score_distribution`` in the user
    block, else a movie page's ``div.distribution`` holding a link to user-reviews."""
    box = next(
        (
            div
            for div in _elements(index, "div", "score_distribution")
            if _in_users_block(div, index)
        ),
        None,
    )
    if box is not None:
        return _score_counts(box)
    chart = next(
        (
            div
            for div in _elements(index, "div", "distribution")
            if any("/user-reviews" in (a.get("href") or "") for a in div.iter("a"))
            and not _critic_anchors(index, div)
        ),
        None,
    )
    return (_chart_counts(chart) if chart is not None else {}), None


def _in_users_block(element: Any, index: dict[str, list[Any]]) -> bool:
    """Whether the element belongs to the audience's score: inside a ``user...``
    container, or in a block whose score badges are all users' (the mirror of
    ``_in_critics_block``)."""
    badges = [badge for badge in index.get("metascore_w", ()) if not _is_within(badge, element)]
    for ancestor in element.iterancestors():
        if any(name.startswith("user") for name in classes_of(ancestor)):
            return True
        held = [badge for badge in badges if _is_within(badge, ancestor)]
        if held:
            return all(_is_users_badge(badge) for badge in held)
    return False


def _chart_counts(distribution: Any) -> dict[str, int | None]:
    """A movie page's ``.chart.<bucket> .count`` counts by bucket."""
    return {
        bucket: first_int(
            _first_text(
                count
                for chart in distribution.iter()
                if {"chart", bucket} <= set(classes_of(chart))
                for count in chart.iterdescendants()
                if "count" in classes_of(count)
            )
        )
        for bucket in _BUCKETS
    }


def _product_summary(index: dict[str, list[Any]]) -> tuple[str | None, int | None, int | None]:
    """Label, critic count and Metascore from a game or TV page's ``.metascore_summary``.

    The user score sits in the same markup with a ``metascore_w user`` badge and a link
    to user-reviews: the first summary that is neither is the critics'.
    """
    box = next((b for b in index.get("metascore_summary", ()) if _is_critics(b)), None)
    if box is None:
        return None, None, None
    badge = next((e for e in box.iterdescendants() if "metascore_w" in classes_of(e)), None)
    label = element_text(next((e for e in box.iterdescendants() if "desc" in classes_of(e)), None))
    based_on = _BASED_ON.search(element_text(box) or "")
    return (
        label,
        int(based_on.group(1).replace(",", "")) if based_on else None,
        first_int(element_text(badge)),
    )


def _product_distribution(
    index: dict[str, list[Any]],
) -> tuple[dict[str, int | None], int | None]:
    """A game or TV page's critic distribution: the counts by bucket, and the ``out of N``
    its rows agree on (None when they state none or differ).

    The audience's block has the same ``div.score_distribution`` markup, and may come
    first on the page: only one that sits in the critics' block is read, and none when
    the critics' block states no distribution.
    """
    counts: dict[str, int | None] = dict.fromkeys(_BUCKETS)
    box = next(
        (
            div
            for div in _elements(index, "div", "score_distribution")
            if _in_critics_block(div, index)
        ),
        None,
    )
    if box is None:
        return counts, None
    return _score_counts(box)


def _score_counts(box: Any) -> tuple[dict[str, int | None], int | None]:
    """A ``div.score_distribution``'s counts by bucket and the ``out of N`` its rows agree
    on (None when they state none or differ)."""
    counts: dict[str, int | None] = dict.fromkeys(_BUCKETS)
    totals: set[int] = set()
    for row in box.iterdescendants("li"):
        if "score_count" not in classes_of(row):
            continue
        parts: dict[str, Any] = {}
        for element in row.iterdescendants():
            for name in classes_of(element):
                if name in ("label", "count", "distribution"):
                    parts.setdefault(name, element)
        bucket = (element_text(parts.get("label")) or "").rstrip(":").strip().lower()
        if bucket not in counts or counts[bucket] is not None:
            continue
        counts[bucket] = first_int(element_text(parts.get("count")))
        if out_of := _OUT_OF.search(element_text(parts.get("distribution")) or ""):
            totals.add(int(out_of.group(1).replace(",", "")))
    return counts, next(iter(totals)) if len(totals) == 1 else None


def _in_critics_block(element: Any, index: dict[str, list[Any]]) -> bool:
    """Whether the element belongs to the critics' score rather than the audience's.

    Its block is its nearest ancestor holding a score badge: a block holding only critic
    badges is the critics'. One inside a ``user...`` container (``userscore_wrap``,
    ``user_reviews_module``), or whose block holds a user badge, is not: a block holding
    both scores cannot say whose the element is.
    """
    badges = [badge for badge in index.get("metascore_w", ()) if not _is_within(badge, element)]
    for ancestor in element.iterancestors():
        if any(name.startswith("user") for name in classes_of(ancestor)):
            return False
        held = [badge for badge in badges if _is_within(badge, ancestor)]
        if held:
            return not any(_is_users_badge(badge) for badge in held)
    return False


def _is_within(element: Any, container: Any) -> bool:
    return any(ancestor is container for ancestor in element.iterancestors())


def _is_users_badge(badge: Any) -> bool:
    if "user" in classes_of(badge):
        return True
    return any(
        name.startswith("user")
        for ancestor in badge.iterancestors()
        for name in classes_of(ancestor)
    )


def _is_critics(box: Any) -> bool:
    for element in box.iter():
        if element.tag == "a" and "/user-reviews" in (element.get("href") or ""):
            return False
        classes = classes_of(element)
        if "metascore_w" in classes and "user" in classes:
            return False
    return True


def _film_url(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed canonical URL ("http://[bad"): no film URL
        return None
    if parts.scheme not in ("http", "https"):
        return None
    match = _FILM_URL_PATH.match(parts.path)
    path = match.group(0) if match else parts.path
    return f"{parts.scheme}://{parts.netloc}{path}"


def _review_blocks(index: dict[str, list[Any]]) -> list[Any]:
    """The critic review blocks: ``div.review`` inside ``div.critic_reviews``, never one
    inside a ``user_reviews`` container."""
    blocks = []
    for block in _elements(index, "div", "review"):
        ancestors = [parent.get("class") or "" for parent in block.iterancestors("div")]
        if any("critic_reviews" in classes.split() for classes in ancestors) and not any(
            "user_reviews" in classes for classes in ancestors
        ):
            blocks.append(block)
    return blocks


def _product_review_blocks(index: dict[str, list[Any]]) -> list[Any]:
    """A game or TV page's critic reviews: ``li.review.critic_review``, never a
    ``user_review`` (the audience's reviews share the markup)."""
    return [
        block
        for block in index.get("critic_review", ())
        if block.tag == "li"
        and "review" in (names := classes_of(block))
        and "user_review" not in names
    ]


#: Which part of a review block an element is, by one of its classes.
_PARTS_BY_CLASS = {
    "source": "publication",
    "author": "critic",
    "date": "date",
    "no_hover": "quote_link",
    "review_body": "quote_body",
    "summary": "summary",
    "read_full": "read_full",
    "full_review": "full_review",
}


_MACHINERY = frozenset({"script", "style"})


def _review_parts(block: Any) -> dict[str, Any] | None:
    """The first element of each part of a review block, found in one walk over it.

    None for a user review (its badge has the ``user`` class): never a critic review.
    ``machinery`` is set when the block holds a script or style element.
    """
    parts: dict[str, Any] = {}
    for element in block.iter():
        if element.tag in _MACHINERY:
            parts["machinery"] = True
        classes = element.get("class")
        if not classes:
            continue
        names = classes.split()
        if "metascore_w" in names:
            if "user" in names:
                return None
            # Movie reviews mark their score ``indiv``; a game or TV review's
            # ``.review_grade`` badge may not.
            parts.setdefault("badge" if "indiv" in names else "other_badge", element)
            continue
        for name in names:
            if (part := _PARTS_BY_CLASS.get(name)) is not None:
                parts.setdefault(part, element)
    return parts


def _review(
    block: Any,
    page_url: str,
    film_key: str,
    *,
    product: bool = False,
    season: str | None = None,
) -> ReviewItem | None:
    parts = _review_parts(block)
    if parts is None:
        return None
    badge = parts.get("badge")
    if badge is None and product:
        badge = parts.get("other_badge")
    # A script or style inside a name or quote is page machinery, not what the critic
    # wrote; a block without any keeps to the fast path.
    machinery = "machinery" in parts
    quote = parts.get("quote_link")
    if quote is None:
        quote = parts.get("quote_body", parts.get("summary"))
    read_full = parts.get("read_full")
    href = read_full.get("href") if read_full is not None else None
    if href is None and parts.get("quote_link") is not None:
        href = parts["quote_link"].get("href")
    if href is None and (full_review := parts.get("full_review")) is not None:
        href = _href(full_review)
    critic = parts.get("critic")
    return ReviewItem(
        film_key=film_key,
        source_url=page_url,
        critic=element_text(critic, skip_machinery=machinery),
        critic_slug=_critic_slug(critic),
        publication=element_text(parts.get("publication"), skip_machinery=machinery),
        season=season,
        original_score=element_text(badge, skip_machinery=machinery),
        published_on=element_text(parts.get("date"), skip_machinery=machinery),
        quote=element_text(quote, skip_machinery=machinery),
        review_url=absolute(page_url, href),
    )


def _href(element: Any) -> str | None:
    """The element's link, or its first descendant link's (``li.full_review > a``)."""
    # A plain loop, not a generator: this runs for two elements of every review.
    for anchor in element.iter("a"):
        if (href := anchor.get("href")) is not None:
            return str(href)
    return None


def _critic_slug(critic: Any) -> str | None:
    """The slug of the critic's page (``/critic/<slug>?filter=movies``), when linked."""
    if critic is None:
        return None
    href = _href(critic)
    if href is None or "/critic/" not in href:
        return None
    match = _CRITIC_HREF.search(href)
    if match is None:
        return None
    slug = match.group("slug")
    return (unquote(slug) if "%" in slug else slug).lower()


def _follow_ups(page: Page, film_key: str) -> Iterator[FollowUp]:
    """The film's full critic-reviews page, and that page's own next page; nothing else."""
    page_url = page.url
    parts = urlsplit(page_url)
    if parts.scheme not in ("http", "https"):
        return  # a saved page's links point at the live site, not at files beside it
    on_critic_reviews = _CRITIC_REVIEWS_PATH.match(parts.path) is not None
    anchors = page.selector.root.iter("a")
    if on_critic_reviews:
        nexts = {id(anchor) for anchor in _next_page_anchors(page.class_index)}
        hrefs = [a.get("href") for a in anchors if id(a) in nexts and a.get("href") is not None]
    else:
        hrefs = [a.get("href") for a in anchors if _links_to_critic_reviews(a)]
    film_path = _FILM_PATH.match(parts.path)
    for href in hrefs:
        if (joined := absolute(page_url, href)) is None:
            continue  # "http://[broken": no link at all
        target = urlsplit(joined)
        if (target.scheme, target.netloc) != (parts.scheme, parts.netloc):
            continue  # another site's copy of the path: the spider would refuse it anyway
        path_match = _CRITIC_REVIEWS_PATH.match(target.path)
        if path_match is None or film_path is None:
            continue
        if not path_match.group(1).startswith(film_path.group(0) + "/"):
            continue  # another film's reviews
        if not on_critic_reviews and target.query:
            continue  # ?dist=positive filters: the plain page covers them
        yield FollowUp(url=target.geturl(), film_key=film_key)
        if not on_critic_reviews:
            return


def _next_page_anchors(index: dict[str, list[Any]]) -> list[Any]:
    """``span.flipper.next a`` and ``.page_nav a[rel=next]``: the pagination's next link."""
    anchors = [
        anchor
        for span in _elements(index, "span", "flipper")
        if "next" in classes_of(span)
        for anchor in span.iterdescendants("a")
    ]
    anchors += [
        anchor
        for nav in index.get("page_nav", ())
        for anchor in nav.iterdescendants("a")
        if anchor.get("rel") == "next"
    ]
    return anchors
