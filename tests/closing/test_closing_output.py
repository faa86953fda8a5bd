"""The closing output of a 100-film crawl: at most STORE_SUMMARY_LINES film lines, the
films the crawl changed most first, one totals line, and the commands for the rest.

The crawl is real (a folder of 100 generated plain-text pages); ``closing_lines`` is
called on the database it stored, with the crawl's own stats.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, create_engine

from reviewcrawler.closing_output import (
    closing_lines,
    command_lines,
    unrecognised_warning,
)
from reviewcrawler.store.url import DEFAULT_DATABASE_URL
from tests.support.crawl import run_crawl
from tests.support.stats import crawl_stats

FILMS = 100
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def reviews_of(n: int) -> int:
    """Film n has 1 to 7 reviews, so films differ in how many reviews are new."""
    return 1 + n % 7


def inconsistent(n: int) -> bool:
    """Every tenth film states two critics more than it lists."""
    return n % 10 == 3


def plain_text_page(n: int) -> str:
    """An invented film's plain-text critic-review page (fixtures/formats/plain_text)."""
    count = reviews_of(n)
    stated = count + 2 if inconsistent(n) else count
    lines = [
        f"Film Number {n:03d} ({1990 + n % 30})",
        f"Generally favorable reviews - based on {stated} Critics",
        "",
        "Critic score distribution:",
        f"  1. Positive: {stated} out of {stated}",
        "",
        "Critic Reviews",
        "",
    ]
    for r in range(count):
        lines += [
            f"  {r + 1}. Reviewed by: Critic {r} Of Film {n}",
            f"    {MONTHS[(n + r) % 12]} {1 + r}, 2024",
            f"    Film {n} seen by critic {r}: a quiet, {('odd', 'warm', 'brisk')[r % 3]} picture.",
        ]
    return "\n".join(lines) + "\n"


@dataclass
class Crawl:
    result: subprocess.CompletedProcess[str]
    stats: dict
    engine: Engine
    database_url: str


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    root = tmp_path_factory.mktemp("hundred-films")
    folder = root / "pages"
    folder.mkdir()
    for n in range(FILMS):
        (folder / f"film-number-{n:03d}-critic-reviews.txt").write_text(plain_text_page(n))
    database_url = f"sqlite:///{root / 'store.db'}"
    result = run_crawl(
        "-a",
        f"url={folder}",
        database_url=database_url,
        settings={"HTTPCACHE_ENABLED": "False", "STORE_PRINT_SUMMARIES": "False"},
    )
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    engine = create_engine(database_url)
    yield Crawl(result, crawl_stats(result), engine, database_url)
    engine.dispose()


def lines_of(crawl: Crawl, limit: int = 20) -> list[str]:
    return closing_lines(crawl.engine, crawl.stats["store/run_id"], crawl.stats, limit=limit)


def test_a_hundred_films_close_in_twenty_four_lines(crawl: Crawl) -> None:
    lines = lines_of(crawl)
    assert len(lines) == 20 + 1 + 1 + 2  # film lines, "and 80 more", totals, commands
    assert lines[20] == "... and 80 more films (those above are the ones this crawl changed most)"


def test_inconsistent_films_come_first_then_the_most_new_reviews(crawl: Crawl) -> None:
    film_lines = lines_of(crawl)[:20]
    # Inconsistent films by new reviews, most first; the film key breaks ties.
    expected_inconsistent = sorted(
        (n for n in range(FILMS) if inconsistent(n)), key=lambda n: (-reviews_of(n), n)
    )
    assert all("INCONSISTENT" in line for line in film_lines[: len(expected_inconsistent)])
    assert [line.split(" (")[0] for line in film_lines[: len(expected_inconsistent)]] == [
        f"Film Number {n:03d}" for n in expected_inconsistent
    ]
    rest = film_lines[len(expected_inconsistent) :]
    most = max(reviews_of(n) for n in range(FILMS) if not inconsistent(n))
    assert all(f"stored: {most} reviews" in line and "| consistent" in line for line in rest)


def test_the_totals_line(crawl: Crawl) -> None:
    totals = lines_of(crawl)[21]
    run_id = crawl.stats["store/run_id"]
    reviews = sum(reviews_of(n) for n in range(FILMS))
    inconsistent_films = sum(inconsistent(n) for n in range(FILMS))
    assert totals == (
        f"Crawl run {run_id}: {FILMS} films, reviews {reviews} new, 0 changed, 0 gone; "
        f"{inconsistent_films} inconsistent films, 0 failed pages"
    )
    assert crawl.stats["store/reviews_new"] == reviews


def test_the_commands_that_show_the_rest_name_the_crawls_database(crawl: Crawl) -> None:
    commands = lines_of(crawl)[22:]
    assert commands == [
        f"Every film: reviewcrawler summary --database-url '{crawl.database_url}'",
        f"A report: reviewcrawler report --out report/ --database-url '{crawl.database_url}'",
    ]


def test_the_number_of_film_lines_is_a_setting(crawl: Crawl) -> None:
    assert len(lines_of(crawl, limit=5)) == 5 + 1 + 1 + 2
    assert lines_of(crawl, limit=0)[0] == "... and 100 more films"
    assert len(lines_of(crawl, limit=500)) == FILMS + 1 + 2  # all shown: no "and more"


def test_commands_mask_a_password_and_leave_out_the_default_database() -> None:
    assert command_lines(DEFAULT_DATABASE_URL) == [
        "Every film: reviewcrawler summary",
        "A report: reviewcrawler report --out report/",
    ]
    (summary, _) = command_lines("postgresql+psycopg://crawler:s3cret@db.example/reviews")
    assert summary == (
        "Every film: reviewcrawler summary "
        "--database-url 'postgresql+psycopg://crawler:***@db.example/reviews'"
    )


def test_unrecognised_warning_names_at_most_the_first_ones() -> None:
    assert unrecognised_warning(["a", "b"], 2).endswith(": a, b")
    assert unrecognised_warning(["a", "b"], 7).endswith(": a, b and 5 more")
