"""Write the static report: ``index.html``, one page per film under ``films/``, and
``changes.atom``, the feed of the latest changes (``feed.py``).

Pages are Jinja2 templates with autoescape on, so every value from a crawled page
is escaped; charts are SVG laid out by ``charts.py``. Each page carries its CSS
and its one small script inline, and a Content-Security-Policy that allows only
those two (by hash) and no load of any kind, so the report opens from ``file://``
with no request leaving it and nothing a page smuggled in can run.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    as_completed,
    wait,
)
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup
from sqlalchemy import Engine

from reviewcrawler.report import charts, feed, svg
from reviewcrawler.report.data import (
    SITE_NAMES,
    FieldChange,
    FilmData,
    FilmRow,
    ReviewRow,
    Snapshot,
    count_films,
    film_id_pages,
    iter_films,
)
from reviewcrawler.report.rows import review_rows
from reviewcrawler.report.values import (
    agreement,
    figure,
    http_url,
    page_name,
    raw,
    shorten,
    when,
    who,
)
from reviewcrawler.store.engine import get_engine, mask_url

MEDIA_NAMES = {"movie": "Film", "tv": "TV", "game": "Game"}

#: Legend and table wording per site: Rotten Tomatoes calls its verdicts fresh and rotten.
SENTIMENT_WORDS = {
    "metacritic": {"positive": "positive", "mixed": "mixed", "negative": "negative"},
    "rottentomatoes": {"positive": "fresh", "mixed": "mixed", "negative": "rotten"},
}
NO_SENTIMENT = "no sentiment"

#: The audience's words on every site: fresh and rotten are the critics' verdicts only.
AUDIENCE_WORDS = {"positive": "positive", "mixed": "mixed", "negative": "negative"}

#: The title's facts a film page lists, in order, with their labels.
FACT_LABELS = (
    ("release_date", "Released"),
    ("genres", "Genres"),
    ("age_rating", "Age rating"),
    ("director", "Director"),
    ("developers", "Developers"),
    ("publishers", "Publishers"),
    ("network", "Network"),
    ("seasons", "Seasons"),
    ("runtime", "Runtime"),
)

INDEX_FILTERS = (
    ("media", "Media", tuple(MEDIA_NAMES.items())),
    ("site", "Site", (*SITE_NAMES.items(), ("other", "Other"))),
    ("agree", "Stored vs stated", (("yes", "Agree"), ("no", "Differ"), ("unknown", "No count"))),
)


# ---------------------------------------------------------------- assets and templates


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@dataclass(frozen=True)
class Assets:
    """The inline CSS and script every page carries, and the policy allowing only them."""

    css: Markup
    script: Markup
    csp: str


@cache
def assets() -> Assets:
    folder = resources.files("reviewcrawler.report") / "templates"
    css = (folder / "report.css").read_text(encoding="utf-8")
    script = (folder / "sort.js").read_text(encoding="utf-8")
    # Nothing may load: no network, no file, no frame; only these exact inline blocks run.
    csp = (
        "default-src 'none'; "
        f"style-src {_csp_hash(css)}; script-src {_csp_hash(script)}; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; media-src 'none'; "
        "object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return Assets(Markup(css), Markup(script), csp)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reviewcrawler.report", "templates"),
        autoescape=True,
        # Templates are package files: no stat of each one per page written.
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        raw=raw, figure=figure, when=when, shorten=shorten, who=who, http_url=http_url
    )
    return env


# ---------------------------------------------------------------- view models


@dataclass(frozen=True)
class IndexRow:
    """What the index shows of one film: small, so 10,000 of them are a few MB."""

    key: str
    name: str
    year: int | None
    media: str
    media_label: str
    platform: str | None
    site: str
    site_label: str
    file: str
    stated: float | int | None
    computed: float | None
    percent: bool
    review_count: int
    stated_count: int | None
    agree: str
    agree_label: str
    trend_stated: str
    trend_computed: str
    trend_text: str
    #: The audience's score on 0-100 (what the column sorts by), and on its own scale.
    audience: float | None = None
    audience_text: str | None = None
    audience_note: str | None = None


def audience_scale_text(film: FilmRow) -> str | None:
    """The audience score on the site's own scale (``9.3/10``), None when not stated."""
    if film.audience_score is None:
        return None
    if film.audience_scale is None:
        return figure(film.audience_score)
    return f"{figure(film.audience_score)}/{film.audience_scale}"


def audience_note(film: FilmRow) -> str | None:
    """``9.3/10 · 18 ratings``: what the index's audience cell says on hover."""
    parts = [audience_scale_text(film)]
    if film.audience_count is not None:
        parts.append(f"{film.audience_count} ratings")
    shown = [part for part in parts if part]
    return " · ".join(shown) if shown else None


def computed_of(film: FilmRow | Snapshot, rotten_tomatoes: bool) -> float | None:
    return film.positive_share if rotten_tomatoes else film.mean_score


def index_row(data: FilmData) -> IndexRow:
    film = data.film
    rt = film.is_rotten_tomatoes
    stated_trend = [snap.stated_metascore for snap in data.history]
    computed_trend = [computed_of(snap, rt) for snap in data.history]
    runs = len(data.history)
    # One range for both lines, so that stated and computed stay comparable.
    trend = charts.trend_range(stated_trend, computed_trend)
    agree, agree_label = agreement(film.consistent)
    return IndexRow(
        key=film.key,
        name=film.name,
        year=film.year,
        media=film.media,
        media_label=MEDIA_NAMES.get(film.media, film.media),
        platform=film.platform,
        site=film.site,
        site_label=SITE_NAMES.get(film.site, "Other"),
        file=page_name(film.key),
        stated=film.stated_score,
        computed=film.computed_score,
        percent=rt,
        review_count=film.review_count or 0,
        stated_count=film.stated_count,
        agree=agree,
        agree_label=agree_label,
        trend_stated=charts.sparkline(stated_trend, *trend),
        trend_computed=charts.sparkline(computed_trend, *trend),
        trend_text=(
            f"{runs} runs: computed "
            + " → ".join(figure(v) for v in computed_trend[-6:])
            + (", stated " + " → ".join(figure(v) for v in stated_trend[-6:]))
            if runs > 1
            else ("one run" if runs == 1 else "no runs")
        ),
        audience=film.audience_score_100,
        audience_text=audience_scale_text(film),
        audience_note=audience_note(film),
    )


@dataclass(frozen=True)
class CompareLine:
    name: str
    stated: Any
    computed: Any
    stated_field: str | None = None
    computed_field: str | None = None
    percent: bool = False

    @property
    def differs(self) -> bool:
        return (
            self.stated is not None and self.computed is not None and self.stated != self.computed
        )


def compare_lines(film: FilmRow) -> list[CompareLine]:
    """The stated figures beside the computed ones, as the summary table shows them."""
    words = SENTIMENT_WORDS["rottentomatoes" if film.is_rotten_tomatoes else "metacritic"]
    lines = []
    if film.is_rotten_tomatoes:
        lines.append(
            CompareLine(
                "Tomatometer",
                film.stated_metascore,
                film.positive_share,
                "stated_metascore",
                "positive_share",
                percent=True,
            )
        )
    lines += [
        CompareLine(
            "Metascore / mean score" if not film.is_rotten_tomatoes else "Mean score",
            None if film.is_rotten_tomatoes else film.stated_metascore,
            film.mean_score,
            None if film.is_rotten_tomatoes else "stated_metascore",
            "mean_score",
        ),
        CompareLine(
            "Label", film.stated_label, film.computed_label, "stated_label", "computed_label"
        ),
        CompareLine(
            "Critics",
            film.stated_critic_count,
            film.review_count,
            "stated_critic_count",
            "review_count",
        ),
    ]
    if film.stated_listed_count is not None:
        lines.append(
            CompareLine(
                "Reviews listed",
                film.stated_listed_count,
                film.review_count,
                "stated_listed_count",
                "review_count",
            )
        )
    lines += [
        CompareLine(
            words["positive"].capitalize(),
            film.stated_positive,
            film.positive_count,
            "stated_positive",
            "positive_count",
        ),
        CompareLine(
            words["mixed"].capitalize(),
            film.stated_mixed,
            film.mixed_count,
            "stated_mixed",
            "mixed_count",
        ),
        CompareLine(
            words["negative"].capitalize(),
            film.stated_negative,
            film.negative_count,
            "stated_negative",
            "negative_count",
        ),
        CompareLine("Median score", None, film.median_score, None, "median_score"),
        CompareLine(
            "Lowest / highest",
            None,
            None if film.min_score is None else f"{film.min_score} / {film.max_score}",
        ),
    ]
    return lines


@dataclass(frozen=True)
class FilmPage:
    """Derived figures a film page shows beside the raw rows."""

    name: str
    media_label: str
    site_label: str
    film_href: str | None
    percent: bool
    score_name: str
    computed_name: str
    agree: str
    agree_label: str
    #: ``(css sentiment, words)`` of the distribution's legend, in stacking order.
    legend: list[tuple[str, str]]
    #: Indexes into a bin's counts for each legend entry.
    legend_slots: list[int]
    slot_totals: tuple[int, ...]
    scored_total: int
    unscored: int
    compare: list[CompareLine]
    changed_reviews: list[tuple[str, list[FieldChange]]]
    gone_all: list[ReviewRow]
    has_seasons: bool
    computed_of: Callable[[Snapshot], float | None]
    #: ``(field, label, text)`` of each fact a page stated.
    facts: list[tuple[str, str, str]]
    #: The critics' split (stored reviews) and the audience's (as the site states it),
    #: a row each: ``(group, name, counts in positive/mixed/negative order, total)``.
    split: list[tuple[str, str, tuple[int | None, ...], int | None]]
    #: Column headings of the split table: the site's words for the critics' verdicts.
    split_headings: list[str]
    audience_scale_text: str | None


def film_page(data: FilmData, bins: Sequence[charts.Bin], listed: Sequence[ReviewRow]) -> FilmPage:
    film = data.film
    rt = film.is_rotten_tomatoes
    words = SENTIMENT_WORDS["rottentomatoes" if rt else "metacritic"]
    slot_totals = tuple(sum(b.counts[i] for b in bins) for i in range(len(charts.SENTIMENTS)))
    # Always show the site's own categories; "no sentiment" only when a review has none.
    legend_slots = [i for i, s in enumerate(charts.SENTIMENTS) if s is not None or slot_totals[i]]
    legend = [
        (charts.SENTIMENTS[i] or "none", words.get(charts.SENTIMENTS[i] or "", NO_SENTIMENT))
        for i in legend_slots
    ]
    changed: dict[int, list[FieldChange]] = {}
    for change in data.changes:
        changed.setdefault(change.review_id, []).append(change)
    by_id = {review.id: review for review in data.reviews}
    agree, agree_label = agreement(film.consistent)
    return FilmPage(
        name=film.name,
        media_label=MEDIA_NAMES.get(film.media, film.media),
        site_label=SITE_NAMES.get(film.site, "site unknown"),
        film_href=http_url(film.url),
        percent=rt,
        score_name="Tomatometer" if rt else "Metascore",
        computed_name="Fresh share of stored reviews" if rt else "Mean of stored scores",
        agree=agree,
        agree_label=agree_label,
        legend=legend,
        legend_slots=legend_slots,
        slot_totals=slot_totals,
        scored_total=sum(slot_totals),
        unscored=sum(1 for review in listed if review.score is None),
        compare=compare_lines(film),
        changed_reviews=[
            (who(by_id[review_id]) if review_id in by_id else f"review {review_id}", fields)
            for review_id, fields in changed.items()
        ],
        gone_all=[review for review in data.reviews if review.gone_run is not None],
        has_seasons=any(review.season for review in listed),
        computed_of=lambda snap: computed_of(snap, rt),
        facts=facts_of(film),
        split=split_rows(film),
        split_headings=[
            word.capitalize() if word == AUDIENCE_WORDS[key] else f"{key.capitalize()} ({word})"
            for key, word in words.items()
        ],
        audience_scale_text=audience_scale_text(film),
    )


def facts_of(film: FilmRow) -> list[tuple[str, str, str]]:
    """The facts a page stated, as the film page lists them (raw text: escaped by the
    template, like every value from a crawled page)."""
    found = []
    for name, label in FACT_LABELS:
        value = getattr(film, name)
        if value is None or value == "":
            continue
        if name == "runtime":
            text = f"{value} min"
        elif isinstance(value, dt.date):
            text = value.isoformat()
        else:
            text = str(value)
        found.append((name, label, text))
    return found


def split_rows(film: FilmRow) -> list[tuple[str, str, tuple[int | None, ...], int | None]]:
    """The critics' counts and the audience's, never added together; a total is None
    when the site stated none of its counts (not stated is not zero)."""

    def total(counts: tuple[int | None, ...]) -> int | None:
        known = [count for count in counts if count is not None]
        return sum(known) if known else None

    critics = (film.positive_count, film.mixed_count, film.negative_count)
    audience = (film.audience_positive, film.audience_mixed, film.audience_negative)
    # The audience's total is the ratings the site counts when it states that: a page
    # may state only part of the split (the positive ratings alone).
    audience_total = film.audience_count if film.audience_count is not None else total(audience)
    return [
        ("critics", "Critics", critics, total(critics)),
        ("audience", "Audience", audience, audience_total),
    ]


def sentiment_labels(rotten_tomatoes: bool) -> dict[str, str]:
    words = SENTIMENT_WORDS["rottentomatoes" if rotten_tomatoes else "metacritic"]
    return {**words, "none": NO_SENTIMENT}


def render_film(data: FilmData, generated: str) -> str:
    """One film's page."""
    film = data.film
    rt = film.is_rotten_tomatoes
    listed = data.listed
    bins = charts.distribution((r.score, r.sentiment) for r in listed if r.score is not None)
    page = film_page(data, bins, listed)
    history = data.history
    split = charts.share_chart([(group, counts) for group, _, counts, _ in page.split])
    lines = charts.line_chart(
        [f"run #{snap.run_id}" for snap in history],
        [
            (f"{page.score_name} stated", "line-stated", [s.stated_metascore for s in history]),
            (page.computed_name, "line-computed", [computed_of(s, rt) for s in history]),
        ],
    )
    return (
        environment()
        .get_template("film.html.j2")
        .render(
            assets=assets(),
            film=film,
            page=page,
            bins=bins,
            bars_svg=svg.bar_chart(
                charts.bar_chart(bins),
                sentiment_labels(rt),
                f"{page.scored_total} scored reviews in {len(bins)} score bins; "
                "the table beside gives the numbers",
                "distribution-svg-title",
            ),
            split_svg=svg.share_chart(
                split,
                {group: name for group, name, _, _ in page.split},
                {"critics": sentiment_labels(rt), "audience": AUDIENCE_WORDS},
                {"critics": "reviews", "audience": "ratings"},
                {"critics": "no stored review has a sentiment", "audience": "not stated"},
                "The critics' split (stored reviews) and the audience's (as the site "
                "states it), each bar its own 100 %; the table beside gives the numbers",
                "split-svg-title",
            ),
            lines=lines,
            lines_svg=svg.line_chart(
                lines,
                f"{page.score_name} stated and {page.computed_name.lower()} over "
                f"{len(history)} runs; the table beside gives the numbers",
                "history-svg-title",
            ),
            history=history,
            last_run=data.last_run,
            added=data.added,
            gone=data.gone,
            listed=listed,
            review_rows=review_rows(listed, sentiment_labels(rt), page.has_seasons),
            labels=sentiment_labels(rt),
            audience_words=AUDIENCE_WORDS,
            generated=generated,
        )
    )


def render_index(
    rows: Sequence[IndexRow],
    total_reviews: int,
    generated: str,
    database: str,
    changes: Sequence[feed.ChangeLine] = (),
) -> Iterator[str]:
    """The index page, in pieces: written as generated, so 10,000 rows never make
    one string in memory."""
    ordered = sorted(rows, key=lambda row: (row.name.casefold(), row.year or 0, row.key))
    return (
        environment()
        .get_template("index.html.j2")
        .generate(
            assets=assets(),
            rows=ordered,
            total_reviews=total_reviews,
            generated=generated,
            database=database,
            filters=INDEX_FILTERS,
            changes=changes,
            feed_file=feed.FEED_FILE,
            feed_changes=feed.FEED_CHANGES,
        )
    )


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class ReportResult:
    films: int
    reviews: int
    index: Path
    #: ``changes.atom``; None only from callers that build a result themselves.
    feed_file: Path | None = None
    #: Entries the feed carries.
    changes: int = 0


#: Films one worker process writes per task: small enough for a smooth progress bar,
#: large enough that each task's one query per table stays cheap.
TASK_FILMS = 200


def write_pages(
    engine: Engine, pages: Path, film_ids: Sequence[int] | None, generated: str
) -> Iterator[IndexRow]:
    """Write each film's page (all films, or these), yielding its index row."""
    for data in iter_films(engine, film_ids):
        row = index_row(data)
        (pages / row.file).write_text(render_film(data, generated), encoding="utf-8")
        yield row


def _write_task(
    database_url: str, pages: Path, film_ids: list[int], generated: str
) -> list[IndexRow]:
    """A worker process's task: its own engine (never one inherited), these films' pages."""
    return list(write_pages(get_engine(database_url), pages, film_ids, generated))


def _written_in_workers(
    engine: Engine,
    database_url: str,
    pages: Path,
    film_ids: Sequence[int] | None,
    generated: str,
    jobs: int,
) -> Iterator[list[IndexRow]]:
    """Pages written by ``jobs`` processes, a task of TASK_FILMS films each; yields each
    task's index rows as it completes. At most two tasks per worker are in flight, so
    memory stays flat however many films there are."""
    context = multiprocessing.get_context("spawn")  # no inherited engine, lock or thread
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending: set[Future[list[IndexRow]]] = set()
        for ids in film_id_pages(engine, film_ids, TASK_FILMS):
            if len(pending) >= 2 * jobs:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (future.result() for future in done)
            pending.add(pool.submit(_write_task, database_url, pages, ids, generated))
        for future in as_completed(pending):
            yield future.result()


def write_report(
    engine: Engine,
    out: Path,
    film_ids: Sequence[int] | None = None,
    *,
    database_url: str | None = None,
    jobs: int = 1,
    on_films: Callable[[int], None] | None = None,
    base_url: str | None = None,
) -> ReportResult:
    """Write the report of every film (or of ``film_ids``) to ``out``.

    Films stream from the store a keyset page at a time; only the index's compact
    rows are kept until the index is written last, so memory stays flat. With
    ``jobs`` > 1 (and ``database_url``, which each worker opens) film pages are
    written by that many processes; a report of one page of films is written here.
    ``on_films(n)`` is called as each batch of n film pages is written (the progress
    bar). ``changes.atom`` carries the newest changes of the same films; ``base_url``
    (an absolute http(s) URL, where the report is published) becomes its ``xml:base``.
    """
    # Checked before any page is written, not after minutes of them.
    base = None if base_url is None else feed.base(base_url)
    pages = out / "films"
    pages.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    generated = when(now)
    total = films_to_draw(engine, film_ids)
    if jobs > 1 and database_url is not None and total > TASK_FILMS:
        batches = _written_in_workers(engine, database_url, pages, film_ids, generated, jobs)
    else:
        batches = ([row] for row in write_pages(engine, pages, film_ids, generated))
    rows: list[IndexRow] = []
    for batch in batches:
        rows += batch
        if on_films is not None:
            on_films(len(batch))
    reviews = sum(row.review_count for row in rows)
    database = mask_url(database_url) if database_url else ""
    # Read once, after the pages: the feed and the index list the same changes.
    changes = feed.read_changes(engine, film_ids)
    feed_path = out / feed.FEED_FILE
    feed.write_feed(feed_path, changes, now, base)
    index = out / "index.html"
    with index.open("w", encoding="utf-8") as file:
        file.writelines(
            render_index(rows, reviews, generated, database, changes.lines[: feed.INDEX_CHANGES])
        )
    return ReportResult(
        films=len(rows),
        reviews=reviews,
        index=index,
        feed_file=feed_path,
        changes=len(changes.lines),
    )


def films_to_draw(engine: Engine, film_ids: Sequence[int] | None) -> int:
    """How many pages the report will write (the progress bar's length)."""
    return len(set(film_ids)) if film_ids is not None else count_films(engine)
